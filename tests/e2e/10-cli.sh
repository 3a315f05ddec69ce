# Command line: help, list, and every kind of bad input exits 2 with a
# message naming the bad value.
expect_exit cli-help 0 ./stress --help
expect_output cli-help-lists-scenario '--scenario NAME'
expect_exit cli-version 0 ./stress --version
expect_output cli-version-text '^lostflush [0-9]'
expect_exit cli-list 0 ./stress --list
for v in fixed plain-flag clear-after-request notifier-ignores-flag fixed-counter counter-reset \
	late-snapshot missing-wmb nonatomic-inc; do
	expect_output "cli-list-has-$v" "^ +$v "
done
expect_output cli-list-missing-wmb-why 'store buffers'

expect_exit cli-no-scenario 2 ./stress
expect_output cli-no-scenario-names 'scenarios: all, invlpg-defer'
expect_exit cli-unknown-scenario 2 ./stress --scenario nosuch
expect_output cli-unknown-scenario-named "'nosuch' is unknown"
expect_exit cli-unknown-variant 2 ./stress --scenario invlpg-defer --variant nosuch
expect_output cli-unknown-variant-lists 'variants: all, fixed, plain-flag'
expect_exit cli-bad-duration 2 ./stress --scenario invlpg-defer --duration 10x
expect_output cli-bad-duration-named "'10x' is not allowed"
expect_exit cli-zero-duration 2 ./stress --scenario invlpg-defer --duration 0s
expect_exit cli-vcpus-zero 2 ./stress --scenario invlpg-defer --vcpus 0
expect_output cli-vcpus-zero-range "'0' is not allowed: give a whole number from 1 to 64"
expect_exit cli-vcpus-huge 2 ./stress --scenario invlpg-defer --vcpus 100000
expect_exit cli-unknown-option 2 ./stress --scenario invlpg-defer --frobnicate
expect_output cli-unknown-option-named "unknown option '--frobnicate'"
expect_exit cli-missing-value 2 ./stress --scenario
expect_exit cli-bad-expect 2 ./stress --scenario invlpg-defer --expect maybe
expect_exit cli-bad-perturb 2 ./stress --scenario invlpg-defer --perturb spin=3
expect_exit cli-bad-workload 2 ./stress --scenario invlpg-defer --workload bogus=1
expect_exit cli-hot-over-gfns 2 ./stress --scenario invlpg-defer --gfns 64 --hot-gfns 100
expect_exit cli-stray-arg 2 ./stress --scenario invlpg-defer extra
rm -rf "$out_dir/no-such-dir"
expect_exit cli-report-unwritable 2 ./stress --scenario invlpg-defer --duration 1s \
	--report "$out_dir/no-such-dir/r.json"
expect_output cli-report-unwritable-named "cannot be written"
if [ -e "$out_dir/no-such-dir" ]; then
	fail cli-report-unwritable-nothing-written "something was created"
else
	pass cli-report-unwritable-nothing-written
fi
expect_exit cli-sched-free 0 ./stress --scenario invlpg-defer --sched free --duration 200ms --seed 1
expect_exit cli-sched-unknown 2 ./stress --scenario invlpg-defer --sched fair
expect_output cli-sched-unknown-named "'fair' is not allowed: use free, random, pct, pct:D \\(D from 1 to 8\\), pct:D:K \\(K from 1 to 1000000\\) or cover"
