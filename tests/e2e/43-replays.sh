# Hand-written schedules (scenarios/replays/): the deep races the seeded
# schedulers do not reach in seconds, each one a file that replays exactly.
# Each must fail as the variant it names, with the same trace hash every
# time and through the report it writes, and the fixed counter form must
# survive the very same decisions. --expect still overrides: the bug is
# reported as not as expected when told to be clean.
for f in scenarios/replays/*.json; do
	name=replays-$(basename "$f" .json)
	expect_exit "$name-fails" 0 ./stress --replay "$f"
	expect_output "$name-is-a-lost-flush" '^!!! stale-tlb-after-free'
	first=$(grep -o 'trace hash [0-9a-f]*' <<<"$last_out")
	expect_exit "$name-again" 0 ./stress --replay "$f" --report "$out_dir/$name.json"
	if [ -n "$first" ] && [ "$(grep -o 'trace hash [0-9a-f]*' <<<"$last_out")" = "$first" ]; then
		pass "$name-same-hash ($first)"
	else
		fail "$name-same-hash" "first '$first', then '$(grep -o 'trace hash [0-9a-f]*' <<<"$last_out")'"
	fi
	expect_exit "$name-report-replays" 0 ./stress --replay "$out_dir/$name.json"
	expect_output "$name-report-same-hash" "$first"
	# A fixed variant is expected clean without being told.
	expect_exit "$name-fixed-survives" 0 ./stress --replay "$f" --variant fixed-counter
	expect_output "$name-fixed-expected-clean" 'fixed-counter: clean .*expected clean'
done
expect_exit replays-expect-overrides 1 ./stress --replay \
	scenarios/replays/invlpg-defer-counter-reset.json --expect clean
# --timeline shows a clean execution whole, so a schedule can be written by
# reading one.
expect_exit replays-timeline-clean 0 ./stress --replay scenarios/replays/invlpg-defer-counter-reset.json \
	--variant fixed-counter --expect clean --timeline
expect_output replays-timeline-shows-it 'the last execution \(1\), one column per thread'
expect_output replays-timeline-has-every-thread 'v0 +v1 +N +F +Z'
expect_exit replays-timeline-needs-controlled 2 ./stress --scenario invlpg-defer --timeline
expect_output replays-timeline-says-why '--timeline needs --sched random, pct or cover'
expect_exit replays-no-scenario-with-replay 2 ./stress \
	--replay scenarios/replays/invlpg-defer-counter-reset.json --scenario invlpg-defer
expect_output replays-says-variant-allowed 'the replay takes it from the report \(with it: --variant'
expect_exit replays-unknown-variant 2 ./stress \
	--replay scenarios/replays/invlpg-defer-counter-reset.json --variant nope
