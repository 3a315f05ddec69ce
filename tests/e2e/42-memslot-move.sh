# memslot-move: memslots under SRCU, a slot moved, deleted and created
# while vCPUs fault, the host reclaims and dirty logging is on. The fixed
# move (both zap forms) runs clean in every mode and memory model, under
# both bitmap forms of the log, with A/D bits and with several actors;
# each buggy form is caught (25-claims holds their 20-seed rows) with the
# violation its interleaving names; the dirty ring and a write-tracker
# beside memslot changes are refused before the run.
for v in fixed slot-zap-only; do
	clean_in_every_mode "memslot-move-$v" 20000 --scenario memslot-move --variant "$v" \
		--actors invalidator=1
done
for s in free random; do
	bound="--duration 1s"
	[ "$s" = free ] || bound="--sched $s --executions 20000 --duration 300s"
	seeds_meet "memslot-move-fixed-clean-log-clear-$s" 2 2 --scenario memslot-move \
		--variant fixed --log clear $bound --expect clean
	seeds_meet "memslot-move-fixed-clean-ad-bits-$s" 2 2 --scenario memslot-move \
		--variant fixed --ad-bits on $bound --expect clean
done
seeds_meet memslot-move-fixed-clean-several-actors-free 2 2 --scenario memslot-move \
	--variant fixed --actors memslots=2,invalidator=2,reaper=1 --vcpus 4 --duration 1s \
	--expect clean
seeds_meet memslot-move-fixed-clean-several-actors-random 2 2 --scenario memslot-move \
	--variant fixed --actors memslots=2,invalidator=2 --vcpus 3 --sched random \
	--workload slot-changes=4 --executions 20000 --duration 300s --expect clean

# The right violation for each interleaving drawn in the scenario's file.
violation_named memslot-move-zap-new-range-spte-survives spte-survived-slot-delete \
	--scenario memslot-move --variant move-zaps-new-range --keep-going
# Seed 3's failing execution goes on to use a translation of the old gfn.
./stress --scenario memslot-move --variant move-zaps-new-range --sched random \
	--executions 200000 --duration 300s --seed 3 --keep-going \
	>"$out_dir/memslot-move-zap-new-range-tlb.log" 2>&1
if grep -q '^!!! stale-tlb-after-slot-change:' "$out_dir/memslot-move-zap-new-range-tlb.log"; then
	pass memslot-move-zap-new-range-tlb-outlives-move
else
	fail memslot-move-zap-new-range-tlb-outlives-move \
		"see $out_dir/memslot-move-zap-new-range-tlb.log"
fi
violation_named memslot-move-dropped-bitmap-loses-write lost-dirty-write \
	--scenario memslot-move --variant move-drops-dirty-bitmap
violation_named memslot-move-invalid-mapped-spte-survives spte-survived-slot-delete \
	--scenario memslot-move --variant fault-ignores-invalid

# The fixed runs moved, deleted and created the slot with logging on, and
# harvests found pages dirty: the clean verdict is about windows that were
# open.
./stress --scenario memslot-move --variant fixed --duration 1s --seed 1 -q \
	--report "$out_dir/memslot-move.json" >/dev/null 2>&1
if python3 - "$out_dir/memslot-move.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["memslot_changes"] > 20 and c["dirty_log_harvests"] > 10 and c["dirty_pages_reaped"] > 0, c
assert c["fault_retries"] > 0, c
print(f'{c["memslot_changes"]} moves, deletes and creates, {c["dirty_log_harvests"]} harvests, '
      f'{c["dirty_pages_reaped"]} pages reported, {c["fault_retries"]} fault retries')
PY
then pass memslot-move-counters; else
	fail memslot-move-counters "see $out_dir/memslot-move.json"
fi
expect_exit memslot-move-refuses-the-ring 2 ./stress --scenario memslot-move --log ring \
	--duration 1s
expect_output memslot-move-ring-refusal-says-why 'model.s dirty ring names gfns'
expect_exit memslot-move-refuses-a-tracker 2 ./stress --scenario memslot-move \
	--actors tracker=1 --duration 1s
expect_output memslot-move-tracker-refusal-says-why 'write-tracking across memslot changes'
expect_exit memslot-delete-refuses-memslots-beside-a-tracker 2 ./stress \
	--scenario tdp-lockless --actors memslots=1 --duration 1s
expect_output memslot-delete-tracker-refusal-says-why 'across memslot changes'
