# ./stress --litmus: every test in tests/litmus/ under sc, tso and weak,
# each observation checked against what that memory model must say
# (sc: only sequentially consistent outcomes; tso: those plus store
# buffering's; weak: LKMM's verdict, the file's Result line, except where
# docs/model.md says the model is stronger), then bad files and options.
# Seeded and counted in executions, so the same on any machine; the
# Sometimes outcomes all showed within 1,000 random executions of each of
# 20 seeds when last measured (docs/running.md), a fifth of these 5,000.
litmus_executions=5000

# file: the observation under sc, tso and weak (N Never, S Sometimes,
# A Always). A letter that differs from the file's Result line is a
# deliberate difference: the run must exit 1 and say so.
litmus_table="
2+2W+fencembonceonces N N N
2+2W+poonceonces N N S
CoRR+poonceonce+Once N N N
CoWW+poonceonce N N N
IRIW+fencembonceonces+OnceOnce N N N
IRIW+fencermbonceonces+OnceOnce N N N
IRIW+poonceonces+OnceOnce N N S
LB+fencembonceonce+ctrlonceonce N N N
LB+poacquireonce+pooncerelease N N N
LB+poonceonces N N N
MP+fencewmbonceonce+fencermbonceonce N N N
MP+onceassign+derefonce N N N
MP+polocks N N N
MP+pooncerelease+poacquireonce N N N
MP+poonceonces N N S
R+fencembonceonces N N N
R+poonceonces N S S
RCU+sync+read N N N
RCU-deferred-free N N N
RCU-deferred-free+nosync S S S
S+fencewmbonceonce+poacquireonce N N N
S+poonceonces N N S
SB+atomicincreturns N N N
SB+atomicincs N S S
SB+fencembonceonces N N N
SB+poonceonces N S S
SB+xchgs N N N
WRC+pooncerelease+fencermbonceonce+Once N N N
WRC+poonceonces+Once N N S
atomic+inc+forall A A A
atomic+increturn N N N
cmpxchg+claim N N N
counter+locked N N N
counter+unlocked S S S
"

litmus_word() {
	case $1 in N) echo Never ;; S) echo Sometimes ;; A) echo Always ;; esac
}

# Every file is in the table, and every row has its file.
listed=$(awk 'NF {print $1}' <<<"$litmus_table" | sort)
present=$(cd tests/litmus && ls *.litmus | sed 's/\.litmus$//' | sort)
if [ "$listed" = "$present" ]; then
	pass "litmus-table-covers-every-file ($(wc -l <<<"$present") files)"
else
	fail litmus-table-covers-every-file "$(diff <(echo "$listed") <(echo "$present") | grep '^[<>]' | tr '\n' ' ')"
fi

litmus_differences=0
while read -r name sc tso weak; do
	[ -n "$name" ] || continue
	file=tests/litmus/$name.litmus
	lkmm=$(sed -n 's/^ \* Result: *\([A-Za-z]*\).*/\1/p' "$file" | head -1)
	for pair in "sc $sc" "tso $tso" "weak $weak"; do
		set -- $pair
		mem=$1 want=$(litmus_word "$2")
		log="$out_dir/litmus-$name-$mem.log"
		./stress --litmus "$file" --memory "$mem" --seed 1 \
			--executions "$litmus_executions" -q >"$log" 2>&1
		rc=$?
		seen=$(awk '/^Observation /{print $3}' "$log")
		want_rc=0
		[ "$want" = "$lkmm" ] || want_rc=1
		if [ "$seen" != "$want" ]; then
			fail "litmus-$name-$mem" "observed '${seen:-nothing}', wanted $want (log: $log)"
		elif [ "$rc" -ne "$want_rc" ]; then
			fail "litmus-$name-$mem" "exit $rc, wanted $want_rc (file says $lkmm; log: $log)"
		elif [ "$want_rc" -eq 1 ] && ! grep -q "^!!! Result differs: the file says $lkmm, this run observed $want" "$log"; then
			fail "litmus-$name-$mem" "exit 1 without the line saying why (log: $log)"
		else
			pass "litmus-$name-$mem ($seen)"
		fi
	done
	# Where weak differs from LKMM, docs/model.md must say why.
	if [ "$(litmus_word "$weak")" != "$lkmm" ]; then
		litmus_differences=$((litmus_differences + 1))
		if grep -q "$name" docs/model.md; then
			pass "litmus-$name-difference-documented"
		else
			fail "litmus-$name-difference-documented" "weak says $(litmus_word "$weak"), LKMM $lkmm, and docs/model.md does not name it"
		fi
	fi
done <<<"$litmus_table"
[ "$litmus_differences" -eq 2 ] && pass "litmus-two-documented-differences" ||
	fail litmus-two-documented-differences "$litmus_differences files differ from LKMM under weak, wanted 2 (LB and IRIW+rmb)"

# --sched bounded with no bound explores every schedule there is, pruned
# by sleep sets: the same observation as the table, said to be
# exhaustive, and the same set of final states as the search without the
# reduction (LOSTFLUSH_NO_SLEEP_SETS=1), which must not lose one.
litmus_states() { sed -n '/^States /,/^\(Ok\|No\)$/p' "$1" | sed '1d;$d' | sort; }
bounded_checked=0 bounded_failed=0 bounded_pruned=0 bounded_full=0
while read -r name sc tso weak; do
	[ -n "$name" ] || continue
	for pair in "sc $sc" "tso $tso" "weak $weak"; do
		set -- $pair
		mem=$1 want=$(litmus_word "$2")
		log="$out_dir/litmus-bounded-$name-$mem.log"
		full="$out_dir/litmus-bounded-full-$name-$mem.log"
		./stress --litmus "tests/litmus/$name.litmus" --memory "$mem" --sched bounded \
			--executions 300000 >"$log" 2>&1
		LOSTFLUSH_NO_SLEEP_SETS=1 ./stress --litmus "tests/litmus/$name.litmus" \
			--memory "$mem" --sched bounded --executions 40000 >"$full" 2>&1
		bounded_checked=$((bounded_checked + 1))
		seen=$(awk '/^Observation /{print $3}' "$log")
		if [ "$seen" != "$want" ] || ! grep -q '^Exhaustive: every schedule explored' "$log"; then
			bounded_failed=$((bounded_failed + 1))
			echo "  bounded $name $mem: observed '${seen:-nothing}', wanted $want, or not exhaustive ($log)"
		elif grep -q '^Exhaustive' "$full" && [ "$(litmus_states "$log")" != "$(litmus_states "$full")" ]; then
			bounded_failed=$((bounded_failed + 1))
			echo "  bounded $name $mem: sleep sets lost a state: diff $log $full"
		fi
		bounded_pruned=$((bounded_pruned + $(awk -F'[()]' '/^Exhaustive/{print $2}' "$log")))
		bounded_full=$((bounded_full + $(awk -F'[()]' '/^Exhaustive/{print $2}' "$full" | grep . || echo 40000)))
	done
done <<<"$litmus_table"
if [ "$bounded_failed" -eq 0 ]; then
	pass "litmus-bounded-exhaustive ($bounded_checked runs; sleep sets: $bounded_pruned schedules, without: $bounded_full)"
else
	fail litmus-bounded-exhaustive "$bounded_failed of $bounded_checked runs wrong (listed above)"
fi

# The herd7 block, whole, and the histogram's counts adding up.
expect_exit litmus-output 0 ./stress --litmus tests/litmus/MP+poonceonces.litmus \
	--memory weak --seed 1 --executions 3000
if grep -qx 'Test MP+poonceonces Allowed' <<<"$last_out" &&
	grep -qx 'States 4' <<<"$last_out" &&
	grep -qx '1:r0=1; 1:r1=0;' <<<"$last_out" &&
	grep -qx 'Ok' <<<"$last_out" &&
	grep -qx 'Condition exists (1:r0=1 /\\ 1:r1=0)' <<<"$last_out" &&
	grep -Eqx 'Observation MP\+poonceonces Sometimes [0-9]+ [0-9]+' <<<"$last_out" &&
	grep -q 'sched=random memory=weak seed=0x1 executions=3000' <<<"$last_out"; then
	pass litmus-output-herd-block
else
	fail litmus-output-herd-block "see $out_dir/litmus-output.log"
fi
sum=$(awk '/^Histogram/{h=1; next} h && /^[0-9]/{s+=$1} END{print s}' <<<"$last_out")
[ "$sum" = 3000 ] && pass litmus-histogram-counts ||
	fail litmus-histogram-counts "the histogram counts $sum executions, not 3000"

# Every controlled scheduler runs a litmus test through the same path.
for s in pct pct:2 cover; do
	expect_exit "litmus-sched-$s" 0 ./stress --litmus tests/litmus/SB+poonceonces.litmus \
		--memory tso --sched "$s" --seed 1 --executions 3000 -q
	expect_output "litmus-sched-$s-shows-sb" '^Observation SB\+poonceonces Sometimes'
done

# --report: the states and the verdict as JSON.
rm -f "$out_dir/litmus-report.json"
expect_exit litmus-report 0 ./stress --litmus tests/litmus/SB+poonceonces.litmus \
	--memory tso --seed 2 --executions 2000 -q --report "$out_dir/litmus-report.json"
if python3 - "$out_dir/litmus-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["test"] == "SB+poonceonces" and r["memory"] == "tso" and r["seed"] == "0x2"
assert r["observation"] == "Sometimes" and r["expected"] == "Sometimes"
assert r["verdict"] == "as expected" and r["executions"] == 2000
assert sum(s["count"] for s in r["states"]) == 2000
assert sum(s["count"] for s in r["states"] if s["condition_holds"]) == r["positive"] > 0
assert {"0:r0": 0, "1:r0": 0} in [s["values"] for s in r["states"]]
PY
then pass litmus-report-json; else fail litmus-report-json "see $out_dir/litmus-report.json"; fi

# Bad files: exit 2 before any execution, the message naming file, line,
# column and the bad token.
mkdir -p "$out_dir/litmus-bad"
printf 'C bad\n{}\nP0(int *x)\n{\n\tfrob(*x);\n}\nexists (x=1)\n' >"$out_dir/litmus-bad/prim.litmus"
printf 'C bad\n{}\nP0(int *x)\n{\n\tr0 = *x;\n}\nexists (0:r0=1)\n' >"$out_dir/litmus-bad/plain.litmus"
printf 'C bad\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (1:r0=1)\n' >"$out_dir/litmus-bad/thread.litmus"
printf 'C bad\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n' >"$out_dir/litmus-bad/eof.litmus"
printf 'C bad\n{}\nP0(int *x)\n{\n\tint *r0;\n\tr0 = READ_ONCE(*x);\n\tWRITE_ONCE(*r0, 1);\n}\nexists (x=1)\n' >"$out_dir/litmus-bad/deref.litmus"
for c in "prim:5:2: unknown primitive 'frob'" "plain:5:7: unexpected '\*': a plain access" \
	"thread:7:9: thread 1 in the condition" "eof:6:1: unexpected end of file: expected '}'" \
	"deref:7:14: P0 dereferences 0"; do
	f=${c%%:*} words=${c#*:}
	expect_exit "litmus-bad-$f" 2 ./stress --litmus "$out_dir/litmus-bad/$f.litmus" --seed 1
	expect_output "litmus-bad-$f-message" "^stress: $out_dir/litmus-bad/$f.litmus:$words"
done
expect_exit litmus-bad-missing 2 ./stress --litmus "$out_dir/litmus-bad/none.litmus"
expect_output litmus-bad-missing-message "--litmus '.*none.litmus' cannot be read"
expect_exit litmus-bad-directory 2 ./stress --litmus "$out_dir/litmus-bad"
expect_exit litmus-sched-free 2 ./stress --litmus tests/litmus/MP+poonceonces.litmus --sched free
expect_output litmus-sched-free-message "^stress: --sched free cannot run a litmus test"
expect_exit litmus-scenario-option 2 ./stress --litmus tests/litmus/MP+poonceonces.litmus --vcpus 2
expect_output litmus-scenario-option-message "^stress: --vcpus cannot be given with --litmus"
expect_exit litmus-with-scenario 2 ./stress --litmus tests/litmus/MP+poonceonces.litmus \
	--scenario invlpg-defer
expect_output litmus-with-scenario-message "^stress: --scenario cannot be given with --litmus"
