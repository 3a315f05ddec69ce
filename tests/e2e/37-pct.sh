# PCT: every buggy variant whose descriptor states it is caught under pct is
# caught in at least 19 of 20 seeds within 10 s each, at the depth --list
# states, under the weakest memory model it needs. The rows come from --list,
# so a descriptor that claims pct is held to it.
pct_rows() {
	./stress --list | awk '
		/^[a-z]/ { scenario = $1 }
		/^    [a-z]/ && ($2 == "buggy" || $2 == "fixed") { variant = $1; memory = "sc" }
		/memory: can show from --memory/ { memory = $6 }
		/pct: stated caught from --sched/ { print scenario, variant, $6, memory }'
}
rows=$(pct_rows)
if [ -n "$rows" ]; then
	pass "pct-rows-listed ($(echo "$rows" | wc -l) variants)"
else
	fail pct-rows-listed "--list states no variant caught under pct"
fi
while read -r scenario variant sched memory; do
	[ -n "$scenario" ] || continue
	seeds_meet "pct-$scenario-$variant-caught-$sched-$memory" 19 20 --scenario "$scenario" \
		--variant "$variant" --sched "$sched" --memory "$memory" --duration 10s
done <<<"$rows"
