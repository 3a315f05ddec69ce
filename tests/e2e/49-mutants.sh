# The mutation score's tier in make check (make mutants runs the whole, in
# the nightly job). Every mutant in tests/mutants/ still applies to the
# tree, at one place of its function, and still does in a copy where every
# file under model/ and arch/ has 20 more lines on top; in that copy each
# mutant's recorded run still kills it (an equivalent one: its run reaches
# it and stays clean). The mutants of each class a clean verdict once hid
# are killed by every mode stated beside them: a flush moved after
# mmu_unlock with concurrent invalidators or nested trackers, a
# write-protect of one root, a fast-path dirty mark before its cmpxchg, a
# tracked gfn mapped writable, a requester that does not wait for kicked
# vCPUs, and a dropped smp_rmb() before the pfn lookup. Each mode is one
# run of the fixed variant, seed 1, stopping at its first violation; the
# modes were measured over 20 seeds (docs/results.md).
mutants_out="$out_dir/mutants"

# mutant_checks PREFIX LOG: one check per mutant line of mutants.py
# --check-only ('applies NAME' or 'FAILS NAME: why').
mutant_checks() {
	local verdict name why
	while read -r verdict name why; do
		case $verdict in
		applies) pass "$1-$name" ;;
		FAILS) fail "$1-${name%:}" "$why" ;;
		esac
	done <"$2"
}
tests/tools/mutants.py --check-only --out "$mutants_out" >"$out_dir/mutants-apply.log" 2>&1
mutant_checks mutant-applies "$out_dir/mutants-apply.log"
last_out=$(cat "$out_dir/mutants-apply.log")
expect_output mutants-apply-all '^mutants: ([4-9][0-9]|[1-9][0-9][0-9]) of \1 apply$'
tests/tools/mutants.py --check-only --shifted --out "$mutants_out" \
	>"$out_dir/mutants-apply-shifted.log" 2>&1
mutant_checks mutant-applies-shifted "$out_dir/mutants-apply-shifted.log"
last_out=$(cat "$out_dir/mutants-apply-shifted.log")
expect_output mutants-apply-shifted-all \
	'^mutants: ([4-9][0-9]|[1-9][0-9][0-9]) of \1 apply here and in the shifted tree$'

# A mutant whose text is gone from its function, or is there twice, or
# whose function is gone, fails by name, and so does the whole check.
bad_mutants="$out_dir/bad-mutants"
rm -rf "$bad_mutants" && mkdir -p "$bad_mutants"
sed 's/^\tkvm->policy->notifier_locked(kvm, zapped);$/\tkvm->policy->notifier_gone(kvm);/' \
	tests/mutants/notifier-flush-after-unlock.mutant >"$bad_mutants/text-gone.mutant"
printf '%s\n' 'breaks: two continues' 'file: arch/x86_tdp_wrprot.c' 'function: tdp_age_gfn' \
	'replace:' '```' '			continue;' '```' 'with:' '```' '```' >"$bad_mutants/text-twice.mutant"
sed 's/^function: .*/function: no_such_function/' tests/mutants/exit-no-release.mutant \
	>"$bad_mutants/function-gone.mutant"
expect_exit mutants-bad-refused 2 tests/tools/mutants.py --check-only --dir "$bad_mutants" \
	--out "$mutants_out"
expect_output mutants-bad-text-gone \
	"^FAILS text-gone: edit 1's text is not in kvm_mmu_notifier_invalidate_range_start\(\)"
expect_output mutants-bad-text-twice "^FAILS text-twice: .*occurs 2 times in tdp_age_gfn\(\)"
expect_output mutants-bad-function-gone "^FAILS function-gone: .*no definition of no_such_function\(\)"
expect_output mutants-bad-counted '^mutants: 0 of 3 apply$'

# The kills survive the shift: each mutant built in the shifted copy and
# run once, as its file records (about 2 min on 2 cores, the copy's full
# build included).
expect_exit mutants-cov-built 0 make -s stress-cov
expect_exit mutants-shifted-kills 0 tests/tools/mutants.py --shifted --out "$mutants_out"
expect_output mutants-shifted-all-hold '^mutants \(shifted 20 lines\): ([4-9][0-9]) of \1 hold'

# A sanitizer's report is a kill of its own label: a signed overflow on
# every invalidation runs clean under ./stress (the oracle cannot see it)
# and is killed by UBSan under ./stress-asan, which make check builds.
ubsan_mutants="$out_dir/ubsan-mutants"
rm -rf "$ubsan_mutants" && mkdir -p "$ubsan_mutants"
printf '%s\n' 'breaks: a signed overflow on every invalidation, for UBSan' \
	'file: model/notifier.c' 'function: kvm_mmu_notifier_invalidate_range_start' \
	'replace:' '```' '	count(CNT_INVALIDATIONS, 1);' '```' \
	'with:' '```' '	count(CNT_INVALIDATIONS, 1);' '	{' '		volatile int top = 2147483647;' '' \
	'		(void)(top + (hva_end > hva_start));' '	}' '```' >"$ubsan_mutants/signed-overflow.mutant"
expect_exit mutants-ubsan-killed 0 tests/tools/mutants.py --dir "$ubsan_mutants" \
	--out "$mutants_out" --rows invlpg-defer/fixed --modes random/sc --sanitizers --jobs 1 \
	--min-rate 100
expect_output mutants-ubsan-labelled '\| killed by UBSan \| stress-asan invlpg-defer/fixed random/sc \|'
expect_output mutants-ubsan-not-plain '^mutants: killed 1 of 1 non-equivalent \(100%: 1 by UBSan\)'

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
