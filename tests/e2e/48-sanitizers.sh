# AddressSanitizer and UBSan (./stress-asan): every scenario's fixed variant
# and one buggy variant in free and random mode, a minimization, a search
# and every stored replay, each writing its report, with no sanitizer
# report at all; then each libFuzzer target for a few seconds.
asan_env=(env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
asan_clean() {
	local name=$1
	shift
	expect_exit "$name" 0 "${asan_env[@]}" ./stress-asan -q "$@" --report "$out_dir/$name.json"
	if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error' <<<"$last_out"; then
		fail "$name-no-sanitizer-report" "see $out_dir/$name.log"
	else
		pass "$name-no-sanitizer-report"
	fi
}
for sv in invlpg-defer:notifier-ignores-flag hva-range-flush:under-by-one \
	zap-leafs:lost-pending-flush dirty-log:no-flush spte-mmu-writable:never-flush-overwrite \
	vcpu-request:no-mb-entry; do
	s=${sv%%:*}
	for v in fixed "${sv#*:}"; do
		# A fixed run lasts its second; a buggy one stops at its catch.
		duration=1s
		[ "$v" = fixed ] || duration=20s
		for m in free random; do
			memory=()
			[ "$s/$m" = vcpu-request/random ] && memory=(--memory tso)
			asan_clean "asan-$s-$v-$m" --scenario "$s" --variant "$v" --sched "$m" \
				"${memory[@]}" --duration "$duration" --seed 1
		done
	done
done
asan_clean asan-minimize --scenario invlpg-defer --variant late-snapshot --sched random \
	--seed 1 --minimize
asan_clean asan-cover --scenario invlpg-defer --variant missing-wmb --sched cover \
	--memory weak --seed 1 --duration 20s
for f in scenarios/replays/*.json; do
	asan_clean "asan-replay-$(basename "$f" .json)" --replay "$f"
done

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	target=build-asan/fuzz/$name
	if out=$(scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-5}" "$target"); then
		pass "$name-smoke ($out)"
	else
		fail "$name-smoke" "$out"
	fi
done
