#!/usr/bin/env bash
# The nightly job: every scenario and variant in free mode (the running
# kernel's too, where /dev/kvm can run a guest), then in every
# controlled scheduler and memory model, then under ThreadSanitizer, each for
# DURATION (default 60s; CONTROLLED_DURATION, default 10s, for the
# controlled runs), with JSON reports in OUT_DIR (default nightly-out). Then
# every fixed variant for FIXED_SEEDS seeds (default 20) of FIXED_DURATION
# (default 10s) in free mode and under random, pct:3 and cover in every memory
# model, in every --log mode, --ad-bits and --tlb-huge setting its scenario
# has. Last, the mutation score (make mutants), its table in
# OUT_DIR/mutants/mutants.md.
# Exits non-zero if any run was not as expected or TSan reported on a fixed
# variant. Variants not stated as caught in a mode are reported, not judged.
set -u
cd "$(dirname "$0")/.."
dur=${DURATION:-60s}
out=${OUT_DIR:-nightly-out}
mkdir -p "$out"
status=0
./stress --scenario all --duration "$dur" --seed "${SEED:-$(date +%s)}" \
	--report "$out/free.json" | tee "$out/free.log" || status=1
# The running kernel's scenarios (--backend kvm), where /dev/kvm can run a
# guest; each vCPU count, and each bitmap form of the dirty log.
offer=$(./stress --backend kvm --list | head -1)
if [[ $offer == *"unusable here"* ]]; then
	echo "real kernel: skipped: ${offer#backend: kvm, unusable here: }"
else
	for log in bitmap clear; do
		for vcpus in 2 4; do
			./stress --backend kvm --scenario all --log "$log" --vcpus "$vcpus" \
				--duration "$dur" --seed "${SEED:-$(date +%s)}" \
				--report "$out/real-$log-$vcpus.json" >"$out/real-$log-$vcpus.log" 2>&1 ||
				status=1
			tail -1 "$out/real-$log-$vcpus.log" | sed "s/^/real-$log-$vcpus: /"
		done
	done
fi
for sched in random pct:3 cover; do
	for memory in sc tso weak; do
		tag="${sched/:/}-$memory"
		./stress --scenario all --sched "$sched" --memory "$memory" \
			--duration "${CONTROLLED_DURATION:-10s}" --seed "${SEED:-$(date +%s)}" \
			--report "$out/$tag.json" >"$out/$tag.log" 2>&1 || status=1
		tail -1 "$out/$tag.log" | sed "s/^/$tag: /"
	done
done
# Fixed variants, many seeds: a clean run proves little; twenty in a row in
# every mode say the fixed ordering holds. Controlled seeds run two at a
# time (each is one thread); free seeds alone, since their timing is what
# they test.
settings_of() {
	case $1 in
	dirty-log | spte-mmu-writable) echo "--log=bitmap --log=clear --log=ring --ad-bits=on" ;;
	tdp-lockless) echo "- --ad-bits=on" ;;
	memslot-move) echo "- --log=clear --ad-bits=on" ;;
	zap-leafs) echo "--tlb-huge=entry --tlb-huge=splinter" ;;
	*) echo "-" ;;
	esac
	# Controlled modes run one actor per role unless told: the full roster
	# too (free mode has it already).
	./stress --list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s["name"] == sys.argv[1] and s["workers"] and s["workers"] != s["controlled_workers"]:
        names = s["workers"].split(",")
        print("--actors=" + ",".join("%s=%d" % (n, names.count(n)) for n in dict.fromkeys(names)))
' "$1"
}
fixed_seeds=${FIXED_SEEDS:-20}
while read -r scenario variant; do
	for setting in $(settings_of "$scenario"); do
		extra=()
		[ "$setting" = - ] || extra=("${setting%%=*}" "${setting#*=}")
		for mode in free random/sc random/tso random/weak pct:3/sc pct:3/tso pct:3/weak \
			cover/sc cover/tso cover/weak; do
			sched=${mode%/*}
			memory=()
			[ "$mode" = free ] || memory=(--memory "${mode#*/}")
			tag="fixed-$scenario-$variant-${sched/:/}${memory[1]:+-${memory[1]}}${extra[1]:+-${extra[0]#--}-${extra[1]}}"
			for seed in $(seq 1 "$fixed_seeds"); do
				while [ "$(jobs -pr | wc -l)" -ge 2 ]; do
					wait -n || true
				done
				( ./stress --scenario "$scenario" --variant "$variant" --sched "$sched" \
					--duration "${FIXED_DURATION:-10s}" --seed "$seed" --expect clean -q \
					${memory[@]+"${memory[@]}"} ${extra[@]+"${extra[@]}"} \
					>"$out/$tag.$seed.log" 2>&1
				  echo $? >"$out/$tag.$seed.rc" ) &
				[ "$sched" = free ] && wait
			done
			wait
			bad=0
			for seed in $(seq 1 "$fixed_seeds"); do
				[ "$(cat "$out/$tag.$seed.rc" 2>/dev/null)" = 0 ] || bad=$((bad + 1))
			done
			echo "$tag: $((fixed_seeds - bad))/$fixed_seeds seeds clean"
			[ "$bad" -eq 0 ] || status=1
		done
	done
done < <(./stress --list | awk '/^[a-z]/ {s=$1} /^    [a-z]/ && $2=="fixed" {print s, $1}')
export TSAN_OPTIONS="halt_on_error=0 exitcode=66"
while read -r scenario variant kind; do
	log="$out/tsan-$scenario-$variant.log"
	./stress-tsan --scenario "$scenario" --variant "$variant" --duration "$dur" -q \
		--keep-going >"$log" 2>&1
	if grep -q 'WARNING: ThreadSanitizer' "$log"; then
		tsan=race
	else
		tsan=silent
	fi
	echo "tsan $scenario/$variant ($kind): $tsan"
	[ "$kind" = fixed ] && [ "$tsan" = race ] && status=1
done < <(./stress --list | awk '/^[a-z]/ {s=$1} /^    [a-z]/ && ($2=="fixed"||$2=="buggy") {print s, $1, $2}')
# The mutation score: could the fixed variants have failed? A mutant no
# plain ./stress run killed runs its suite under the sanitizer builds there
# are; their kills are counted apart.
make -s stress-cov && tests/tools/mutants.py --sanitizers --out "$out/mutants" || status=1
exit $status
