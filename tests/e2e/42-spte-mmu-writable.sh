# spte-mmu-writable: dirty logging, write-tracking and aging on one gfn set.
# Each buggy flush rule is caught (25-claims), for the right right; the
# fixed rule runs clean in every scheduler and memory model.
for v in w-rule enable-log-no-flush; do
	seeds_meet "spte-mmu-writable-$v-caught" 5 5 --scenario spte-mmu-writable \
		--variant "$v" --duration 10s
done
seeds_meet spte-mmu-writable-fixed-clean 3 3 --scenario spte-mmu-writable --variant fixed \
	--duration 1s --expect clean
for s in random pct:3; do
	for mem in sc weak; do
		seeds_meet "spte-mmu-writable-fixed-clean-$s-$mem" 6 6 --scenario spte-mmu-writable \
			--variant fixed --sched "$s" --memory "$mem" --duration 500ms --expect clean
	done
done
# With A/D bits logging never clears W and aging never touches it: the
# w-rule and enable-log windows close; tracking without a flush still leaks.
seeds_meet spte-mmu-writable-never-flush-overwrite-caught-ad-bits 19 20 \
	--scenario spte-mmu-writable --variant never-flush-overwrite --ad-bits on --duration 10s
for v in w-rule enable-log-no-flush; do
	seeds_meet "spte-mmu-writable-$v-clean-ad-bits" 3 3 --scenario spte-mmu-writable \
		--variant "$v" --ad-bits on --duration 500ms
done
seeds_meet spte-mmu-writable-fixed-clean-ad-bits-random 3 3 --scenario spte-mmu-writable \
	--variant fixed --ad-bits on --sched random --duration 500ms --expect clean
# The right violation for the right right.
grep -l "write-escaped-tracking" "$out_dir"/spte-mmu-writable-w-rule-caught.*.log \
	2>/dev/null | wc -l | grep -qx 5 &&
	pass spte-mmu-writable-w-rule-escapes-tracking ||
	fail spte-mmu-writable-w-rule-escapes-tracking "not every w-rule log names write-escaped-tracking"
grep -l "lost-dirty-write" "$out_dir"/spte-mmu-writable-enable-log-no-flush-caught.*.log \
	2>/dev/null | wc -l | grep -qx 5 &&
	pass spte-mmu-writable-enable-log-loses-dirty-writes ||
	fail spte-mmu-writable-enable-log-loses-dirty-writes \
		"not every enable-log-no-flush log names lost-dirty-write"
./stress --scenario spte-mmu-writable --variant fixed --seed 1 --duration 500ms -q \
	--report "$out_dir/spte-mmu-writable.json" >/dev/null 2>&1
if python3 - "$out_dir/spte-mmu-writable.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
for k in ("tracking_wrprots", "dirty_log_harvests", "agings", "wrprot_faults"):
    assert c[k] > 0, (k, c)
print(f'{c["tracking_wrprots"]} tracking write-protects, {c["dirty_log_harvests"]} harvests, '
      f'{c["wrprot_faults"]} write-protect faults, {c["remote_flushes"]} flushes')
PY
then
	pass spte-mmu-writable-counters
else
	fail spte-mmu-writable-counters "see $out_dir/spte-mmu-writable.json"
fi
