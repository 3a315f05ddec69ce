# ThreadSanitizer: the seed's plain bool is a data race TSan must report; the
# fixed forms, all atomics and locks, must give TSan nothing to say.
export TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0 exitcode=66"
tsan_run() {
	local name=$1
	shift
	./stress-tsan "$@" >"$out_dir/$name.log" 2>&1
	echo $?
}
rc=$(tsan_run tsan-plain-flag --scenario invlpg-defer --variant plain-flag --duration 5s \
	--seed 1 --keep-going)
if grep -q 'WARNING: ThreadSanitizer: data race' "$out_dir/tsan-plain-flag.log" &&
	grep -Eq 'plain_(mark|flush|flush_cond)' "$out_dir/tsan-plain-flag.log"; then
	pass "tsan-plain-flag-race-reported (exit $rc)"
else
	fail tsan-plain-flag-race-reported "no TSan data race on the flag (log: $out_dir/tsan-plain-flag.log)"
fi
for v in fixed fixed-counter; do
	rc=$(tsan_run "tsan-$v" --scenario invlpg-defer --variant "$v" --duration 5s --seed 2)
	if [ "$rc" -eq 0 ] && ! grep -q 'ThreadSanitizer' "$out_dir/tsan-$v.log"; then
		pass "tsan-$v-silent"
	else
		fail "tsan-$v-silent" "exit $rc (log: $out_dir/tsan-$v.log)"
	fi
done
# arm64: broadcast TLBIs, a DSB that waits for accesses in flight, tables
# a collapse frees after a grace period: nothing for TSan to say either.
for s in stage2-cmo stage2-blocks; do
	rc=$(tsan_run "tsan-$s-fixed" --scenario "$s" --variant fixed --duration 2s --seed 1)
	if [ "$rc" -eq 0 ] && ! grep -q 'ThreadSanitizer' "$out_dir/tsan-$s-fixed.log"; then
		pass "tsan-$s-fixed-silent"
	else
		fail "tsan-$s-fixed-silent" "exit $rc (log: $out_dir/tsan-$s-fixed.log)"
	fi
done
# A TSan report is a finding of the run: after TSan's own report come the
# model's last events of every thread and the rerun line, as after an
# oracle violation, and the JSON report records a data-race. zap-leafs'
# free-before-flush, which only TSan catches, is then judged under
# ./stress-tsan: expected caught, and caught.
./stress-tsan --scenario invlpg-defer --variant plain-flag --duration 5s --seed 1 \
	--report "$out_dir/tsan-finding.json" >"$out_dir/tsan-finding.log" 2>&1
last_out=$(cat "$out_dir/tsan-finding.log")
expect_output tsan-finding-printed '^!!! data-race: ThreadSanitizer reported a data-race'
expect_output tsan-finding-events '^!!! last [0-9]+ events of every thread'
expect_output tsan-finding-rerun '^Rerun: \./stress-tsan --scenario invlpg-defer --variant plain-flag'
if python3 - "$out_dir/tsan-finding.json" <<'PY'; then
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
kinds = [v["kind"] for v in r["violations"]]
assert "data-race" in kinds, kinds
assert r["verdict"] == "as-expected", r["verdict"]
assert "ThreadSanitizer reported" in [v for v in r["violations"] if v["kind"] == "data-race"][0]["text"]
PY
	pass tsan-finding-in-report
else
	fail tsan-finding-in-report "see $out_dir/tsan-finding.json"
fi
./stress-tsan --scenario zap-leafs --variant free-before-flush --duration 10s --seed 1 \
	>"$out_dir/tsan-only.log" 2>&1
last_out=$(cat "$out_dir/tsan-only.log")
expect_output tsan-only-variant-judged 'free-before-flush: violation .*expected violation -> as expected'
