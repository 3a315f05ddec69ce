# Hardening: inputs and events that once crashed, hung, lost a finding or
# damaged a file. Each check here failed before its fix.

# A VM smaller than one 2M block: the host's discard stays inside guest
# memory (it wrote past the host page table), and a variant whose bug lives
# in huge leaves is expected clean where no huge page fits.
for g in 64 100 511; do
	expect_exit "hard-zap-leafs-gfns-$g" 0 ./stress -q --scenario zap-leafs --gfns "$g" \
		--duration 1s --seed 1
done
expect_exit hard-narrow-huge-flush-small-vm 0 ./stress -q --scenario zap-leafs \
	--variant narrow-huge-flush --gfns 100 --duration 1s --seed 1
expect_output hard-narrow-huge-flush-small-vm-clean 'clean after .*expected clean'

# The report names each run's own threads (they were read after the run
# that named them was freed: another run's names, or freed memory).
rm -f "$out_dir/hard-names.json"
./stress -q --scenario invlpg-defer --variant all --sched random --duration 2s --seed 2 \
	--report "$out_dir/hard-names.json" >"$out_dir/hard-names.log" 2>&1
if python3 - "$out_dir/hard-names.json" <<'PY'
import json, re, sys
runs = [r for r in json.load(open(sys.argv[1]))["runs"] if "threads" in r]
assert runs, "no failing run to check"
for r in runs:
    vcpus = [t for t in r["threads"] if re.fullmatch(r"v\d+", t)]
    assert len(vcpus) == r["config"]["vcpus"], (r["variant"], r["threads"])
    assert len(set(r["threads"])) == len(r["threads"]), r["threads"]
PY
then pass hard-report-thread-names; else fail hard-report-thread-names "see above"; fi

# Every scenario and variant on a small VM: no crash, and a report of them
# all.
rm -f "$out_dir/hard-all-small.json"
./stress -q --scenario all --gfns 100 --duration 200ms --seed 1 \
	--report "$out_dir/hard-all-small.json" >"$out_dir/hard-all-small.log" 2>&1
rc=$?
want=$(./stress --list | grep -cE '^    [a-z0-9-]+ +(fixed|buggy) ')
got=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"]))' \
	"$out_dir/hard-all-small.json" 2>/dev/null)
if [ "$rc" -le 1 ] && [ "$got" = "$want" ]; then
	pass "hard-all-small-vm (exit $rc, $got of $want runs reported)"
else
	fail hard-all-small-vm "exit $rc, $got of $want runs in the report"
fi

# Reports: never replace what is not a regular file, follow a link to one.
rm -f "$out_dir/hard-fifo" "$out_dir/hard-real.json" "$out_dir/hard-link.json"
mkfifo "$out_dir/hard-fifo"
expect_exit hard-report-fifo-refused 2 ./stress -q --scenario invlpg-defer --duration 10s \
	--report "$out_dir/hard-fifo"
[ -p "$out_dir/hard-fifo" ] && pass hard-report-fifo-still-a-fifo ||
	fail hard-report-fifo-still-a-fifo "it was replaced"
expect_output hard-report-refused-before-the-run '^stress: --report .* not a regular file'
if grep -q '^lostflush\|End of test' <<<"$last_out"; then
	fail hard-report-refused-before-any-run "a run started"
else
	pass hard-report-refused-before-any-run
fi
echo old >"$out_dir/hard-real.json"
ln -s hard-real.json "$out_dir/hard-link.json"
expect_exit hard-report-through-link 0 ./stress -q --scenario invlpg-defer --duration 100ms \
	--seed 1 --report "$out_dir/hard-link.json"
if [ -L "$out_dir/hard-link.json" ] && grep -q '"tool": "lostflush"' "$out_dir/hard-real.json"; then
	pass hard-report-link-kept-target-written
else
	fail hard-report-link-kept-target-written "the link or its target is not as it should be"
fi
i=0
for p in "" "$out_dir" "$out_dir/" .; do
	i=$((i + 1))
	expect_exit "hard-report-bad-path-$i" 2 ./stress -q --scenario invlpg-defer \
		--duration 10s --report "$p"
	expect_output "hard-report-bad-path-$i-named" "^stress: --report '$p' cannot be written"
done

# Every option is checked against every run before the first starts.
expect_exit hard-all-checked-first 2 ./stress -q --scenario all --gfns 64 --hot-gfns 100
if grep -q 'End of test\|invlpg-defer/' <<<"$last_out"; then
	fail hard-all-checked-first-no-run "a run started before the refusal"
else
	pass hard-all-checked-first-no-run
fi
# A flag given a value is named as such (it was "unknown option '-\v'").
expect_exit hard-flag-with-value 2 ./stress --scenario invlpg-defer --keep-going=yes
expect_output hard-flag-with-value-named "option '--keep-going' takes no value"
# Decimal, never octal: 010 is ten.
expect_exit hard-no-octal 0 ./stress --scenario invlpg-defer --vcpus 010 --duration 100ms \
	--seed 1
expect_output hard-no-octal-ten 'vcpus=10 '

# A rerun line is never cut short, however long the options.
long_workload=invlpg=0.2500000000000001,write=0.5000000000000001,slice=64,unmap-pages=4,invalidate-us=10,flusher-us=20,zapper-us=30,reaper-us=40,tracker-us=50,ager-us=60,hot=8,entries=7,invalidations=5,flushes=5,zaps=5,harvests=5,tracks=5,agings=5,slice=65,slice=66
long_perturb=spin=0.01000000000000001,yield=0.001000000000000001,sleep=0.0001000000000000001,spin-max=1000,sleep-max-us=100,window-boost=20
expect_exit hard-long-rerun 0 ./stress --scenario invlpg-defer --variant notifier-ignores-flag \
	--duration 20s --seed 3 --tlb-entries 128 --gfns 8192 --vcpus 3 --workload "$long_workload" \
	--perturb "$long_perturb"
line=$(sed -n 's/^Rerun: //p' <<<"$last_out")
if [ "${#line}" -gt 512 ] && [[ $line == *"--perturb $long_perturb --workload $long_workload" ]]; then
	pass "hard-long-rerun-whole (${#line} characters)"
else
	fail hard-long-rerun-whole "'$line'"
fi

# Signals: SIGINT, SIGTERM and SIGHUP stop every mode, write the report,
# and never claim SUCCESS for what was cut short.
# stop_after NAME SIGNAL SECONDS ARGS...: run ./stress ARGS, send SIGNAL
# after SECONDS; $stop_rc, $stop_ms (from the signal to the end). With
# $stop_once set, SECONDS count from when the output first matches it.
stop_after() {
	local name=$1 sig=$2 secs=$3 pid t0 tries=0
	shift 3
	./stress "$@" >"$out_dir/$name.log" 2>&1 &
	pid=$!
	while [ -n "${stop_once:-}" ] && ! grep -Eq "$stop_once" "$out_dir/$name.log" &&
		[ $tries -lt 600 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	sleep "$secs"
	t0=$(date +%s%N)
	kill -"$sig" $pid
	wait $pid
	stop_rc=$?
	stop_ms=$((($(date +%s%N) - t0) / 1000000))
	last_out=$(cat "$out_dir/$name.log")
}
report_says() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); $2" "$1" 2>/dev/null; }

rm -f "$out_dir/hard-minimize.json"
# Once the violation is found and minimizing has started.
stop_once='^!!! stale' stop_after hard-minimize-sigint INT 1 -q --scenario invlpg-defer --variant late-snapshot \
	--sched random --seed 1 --minimize --duration 20s \
	--workload entries=1000,invalidations=1000,flushes=1000,zaps=1000 \
	--report "$out_dir/hard-minimize.json"
if [ $stop_rc -eq 130 ] && [ $stop_ms -lt 2000 ] &&
	report_says "$out_dir/hard-minimize.json" 'r = r["runs"][0]; assert r["outcome"] == "violation" and r["minimize_interrupted"] and "schedule" in r["replay"]'; then
	pass "hard-minimize-stops-and-keeps-its-best ($stop_ms ms)"
else
	fail hard-minimize-stops-and-keeps-its-best "exit $stop_rc after $stop_ms ms; see $out_dir/hard-minimize-sigint.log"
fi
expect_output hard-minimize-says-interrupted '^End of test: INTERRUPTED$'
# What it kept replays to the violation it kept.
expect_exit hard-minimize-best-replays 0 ./stress -q --replay "$out_dir/hard-minimize.json"

for sig in INT TERM HUP; do
	rm -f "$out_dir/hard-all-$sig.json"
	stop_after "hard-variant-all-$sig" $sig 2 -q --scenario invlpg-defer --variant all \
		--duration 5s --seed 3 --report "$out_dir/hard-all-$sig.json"
	want=$((128 + $(kill -l $sig)))
	if [ $stop_rc -eq $want ] && [ $stop_ms -lt 2000 ] &&
		grep -q '^End of test: INTERRUPTED$' <<<"$last_out" &&
		report_says "$out_dir/hard-all-$sig.json" 'assert len(r["runs"]) == 1 and r["runs"][0]["interrupted"]'; then
		pass "hard-variant-all-$sig-interrupted (exit $stop_rc, $stop_ms ms)"
	else
		fail "hard-variant-all-$sig-interrupted" "exit $stop_rc after $stop_ms ms; see $out_dir/hard-variant-all-$sig.log"
	fi
done
# A controlled execution is abandoned where it stands: a long one, too.
stop_after hard-controlled-sigint INT 2 -q --scenario invlpg-defer --vcpus 64 \
	--sched random --duration 20s --workload entries=1000,invalidations=1000,flushes=1000
[ $stop_rc -eq 130 ] && [ $stop_ms -lt 2000 ] && pass "hard-controlled-sigint ($stop_ms ms)" ||
	fail hard-controlled-sigint "exit $stop_rc after $stop_ms ms"
# At the largest model, the walks over every gfn give up when asked.
stop_after hard-big-model-sigint INT 2 -q --scenario dirty-log --gfns 67108864 --duration 60s
[ $stop_rc -eq 130 ] && [ $stop_ms -lt 2000 ] && pass "hard-big-model-sigint ($stop_ms ms)" ||
	fail hard-big-model-sigint "exit $stop_rc after $stop_ms ms"
t0=$(date +%s%N)
expect_exit hard-big-model-3s 0 ./stress -q --scenario dirty-log --gfns 67108864 --duration 3s \
	--seed 1
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -lt 6000 ] && pass "hard-big-model-3s-ends-near-3s ($ms ms)" ||
	fail hard-big-model-3s-ends-near-3s "$ms ms"

# Budgets: the search's archive stops at --max-memory and says so; a
# replay asking for more decisions than it holds is refused at once.
rm -f "$out_dir/hard-cover-budget.json"
expect_exit hard-cover-budget 0 /usr/bin/time -f 'peak %M KB' ./stress -q \
	--scenario invlpg-defer --vcpus 64 --sched cover --duration 3s --seed 1 --max-memory 64M \
	--report "$out_dir/hard-cover-budget.json"
peak=$(sed -n 's/^peak \([0-9]*\) KB/\1/p' <<<"$last_out")
if [ -n "$peak" ] && [ "$peak" -lt 300000 ] &&
	report_says "$out_dir/hard-cover-budget.json" 'r = r["runs"][0]; assert r["cover_archive_full"] and r["cover_archive_bytes"] <= 64 << 20'; then
	pass "hard-cover-budget-held (peak $((peak / 1024)) MiB)"
else
	fail hard-cover-budget-held "peak ${peak:-?} KB; see $out_dir/hard-cover-budget.log"
fi
expect_output hard-cover-budget-said 'the archive reached its limit'
python3 - "$out_dir/hard-huge-replay.json" <<'PY'
import json, sys
r = json.load(open("scenarios/replays/invlpg-defer-counter-reset.json"))
r["runs"][0]["replay"]["schedule"] = [{"run": i % 5, "n": 10**7} for i in range(1000)]
json.dump(r, open(sys.argv[1], "w"))
PY
expect_exit hard-huge-replay 3 /usr/bin/time -f 'peak %M KB' ./stress -q \
	--replay "$out_dir/hard-huge-replay.json"
expect_output hard-huge-replay-names-the-budget 'asks for more than [0-9]+ decisions .*--max-memory'
peak=$(sed -n 's/^peak \([0-9]*\) KB/\1/p' <<<"$last_out")
[ -n "$peak" ] && [ "$peak" -lt 100000 ] && pass "hard-huge-replay-built-nothing ($peak KB)" ||
	fail hard-huge-replay-built-nothing "peak ${peak:-?} KB"

# What the machine lacks is exit 3, naming it; never a harness bug.
expect_exit hard-no-threads 3 bash -c 'ulimit -v 200000; exec ./stress -q --scenario invlpg-defer --vcpus 64 --duration 1s'
expect_output hard-no-threads-named 'not enough threads: .*--vcpus'
expect_exit hard-no-memory 3 bash -c 'ulimit -v 200000; exec ./stress -q --scenario dirty-log --gfns 10000000 --duration 1s'
expect_output hard-no-memory-named 'not enough memory: the VM model of 10000000 gfns'

# A role added to any scenario with --actors either runs clean or is refused
# before the run, naming what the VM lacks (a reaper on a VM without dirty
# logging crashed; an ager on x86-shadow died as the harness's own bug).
for s in $(./stress --list --json | python3 -c 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin)))'); do
	# Every role --actors takes, from its table (cli/specs.c).
	for r in $(sed -n 's/^\t{ "\([a-z]*\)", SPEC_COUNT, 0, [0-9], A(.*/\1/p' cli/specs.c); do
		for m in "free --duration 100ms" "random --executions 50"; do
			# shellcheck disable=SC2086 # $m is the scheduler and its length
			./stress -q --scenario "$s" --actors "$r=1" --sched $m --seed 1 \
				>"$out_dir/hard-actors.log" 2>&1
			rc=$?
			if [ "$rc" = 0 ] || { [ "$rc" = 2 ] &&
				grep -q "is not allowed for $s/.*has no .* for an\? $r" "$out_dir/hard-actors.log"; }; then
				pass "hard-actors-$s-$r-${m%% *}"
			else
				fail "hard-actors-$s-$r-${m%% *}" "exit $rc: $(tail -3 "$out_dir/hard-actors.log")"
			fi
		done
	done
done

# An invalidator beside a dirty log: a page the notifier unmapped comes back
# with its data (it came back with a recycled frame's, and the migration's
# check saw a write no one made). Seeds that failed before.
for run in dirty-log:1 dirty-log:2 dirty-log:3 spte-mmu-writable:4 spte-mmu-writable:6; do
	expect_exit "hard-invalidator-beside-log-${run%:*}-${run#*:}" 0 ./stress -q \
		--scenario "${run%:*}" --actors invalidator=1 --duration 1s --seed "${run#*:}"
done

# PML with the dirty ring: the hardware logs without exits, so a vCPU
# writing many pages in one entry overflowed the ring (exit 4); a full PML
# buffer now exits, as EXIT_REASON_PML_FULL does.
for m in free random; do
	expect_exit "hard-pml-ring-$m" 0 ./stress -q --scenario dirty-log --log ring --ad-bits on \
		--workload hot=16 --sched "$m" --duration 1s --seed 1
done
