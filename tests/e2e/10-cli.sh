# Command line: help, list, and every kind of bad input exits 2 with a
# message naming the bad value.
expect_exit cli-help 0 ./stress --help
expect_output cli-help-lists-scenario '--scenario NAME'
expect_exit cli-version 0 ./stress --version
expect_output cli-version-text '^lostflush [0-9]'
expect_exit cli-list 0 ./stress --list
for v in fixed plain-flag clear-after-request notifier-ignores-flag fixed-counter counter-reset \
	late-snapshot missing-wmb nonatomic-inc; do
	expect_output "cli-list-has-$v" "^ +$v "
done
expect_output cli-list-missing-wmb-why 'store buffers'

expect_exit cli-no-scenario 2 ./stress
expect_output cli-no-scenario-names 'scenarios: all, invlpg-defer'
expect_exit cli-unknown-scenario 2 ./stress --scenario nosuch
expect_output cli-unknown-scenario-named "'nosuch' is unknown"
expect_exit cli-unknown-variant 2 ./stress --scenario invlpg-defer --variant nosuch
expect_output cli-unknown-variant-lists 'variants: all, fixed, plain-flag'
expect_exit cli-bad-duration 2 ./stress --scenario invlpg-defer --duration 10x
expect_output cli-bad-duration-named "'10x' is not allowed"
expect_exit cli-zero-duration 2 ./stress --scenario invlpg-defer --duration 0s
expect_exit cli-vcpus-zero 2 ./stress --scenario invlpg-defer --vcpus 0
expect_output cli-vcpus-zero-range "'0' is not allowed: give a whole number from 1 to 64"
expect_exit cli-vcpus-huge 2 ./stress --scenario invlpg-defer --vcpus 100000
expect_exit cli-unknown-option 2 ./stress --scenario invlpg-defer --frobnicate
expect_output cli-unknown-option-named "unknown option '--frobnicate'"
expect_exit cli-missing-value 2 ./stress --scenario
expect_exit cli-bad-expect 2 ./stress --scenario invlpg-defer --expect maybe
expect_exit cli-bad-perturb 2 ./stress --scenario invlpg-defer --perturb spin=3
expect_exit cli-bad-workload 2 ./stress --scenario invlpg-defer --workload bogus=1
expect_exit cli-hot-over-gfns 2 ./stress --scenario invlpg-defer --gfns 64 --hot-gfns 100
expect_exit cli-stray-arg 2 ./stress --scenario invlpg-defer extra
rm -rf "$out_dir/no-such-dir"
expect_exit cli-report-unwritable 2 ./stress --scenario invlpg-defer --duration 1s \
	--report "$out_dir/no-such-dir/r.json"
expect_output cli-report-unwritable-named "cannot be written"
if [ -e "$out_dir/no-such-dir" ]; then
	fail cli-report-unwritable-nothing-written "something was created"
else
	pass cli-report-unwritable-nothing-written
fi
expect_exit cli-sched-free 0 ./stress --scenario invlpg-defer --sched free --duration 200ms --seed 1
expect_exit cli-sched-unknown 2 ./stress --scenario invlpg-defer --sched fair
expect_output cli-sched-unknown-named "'fair' is not allowed: use free, random, pct, pct:D \\(D from 1 to 8\\), pct:D:K \\(K from 1 to 1000000\\), cover, pos, surw, bounded or bounded:K \\(K from 0 to 64\\)"

# A replay is read from a regular file only, sized before it is read: a
# device is refused at once (/dev/zero was read to the budget), and a file
# past --max-memory is named by its true size.
start=$SECONDS
expect_exit cli-replay-dev-zero 2 ./stress --replay /dev/zero
expect_output cli-replay-dev-zero-says "'/dev/zero' cannot be replayed: it is a character device"
if [ $((SECONDS - start)) -le 2 ]; then pass cli-replay-dev-zero-at-once; else
	fail cli-replay-dev-zero-at-once "it took $((SECONDS - start)) s"; fi
head -c 3000000 /dev/zero >"$out_dir/replay-3mb.json"
expect_exit cli-replay-too-big 3 ./stress --replay "$out_dir/replay-3mb.json" --max-memory 2M
expect_output cli-replay-too-big-true-size "it is 3000000 bytes, more than --max-memory \\(2097152\\)"
rm -f "$out_dir/replay-3mb.json"

# Every value within its range, their sum past what a run holds: refused
# before the run, naming the limit and the values, not an internal error.
expect_exit cli-workers-total 2 ./stress --scenario invlpg-defer --vcpus 64 \
	--actors invalidator=8,flusher=8
expect_output cli-workers-total-says "81 workers, more than the 80 a run holds: 64 vCPUs \\(--vcpus 64\\) and 17 other workers \\(--actors invalidator=8,flusher=8: invalidator=8, flusher=8, zapper=1\\)"
expect_exit cli-workers-total-scenario-roles 2 ./stress --scenario spte-mmu-writable \
	--vcpus 64 --actors tracker=8,ager=8
expect_output cli-workers-total-scenario-roles-says "81 workers.*reaper=1, tracker=8, ager=8"
expect_exit cli-workers-total-at-limit 0 ./stress --scenario invlpg-defer --vcpus 64 \
	--actors invalidator=8,flusher=7 --duration 100ms -q

# --report naming the file --replay reads would replace the reproducer.
cp scenarios/replays/invlpg-defer-counter-reset.json "$out_dir/same.json"
sum_before=$(cksum <"$out_dir/same.json")
expect_exit cli-replay-report-same 2 ./stress --replay "$out_dir/same.json" \
	--report "$out_dir/../$(basename "$out_dir")/same.json"
expect_output cli-replay-report-same-says "names the file --replay reads"
ln -sf same.json "$out_dir/same-link.json"
expect_exit cli-replay-report-same-link 2 ./stress --replay "$out_dir/same.json" \
	--report "$out_dir/same-link.json"
if [ "$(cksum <"$out_dir/same.json")" = "$sum_before" ]; then pass cli-replay-report-same-kept
else fail cli-replay-report-same-kept "the replay file was changed"; fi
expect_exit cli-replay-variant-all 2 ./stress --replay "$out_dir/same.json" --variant all
expect_output cli-replay-variant-all-says "--variant all cannot be used with --replay: a replay runs one variant"

# A value a replay file gave is named as the file's key, not as an option.
python3 - "$out_dir/same.json" "$out_dir/fwb.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["runs"][0]["replay"]["cpu_features"] = "fwb"
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit cli-replay-key-refused 2 ./stress --replay "$out_dir/fwb.json"
expect_output cli-replay-key-refused-names-file "fwb.json: key \"cpu_features\" \\(fwb\\) is not allowed for invlpg-defer/counter-reset"
rm -f "$out_dir/same.json" "$out_dir/same-link.json" "$out_dir/fwb.json"

# A scenario that does not apply to an arch says why for that arch.
expect_exit cli-arch-reason-tdp 3 ./stress --scenario invlpg-defer --arch x86-tdp
expect_output cli-arch-reason-tdp-says "does not apply to x86-tdp: .*the TDP MMU has no shadow pages"

# --list: no scenario's line ends in a dangling separator.
expect_exit cli-list-separators 0 ./stress --list
if grep -nE ', ;|, \(|,$|; ;|: ;|, *$' <<<"$last_out"; then
	fail cli-list-no-dangling-separator "a line above ends in a separator"
else
	pass cli-list-no-dangling-separator
fi

# Standard output to a full disk: what was printed was not read. A success
# becomes exit 3 with the error on stderr; a found race keeps its 1.
for args in "--list --json" "--list" "--help" "--list-options" "--version" \
	"--scenario invlpg-defer --duration 200ms --seed 1"; do
	name=cli-stdout-full-$(tr -c 'a-z0-9' - <<<"${args%% --seed*}" | sed 's/-*$//; s/^-*//')
	# shellcheck disable=SC2086 # the words are the options
	./stress $args >/dev/full 2>"$out_dir/$name.log"
	rc=$?
	if [ $rc -eq 3 ] &&
		grep -q '^stress: write error on standard output: No space left on device$' "$out_dir/$name.log"; then
		pass "$name"
	else
		fail "$name" "exit $rc (wanted 3 and the error on stderr; log: $out_dir/$name.log)"
	fi
done
./stress --scenario invlpg-defer --variant notifier-ignores-flag --duration 20s --seed 3 \
	--expect clean >/dev/full 2>"$out_dir/cli-stdout-full-race.log"
rc=$?
if [ $rc -eq 1 ] && grep -q 'write error on standard output' "$out_dir/cli-stdout-full-race.log"; then
	pass cli-stdout-full-race-keeps-1
else
	fail cli-stdout-full-race-keeps-1 "exit $rc (wanted 1 and the error on stderr)"
fi
