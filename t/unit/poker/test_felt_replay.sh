#!/bin/sh
# felt-replay end to end: one JSON line per hand, --check verdicts, the closing
# "N passed, N failed" line and the exit status; then the oracle sample if
# ../shared (or $FELT_SHARED) is there.
set -u
bin=./tools/felt-replay
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/two.phhs" <<'PHH'
[a]
variant = 'NT'
ante_trimming_status = false
antes = [0, 0]
blinds_or_straddles = [2, 5]
min_bet = 5
starting_stacks = [462, 155]
actions = ['d dh p1 4c5d', 'd dh p2 4s5s', 'p2 f']
finishing_stacks = [464, 153]

[b]
variant = 'NT'
antes = [0, 0, 0]
blinds_or_straddles = [1, 2, 0]
min_bet = 2
starting_stacks = [100, 100, 100]
actions = ['d dh p1 AsAd', 'd dh p2 KsKd', 'd dh p3 QsQd', 'p1 cc']
finishing_stacks = [100, 100, 100]
PHH

"$bin" --check "$tmp/two.phhs" > "$tmp/out"
status=$?
[ "$status" -eq 1 ] || fail "exit status $status, want 1 (one hand fails)"
grep -qxF '{"id": "a", "final_stacks": [464, 153], "won": [4, 0], "pots": [{"amount": 4, "eligible": [0]}], "rake": 0, "check": "passed"}' "$tmp/out" \
	|| fail "hand a: $(cat "$tmp/out")"
grep -q '^{"id": "b", .*"check": "failed", "line": 17, "error": "p1: not your turn"}$' "$tmp/out" \
	|| fail "hand b: $(cat "$tmp/out")"
[ "$(tail -n 1 "$tmp/out")" = "1 passed, 1 failed" ] || fail "summary: $(tail -n 1 "$tmp/out")"

"$bin" "$tmp/missing.phh" > /dev/null 2>&1 && fail "a missing file must fail"

# A rake the engine would refuse is a usage error before any hand, not a
# configuration error in every hand.
for bad in "--rake -5" "--rake 10001" "--rake 5x" "--rake-cap -1" "--rake-cap 1e3"; do
	# shellcheck disable=SC2086 # $bad is an option and its value
	"$bin" $bad "$tmp/two.phhs" > "$tmp/out" 2> "$tmp/err"
	status=$?
	[ "$status" -eq 2 ] || fail "$bad: exit status $status, want 2"
	[ -s "$tmp/out" ] && fail "$bad: replayed hands: $(cat "$tmp/out")"
	grep -q "^felt-replay: ${bad% *} '${bad#* }': want a whole number from 0 to " "$tmp/err" \
		|| fail "$bad: message: $(cat "$tmp/err")"
done
# A cap means nothing without a rake: refused, not silently "no rake".
"$bin" --rake-cap 3 "$tmp/two.phhs" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 2 ] || fail "--rake-cap without --rake: want exit 2"
[ -s "$tmp/out" ] && fail "--rake-cap without --rake replayed hands"
grep -qx "felt-replay: --rake-cap needs --rake" "$tmp/err" || fail "--rake-cap alone: $(cat "$tmp/err")"

# The command-line convention of every felt program (lib/core/cli.h).
"$bin" --help > "$tmp/out" 2> "$tmp/err" || fail "--help: exit status $?, want 0"
for opt in --check "-q, --quiet" "--rake BP" "--rake-cap CHIPS" --version; do
	grep -q -- "^  $opt " "$tmp/out" || fail "--help does not document $opt: $(cat "$tmp/out")"
done
grep -q "(default: 0)" "$tmp/out" || fail "--help: no defaults"
"$bin" --version > "$tmp/out" || fail "--version: exit status $?"
grep -q "^felt-replay (felt) [0-9]" "$tmp/out" || fail "--version: $(cat "$tmp/out")"
"$bin" --bogus "$tmp/two.phhs" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 2 ] || fail "--bogus: want exit 2"
[ "$(head -n 1 "$tmp/err")" = "felt-replay: unknown option '--bogus'" ] || fail "--bogus: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/err")" -eq 2 ] || fail "--bogus: want the message and one hint line: $(cat "$tmp/err")"
"$bin" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "no file: want exit 2"
"$bin" --rake 10000 --rake-cap 3 "$tmp/two.phhs" > "$tmp/out"
grep -qxF '{"id": "a", "final_stacks": [464, 153], "won": [4, 0], "pots": [{"amount": 4, "eligible": [0]}], "rake": 0}' "$tmp/out" \
	|| fail "--rake 10000 --rake-cap 3: $(cat "$tmp/out")"

shared=${FELT_SHARED:-${srcdir:-.}/../shared}
[ -f "$shared/oracle/sample_1000.phhs" ] || { echo "SKIP: no $shared/oracle"; exit 77; }
last=$("$bin" --check --quiet "$shared/oracle/sample_1000.phhs" | tail -n 1)
[ "$last" = "1000 passed, 0 failed" ] || fail "oracle: $last"
echo "PASS"
