# zap-leafs: kvm_tdp_mmu_zap_leafs() over two roots and 2M leaves backed by
# THPs. The fixed walk runs clean under both TLB huge-page semantics; each
# buggy walk is caught where its descriptor says; narrow-huge-flush only
# with a splintering TLB.
for s in free random pct:3; do
	seeds_meet "zap-leafs-lost-pending-flush-caught-$s" 19 20 --scenario zap-leafs \
		--variant lost-pending-flush --sched "$s" --duration 10s
done
# Free mode has one huge-leaf window per run: there it is reported, not judged.
for s in random pct:3; do
	seeds_meet "zap-leafs-narrow-huge-flush-caught-$s" 19 20 --scenario zap-leafs \
		--variant narrow-huge-flush --tlb-huge splinter --sched "$s" --duration 10s
done
for s in free random; do
	seeds_meet "zap-leafs-yield-no-flush-caught-$s" 19 20 --scenario zap-leafs \
		--variant yield-no-flush --sched "$s" --duration 10s
done
# Where the bug cannot show, the descriptor expects a clean run.
seeds_meet zap-leafs-narrow-huge-flush-clean-with-entry 5 5 --scenario zap-leafs \
	--variant narrow-huge-flush --tlb-huge entry --duration 1s
seeds_meet zap-leafs-narrow-huge-flush-clean-with-entry-random 5 5 --scenario zap-leafs \
	--variant narrow-huge-flush --tlb-huge entry --sched random --duration 500ms
for th in entry splinter; do
	seeds_meet "zap-leafs-fixed-clean-$th" 5 5 --scenario zap-leafs --variant fixed \
		--tlb-huge "$th" --duration 1s --expect clean
	for s in random pct:3; do
		seeds_meet "zap-leafs-fixed-clean-$s-$th" 6 6 --scenario zap-leafs --variant fixed \
			--tlb-huge "$th" --sched "$s" --duration 500ms --expect clean
	done
done

# The mechanics really run: huge leaves mapped and long walks yielding.
./stress --scenario zap-leafs --variant fixed --tlb-huge splinter --sched random --seed 1 \
	--duration 500ms -q --report "$out_dir/zap-leafs-fixed.json" >/dev/null 2>&1
if python3 - "$out_dir/zap-leafs-fixed.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["huge_leaves_mapped"] > 0 and c["mmu_lock_yields"] > 0, c
print(f'{c["huge_leaves_mapped"]} huge leaves mapped, {c["mmu_lock_yields"]} yields, '
      f'{c["range_flushes"]} range flushes over {c["range_flush_pages"]} pages')
PY
then
	pass zap-leafs-huge-leaves-and-yields
else
	fail zap-leafs-huge-leaves-and-yields "see $out_dir/zap-leafs-fixed.json"
fi
expect_exit zap-leafs-list 0 ./stress --list
expect_output zap-leafs-list-says-entry-clean "shows only with --tlb-huge splinter (runs with splinter unless told); expected clean with the other"
