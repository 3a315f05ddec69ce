# The JSON report of a caught race holds what a reader needs, and the text
# output marks the violation, dumps events and ends with the verdict line.
rm -f "$out_dir/caught.json"
expect_exit report-caught 0 ./stress --scenario invlpg-defer --variant notifier-ignores-flag \
	--duration 20s --seed 3 --expect violation --report "$out_dir/caught.json"
expect_output report-text-marks-violation '^!!! stale-tlb-after-free: vCPU [0-9]+ (read|wrote) gfn'
expect_output report-text-dumps-events '^!!! last [0-9]+ events of every thread'
expect_output report-text-has-rerun '^Rerun: .*--variant notifier-ignores-flag --seed 0x3'
expect_output report-text-ends 'End of test: SUCCESS$'
if python3 - "$out_dir/caught.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
v = r["violations"][0]
assert r["scenario"] == "invlpg-defer" and r["variant"] == "notifier-ignores-flag", r
assert r["seed"] == "0x3" and r["outcome"] == "violation" and r["as_expected"], r
assert r["violations_total"] >= 1 and r["time_to_first_violation_s"] > 0
assert r["accesses_to_first_violation"] > 0
assert v["kind"] == "stale-tlb-after-free" and v["current_epoch"] != v["entry_epoch"], v
for k in ("vcpu", "gfn", "pfn", "level", "write", "time_s", "accesses"):
    assert k in v, k
for k in ("remote_flushes", "range_flushes", "kicks", "tlb_entries_dropped", "accesses"):
    assert isinstance(r["counters"][k], int), k
# Counted, not just present. Not flushes or kicks: the race needs neither,
# and a run caught in its first milliseconds may have made none.
assert r["counters"]["accesses"] > 0
PY
then pass report-json-fields; else fail report-json-fields "see the traceback above"; fi

# A run that does not meet its expectation exits 1 and says FAILURE.
expect_exit report-unexpected-clean 1 ./stress --scenario invlpg-defer --variant fixed \
	--duration 1s --seed 1 --expect violation
expect_output report-unexpected-clean-says 'End of test: FAILURE$'

# Ctrl-C stops the run cleanly and the report is still written whole; a
# run cut short claims nothing: INTERRUPTED, exit 128 + SIGINT.
rm -f "$out_dir/interrupted.json"
./stress --scenario invlpg-defer --variant fixed --duration 60s --seed 5 \
	--report "$out_dir/interrupted.json" >"$out_dir/sigint.log" 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
start=$(date +%s)
wait $pid
rc=$?
if [ $rc -eq 130 ] && [ $(($(date +%s) - start)) -le 5 ] &&
	grep -q '^End of test: INTERRUPTED$' "$out_dir/sigint.log" &&
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; assert r["interrupted"] and r["elapsed_s"] < 30 and r["verdict"] == "not-judged"' \
		"$out_dir/interrupted.json" 2>/dev/null; then
	pass sigint-stops-and-reports
else
	fail sigint-stops-and-reports "exit $rc; see $out_dir/sigint.log"
fi

# timeout(1) signals the process and then its process group: the second
# SIGINT, microseconds after the first, is the same request, not a second
# one that ends the process before its report and its last line.
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	rm -f "$out_dir/timeout.json"
	timeout --preserve-status -s INT 2 ./stress --scenario invlpg-defer --variant fixed \
		--duration 60s --seed "$i" --report "$out_dir/timeout.json" >"$out_dir/timeout.log" 2>&1
	rc=$?
	[ $rc -eq 130 ] && [ "$(tail -1 "$out_dir/timeout.log")" = "End of test: INTERRUPTED" ] &&
		python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["interrupted"]' \
			"$out_dir/timeout.json" 2>/dev/null && ok=$((ok + 1))
done
if [ $ok -eq 10 ]; then pass timeout-int-reports; else
	fail timeout-int-reports "$ok of 10 runs under timeout -s INT wrote the report, the last line and exit 130"; fi

# A report the file system has no room for: exit 3 naming the temporary
# file, and never in place of a race's 1 or a signal's 128 + N. A full
# file system is a tmpfs of 64 KiB filled up (mount needs root: without it
# these checks are not run, and test_verdict's cover the precedence).
full_dir=$out_dir/full-fs
mkdir -p "$full_dir"
if mount -t tmpfs -o size=64k tmpfs "$full_dir" 2>/dev/null; then
	dd if=/dev/zero of="$full_dir/fill" bs=4k 2>/dev/null
	expect_exit report-disk-full 3 ./stress --scenario invlpg-defer --duration 200ms --seed 1 \
		-q --report "$full_dir/r.json"
	expect_output report-disk-full-names-tmp "the report '$full_dir/r.json' was not written: writing '$full_dir/\\.r\\.json\\.[A-Za-z0-9]{6}' failed: No space left on device"
	expect_output report-disk-full-says 'End of test: REPORT NOT WRITTEN$'
	expect_exit report-disk-full-race-keeps-1 1 ./stress --scenario invlpg-defer \
		--variant notifier-ignores-flag --duration 20s --seed 3 --expect clean -q \
		--report "$full_dir/r.json"
	./stress --scenario invlpg-defer --duration 60s --seed 1 -q --report "$full_dir/r.json" \
		>"$out_dir/report-disk-full-signal.log" 2>&1 &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid
	rc=$?
	if [ $rc -eq 143 ] && grep -q 'was not written' "$out_dir/report-disk-full-signal.log"; then
		pass report-disk-full-signal-keeps-143
	else
		fail report-disk-full-signal-keeps-143 "exit $rc (log: $out_dir/report-disk-full-signal.log)"
	fi
	umount "$full_dir"
else
	echo "SKIP report-disk-full: no tmpfs can be mounted here (not root)"
fi
rmdir "$full_dir" 2>/dev/null
