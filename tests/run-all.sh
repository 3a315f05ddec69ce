#!/usr/bin/env bash
# make check: unit tests (cmocka), then end-to-end runs of ./stress,
# ./stress-tsan and ./stress-asan. Ends with the line "N passed, N failed".
#   tests/run-all.sh           every suite
#   tests/run-all.sh --quick   unit tests and the suites that take seconds
#                              (make check-quick), without the sanitizer builds
#   tests/run-all.sh --suite S one end-to-end suite (S: 46-hardening)
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# The quick tier: the command line, reports, replays and bad input.
quick_suites="05-layering 06-docs 07-format 10-cli 20-report 21-ci-reports 55-nightly 56-nightly-diff 43-replays 47-bad-input 57-litmus"
quick=
[ "${1:-}" = --quick ] && quick=1
only=
[ "${1:-}" = --suite ] && only=${2:?--suite needs a suite name}

echo "== unit tests (cmocka)"
for t in build/tests/test_*; do
	[ -x "$t" ] && [ -z "$only" ] || continue
	"$t" >"$out_dir/$(basename "$t").log" 2>&1
	n_ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out_dir/$(basename "$t").log")
	n_bad=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out_dir/$(basename "$t").log")
	passed=$((passed + ${n_ok:-0}))
	failed=$((failed + ${n_bad:-0}))
	if [ -z "$n_ok$n_bad" ]; then
		fail "$(basename "$t")" "crashed or printed no cmocka summary"
	fi
	echo "$(basename "$t"): ${n_ok:-0} passed, ${n_bad:-0} failed"
	grep '^\[  FAILED  \] [a-z]' "$out_dir/$(basename "$t").log" || true
done

for suite in tests/e2e/*.sh; do
	suite_name=$(basename "$suite" .sh)
	[ -z "$quick" ] || [[ " $quick_suites " == *" $suite_name "* ]] || continue
	[ -z "$only" ] || [ "$only" = "$suite_name" ] || continue
	echo "== $suite_name"
	suite_start=$SECONDS
	# A suite bash cannot parse would stop where the error is, its later
	# checks never run and never counted: that is a failure of its own.
	if ! syntax=$(bash -n "$suite" 2>&1); then
		fail "$suite_name-parses" "$syntax"
		continue
	fi
	. "$suite"
	echo "-- $suite_name: $((SECONDS - suite_start)) s"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
