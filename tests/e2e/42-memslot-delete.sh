# memslot-delete: memslots under SRCU, a slot deleted and created while
# vCPUs fault and the host reclaims. The fixed delete (both of x86's zap
# forms, and arm64's unmap) runs clean in every mode and memory model and
# with several actors; each buggy form is caught (25-claims holds their
# 20-seed rows) with the violation its interleaving names; a memslots
# worker where the fault path does not look its slot up under SRCU is
# refused before the run.
for v in fixed slot-zap-only; do
	clean_in_every_mode "memslot-delete-$v" 20000 --scenario memslot-delete --variant "$v" \
		--actors invalidator=1
done
# arm64's delete: the slot's unmap with its TLBIs. Its executions are
# longer, so fewer of them.
clean_in_every_mode memslot-delete-arm64-unmap 5000 --scenario memslot-delete \
	--variant arm64-unmap --actors invalidator=1
seeds_meet memslot-delete-fixed-clean-several-actors-free 2 2 --scenario memslot-delete \
	--variant fixed --actors memslots=2,invalidator=2 --vcpus 4 --duration 1s --expect clean
seeds_meet memslot-delete-arm64-unmap-clean-several-actors-free 2 2 --scenario memslot-delete \
	--variant arm64-unmap --actors memslots=2,invalidator=2 --vcpus 4 --duration 1s \
	--expect clean
seeds_meet memslot-delete-fixed-clean-several-actors-random 2 2 --scenario memslot-delete \
	--variant fixed --actors memslots=2,invalidator=2 --vcpus 3 --sched random \
	--executions 20000 --duration 300s --expect clean

# The right violation for each interleaving drawn in the scenario's file,
# among every one its seed reports.
violation_named memslot-delete-invalid-mapped-spte-survives spte-survived-slot-delete \
	--scenario memslot-delete --variant fault-ignores-invalid --keep-going
violation_named memslot-delete-no-synchronize-reads-freed-set walker-used-freed-table \
	--scenario memslot-delete --variant swap-without-synchronize --keep-going
violation_named memslot-delete-swap-mid-invalidation-uses-freed-frame stale-tlb-after-free \
	--scenario memslot-delete --variant swap-during-invalidation --keep-going
violation_named memslot-delete-zap-no-flush-tlb-outlives-delete stale-tlb-after-slot-change \
	--scenario memslot-delete --variant slot-zap-no-flush --keep-going
violation_named memslot-delete-arm64-unmap-no-tlbi-tlb-outlives-delete \
	stale-tlb-after-slot-change --scenario memslot-delete --variant arm64-unmap-skips-tlbi \
	--keep-going

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
expect_exit memslot-delete-worker-needs-srcu-faults 2 ./stress --scenario invlpg-defer \
	--actors memslots=1 --duration 1s
expect_output memslot-delete-refusal-says-why 'memslot changes'
