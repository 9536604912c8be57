#!/usr/bin/env bash
# t/bench/ws_play.sh — felt-wsd under load through nginx, beside the ceiling of the same
# nginx on this machine, all in one run:
#
#   1. ceiling: t/bench/ws_echo (a libwebsockets echo server of ours) behind the stack's
#      nginx, BENCH_AGENTS connections each keeping one 400-byte message in flight;
#   2. play: felt-bot, BENCH_AGENTS agents at BENCH_TABLES /v1 tables acting instantly
#      (--strategy call, --rejoin so finished tables are replaced); over a window of
#      BENCH_SECONDS once every table deals: committed hands/s (rows in `hands`),
#      messages/s (frames in + out at the clients), action->next-state latency at the
#      clients, felt-wsd CPU and RSS; then the same load over Open Poker (/ws, felt-bot
#      --protocol openpoker): the same agents count, funded, seated 6 a table by the
#      lobby, every hand settled in the ledger (in-play, rake) with its history;
#   3. both again with synchronous_commit=off (settlement must not be the bottleneck);
#      BENCH_REPEAT=1 runs the durable pair once more;
#   4. idle: BENCH_IDLE agents seated at 10-seat tables with a one-hour action timeout,
#      connected and never acting; felt-wsd's RSS before and after.
#
# Self-contained: starts its own stack (PostgreSQL, felt-api, felt-wsd, nginx) in a temp
# directory on free ports from a build WITHOUT sanitizers, raises the open-file limits of
# itself and nginx, stops everything at the end.  Prints one block to paste into
# BENCHMARKS.md.
#
#   FELT_BUILD=/tmp/b-rel t/bench/ws_play.sh
#   environment: BENCH_AGENTS (600), BENCH_TABLES (100), BENCH_SECONDS (30),
#                BENCH_IDLE (10000; 0 skips), BENCH_STRATEGY (call), BENCH_KEEP=1 keeps logs,
#                BENCH_PERF=1 profiles felt-wsd during each window (perf, the top symbols),
#                BENCH_IDLE_RATE (100: REST requests a second while the idle agents join)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FELT_BUILD:?set FELT_BUILD to a build directory configured WITHOUT --enable-sanitizers}
agents=${BENCH_AGENTS:-600}
tables=${BENCH_TABLES:-100}
seconds=${BENCH_SECONDS:-30}
idle=${BENCH_IDLE:-10000}
strategy=${BENCH_STRATEGY:-call}

if grep -q '^SAN_CFLAGS = .*-fsanitize' "$build/Makefile" 2>/dev/null; then
	echo "ws_play.sh: $build is a sanitizer build; benchmarks need a plain one" >&2
	exit 2
fi
make -C "$build" -s -j2 cgi/felt-api wsd/felt-wsd tools/feltctl tools/felt-bot t/bench/ws_echo >/dev/null

export FELT_TOP=$top FELT_BUILD=$build
. "$top/script/lib.sh"
export FELT_VAR
FELT_VAR=$(mktemp -d /tmp/felt-bench.XXXXXX)
chmod 755 "$FELT_VAR"
export FELT_HTTP_PORT FELT_PG_PORT FELT_WSD_PORT
FELT_HTTP_PORT=$(felt_free_port); FELT_PG_PORT=$(felt_free_port); FELT_WSD_PORT=$(felt_free_port)
echo_port=$(felt_free_port)
# Hundreds of agents register from 127.0.0.1 at once, and connect from it: the per-address
# connection cap (nginx's stream limit_conn) is lifted; nginx/bench.conf is included.
export FELT_REGISTER_RATE=100000r/s FELT_REGISTER_BURST=100000 FELT_CONN_PER_ADDR=60000
export FELT_NGINX_BENCH=1
# felt-wsd, felt-bot and nginx's master inherit this (root may raise the hard limit too);
# nginx's workers get theirs from worker_rlimit_nofile below.
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"

echo_pid=""
bot_pid=""
cleanup() {
	[ -z "$bot_pid" ] || kill -KILL "$bot_pid" 2>/dev/null || true
	[ -z "$echo_pid" ] || kill "$echo_pid" 2>/dev/null || true
	felt_stop_stack >/dev/null 2>&1 || true
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "logs kept in $FELT_VAR/log" >&2; else rm -rf "$FELT_VAR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

felt_dirs
felt_start_stack >/dev/null
pg_super="host=$FELT_VAR/pg port=$FELT_PG_PORT user=postgres dbname=postgres"
sql() { psql -X -q -At -d "$(felt_conninfo)" -c "$1"; }
wsd_pid=$(cat "$FELT_VAR/run/wsd.pid")

# nginx: its workers' open files and connections follow the hard limit raised above
# (script/lib.sh felt_nginx_nofile); the echo server goes behind the same server block,
# proxied exactly as /v1/ws is.
conf="$FELT_VAR/nginx/nginx.conf"
sed -i -e "s|^\(\t*\)include $top/nginx/bench.conf;|\1location = /bench/ws-echo {\n\1\tproxy_pass http://127.0.0.1:$echo_port;\n\1\tinclude $top/nginx/websocket.conf;\n\1}\n&|" \
	"$conf"
grep -q 'location = /bench/ws-echo' "$conf" || { echo "ws_play.sh: no place for the echo location in $conf" >&2; exit 1; }
nginx -p "$FELT_VAR/nginx" -c "$conf" -e "$FELT_VAR/log/nginx-error.log" -s reload
"$build/t/bench/ws_echo" serve "$echo_port" >"$FELT_VAR/log/echo.log" 2>&1 &
echo_pid=$!
sleep 1 # nginx's new workers and the echo server come up

# /proc figures of felt-wsd: CPU seconds (user + system) and RSS / peak RSS in MB.
wsd_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$wsd_pid/stat"; }
wsd_mem() { awk '/^'"$1"':/ {printf "%.1f", $2 / 1024}' "/proc/$wsd_pid/status"; }
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
# Scheduler figures of processes (/proc/PID/schedstat): nanoseconds on a CPU and nanoseconds
# runnable but waiting for one, summed. A large wait says the machine, not the program,
# sets the pace.
sched() { local p; for p in "$@"; do cat "/proc/$p/schedstat" 2>/dev/null; done |
	awk '{run += $1; wait += $2} END {printf "%.0f %.0f\n", run, wait}'; }
nginx_workers() { pgrep -P "$(cat "$FELT_VAR/run/nginx.pid")" | tr '\n' ' '; }
# PostgreSQL's processes (the postmaster's children: backends, WAL writer, ...): the
# database's share of the work, where the money is settled.
pg_procs() { pgrep -P "$(head -n 1 "$FELT_VAR/pg/data/postmaster.pid")" | tr '\n' ' '; }

# play NAME TAG [FELT-BOT OPTIONS...]: one felt-bot run (agents named TAG_...; /v1 tables
# unless the options say otherwise); prints the window's figures.
play() {
	local name=$1 tag=$2 out="$FELT_VAR/log/bot-$2.out" i dealt h0 h1 c0 c1 t0 t1 s0 s1 since perf_pid
	local wr0 ww0 wr1 ww1 or0 ow0 or1 ow1 nr0 nw0 nr1 nw1 want=$tables
	shift 2
	# Open Poker: the lobby seats 6 a table, so agents/6 tables deal.
	# Hands of this run's kind of table only (a /v1 table left behind may still time out).
	local kind="<> 'cash'"
	case " $* " in *" openpoker "*) want=$(( (agents + 5) / 6 )) kind="= 'cash'";; esac
	local count="SELECT count(*) FROM hands h JOIN tables t ON t.id = h.table_id WHERE t.kind $kind"
	since=$(sql "SELECT now()")
	"$build/tools/felt-bot" --base "http://127.0.0.1:$FELT_HTTP_PORT" --agents "$agents" \
		--tables "$tables" --strategy "$strategy" --rejoin --name "$tag" "$@" \
		>"$out" 2>"$FELT_VAR/log/bot-$tag.log" &
	bot_pid=$!
	# the window opens once every table has committed a hand (all seated and dealing)
	for i in $(seq 1 1200); do
		dealt=$(sql "SELECT count(DISTINCT h.table_id) FROM hands h JOIN tables t ON t.id = h.table_id
			WHERE t.kind $kind AND h.ended_at > '$since'")
		[ "$dealt" -ge "$want" ] && break
		kill -0 "$bot_pid" 2>/dev/null || { tail -n 5 "$FELT_VAR/log/bot-$tag.log" >&2; return 1; }
		sleep 0.25
	done
	local others nginxes; nginxes=$(nginx_workers); others="$bot_pid $nginxes"
	kill -USR1 "$bot_pid"; h0=$(sql "$count"); c0=$(wsd_cpu); t0=$(date +%s.%N)
	read -r wr0 ww0 < <(sched "$wsd_pid"); read -r or0 ow0 < <(sched $others)
	read -r nr0 nw0 < <(sched $nginxes)
	local pgs pr0 pw0 pr1 pw1; pgs=$(pg_procs); read -r pr0 pw0 < <(sched $pgs)
	perf_pid=""
	if [ "${BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
		perf record -q -F 499 -g -p "$wsd_pid" -o "$FELT_VAR/log/perf-$tag.data" -- sleep "$seconds" \
			>/dev/null 2>&1 &
		perf_pid=$!
	fi
	sleep "$seconds"
	kill -USR1 "$bot_pid"; h1=$(sql "$count"); c1=$(wsd_cpu); t1=$(date +%s.%N)
	read -r wr1 ww1 < <(sched "$wsd_pid"); read -r or1 ow1 < <(sched $others)
	read -r nr1 nw1 < <(sched $nginxes)
	read -r pr1 pw1 < <(sched $pgs)
	sleep 0.5
	kill -INT "$bot_pid"; wait "$bot_pid" || true; bot_pid=""
	s0=$(grep 'snapshot' "$out" | sed -n 1p); s1=$(grep 'snapshot' "$out" | sed -n 2p)
	awk -v name="$name" -v h="$((h1 - h0))" -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" \
	    -v m="$(( $(field frames_in "$s1") + $(field frames_out "$s1") - $(field frames_in "$s0") - $(field frames_out "$s0") ))" \
	    -v a="$(( $(field actions "$s1") - $(field actions "$s0") ))" \
	    -v p50="$(field interval_latency_p50_us "$s1")" -v p99="$(field interval_latency_p99_us "$s1")" \
	    -v rss="$(wsd_mem VmRSS)" -v hwm="$(wsd_mem VmHWM)" 'BEGIN {
		t = t1 - t0; c = c1 - c0
		printf "%-28s %8.1f hands/s %9.0f msg/s %8.0f actions/s  p50 %6.2f ms  p99 %6.2f ms  felt-wsd CPU %3.0f %%  RSS %s MB (peak %s)\n",
		       name, h / t, m / t, a / t, p50 / 1000, p99 / 1000, 100 * c / t, rss, hwm }'
	awk -v t0="$t0" -v t1="$t1" -v wr=$((wr1 - wr0)) -v ww=$((ww1 - ww0)) -v r=$((or1 - or0)) \
	    -v w=$((ow1 - ow0)) 'BEGIN { t = (t1 - t0) * 1e6
		printf "    per second: felt-wsd %.0f ms on a CPU, %.0f ms waiting for one; felt-bot + nginx %.0f ms on, %.0f ms waiting\n",
		       wr / t, ww / t, r / t, w / t }'
	awk -v t0="$t0" -v t1="$t1" -v r="$(echo "$pr1 - $pr0" | bc)" -v w="$(echo "$pw1 - $pw0" | bc)" \
	    -v h="$((h1 - h0))" 'BEGIN { t = (t1 - t0) * 1e6
		printf "    PostgreSQL: %.0f ms on a CPU a second (%.2f ms a committed hand), %.0f ms waiting\n",
		       r / t, h ? r / 1e6 / h : 0, w / t }'
	# Where a hand's CPU goes, on the whole machine: the server's part (felt-wsd,
	# PostgreSQL, nginx) and the clients' (felt-bot). Money weighs on PostgreSQL's (the
	# ledger legs); the rest is the protocol's.
	awk -v h="$((h1 - h0))" -v wr=$((wr1 - wr0)) -v r=$((or1 - or0)) -v nr=$((nr1 - nr0)) \
	    -v pr="$(echo "$pr1 - $pr0" | bc)" 'BEGIN {
		if (!h) exit
		printf "    CPU a committed hand: felt-wsd %.1f ms, PostgreSQL %.1f ms, nginx %.1f ms (server %.1f ms); felt-bot %.1f ms\n",
		       wr / 1e6 / h, pr / 1e6 / h, nr / 1e6 / h, (wr + pr + nr) / 1e6 / h, (r - nr) / 1e6 / h }'
	echo "    felt-bot: $(tail -n 1 "$out" | cut -d' ' -f2-)"
	echo "    load average at the end of the window: $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ -n "$perf_pid" ]; then
		wait "$perf_pid" || true
		perf report -q --stdio --no-children -i "$FELT_VAR/log/perf-$tag.data" -g none \
			--percent-limit 2 2>/dev/null | grep -v '^$' | head -n 12 | sed 's/^/    perf: /' || true
	fi
}

echo "== t/bench/ws_play.sh $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   $agents connections / agents, $tables tables, ${seconds} s windows, felt-bot --strategy $strategy"
echo_line=$("$build/t/bench/ws_echo" load "ws://127.0.0.1:$FELT_HTTP_PORT/bench/ws-echo" "$agents" "$seconds" 400)
echo "$echo_line" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "%-28s %17.0f msg/s %8s rt/s      p50 %6.2f ms  p99 %6.2f ms  errors %s\n",
	       "echo through nginx (ceiling)", v["messages_per_s"], v["round_trips_per_s"],
	       v["rtt_p50_us"] / 1000, v["rtt_p99_us"] / 1000, v["errors"] }'
# Open Poker agents are funded before they play (felt-bot --register-only, then feltctl
# credit: $10 each, 5 buy-ins of 2,000 chips at 10 ucents a chip).
op_keys="$FELT_VAR/op.keys"
"$build/tools/felt-bot" --base "http://127.0.0.1:$FELT_HTTP_PORT" --protocol openpoker \
	--agents "$agents" --register-only --keys "$op_keys" --name bop \
	>"$FELT_VAR/log/bot-register.out" 2>"$FELT_VAR/log/bot-register.log"
while read -r _ _ op_name; do
	"$build/tools/feltctl" credit "$op_name" 10.00 --reason "ws_play.sh" >/dev/null
done <"$op_keys"
op_args=(--protocol openpoker --keys "$op_keys" --buy-in 2000)

# The /v1 and Open Poker runs alternate, so that the machine's load (shared) weighs on
# both alike.
play "/v1, durable" bdur
play "openpoker + money, durable" bopd "${op_args[@]}"
psql -X -q -d "$pg_super" -c "ALTER SYSTEM SET synchronous_commit = off" -c "SELECT pg_reload_conf()" >/dev/null
play "/v1, synchronous_commit=off" bsync
play "openpoker, sync_commit=off" bops "${op_args[@]}"
psql -X -q -d "$pg_super" -c "ALTER SYSTEM RESET synchronous_commit" -c "SELECT pg_reload_conf()" >/dev/null
if [ "${BENCH_REPEAT:-0}" = 1 ]; then
	play "/v1, durable (again)" bdur2
	play "openpoker + money (again)" bopd2 "${op_args[@]}"
fi
# Every chip of the Open Poker runs is accounted for: the ledger's invariant holds.
echo "accounting invariant after the runs: $(sql 'SELECT invariant_holds FROM accounting_invariant')"

if [ "$idle" -gt 0 ]; then
	idle_tables=$(( (idle + 9) / 10 ))
	before=$(wsd_mem VmRSS)
	# Joins at a pace felt-wsd keeps up with on this machine (BENCH_IDLE_RATE requests a
	# second): the figure is the memory of idle connections, not how fast they arrive.
	"$build/tools/felt-bot" --base "http://127.0.0.1:$FELT_HTTP_PORT" --agents "$idle" \
		--tables "$idle_tables" --idle --action-timeout-ms 3600000 --name bidle \
		--rate "${BENCH_IDLE_RATE:-100}" \
		>"$FELT_VAR/log/bot-idle.out" 2>"$FELT_VAR/log/bot-idle.log" &
	bot_pid=$!
	# until every agent is connected, or the count stops growing for a minute (then the
	# figure is what felt-wsd held), at most 20 minutes
	conns=0 best=0 still=0
	for i in $(seq 1 1200); do
		conns=$(ss -Htn state established "( sport = :$FELT_WSD_PORT )" | wc -l)
		[ "$conns" -ge "$idle" ] && break
		if [ "$conns" -gt "$best" ]; then best=$conns still=0; elif [ "$best" -gt 0 ]; then still=$((still + 1)); fi
		[ "$still" -ge 60 ] && break
		kill -0 "$bot_pid" 2>/dev/null || break
		sleep 1
	done
	sleep 5 # settle: every table dealt its first hand
	conns=$(ss -Htn state established "( sport = :$FELT_WSD_PORT )" | wc -l)
	printf '%-28s %d connections on felt-wsd, RSS %s MB before, %s MB after (peak %s MB)\n' \
		"idle" "$conns" "$before" "$(wsd_mem VmRSS)" "$(wsd_mem VmHWM)"
	if [ "${BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
		perf record -q -F 499 -g -p "$wsd_pid" -o "$FELT_VAR/log/perf-idle.data" -- sleep 10 \
			>/dev/null 2>&1 || true
		perf report -q --stdio --no-children -i "$FELT_VAR/log/perf-idle.data" -g none \
			--percent-limit 2 2>/dev/null | grep -v '^$' | head -n 8 | sed 's/^/    perf: /' || true
	fi
	kill -INT "$bot_pid"; wait "$bot_pid" || true; bot_pid=""
	echo "    felt-bot: $(tail -n 1 "$FELT_VAR/log/bot-idle.out" | cut -d' ' -f2-)"
fi
