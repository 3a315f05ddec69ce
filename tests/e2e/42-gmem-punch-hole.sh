# gmem-punch-hole: guest_memfd's hole punch runs its own invalidation. The
# fixed order runs clean in every mode and memory model and with several
# punchers and vCPUs; each buggy order is caught (25-claims holds their
# 20-seed rows) as a use of a freed folio; a puncher where no memslot is
# a guest_memfd is refused before the run starts.
seeds_meet gmem-punch-hole-fixed-clean-free 3 3 --scenario gmem-punch-hole --variant fixed \
	--duration 1s --expect clean
for s in random pct:3 cover; do
	for mem in sc tso weak; do
		seeds_meet "gmem-punch-hole-fixed-clean-$s-$mem" 2 2 --scenario gmem-punch-hole \
			--variant fixed --sched "$s" --memory "$mem" --executions 20000 \
			--duration 300s --expect clean
	done
done
seeds_meet gmem-punch-hole-fixed-clean-several-actors-free 2 2 --scenario gmem-punch-hole \
	--variant fixed --actors puncher=3 --vcpus 4 --duration 1s --expect clean
seeds_meet gmem-punch-hole-fixed-clean-several-actors-random 2 2 --scenario gmem-punch-hole \
	--variant fixed --actors puncher=2 --vcpus 3 --sched random --executions 20000 \
	--duration 300s --expect clean
for v in range-keeps-last-slot truncate-before-invalidate end-before-truncate; do
	./stress --scenario gmem-punch-hole --variant "$v" --sched random --executions 200000 \
		--duration 300s --seed 1 >"$out_dir/gmem-punch-hole-$v.log" 2>&1
	if grep -q '^!!! stale-tlb-after-free:' "$out_dir/gmem-punch-hole-$v.log"; then
		pass "gmem-punch-hole-$v-uses-a-freed-folio"
	else
		fail "gmem-punch-hole-$v-uses-a-freed-folio" \
			"no stale-tlb-after-free (log: $out_dir/gmem-punch-hole-$v.log)"
	fi
done
# The fixed run's punches did free folios the vCPUs had mapped: the clean
# verdict is about a window that was open.
./stress --scenario gmem-punch-hole --variant fixed --duration 1s --seed 1 -q \
	--report "$out_dir/gmem-punch-hole.json" >/dev/null 2>&1
if python3 - "$out_dir/gmem-punch-hole.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["invalidations"] > 0 and c["frames_freed"] > 0 and c["spte_zaps"] > 0, c
assert c["fault_retries"] > 0, c
print(f'{c["invalidations"]} hole punches, {c["spte_zaps"]} zaps, {c["frames_freed"]} folios '
      f'freed, {c["fault_retries"]} fault retries')
PY
then pass gmem-punch-hole-counters; else
	fail gmem-punch-hole-counters "see $out_dir/gmem-punch-hole.json"
fi
expect_exit gmem-punch-hole-puncher-needs-guest-memfd 2 ./stress --scenario tdp-lockless \
	--actors puncher=1 --duration 1s
expect_output gmem-punch-hole-puncher-refusal-says-why 'no guest_memfd memslots'
