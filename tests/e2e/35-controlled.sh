# Controlled scheduling (one thread at a time, seeded): a failing execution
# replays exactly. (Fixed variants clean under random and pct: 36-memory;
# the variants stated as caught under them: 25-claims.)

# Replay: the printed --execution line gives the same violation, after the
# same number of schedule points, with the same trace hash (every step of
# every thread), a hundred times out of a hundred.
./stress --scenario invlpg-defer --variant late-snapshot --sched random --seed 1 \
	--executions 500000 --duration 300s >"$out_dir/replay-first.log" 2>&1
replay=$(sed -n 's/^Replay: //p' "$out_dir/replay-first.log")
want=$(grep -E '^!!! stale|^Failing execution' "$out_dir/replay-first.log" | head -2)
same=0
if [ -n "$replay" ] && [ -n "$want" ]; then
	for i in $(seq 1 100); do
		got=$($replay 2>&1 | grep -E '^!!! stale|^Failing execution' | head -2)
		[ "$got" = "$want" ] && same=$((same + 1))
	done
fi
if [ $same -eq 100 ]; then
	pass "controlled-replay-is-exact (100 of 100 replays: $(echo "$want" | tail -1))"
else
	fail controlled-replay-is-exact "$same of 100 replays matched (see $out_dir/replay-first.log)"
fi
rm -f "$out_dir/replay.json"
$replay --report "$out_dir/replay.json" >/dev/null 2>&1
if python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; h=sys.argv[2]; assert r["trace_hash"] in h and r["failing_execution"] >= 0, r' \
	"$out_dir/replay.json" "$want" 2>/dev/null; then
	pass controlled-report-has-trace-hash
else
	fail controlled-report-has-trace-hash "see $out_dir/replay.json"
fi
# Under TSan the hand-off between threads is a proper synchronisation: the
# fixed variants stay silent in controlled mode too.
TSAN_OPTIONS="exitcode=66" ./stress-tsan --scenario invlpg-defer --variant fixed \
	--sched random --duration 2s --seed 3 -q >"$out_dir/tsan-controlled.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q ThreadSanitizer "$out_dir/tsan-controlled.log"; then
	pass tsan-controlled-fixed-silent
else
	fail tsan-controlled-fixed-silent "exit $rc (log: $out_dir/tsan-controlled.log)"
fi
expect_exit controlled-bad-depth 2 ./stress --scenario invlpg-defer --sched pct:99
expect_output controlled-bad-depth-named "'pct:99' is not allowed: .*D from 1 to 8"
for bad in bounded:x bounded: bounded:65 bounded:-1 boundedx bounded:2:3 posx surw:1; do
	expect_exit "controlled-bad-sched-$bad" 2 ./stress --scenario invlpg-defer --sched "$bad"
	expect_output "controlled-bad-sched-$bad-named" "'$bad' is not allowed: .*bounded:K \\(K from 0 to 64\\)"
done
# pos, surw and bounded:K run a fixed variant clean, and are judged so;
# bounded says how far it got.
for s in pos surw bounded:1; do
	expect_exit "controlled-$s-fixed-clean" 0 ./stress --scenario invlpg-defer --variant fixed \
		--sched "$s" --executions 3000 --seed 1
done
expect_output controlled-bounded-says-how-far '^Bounded: '
# Their failing executions replay from the report to the same trace hash:
# pos by its index, surw (whose weights come from the run's first
# execution) and bounded by the decisions the report carries.
for s in pos surw bounded:1; do
	rm -f "$out_dir/replay-$s.json"
	./stress --scenario invlpg-defer --variant notifier-ignores-flag --sched "$s" --seed 1 \
		--executions 200000 --duration 300s --report "$out_dir/replay-$s.json" \
		>"$out_dir/replay-$s.log" 2>&1
	want=$(grep '^Failing execution' "$out_dir/replay-$s.log" | sed 's/.*trace hash //')
	expect_exit "controlled-$s-replay" 0 ./stress --replay "$out_dir/replay-$s.json" -q
	if [ -n "$want" ] && grep -q "trace hash $want" <<<"$last_out"; then
		pass "controlled-$s-replay-same-hash ($want)"
	else
		fail "controlled-$s-replay-same-hash" "wanted trace hash '${want:-none}' (log: $out_dir/replay-$s.log)"
	fi
done
# And --minimize shrinks each: its replays must draw the workers' seeds
# the failing execution drew (a bounded search's all come from execution
# 0's), or the baseline does not reproduce and the harness dies (exit 4).
for s in pos surw bounded:1; do
	expect_exit "controlled-$s-minimize" 0 ./stress --scenario invlpg-defer \
		--variant notifier-ignores-flag --sched "$s" --seed 1 --executions 200000 \
		--duration 300s --minimize -q
	expect_output "controlled-$s-minimized" '^!!! minimized in [0-9]+ replays'
done
# --replay FILE.json runs the report's failing execution again, options and
# all (here a --workload override), and finds the same trace hash.
rm -f "$out_dir/replay-src.json"
./stress --scenario invlpg-defer --variant clear-after-request --sched random --seed 3 \
	--workload invlpg=0.2 --executions 500000 --duration 300s -q \
	--report "$out_dir/replay-src.json" \
	>"$out_dir/replay-src.log" 2>&1
want=$(grep '^Failing execution' "$out_dir/replay-src.log")
expect_exit controlled-replay-from-report 0 ./stress --replay "$out_dir/replay-src.json" -q
if [ -n "$want" ] && grep -qF -- "$want" <<<"$last_out"; then
	pass "controlled-replay-from-report-same-hash"
else
	fail controlled-replay-from-report-same-hash "wanted '$want'"
fi
expect_exit controlled-replay-needs-failure 2 ./stress --replay "$out_dir/caught.json"
expect_output controlled-replay-needs-failure-says 'no run in it has a failing controlled execution'

# A role added with --actors works in a controlled execution: each worker
# does its role's budget of work, and a scenario without an invalidator of
# its own gave the added one none (it ran, did nothing, and the run looked
# as if it had raced against it). It now gets the catalogue's budget for
# the role; --workload invalidations=N still wins, 0 included.
expect_exit controlled-added-invalidator-runs 0 ./stress --scenario stage2-blocks \
	--actors invalidator=1 --sched random --executions 20 --seed 1
expect_output controlled-added-invalidator-works ' invalidations=[1-9][0-9]* '
expect_exit controlled-added-invalidator-given-none 0 ./stress --scenario stage2-blocks \
	--actors invalidator=1 --workload invalidations=0 --sched random --executions 20 --seed 1
expect_output controlled-added-invalidator-given-none-idle ' invalidations=0 '
# The fixed forms stay clean with it, under random and the search.
for s in stage2-blocks stage2-cmo; do
	for m in random cover; do
		seeds_meet "controlled-$s-fixed-added-invalidator-$m" 3 3 --scenario "$s" \
			--variant fixed --actors invalidator=1 --sched "$m" --duration 1s
	done
done

# --duration holds inside an execution: 64 vCPUs of 1,000 entries make
# executions of some 330,000 decisions, and the run still ends within a
# second of its duration (five allowed for a loaded machine).
t0=$(date +%s%N)
expect_exit controlled-long-executions 0 timeout 20 ./stress -q --scenario invlpg-defer \
	--workload entries=1000 --vcpus 64 --sched random --duration 1s --seed 1
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -lt 6000 ] && pass "controlled-long-executions-end-near-1s ($ms ms)" ||
	fail controlled-long-executions-end-near-1s "$ms ms"

# A run whose --duration ends inside its first execution has judged
# nothing (a cut execution is not counted): it says so, and calls the
# variant neither clean nor missed.
for v in fixed late-snapshot; do
	expect_exit "controlled-cut-first-execution-$v" 0 ./stress --scenario invlpg-defer \
		--variant "$v" --workload entries=1000 --vcpus 64 --sched random --duration 1ms \
		--seed 1
	expect_output "controlled-cut-first-execution-$v-not-judged" \
		"no execution completed within --duration -> not judged"
done
