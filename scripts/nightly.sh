#!/usr/bin/env bash
# The nightly job: every scenario and variant in free mode, then under
# ThreadSanitizer, each for DURATION (default 60s), with JSON reports in
# OUT_DIR (default nightly-out). Exits non-zero if any run was not as
# expected or TSan reported on a fixed variant.
set -u
cd "$(dirname "$0")/.."
dur=${DURATION:-60s}
out=${OUT_DIR:-nightly-out}
mkdir -p "$out"
status=0
./stress --scenario all --duration "$dur" --seed "${SEED:-$(date +%s)}" \
	--report "$out/free.json" | tee "$out/free.log" || status=1
export TSAN_OPTIONS="halt_on_error=0 exitcode=66"
while read -r scenario variant kind; do
	log="$out/tsan-$scenario-$variant.log"
	./stress-tsan --scenario "$scenario" --variant "$variant" --duration "$dur" -q \
		--keep-going >"$log" 2>&1
	if grep -q 'WARNING: ThreadSanitizer' "$log"; then
		tsan=race
	else
		tsan=silent
	fi
	echo "tsan $scenario/$variant ($kind): $tsan"
	[ "$kind" = fixed ] && [ "$tsan" = race ] && status=1
done < <(./stress --list | awk '/^[a-z]/ {s=$1} /^    [a-z]/ && ($2=="fixed"||$2=="buggy") {print s, $1, $2}')
exit $status
