# real-memslot: the running kernel's memslots deleted and moved under a
# running guest with dirty logging on (--backend kvm). Where /dev/kvm can
# run a guest, the fixed form runs clean in both bitmap forms with 2 and 4
# vCPUs, its changes and harvests counted, and the harness's own slip
# (memslots-skips-change) is caught 10 of 10; where it cannot, the pass
# says it skipped, and why.
offer=$(./stress --backend kvm --list | head -1)
if [[ $offer == *"unusable here"* ]]; then
	echo "SKIP real-memslot's real pass: ${offer#backend: kvm, unusable here: }"
else
	for log in bitmap clear; do
		for vcpus in 2 4; do
			seeds_meet "real-memslot-clean-$log-$vcpus-vcpus" 2 2 --scenario real-memslot \
				--log "$log" --vcpus "$vcpus" --duration 2s --expect clean
		done
	done
	seeds_meet real-memslot-guest-in-kept-slot-caught 10 10 --scenario real-memslot \
		--variant memslots-skips-change --duration 1s --expect violation
	./stress --scenario real-memslot --duration 2s --seed 1 -q \
		--report "$out_dir/real-memslot.json" >/dev/null 2>&1
	if python3 - "$out_dir/real-memslot.json" <<'PY'; then
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["memslot_changes"] > 10 and c["dirty_log_harvests"] > 10, c
assert c["guest_iterations"] > 10 and c["pages_checked"] == 64, c
print(f'{c["memslot_changes"]} memslot changes, {c["dirty_log_harvests"]} harvests, '
      f'{c["guest_iterations"]} guest iterations, {c["guest_writes_refused"]} accesses '
      f'to a slot taken away')
PY
		pass real-memslot-counters
	else
		fail real-memslot-counters "see $out_dir/real-memslot.json"
	fi
fi
expect_exit real-memslot-no-device-skips 3 env LOSTFLUSH_KVM_DEVICE=/nonexistent \
	./stress --scenario real-memslot --duration 1s
