#!/bin/bash
# t/bench/ledger_post.sh — posting throughput of the ledger (ledger_post as felt_app), and what
# the sealed ledger (sql/031) and the hash chain (sql/032) cost it. pgbench drives, in one run:
#   baseline   the ledger as it was before 031 and 032 (migrations 001-008, 030 and 050,
#              the names feltctl migrate needs)
#   sealed     every migration, nobody sealing
#   chained    every migration, the sealer running as felt-api runs it (ledger_seal()
#              every BENCH_SEAL_S seconds, batches of 5000), beside the posters
# each at full speed (BENCH_CLIENTS posters) and at a fixed 1,000 postings/s (latency), in
# BENCH_ROUNDS interleaved rounds. A posting is a two-leg hand settlement between two random
# agents' in-play accounts (2,000 agents), like felt-wsd's.
#
# Self-contained: a private PostgreSQL cluster in a temp directory (as postgres when root).
#   FELT_BUILD=/tmp/b-rel t/bench/ledger_post.sh       (a build with tools/feltctl)
#   environment: BENCH_SECONDS (20), BENCH_CLIENTS (4), BENCH_ROUNDS (3), BENCH_RATE (1000),
#                BENCH_SEAL_S (2), BENCH_SYNC (off: synchronous_commit for the cluster; with
#                "on" every posting waits for its WAL flush, which on a VM's disk is most of
#                the time measured, not the ledger's work)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FELT_BUILD:?set FELT_BUILD to a build directory}
seconds=${BENCH_SECONDS:-20}
clients=${BENCH_CLIENTS:-4}
rounds=${BENCH_ROUNDS:-3}
rate=${BENCH_RATE:-1000}
seal_s=${BENCH_SEAL_S:-2}
sync=${BENCH_SYNC:-off}
agents=2000

export FELT_TOP=$top FELT_BUILD=$build
. "$top/script/lib.sh"
bin=$(felt_pg_bindir)
make -C "$build" -s tools/feltctl >/dev/null

export FELT_VAR; FELT_VAR=$(mktemp -d /tmp/felt-bench.XXXXXX)
chmod 755 "$FELT_VAR"
export FELT_PG_PORT; FELT_PG_PORT=$(felt_free_port)
sealer=""
cleanup() {
	[ -n "$sealer" ] && kill "$sealer" 2>/dev/null || true
	felt_pg_stop
	rm -rf "$FELT_VAR"
}
trap cleanup EXIT INT TERM
felt_dirs
felt_pg_start
su="host=$FELT_VAR/pg port=$FELT_PG_PORT user=postgres dbname=postgres"
psql -X -q -d "$su" -c "ALTER SYSTEM SET synchronous_commit = $sync" -c "SELECT pg_reload_conf()" >/dev/null
db() { echo "host=$FELT_VAR/pg port=$FELT_PG_PORT user=$1 dbname=$2"; }

# Two databases: one migrated like main before the sealed ledger, one with everything.
mkdir -p "$FELT_VAR/sql-baseline"
for f in "$top"/sql/00[1-8]_*.sql "$top"/sql/030_*.sql "$top"/sql/050_*.sql; do ln -s "$f" "$FELT_VAR/sql-baseline/"; done
for d in baseline full; do
	psql -X -q -d "$su" -c "CREATE DATABASE bench_$d OWNER felt"
	dir="$top/sql"; [ $d = baseline ] && dir="$FELT_VAR/sql-baseline"
	FELT_SQL_DIR=$dir FELT_DB_OWNER=$(db felt bench_$d) "$build/tools/feltctl" migrate >/dev/null 2>&1
	# agents, funded and seated: every in-play account holds 10,000 USD
	psql -X -q -d "$(db felt bench_$d)" >/dev/null <<SQL
INSERT INTO agents (name) SELECT 'bench_' || i FROM generate_series(1, $agents) i;
SELECT count(ledger_post('buy_in', '{}', ARRAY[(SELECT id FROM accounts WHERE kind = 'deposits'), p.id],
                         ARRAY[-100000000, 100000000]))
  FROM accounts p WHERE p.kind = 'agent_in_play' AND p.agent_id <> '00000000-0000-0000-0000-000000000001';
SQL
	[ $d = full ] && FELT_DB=$(db felt_app bench_$d) "$build/tools/feltctl" seal >/dev/null
done

first=$(psql -X -At -d "$(db felt bench_full)" -c "SELECT min(id) FROM accounts WHERE kind = 'agent_in_play' AND agent_id <> '00000000-0000-0000-0000-000000000001'")
cat >"$FELT_VAR/post.sql" <<SQL
\set a $first + 2 * random(0, $((agents - 1)))
\set b $first + 2 * random(0, $((agents - 1)))
\set amount random(1, 500)
SELECT ledger_post('hand', '{"table":"bench","hand":1}', ARRAY[:a, :b]::bigint[], ARRAY[-(:amount)::bigint, :amount]::bigint[]);
SQL

# The sealer as felt-api runs it: one step every seal_s seconds, timed.
start_sealer() {
	( while :; do
		psql -X -q -At -d "$(db felt_app bench_full)" -c '\timing on' \
			-c 'SELECT ledger_seal(5000)' 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' >>"$FELT_VAR/seal.ms"
		sleep "$seal_s"
	  done ) &
	sealer=$!
}
stop_sealer() { kill "$sealer" 2>/dev/null || true; wait "$sealer" 2>/dev/null || true; sealer=""; }

# pgbench as felt_app; prints "tps avg_latency_ms p99_ms"
run() { # DB EXTRA_ARGS...
	local d=$1; shift
	"$bin/pgbench" -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$FELT_VAR/post.sql" \
		-r -l --log-prefix="$FELT_VAR/pgbench" "$@" "$(db felt_app bench_$d)" >"$FELT_VAR/out" 2>&1 ||
		{ cat "$FELT_VAR/out" >&2; exit 1; }
	local tps lat p99
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$FELT_VAR/out" | head -n 1)
	lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$FELT_VAR/out")
	p99=$(cat "$FELT_VAR"/pgbench.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.99)]/1000}')
	rm -f "$FELT_VAR"/pgbench.*
	echo "$tps $lat $p99"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $clients clients, ${seconds}s each, synchronous_commit=$sync"
printf '%-6s %-9s %12s %12s %10s\n' round config "tps(max)" "lat@${rate}/s" "p99@${rate}/s"
for r in $(seq 1 "$rounds"); do
	for cfg in baseline sealed chained; do
		d=full; [ $cfg = baseline ] && d=baseline
		[ $cfg = chained ] && start_sealer
		read -r tps _ _ < <(run $d)
		read -r _ lat p99 < <(run $d -R "$rate")
		[ $cfg = chained ] && stop_sealer
		printf '%-6s %-9s %12.0f %10.2f ms %7.2f ms\n' "$r" "$cfg" "$tps" "$lat" "$p99"
	done
done
n=$(psql -X -At -d "$(db felt bench_full)" -c "SELECT count(*), (SELECT count(*) FROM ledger_txns WHERE id > (SELECT coalesce(max(through_txn_id), 0) FROM ledger_seals)) FROM ledger_txns")
awk -v n="$n" '{s += $1; if ($1 > m) m = $1; c++} END {printf "sealer: %d steps, mean %.1f ms, max %.1f ms; txns, unsealed at the end: %s\n", c, s / c, m, n}' "$FELT_VAR/seal.ms"
FELT_DB=$(db felt_app bench_full) "$build/tools/feltctl" seal >/dev/null
t0=$(date +%s.%N)
FELT_DB=$(db felt_app bench_full) "$build/tools/feltctl" audit | grep -E '^(ledger|audit):'
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN {printf "feltctl audit: %.1f s\n", b - a}'
t0=$(date +%s.%N)
psql -X -At -d "$(db felt_app bench_full)" -c 'SELECT intact, sealed_txns FROM ledger_verify()'
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN {printf "ledger_verify(): %.1f s\n", b - a}'
