#!/bin/sh
# t/bench/health_live.sh — throughput of felt-api's GET /health/live through nginx,
# measured in the same run as nginx answering by itself (location = /bench/nginx-200),
# so the figure for felt-api reads against what nginx alone can do on this machine.
#
# Needs a running stack built WITHOUT sanitizers whose nginx has the benchmark location
# (FELT_NGINX_BENCH=1 script/server --background; script/test's has it too), and wrk.
#
#   t/bench/health_live.sh [BASE_URL]      default http://127.0.0.1:${FELT_HTTP_PORT:-8080}
#   environment: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (64)
set -eu

base=${1:-http://127.0.0.1:${FELT_HTTP_PORT:-8080}}
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-64}

command -v wrk >/dev/null || { echo "health_live.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
for path in /bench/nginx-200 /health/live; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path" || true)
	[ "$code" = 200 ] || { echo "health_live.sh: $base$path answered $code; is the stack running, with FELT_NGINX_BENCH=1?" >&2; exit 1; }
done

run() { # run NAME PATH: one wrk run, one summary line
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$base$2")
	rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
	printf '%-22s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "${errs:-no errors}"
}

echo "wrk -t$threads -c$conns -d$duration  ($(nproc) cores, $(uname -m))"
run "nginx return 200" /bench/nginx-200
run "felt-api /health/live" /health/live
