# tdp-lockless: 6.18's TDP MMU faults and lockless aging. The fixed form
# runs clean in every mode and memory model, with and without A/D bits and
# with several actors of each role; 6.13-rc1's form is clean too and shows
# the WARN it paid for; each buggy form is caught (25-claims holds their
# 20-seed rows) with the violation its interleaving names.
seeds_meet tdp-lockless-fixed-clean-free 3 3 --scenario tdp-lockless --variant fixed \
	--duration 1s --expect clean
seeds_meet tdp-lockless-fixed-clean-free-ad-bits 2 2 --scenario tdp-lockless --variant fixed \
	--ad-bits on --duration 1s --expect clean
for s in random pct:3 cover; do
	for mem in sc tso weak; do
		seeds_meet "tdp-lockless-fixed-clean-$s-$mem" 2 2 --scenario tdp-lockless \
			--variant fixed --sched "$s" --memory "$mem" --executions 20000 \
			--duration 300s --expect clean
	done
done
seeds_meet tdp-lockless-fixed-clean-several-actors-free 2 2 --scenario tdp-lockless \
	--variant fixed --actors invalidator=2,tracker=2,ager=2 --vcpus 4 --duration 1s \
	--expect clean
seeds_meet tdp-lockless-fixed-clean-several-actors-random 2 2 --scenario tdp-lockless \
	--variant fixed --actors invalidator=2,tracker=2,ager=2 --vcpus 3 --sched random \
	--executions 20000 --duration 300s --expect clean
for s in free random; do
	bound="--duration 1s"
	[ "$s" = free ] || bound="--sched $s --executions 20000 --duration 300s"
	seeds_meet "tdp-lockless-warn-and-flush-clean-$s" 2 2 --scenario tdp-lockless \
		--variant fault-warn-and-flush $bound --expect clean
done

# 6.18 makes a fault that finds its access allowed spurious, and so never
# downgrades a leaf a racing fault made writable; 6.13-rc1 installs over it,
# pays the WARN (fault_mmu_writable_lost) and a flush, and stays clean.
for v in fixed fault-warn-and-flush; do
	./stress --scenario tdp-lockless --variant "$v" --sched random --executions 20000 --seed 1 \
		-q --report "$out_dir/tdp-lockless-$v.json" >/dev/null 2>&1
done
if python3 - "$out_dir/tdp-lockless-fixed.json" "$out_dir/tdp-lockless-fault-warn-and-flush.json" <<'PY'
import json, sys
fixed, warn = (json.load(open(p))["runs"][0]["counters"] for p in sys.argv[1:])
assert fixed["spurious_faults"] > 0 and fixed["agings"] > 0, fixed
assert fixed["tracking_wrprots"] > 0 and fixed["invalidations"] > 0, fixed
assert warn["fault_mmu_writable_lost"] > fixed["fault_mmu_writable_lost"], (warn, fixed)
print(f'fixed: {fixed["spurious_faults"]} spurious faults, {fixed["fault_mmu_writable_lost"]} '
      f'downgrades; 6.13-rc1: {warn["fault_mmu_writable_lost"]} downgrades (the WARN), '
      f'{warn["remote_flushes"]} flushes against {fixed["remote_flushes"]}')
PY
then
	pass tdp-lockless-spurious-avoids-the-downgrade
else
	fail tdp-lockless-spurious-avoids-the-downgrade "see $out_dir/tdp-lockless-*.json"
fi

# The right violation for each interleaving drawn in the scenario's file.
violation_named tdp-lockless-downgrade-escapes-tracking write-escaped-tracking \
	--scenario tdp-lockless --variant fault-downgrade-no-flush
violation_named tdp-lockless-spurious-only-escapes-tracking write-escaped-tracking \
	--scenario tdp-lockless --variant spurious-without-flush
violation_named tdp-lockless-age-store-uses-freed-frame stale-tlb-after-free \
	--scenario tdp-lockless --variant age-stores-what-it-read
