#!/usr/bin/env bash
# Seed sweep: run one scenario variant over seeds 1..SEEDS with GNU parallel,
# on this machine's cores or on several machines, and print how many runs
# met the expectation, with the median and slowest time to the first
# violation (and, in controlled modes, executions to it: failing execution
# + 1, the same on any machine).
#   scripts/sweep.sh SCENARIO VARIANT SEEDS DURATION [extra ./stress options]
# Examples:
#   scripts/sweep.sh invlpg-defer clear-after-request 20 20s --expect violation
#   scripts/sweep.sh invlpg-defer late-snapshot 20 300s --sched pct:4 --executions 300000
#   SSHLOGINFILE=hosts scripts/sweep.sh dirty-log fixed 100 300s --sched cover --executions 300000
# Environment:
#   JOBS          seeds at once on each machine (default: its cores; a line
#                 "N/host" of SSHLOGINFILE counts that host as N cores)
#   SSHLOGINFILE  GNU parallel's --sshloginfile, one machine a line; ":" is
#                 this one, "2/:" this one as two cores (default: this
#                 machine alone)
#   OUT           where results go (default
#                 tests/out/sweep/SCENARIO-VARIANT-STAMP); an existing OUT is
#                 refused, never written into
#   STRESS        the binary (default: this checkout's ./stress)
# Seed K runs STRESS --scenario S --variant V --seed K --duration D -q
# --report seed-K.json [extra] >seed-K.log 2>&1 in OUT/runs.
# OUT/joblog is GNU parallel's (which machine ran which seed, when; its
# Exitval is 0 for any verdict, met or not, and ./stress's code otherwise);
# OUT/merged.json merges the reports in the nightly's format, "night.kind"
# "sweep" (scripts/sweep_merge.py, which also prints the summary line).
#
# Other machines must hold this checkout, built (make stress) at the same
# commit, at the same path, and have GNU parallel and rsync, reached by ssh
# without a password. A seed there runs STRESS by that path in a directory
# of its own under ~/.parallel/tmp; its report and log come back to
# OUT/runs when it ends (--return) and that directory is removed
# (--cleanup). Nothing is copied out: a binary sent over would need the
# same libraries there anyway, and a controlled seed's executions to
# detection depend on the build being the same.
#
# Free runs (no --sched, or --sched free) that must catch a violation run
# one seed at a time on each machine (-j1, whatever JOBS says): their timing
# is what they test, and a free-mode claim needs a margin that holds on a
# loaded machine, not on one the sweep itself loads. Controlled runs (random,
# pct, cover) are one thread each and deterministic in their seed, and free
# runs that must stay clean claim only that nothing raced: JOBS at a time.
#
# A seed whose ./stress exits 2 (bad usage), 3 (the machine lacks what the
# run asks for) or 4 (the harness failed), or dies of a signal nobody sent,
# is no miss: it is printed with the end of its log, no new seed starts
# (--halt soon,fail=1; those running finish), and the sweep exits with the
# first such seed's code (4 for a signal).
#
# Ctrl-C, SIGTERM or SIGHUP: no new seed starts, and GNU parallel sends each
# running seed one SIGTERM, on which ./stress stops at its next schedule
# point and writes its report marked interrupted (5 s, then SIGKILL).
# Finished seeds' reports and logs stay in OUT/runs (a remote seed's came
# back when it finished; one cut short there stays in its directory there).
# merged.json is written from the finished seeds, the rest counted as
# unfinished, and the sweep exits 130.
#
# Exit: 0 every seed met the expectation, 1 some did not, 2 bad usage or OUT
# exists, 3 no GNU parallel here, 130 interrupted; or a seed's 2, 3 or 4.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: $0 SCENARIO VARIANT SEEDS DURATION [extra ./stress options]" >&2
	echo "  env: JOBS, SSHLOGINFILE, OUT, STRESS (see the header of $0)" >&2
	exit 2
}

# absolute PATH: OUT and STRESS as the caller meant them, and the same
# path on every machine.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

# opt_value NAME ARGS...: the last value ARGS give option NAME, in either
# form (--sched pct, --sched=pct), or nothing.
opt_value() {
	local name=$1 value=
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		"$name") value=${2-} && [ $# -gt 1 ] && shift ;;
		"$name"=*) value=${1#*=} ;;
		esac
		shift
	done
	printf '%s' "$value"
}

# expects_violation ARGS...: --expect says so, or without it the variant is
# buggy (./stress's own default). An unknown variant answers yes: it
# fails at once either way, one seed at a time costs nothing.
expects_violation() {
	local expect
	expect=$(opt_value --expect "$@")
	[ -n "$expect" ] && { [ "$expect" = violation ]; return; }
	"$stress" --list --json 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    for v in s["variants"]:
        if s["name"] == sys.argv[1] and v["name"] == sys.argv[2]:
            sys.exit(0 if v["buggy"] else 1)
' "$scenario" "$variant"
}

# setting_of ARGS...: the nightly's setting ("log=ring,ad_bits=on"), "-"
# when the extra options choose none.
setting_of() {
	local opt value setting=
	for opt in log ad-bits tlb-huge range-flush; do
		value=$(opt_value "--$opt" "$@")
		[ -n "$value" ] && setting=${setting:+$setting,}${opt//-/_}=$value
	done
	printf '%s\n' "${setting:--}"
}

# has_remote FILE: an sshloginfile naming a machine other than ":". A
# special name (.., -) is taken as naming one.
has_remote() {
	[ -f "$1" ] || return 0
	grep -v '^[[:space:]]*\(#\|$\)' "$1" | sed 's|^[0-9]*/||' | grep -qv '^[[:space:]]*:[[:space:]]*$'
}

# check_env: JOBS and SSHLOGINFILE as GNU parallel takes them, checked
# before OUT is made, so a typo costs nothing.
check_env() {
	if [ -n "${JOBS:-}" ] && ! [[ $JOBS =~ ^([1-9][0-9]*|[+-][0-9]+|[0-9]+(\.[0-9]+)?%)$ ]]; then
		echo "sweep: JOBS is a count (2), a share of the cores (50%) or the cores plus or minus N (+1, -1), not '$JOBS'" >&2
		exit 2
	fi
	if [ -n "${SSHLOGINFILE:-}" ] && [ ! -r "$SSHLOGINFILE" ]; then
		echo "sweep: SSHLOGINFILE $SSHLOGINFILE cannot be read" >&2
		exit 2
	fi
}

# make_out: create OUT/runs, refusing an OUT that exists (mkdir, not
# mkdir -p, so two sweeps started at once cannot share one).
make_out() {
	if [ -e "$out" ]; then
		echo "sweep: $out exists: refusing to write into it (set OUT to a new directory)" >&2
		exit 2
	fi
	if ! { mkdir -p "$(dirname "$out")" && mkdir "$out" 2>/dev/null && mkdir "$out/runs"; }; then
		echo "sweep: cannot create $out (does it exist now?)" >&2
		exit 2
	fi
}

# seed_command: the command GNU parallel runs for seed {}, in sh. On this
# machine it writes into OUT/runs; on another, into the job's own directory
# there (--workdir ...), from which --return brings the files to OUT/runs
# and --cleanup removes that directory, never anything of OUT, even where
# a machine is this one under another name or shares its file system.
# Its exit is 0 for any verdict (met or not: the report says which) so that
# --halt stops on the harness's codes alone; "trap :" keeps the shell
# waiting for ./stress to write its report when SIGTERM reaches the seed's
# process group.
# shellcheck disable=SC2016 # $PARALLEL_SSHLOGIN and $rc are the seed's shell's
seed_command() {
	# Quoted for sh, but for parallel's {} (the seed: digits).
	printf '{ [ "${PARALLEL_SSHLOGIN:-:}" != : ] || cd %q; } && ' "$out/runs"
	printf '{ trap : INT TERM HUP; '
	printf '%q ' "$stress" --scenario "$scenario" --variant "$variant"
	printf -- '--seed {} '
	printf '%q ' --duration "$duration" -q
	printf -- '--report seed-{}.json '
	[ $# -eq 0 ] || printf '%q ' "$@"
	printf '>seed-{}.log 2>&1; rc=$?; [ $rc -le 1 ] || exit $rc; }'
}

# run_parallel ARGS...: the seeds through GNU parallel, in the background so
# that a signal to the sweep is handled at once (set -m gives it a process
# group of its own: Ctrl-C reaches the sweep, which passes on one SIGTERM).
run_parallel() {
	local seed_list args=(--joblog "$out/joblog" --halt 'soon,fail=1' --termseq 'TERM,5000,KILL,25')
	if [ -n "${SSHLOGINFILE:-}" ]; then
		args+=(--sshloginfile "$SSHLOGINFILE")
		has_remote "$SSHLOGINFILE" && args+=(--workdir ... --cleanup
			--return "$out/runs/./seed-{}.json" --return "$out/runs/./seed-{}.log")
	fi
	if [ "$mode" = free ] && expects_violation "$@"; then
		[ -n "${JOBS:-}" ] && [ "$JOBS" != 1 ] &&
			echo "sweep: free runs that must catch a violation run one at a time per machine: JOBS=$JOBS not used" >&2
		args+=(-j1)
	elif [ -n "${JOBS:-}" ]; then
		args+=(-j "$JOBS")
	fi
	mapfile -t seed_list < <(seq 1 "$seeds")
	set -m
	parallel "${args[@]}" "$(seed_command "$@")" ::: "${seed_list[@]}" &
	parallel_pid=$!
	set +m
	wait "$parallel_pid"
	# A trapped signal ends the wait early: wait again for the seeds' reports.
	while kill -0 "$parallel_pid" 2>/dev/null; do
		wait "$parallel_pid"
	done
}

# on_signal: stop the sweep once, keeping what finished.
on_signal() {
	[ -n "$interrupted" ] && return
	interrupted=1
	echo "sweep: interrupted: stopping the running seeds, keeping the finished ones" >&2
	[ -n "$parallel_pid" ] && kill -TERM "$parallel_pid" 2>/dev/null
}

# harness_failures: each seed whose job exited non-zero, loudly, with the
# end of its log; prints the sweep's exit code for them (nothing if none).
# Seeds cut short by an interrupt are unfinished, not failures.
harness_failures() {
	local seq host rc signal first=
	# Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
	while IFS=$'\t' read -r seq host _ _ _ _ rc signal _; do
		[ "$seq" = Seq ] && continue
		[ "$signal" != 0 ] && rc=$((128 + signal))
		[ "$rc" = 0 ] && continue
		[ -n "$interrupted" ] && [ "$rc" -ge 128 ] && continue
		[ "$host" = : ] && host="this machine"
		echo "sweep: seed $seq on $host: ./stress exited $rc ($(meaning "$rc")); not counted as a miss" >&2
		[ -f "$out/runs/seed-$seq.log" ] && tail -5 "$out/runs/seed-$seq.log" | sed 's/^/  | /' >&2
		[ -z "$first" ] && first=$rc
	done < <(sort -n "$out/joblog" 2>/dev/null)
	[ -z "$first" ] && return
	case $first in
	2 | 3 | 4) echo "$first" ;;
	*) echo 4 ;;
	esac
}

meaning() {
	case $1 in
	2) echo "bad usage" ;;
	3) echo "the machine lacks what the run asks for" ;;
	4) echo "the harness itself failed" ;;
	127) echo "no such binary there" ;;
	255) echo "ssh or the job's shell failed" ;;
	*) [ "$1" -gt 128 ] && echo "killed by signal $(($1 - 128))" || echo "unknown" ;;
	esac
}

# merge: the finished seeds' reports into merged.json and the summary line.
merge() {
	local reports=() seed
	for seed in $(seq 1 "$seeds"); do
		[ -f "$out/runs/seed-$seed.json" ] && reports+=("$out/runs/seed-$seed.json")
	done
	if [ ${#reports[@]} -eq 0 ]; then
		echo "sweep: no seed wrote a report: nothing to merge" >&2
		return 1
	fi
	python3 "$root/scripts/sweep_merge.py" --scenario "$scenario" --variant "$variant" \
		--seeds "$seeds" --setting "$(setting_of "$@")" --started "$started" \
		--out "$out/merged.json" "${reports[@]}"
}

# verdict_exit: 0 when every planned seed finished and met the expectation.
verdict_exit() {
	python3 - "$out/merged.json" "$seeds" <<-'EOF'
		import json, sys
		s = json.load(open(sys.argv[1]))["sweeps"][0]
		sys.exit(0 if s["met"] == s["seeds"] == int(sys.argv[2]) else 1)
	EOF
}

[ $# -ge 4 ] || usage
scenario=$1 variant=$2 seeds=$3 duration=$4
shift 4
[[ $seeds =~ ^[1-9][0-9]*$ ]] || { echo "sweep: SEEDS must be a positive number, not '$seeds'" >&2; usage; }
if ! parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	echo "sweep: needs GNU parallel (Debian package parallel)" >&2
	exit 3
fi
stress=$(absolute "${STRESS:-$root/stress}")
out=$(absolute "${OUT:-$root/tests/out/sweep/$scenario-$variant-$(date -u +%Y%m%dT%H%M%SZ)}")
mode=$(opt_value --sched "$@")
mode=${mode:-free}
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
interrupted='' parallel_pid=''
check_env
make_out
trap on_signal INT TERM HUP
run_parallel "$@"
failed=$(harness_failures)
if [ -z "$interrupted" ] && [ "$(tail -n +2 "$out/joblog" 2>/dev/null | wc -l)" -eq 0 ]; then
	echo "sweep: GNU parallel ran no seed (its message is above)" >&2
	# Nothing in OUT but what the sweep made: free the name again.
	rm -f "$out/joblog" && rmdir "$out/runs" "$out" 2>/dev/null
	exit 2
fi
merge "$@"
merged=$?
[ -n "$failed" ] && exit "$failed"
[ -n "$interrupted" ] && exit 130
[ $merged -eq 0 ] || exit 4
verdict_exit
