# Memory models and minimization.
#
# Fixed variants stay clean under every scheduler and memory model; bugs that
# need a store buffer are caught under tso and weak and never under sc;
# missing-wmb (which needs stores reordered with stores) is clean under tso.
# Each fixed row is 10 seeds; a seed runs FIXED_LIMIT (default 200ms: about
# 3,000 executions under random); the nightly job runs every fixed variant
# for 20 seeds of 10 s in each of these schedulers and models.
fixed_limit=${FIXED_LIMIT:-200ms}
for m in sc tso weak; do
	for s in random pct:3; do
		for v in fixed fixed-counter; do
			seeds_meet "memory-$v-clean-$s-$m" 10 10 --scenario invlpg-defer \
				--variant "$v" --sched "$s" --memory "$m" --duration "$fixed_limit" \
				--expect clean
		done
		seeds_meet "memory-vcpu-request-fixed-clean-$s-$m" 10 10 --scenario vcpu-request \
			--variant fixed --sched "$s" --memory "$m" --duration "$fixed_limit" \
			--expect clean
	done
done
for v in no-mb-entry no-mb-request; do
	scheds="random pct:3"
	# pct:3 rarely holds the request in the buffer long enough; pct:5 does
	# (--list).
	[ "$v" = no-mb-request ] && scheds="random pct:5"
	# 25-claims holds each claim under the model --list states (tso);
	# here the weaker one, counted in executions as the claims are (the
	# duration only a safety net): 10 s of pct:5 caught 18 of 20 on a
	# loaded machine.
	for s in $scheds; do
		seeds_meet "memory-$v-caught-$s-weak" 19 20 --scenario vcpu-request \
			--variant "$v" --sched "$s" --memory weak --executions 500000 --duration 300s
	done
	# Under sc the pair cannot be missed: the descriptor's expectation is
	# "clean", so a report would fail the run.
	seeds_meet "memory-$v-never-under-sc" 20 20 --scenario vcpu-request --variant "$v" \
		--sched random --memory sc --duration "$fixed_limit"
done
seeds_meet "memory-missing-wmb-clean-under-tso" 20 20 --scenario invlpg-defer \
	--variant missing-wmb --sched random --memory tso --duration "$fixed_limit"

expect_exit memory-needs-controlled 2 ./stress --scenario invlpg-defer --memory weak
expect_output memory-needs-controlled-says '--memory weak needs --sched random, pct or cover'
expect_exit memory-bad-name 2 ./stress --scenario invlpg-defer --sched random --memory arm
expect_output memory-bad-name-says "'arm' is not allowed: use sc, tso or weak"
expect_exit minimize-needs-controlled 2 ./stress --scenario invlpg-defer --minimize

# Minimization: the minimized schedule has no more context switches than the
# original, still ends in the violation, prints a timeline, and a --replay of
# the report follows it to the same trace hash.
rm -f "$out_dir/minimize.json"
./stress --scenario invlpg-defer --variant late-snapshot --sched random --seed 1 \
	--executions 500000 --duration 300s --minimize --report "$out_dir/minimize.json" \
	>"$out_dir/minimize.log" 2>&1
if python3 - "$out_dir/minimize.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["outcome"] == "violation", r["outcome"]
assert r["minimized_switches"] <= r["schedule_switches"], (r["minimized_switches"], r["schedule_switches"])
assert r["replay"]["schedule"], "no schedule to replay"
print(f'{r["schedule_switches"]} -> {r["minimized_switches"]} switches')
PY
then
	pass "minimize-fewer-switches ($(grep -o '[0-9]* -> [0-9]* context switches' "$out_dir/minimize.log"))"
else
	fail minimize-fewer-switches "see $out_dir/minimize.log"
fi
if grep -q 'one column per thread' "$out_dir/minimize.log" && grep -q 'VIOLATION' "$out_dir/minimize.log"; then
	pass minimize-prints-timeline
else
	fail minimize-prints-timeline "see $out_dir/minimize.log"
fi
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["minimized_trace_hash"])' \
	"$out_dir/minimize.json" 2>/dev/null)
expect_exit minimized-replay-still-fails 0 ./stress --replay "$out_dir/minimize.json" -q
if [ -n "$want" ] && grep -q "trace hash $want" <<<"$last_out"; then
	pass "minimized-replay-same-hash ($want)"
else
	fail minimized-replay-same-hash "wanted trace hash '$want'"
fi
# A thread the violation does not need is left out: dirty-log's ager and a
# second vCPU play no part in a harvest that forgets its flush.
./stress --scenario dirty-log --variant no-flush --sched random --seed 2 --executions 500000 \
	--duration 300s --minimize --report "$out_dir/minimize-threads.json" \
	>"$out_dir/minimize-threads.log" 2>&1
if python3 - "$out_dir/minimize-threads.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["minimized_threads"] < r["schedule_threads"], (r["minimized_threads"], r["schedule_threads"])
print(f'{r["schedule_threads"]} -> {r["minimized_threads"]} threads')
PY
then
	pass "minimize-drops-threads ($(grep -o '[0-9]* -> [0-9]* threads' "$out_dir/minimize-threads.log"))"
else
	fail minimize-drops-threads "see $out_dir/minimize-threads.log"
fi
expect_exit minimize-drops-threads-replay-fails 0 ./stress --replay "$out_dir/minimize-threads.json" -q
# A store-buffer bug minimizes too, and its timeline shows the buffered store.
./stress --scenario vcpu-request --variant no-mb-entry --sched random --memory tso --seed 1 \
	--executions 500000 --duration 300s --minimize >"$out_dir/minimize-tso.log" 2>&1
if grep -q 'buffered v[0-9].mode' "$out_dir/minimize-tso.log"; then
	pass minimize-tso-timeline-shows-buffered-mode
else
	fail minimize-tso-timeline-shows-buffered-mode "see $out_dir/minimize-tso.log"
fi
