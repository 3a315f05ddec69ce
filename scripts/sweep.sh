#!/usr/bin/env bash
# Seed sweep: run one scenario variant over N seeds and print how many runs
# met the expectation, with the median time to the first violation.
#   scripts/sweep.sh SCENARIO VARIANT SEEDS DURATION [extra ./stress options]
# Example: scripts/sweep.sh invlpg-defer clear-after-request 20 20s --expect violation
set -u
[ $# -ge 4 ] || { echo "usage: $0 SCENARIO VARIANT SEEDS DURATION [options]" >&2; exit 2; }
scenario=$1 variant=$2 seeds=$3 duration=$4
shift 4
stress=${STRESS:-./stress}
ok=0 times=()
for seed in $(seq 1 "$seeds"); do
	out=$("$stress" --scenario "$scenario" --variant "$variant" --seed "$seed" \
		--duration "$duration" -q "$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && ok=$((ok + 1))
	[ $rc -ge 2 ] && { echo "seed $seed: exit $rc" >&2; echo "$out" | tail -5 >&2; }
	t=$(printf '%s\n' "$out" | sed -n 's/^First violation after \([0-9.]*\) s.*/\1/p')
	[ -n "$t" ] && times+=("$t")
done
median=-
if [ ${#times[@]} -gt 0 ]; then
	median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
fi
echo "$scenario/$variant: $ok/$seeds as expected; violations in ${#times[@]} runs, median time to first ${median}s"
