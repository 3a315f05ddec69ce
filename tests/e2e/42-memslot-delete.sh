# memslot-delete: memslots under SRCU, a slot deleted and created while
# vCPUs fault and the host reclaims. The fixed delete (both zap forms) runs
# clean in every mode and memory model and with several actors; each buggy
# form is caught (25-claims holds their 20-seed rows) with the violation
# its interleaving names; a memslots worker where the fault path does not
# look its slot up under SRCU is refused before the run.
for v in fixed slot-zap-only; do
	seeds_meet "memslot-delete-$v-clean-free" 3 3 --scenario memslot-delete --variant "$v" \
		--duration 1s --expect clean
	for s in random pct:3 cover; do
		for mem in sc tso weak; do
			seeds_meet "memslot-delete-$v-clean-$s-$mem" 2 2 --scenario memslot-delete \
				--variant "$v" --sched "$s" --memory "$mem" --actors invalidator=1 \
				--executions 20000 --duration 300s --expect clean
		done
	done
done
seeds_meet memslot-delete-fixed-clean-several-actors-free 2 2 --scenario memslot-delete \
	--variant fixed --actors memslots=2,invalidator=2 --vcpus 4 --duration 1s --expect clean
seeds_meet memslot-delete-fixed-clean-several-actors-random 2 2 --scenario memslot-delete \
	--variant fixed --actors memslots=2,invalidator=2 --vcpus 3 --sched random \
	--executions 20000 --duration 300s --expect clean

# violation_named NAME KIND ARGS...: seed 1 under random reports KIND.
violation_named() {
	local name=$1 kind=$2
	shift 2
	./stress "$@" --sched random --executions 200000 --duration 300s --seed 1 --keep-going \
		>"$out_dir/$name.log" 2>&1
	if grep -q "^!!! $kind:" "$out_dir/$name.log"; then
		pass "$name"
	else
		fail "$name" "no $kind (log: $out_dir/$name.log)"
	fi
}
violation_named memslot-delete-invalid-mapped-spte-survives spte-survived-slot-delete \
	--scenario memslot-delete --variant fault-ignores-invalid
violation_named memslot-delete-no-synchronize-reads-freed-set walker-used-freed-table \
	--scenario memslot-delete --variant swap-without-synchronize
violation_named memslot-delete-swap-mid-invalidation-uses-freed-frame stale-tlb-after-free \
	--scenario memslot-delete --variant swap-during-invalidation
violation_named memslot-delete-zap-no-flush-uses-freed-frame stale-tlb-after-free \
	--scenario memslot-delete --variant slot-zap-no-flush

# The fixed runs did delete and create, and faults met the invalid slot
# and the absent one: the clean verdict is about windows that were open.
./stress --scenario memslot-delete --variant fixed --duration 1s --seed 1 -q \
	--report "$out_dir/memslot-delete.json" >/dev/null 2>&1
if python3 - "$out_dir/memslot-delete.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["memslot_changes"] > 10 and c["spte_zaps"] > 0 and c["fault_retries"] > 0, c
print(f'{c["memslot_changes"]} deletes and creates, {c["spte_zaps"]} zaps, '
      f'{c["fault_retries"]} fault retries')
PY
then pass memslot-delete-counters; else
	fail memslot-delete-counters "see $out_dir/memslot-delete.json"
fi
expect_exit memslot-delete-worker-needs-srcu-faults 2 ./stress --scenario stage2-cmo \
	--actors memslots=1 --duration 1s
expect_output memslot-delete-refusal-says-why 'memslot changes'
