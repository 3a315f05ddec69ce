# real-dirty-log: the running kernel's dirty log (--backend kvm). Where
# /dev/kvm can run a guest, the fixed form runs clean in each form of the
# log (bitmap, clear, ring) with 2 and 4 vCPUs and counts what it checked,
# the ring's full exits are met and waited out, the ring collected and
# reset on two threads runs clean too, and the harness's own slip
# (reaper-drops-a-page) is caught 10 of 10 in each form; where it cannot,
# the pass says it skipped, and why. Either way a host without a KVM device
# exits 3 before any work, and what the real backend cannot do is refused
# (exit 2).
offer=$(./stress --backend kvm --list | head -1)
if [[ $offer == *"unusable here"* ]]; then
	echo "SKIP real-dirty-log's real pass: ${offer#backend: kvm, unusable here: }"
else
	for log in bitmap clear ring; do
		for vcpus in 2 4; do
			seeds_meet "real-dirty-log-clean-$log-$vcpus-vcpus" 2 2 --scenario real-dirty-log \
				--log "$log" --vcpus "$vcpus" --duration 2s --expect clean
		done
	done
	# The working set in a memfd, and the ring collected on one thread and
	# reset on another.
	for log in bitmap ring; do
		seeds_meet "real-dirty-log-memfd-clean-$log" 2 2 --scenario real-dirty-log \
			--variant memfd-backed --log "$log" --duration 2s --expect clean
	done
	for vcpus in 2 4; do
		seeds_meet "real-dirty-log-ring-reset-apart-clean-$vcpus-vcpus" 2 2 \
			--scenario real-dirty-log --variant ring-reset-apart --vcpus "$vcpus" \
			--duration 2s --expect clean
	done
	# A reaper slow enough that the rings fill: the vCPUs exit and wait.
	seeds_meet real-dirty-log-clean-ring-full 2 2 --scenario real-dirty-log --log ring \
		--workload reaper-us=200000 --duration 2s --expect clean
	for log in bitmap clear ring; do
		seeds_meet "real-dirty-log-dropped-report-caught-$log" 10 10 \
			--scenario real-dirty-log --variant reaper-drops-a-page --log "$log" \
			--duration 1s --expect violation
	done
	./stress --scenario real-dirty-log --duration 2s --seed 1 -q \
		--report "$out_dir/real-dirty-log.json" >/dev/null 2>&1
	if python3 - "$out_dir/real-dirty-log.json" <<'PY'; then
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["guest_iterations"] > 10 and c["dirty_log_harvests"] > 10, c
assert c["dirty_pages_reaped"] > 0 and c["pages_checked"] == 1024, c
print(f'{c["guest_iterations"]} guest iterations, {c["dirty_log_harvests"]} harvests, '
      f'{c["dirty_pages_reaped"]} pages reported, {c["pages_checked"]} pages checked')
PY
		pass real-dirty-log-counters
	else
		fail real-dirty-log-counters "see $out_dir/real-dirty-log.json"
	fi
fi
expect_exit real-dirty-log-no-device-skips 3 env LOSTFLUSH_KVM_DEVICE=/nonexistent \
	./stress --scenario real-dirty-log --duration 1s
expect_output real-dirty-log-no-device-says-why 'cannot open /nonexistent'
expect_exit real-dirty-log-refuses-controlled 2 ./stress --scenario real-dirty-log \
	--sched random --duration 1s
expect_output real-dirty-log-controlled-says-why 'cannot be scheduled'
expect_exit real-memslot-refuses-the-ring 2 ./stress --scenario real-memslot --log ring
expect_exit real-dirty-log-refuses-actors 2 ./stress --scenario real-dirty-log \
	--actors invalidator=1
expect_exit real-dirty-log-refuses-odd-working-set 2 ./stress --scenario real-dirty-log \
	--gfns 1000
expect_exit real-dirty-log-not-a-model-scenario 2 ./stress --backend model \
	--scenario real-dirty-log
# The model's catalogue stays the model's: --list and all leave it out.
if ./stress --list --json | python3 -c '
import json, sys
names = [s["name"] for s in json.load(sys.stdin)]
sys.exit("real-dirty-log" in names)'; then
	pass real-dirty-log-not-in-the-models-list
else
	fail real-dirty-log-not-in-the-models-list "./stress --list --json names it"
fi
