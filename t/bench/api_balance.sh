#!/bin/sh
# t/bench/api_balance.sh — authenticated GET /api/balance through nginx, measured in the
# same run as t/bench/fcgi_baseline (bare threaded FastCGI + one prepared query, no
# routing, auth or logging) behind the same nginx, so felt-api's figure reads against
# the floor of "FastCGI + PostgreSQL" on this machine.
#
# Self-contained: starts its own felt-api, baseline and nginx (private temp directory,
# free port) against FELT_DB, a migrated database (script/server's or script/test's),
# registers and credits one agent, runs wrk, stops everything.
#
#   FELT_BUILD=/tmp/b-rel FELT_DB='host=... dbname=felt' t/bench/api_balance.sh
#   FELT_BUILD: a build WITHOUT sanitizers; the baseline is built there on demand.
#   environment: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (64),
#                BENCH_ROUNDS (2), FELT_API_THREADS (8, also used for the baseline)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FELT_BUILD:?set FELT_BUILD to a non-sanitizer build directory}
: "${FELT_DB:?set FELT_DB to the conninfo of a migrated felt database}"
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-64}
rounds=${BENCH_ROUNDS:-2}
workers=${FELT_API_THREADS:-8}

command -v wrk >/dev/null || { echo "api_balance.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
make -C "$build" -s cgi/felt-api tools/feltctl t/bench/fcgi_baseline >/dev/null

tmp=$(mktemp -d /tmp/felt-bench.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/tmp"
pids=""
cleanup() {
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
base="http://127.0.0.1:$port"

FELT_API_SOCKET="$tmp/api.sock" FELT_API_THREADS=$workers FELT_PUBLIC_URL=$base \
	"$build/cgi/felt-api" >"$tmp/api.log" 2>&1 &
pids="$pids $!"

user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
cat >"$tmp/nginx.conf" <<CONF
$user_line
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $tmp/tmp/body;
	fastcgi_temp_path $tmp/tmp/fastcgi;
	proxy_temp_path $tmp/tmp/proxy;
	uwsgi_temp_path $tmp/tmp/uwsgi;
	scgi_temp_path $tmp/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		location / { include $top/nginx/fastcgi.conf; fastcgi_pass unix:$tmp/api.sock; }
		location = /baseline { include $top/nginx/fastcgi.conf; fastcgi_pass unix:$tmp/base.sock; }
	}
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log"

i=0
until curl -fsS -o /dev/null "$base/health/live" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$tmp/api.log" >&2; echo "api_balance.sh: felt-api did not start" >&2; exit 1; }
	sleep 0.1
done

name="bench_$(date +%s)_$$"
reg=$(curl -fsS -X POST -H 'content-type: application/json' \
	-d "{\"name\":\"$name\",\"email\":\"$name@example.com\"}" "$base/api/register")
key=$(echo "$reg" | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
agent=$(echo "$reg" | sed -n 's/.*"agent_id":"\([^"]*\)".*/\1/p')
[ -n "$key" ] && [ -n "$agent" ] || { echo "api_balance.sh: registration failed: $reg" >&2; exit 1; }
"$build/tools/feltctl" credit "$agent" 25.00 --reason "api_balance.sh benchmark" >/dev/null

"$build/t/bench/fcgi_baseline" "$tmp/base.sock" "$agent" "$workers" >"$tmp/base.log" 2>&1 &
pids="$pids $!"
i=0
until curl -fsS -o /dev/null "$base/baseline" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$tmp/base.log" >&2; echo "api_balance.sh: baseline did not start" >&2; exit 1; }
	sleep 0.1
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$base/api/balance")
[ "$code" = 200 ] || { echo "api_balance.sh: /api/balance answered $code" >&2; exit 1; }

run() { # run NAME PATH [wrk args]: one wrk run, one summary line
	name=$1 path=$2; shift 2
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$@" "$base$path")
	rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
	printf '%-26s %10s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "${errs:-no errors}"
}

echo "wrk -t$threads -c$conns -d$duration  ($(nproc) cores, $(uname -m)), $workers FastCGI threads each"
r=0
while [ $r -lt "$rounds" ]; do
	run "baseline (1 prepared query)" /baseline
	run "felt-api GET /api/balance" /api/balance -H "Authorization: Bearer $key"
	[ -z "${BENCH_LIVE:-}" ] || run "felt-api /health/live" /health/live
	r=$((r + 1))
done
