# Bad input, generated (tests/tools/bad_input.py): every option's bad
# values and missing values from --list-options, the combinations a run or
# a replay refuses, bad report paths, and mutations of every stored replay.
# Each runs under ./stress-asan in a directory of its own: its exit code as
# stated, no signal, an end within its timeout, no sanitizer report, no
# file touched outside that directory. The quick tier has no sanitizer
# build: it runs the table on ./stress.
bad_input_stress=./stress-asan
[ -n "${quick:-}" ] && bad_input_stress=./stress
python3 tests/tools/bad_input.py "$bad_input_stress" "$out_dir" >"$out_dir/bad-input.log" 2>&1
grep '^FAIL' "$out_dir/bad-input.log" | head -20
summary=$(tail -1 "$out_dir/bad-input.log")
if [[ $summary =~ ^bad\ input:\ ([0-9]+)\ command\ lines,\ ([0-9]+)\ replay\ files,\ ([0-9]+)\ failed,\ ([0-9]+)\ files\ touched$ ]]; then
	cmds=${BASH_REMATCH[1]} replays=${BASH_REMATCH[2]} bad=${BASH_REMATCH[3]}
	touched=${BASH_REMATCH[4]}
	passed=$((passed + cmds + replays - bad))
	failed=$((failed + bad + touched))
	echo "bad input: $cmds command lines and $replays replay files, $bad failed, $touched files touched"
	[ "$cmds" -ge 150 ] && [ "$replays" -ge 100 ] && pass bad-input-table-size ||
		fail bad-input-table-size "$cmds command lines and $replays replays: fewer than 150 and 100"
else
	fail bad-input-table "it did not finish: see $out_dir/bad-input.log"
fi
