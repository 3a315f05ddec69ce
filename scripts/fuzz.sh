#!/usr/bin/env bash
# Run each libFuzzer target for SECONDS on a copy of its seed corpus
# (tests/fuzz/corpus/<name>): new inputs go to the copy, never into the
# tree; a crash leaves its input in build-asan/fuzz/findings/.
#   scripts/fuzz.sh SECONDS TARGET...
# Prints one line per target; exits 1 if any found something.
set -u
seconds=$1
shift
cd "$(dirname "$0")/.."
findings=build-asan/fuzz/findings
mkdir -p "$findings"
status=0
for target in "$@"; do
	name=$(basename "$target")
	seed=tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d)
	log=build-asan/fuzz/$name.log
	# -timeout: an input that runs for 20 s is a hang; -rss_limit_mb: one
	# that needs 2 GB is a leak or a missing bound.
	ASAN_OPTIONS=detect_leaks=1 "$target" -max_total_time="$seconds" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/$name-" \
		"$work" "$seed" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "$name: ${runs:-?} inputs in ${seconds}s, ${cov:-cov: ?}, no finding"
	else
		echo "$name: FINDING (exit $rc): see $log and $findings/"
		status=1
	fi
	rm -rf "$work"
done
exit $status
