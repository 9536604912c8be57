#!/bin/sh
# t/bench/health_full.sh — GET /health on a big ledger. /health reconciles from the
# maintained account balances (one pass over accounts); /api/accounting still recomputes
# from every ledger entry (the accounting_invariant view), which is what /health did
# before. In one run: fill the ledger up to BENCH_TXNS txns (spread over BENCH_AGENTS
# agents, adjustments of 1 ucent, posted through ledger_post), then time both
# reconciliation statements with pgbench on the same database, then GET /health through
# nginx with wrk, beside GET /health/live as the ceiling.
#
# Needs a running stack built WITHOUT sanitizers (script/server --background), wrk
# (Debian package wrk), pgbench (PostgreSQL's), and the owner's conninfo in
# FELT_DB_OWNER (the bench agents and txns are written as the owner; they stay).
#
#   t/bench/health_full.sh [BASE_URL]      default http://127.0.0.1:${FELT_HTTP_PORT:-8080}
#   environment: BENCH_TXNS (200000), BENCH_AGENTS (1000), BENCH_DURATION (10s),
#                BENCH_CONNECTIONS (8)
set -eu

base=${1:-http://127.0.0.1:${FELT_HTTP_PORT:-8080}}
txns=${BENCH_TXNS:-200000}
agents=${BENCH_AGENTS:-1000}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-8}
db=${FELT_DB_OWNER:?health_full.sh: set FELT_DB_OWNER to the owner conninfo}
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)

command -v wrk >/dev/null || { echo "health_full.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$pgbench" ] || { echo "health_full.sh: pgbench not found" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/health" || true)
[ "$code" = 200 ] || { echo "health_full.sh: $base/health answered $code, is the stack running?" >&2; exit 1; }

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

# The ledger up to $txns txns, 20,000 per transaction.
q "INSERT INTO agents (name) SELECT 'bench_health_' || g FROM generate_series(1, $agents) g
   WHERE NOT EXISTS (SELECT 1 FROM agents WHERE name = 'bench_health_' || g)" >/dev/null
have=$(q "SELECT count(*) FROM ledger_txns")
while [ "$have" -lt "$txns" ]; do
	n=$((txns - have)); [ "$n" -le 20000 ] || n=20000
	q "SELECT ledger_post('adjustment', '{\"bench\": \"health_full\"}',
	     ARRAY[(SELECT id FROM accounts WHERE kind = 'adjustments'), b.id], ARRAY[-1, 1]::bigint[])
	   FROM generate_series(1, $n) g
	   JOIN accounts b ON b.kind = 'agent_balance' AND b.agent_id =
	     (SELECT id FROM agents WHERE name = 'bench_health_' || (1 + g % $agents))" >/dev/null
	have=$(q "SELECT count(*) FROM ledger_txns")
done
echo "ledger: $have txns, $(q "SELECT count(*) FROM ledger_entries") entries," \
	"$(q "SELECT count(*) FROM accounts") accounts  ($(nproc) cores, $(uname -m))"

# The two reconciliations, each as its only statement, on the same data.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/raw.sql" <<'EOF'
SELECT invariant_holds, total_balance_ucents, total_in_play_ucents, total_pending_withdrawals_ucents, drift_ucents, balance_drift_ucents FROM accounting_invariant;
EOF
cat >"$dir/maintained.sql" <<'EOF'
SELECT coalesce(sum(balance_ucents), 0) = 0, coalesce(sum(balance_ucents) FILTER (WHERE kind = 'agent_balance'), 0)::bigint, coalesce(sum(balance_ucents) FILTER (WHERE kind = 'agent_in_play'), 0)::bigint, coalesce(sum(balance_ucents) FILTER (WHERE kind = 'withdrawals_pending'), 0)::bigint, (-coalesce(sum(balance_ucents), 0))::bigint FROM accounts;
EOF
sql_run() { # sql_run NAME FILE: pgbench, 1 client, one summary line
	out=$("$pgbench" -n -c 1 -T "${duration%s}" -f "$2" "$db" 2>&1)
	tps=$(echo "$out" | awk '/^tps/ {print $3; exit}')
	lat=$(echo "$out" | awk '/^latency average/ {print $4 " " $5}')
	printf '%-34s %10s per s   latency %s\n' "$1" "$tps" "$lat"
}
sql_run "SQL: ledger recompute (before)" "$dir/raw.sql"
sql_run "SQL: maintained balances (now)" "$dir/maintained.sql"

run() { # run NAME PATH: one wrk run, one summary line
	out=$(wrk -t2 -c"$conns" -d"$duration" --latency "$base$2")
	rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
	printf '%-34s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "${errs:-no errors}"
}
echo "wrk -t2 -c$conns -d$duration"
run "felt-api /health/live" /health/live
run "felt-api /health" /health
