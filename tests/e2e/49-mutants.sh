# The mutation score's tier in make check (make mutants runs the whole, in
# the nightly job). Every mutant in tests/mutants/ still applies to the
# tree, and the mutants of each class a clean verdict once hid are killed
# by every mode stated beside them: a flush moved after mmu_unlock with
# concurrent invalidators or nested trackers, a write-protect of one root,
# a fast-path dirty mark before its cmpxchg, a tracked gfn mapped
# writable, a requester that does not wait for kicked vCPUs, and a dropped
# smp_rmb() before the pfn lookup. Each mode
# is one run of the fixed variant, seed 1, stopping at its first violation;
# the modes were measured over 20 seeds (docs/results.md).
mutants_out="$out_dir/mutants"
expect_exit mutants-apply 0 tests/tools/mutants.py --check-only --out "$mutants_out"
expect_output mutants-apply-all '^mutants: ([3-9][0-9]|[1-9][0-9][0-9]) patches parse and apply'
while read -r mutant row actors modes; do
	args=(--out "$mutants_out" --only "$mutant" --rows "$row" --modes "$modes" --every-mode
		--jobs 1 --seconds 10 --min-rate 100)
	[ "$actors" = - ] || args+=(--actors "$actors")
	expect_exit "mutant-$mutant-on-${row%%/*}-killed" 0 tests/tools/mutants.py "${args[@]}"
	expect_output "mutant-$mutant-on-${row%%/*}-by-$modes" "\| killed \| $row "
done <<'ROWS'
notifier-flush-after-unlock invlpg-defer/fixed invalidator=2 random/tso,pct:3/sc,cover/sc
notifier-flush-after-unlock vcpu-request/fixed invalidator=2 random/sc,pct:3/sc,cover/sc
track-flush-after-unlock spte-mmu-writable/fixed tracker=2 random/sc,pct:3/sc,cover/sc
fault-spte-ignores-tracking spte-mmu-writable/fixed tracker=2 random/sc,pct:3/sc,cover/sc
wrprot-first-root-only dirty-log/fixed - random/sc,pct:3/sc,cover/sc
fast-pf-mark-before-cmpxchg dirty-log/fixed - random/sc,cover/sc
no-wait-for-kicked vcpu-request/fixed - random/sc,pct:3/sc,cover/sc
seq-snapshot-no-rmb invlpg-defer/fixed - random/weak,cover/weak
ROWS
# The same mutants survive the fixed variants' defaults where the class
# needs more than one actor: a clean run there says nothing about them,
# which is why the suites above name the roster.
expect_exit mutant-one-tracker-misses-it 1 tests/tools/mutants.py --out "$mutants_out" \
	--only track-flush-after-unlock --rows spte-mmu-writable/fixed --modes random/sc \
	--jobs 1 --seconds 2 --min-rate 100
expect_output mutant-one-tracker-survives '\| survived \|'
