# The harness's own proof on invlpg-defer: fixed variants run clean for 20
# seeds; the buggy ones are caught in at least 19 of 20 seeds within 20 s.
seeds_meet invlpg-defer-fixed-clean 20 20 --scenario invlpg-defer --variant fixed \
	--duration 5s --expect clean
seeds_meet invlpg-defer-fixed-counter-clean 20 20 --scenario invlpg-defer \
	--variant fixed-counter --duration 5s --expect clean
for v in notifier-ignores-flag clear-after-request late-snapshot plain-flag; do
	seeds_meet "invlpg-defer-$v-caught" 19 20 --scenario invlpg-defer --variant "$v" \
		--duration 20s --expect violation
done
# missing-wmb needs store buffers: free mode reports it as not judged, and
# must not claim a catch or fail on it.
expect_exit invlpg-defer-missing-wmb-not-judged 0 ./stress --scenario invlpg-defer \
	--variant missing-wmb --duration 2s --seed 1
expect_output invlpg-defer-missing-wmb-says-why 'expected not-judged: needs modelled store buffers'
