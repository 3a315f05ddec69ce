# AddressSanitizer and UBSan (./stress-asan): every scenario's fixed variant
# and one buggy variant in free and random mode, a minimization, a search
# and every stored replay, each writing its report, with no sanitizer
# report at all, leaks included; then each libFuzzer target for a few
# seconds.
asan_cases=()
# asan_case NAME ARGS...: one run, queued.
asan_case() {
	local name=$1
	shift
	asan_cases+=("$name")
	printf '%s\n' "$@" >"$out_dir/$name.args"
}
for sv in invlpg-defer:notifier-ignores-flag hva-range-flush:under-by-one \
	zap-leafs:lost-pending-flush dirty-log:no-flush spte-mmu-writable:never-flush-overwrite \
	vcpu-request:no-mb-entry stage2-cmo:make-before-cmo stage2-blocks:collapse-no-tlbi; do
	s=${sv%%:*}
	for v in fixed "${sv#*:}"; do
		# A fixed run lasts its half second; a buggy one stops at its
		# catch.
		duration=500ms
		[ "$v" = fixed ] || duration=20s
		for m in free random; do
			memory=()
			[ "$s/$m" = vcpu-request/random ] && memory=(--memory tso)
			asan_case "asan-$s-$v-$m" --scenario "$s" --variant "$v" --sched "$m" \
				"${memory[@]}" --duration "$duration" --seed 1
		done
	done
done
asan_case asan-minimize --scenario invlpg-defer --variant late-snapshot --sched random \
	--seed 1 --minimize
# Seed 8: the search finds it in 0.23 s in the plain build (seeds 1-8 take
# 0.2 to 12 s), so ASan's slowdown still leaves it well inside the bound.
asan_case asan-cover --scenario invlpg-defer --variant missing-wmb --sched cover \
	--memory weak --seed 8 --duration 20s
for f in scenarios/replays/*.json; do
	asan_case "asan-replay-$(basename "$f" .json)" --replay "$f"
done

# Two at a time, like the controlled seeds: none of these measures timing.
for name in "${asan_cases[@]}"; do
	while [ "$(jobs -pr | wc -l)" -ge "${CHECK_JOBS:-2}" ]; do
		wait -n
	done
	mapfile -t args <"$out_dir/$name.args"
	( ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./stress-asan -q "${args[@]}" --report "$out_dir/$name.json" >"$out_dir/$name.log" 2>&1
	  echo $? >"$out_dir/$name.rc" ) &
done
wait
for name in "${asan_cases[@]}"; do
	rc=$(cat "$out_dir/$name.rc")
	if [ "$rc" != 0 ]; then
		fail "$name" "exit $rc, wanted 0 (log: $out_dir/$name.log)"
	elif grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error' "$out_dir/$name.log"; then
		fail "$name" "a sanitizer report (log: $out_dir/$name.log)"
	else
		pass "$name"
	fi
done

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	target=build-asan/fuzz/$name
	if out=$(scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-4}" "$target"); then
		pass "$name-smoke ($out)"
	else
		fail "$name-smoke" "$out"
	fi
done
