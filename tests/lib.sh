# Shared by the end-to-end tests: counting, and running ./stress.
# Every check prints one line, PASS or FAIL with the reason; the runner adds
# them up.
passed=0
failed=0
out_dir=${OUT_DIR:-tests/out}
mkdir -p "$out_dir"

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }

# expect_exit NAME CODE CMD...: CMD exits CODE; its output is kept in
# $out_dir/NAME.log and in $last_out.
expect_exit() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$out_dir/$name.log" 2>&1
	rc=$?
	last_out=$(cat "$out_dir/$name.log")
	if [ "$rc" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, wanted $want (log: $out_dir/$name.log)"
	fi
	return 0
}

# expect_output NAME REGEX: the last command's output matches REGEX.
expect_output() {
	if grep -Eq -- "$2" <<<"$last_out"; then
		pass "$1"
	else
		fail "$1" "output lacks /$2/"
	fi
}

# seeds_meet NAME WANT SEEDS ARGS...: at least WANT of SEEDS runs of
# ./stress ARGS --seed S exit 0. Controlled runs are one thread each, so
# their seeds run CHECK_JOBS at a time (default 2, the cores CI has); free
# runs keep the machine to themselves, as their timing is what they test.
seeds_meet() {
	local name=$1 want=$2 seeds=$3 ok=0 seed rc t times="" jobs=1 bound="" safety_net=""
	local unit=s
	shift 3
	# A controlled claim's measure is executions (--executions N): each
	# seed's failing execution is what it prints, and a run the
	# --duration safety net ended first is no verdict.
	if [[ " $* " =~ " --executions "([0-9]+)" " ]]; then
		bound=${BASH_REMATCH[1]} unit=executions
		[[ " $* " =~ " --duration "([^ ]+)" " ]] && safety_net=${BASH_REMATCH[1]}
	fi
	# Controlled seeds are one thread each; a free seed that must run clean
	# claims only that nothing raced, and two at once on two cores is more
	# contention, not less. Free seeds that must catch a bug run alone:
	# their timing is what they measure.
	[[ " $* " =~ " --sched "(random|pct|cover) ]] && jobs=${CHECK_JOBS:-2}
	[[ " $* " =~ " --expect clean " ]] && jobs=${CHECK_JOBS:-2}
	for seed in $(seq 1 "$seeds"); do
		while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		( ./stress "$@" --seed "$seed" -q >"$out_dir/$name.$seed.log" 2>&1
		  echo $? >"$out_dir/$name.$seed.rc" ) &
	done
	wait
	for seed in $(seq 1 "$seeds"); do
		rc=$(cat "$out_dir/$name.$seed.rc")
		if [ "$rc" -ge 2 ]; then
			fail "$name" "seed $seed exited $rc (log: $out_dir/$name.$seed.log)"
			return 0
		fi
		[ "$rc" -eq 0 ] && ok=$((ok + 1))
		if [ -n "$bound" ]; then
			if ! stopped_short "$out_dir/$name.$seed.log" "$bound"; then
				fail "$name" "seed $seed: the $safety_net safety net ended it before \
its $bound executions (log: $out_dir/$name.$seed.log)"
				return 0
			fi
			t=$(sed -n 's/^Failing execution: \([0-9]*\),.*/\1/p' "$out_dir/$name.$seed.log")
		else
			t=$(sed -n 's/^First violation after \([0-9.]*\) s.*/\1/p' \
				"$out_dir/$name.$seed.log")
		fi
		[ -n "$t" ] && times="$times $t"
	done
	if [ $ok -ge "$want" ]; then
		pass "$name ($ok/$seeds seeds as expected${times:+; first violations at ($unit):$times})"
	else
		fail "$name" "only $ok/$seeds seeds as expected, wanted $want"
	fi
}

# clean_in_every_mode NAME EXECUTIONS ARGS...: a fixed variant (ARGS) runs
# clean in free mode (3 seeds of 1 s) and under random, pct:3 and cover in
# every memory model (2 seeds of EXECUTIONS executions each).
clean_in_every_mode() {
	local name=$1 executions=$2 s mem
	shift 2
	seeds_meet "$name-clean-free" 3 3 "$@" --duration 1s --expect clean
	for s in random pct:3 cover; do
		for mem in sc tso weak; do
			seeds_meet "$name-clean-$s-$mem" 2 2 "$@" --sched "$s" --memory "$mem" \
				--executions "$executions" --duration 300s --expect clean
		done
	done
}

# violation_named NAME KIND ARGS...: seed 1 of ARGS under --sched random
# reports KIND (the interleaving a scenario's file draws, and the violation
# it names); pass --keep-going where another kind may come first.
violation_named() {
	local name=$1 kind=$2
	shift 2
	./stress "$@" --sched random --executions 200000 --duration 300s --seed 1 \
		>"$out_dir/$name.log" 2>&1
	if grep -q "^!!! $kind:" "$out_dir/$name.log"; then
		pass "$name"
	else
		fail "$name" "no $kind (log: $out_dir/$name.log)"
	fi
}

# stopped_short LOG BOUND: a controlled run bounded by BOUND executions
# ended for a reason of its own (a violation, its executions done, its
# bounded search complete), not
# because the wall-clock safety net beside the bound ran out first: on a
# busy machine that would be a verdict of the clock, not of the claim.
stopped_short() {
	local n
	grep -q '^Failing execution: ' "$1" && return 0
	# A bounded search that explored its whole bound ended on its own.
	grep -Eq '^Bounded: explored [0-9]+ schedules, (complete to|every one)' "$1" && return 0
	n=$(sed -n 's/^Executions: \([0-9]*\) under.*/\1/p' "$1")
	[ -n "$n" ] && [ "$n" -ge "$2" ]
}
