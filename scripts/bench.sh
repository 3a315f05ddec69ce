#!/usr/bin/env bash
# make bench: what a flush policy costs and how fast each bug is found, every
# figure measured in this run, side by side.
#
#  1. Time to detection: hyperfine runs each buggy variant once per seed
#     (each run stops at its first violation); the table gives the median,
#     fastest and slowest over the seeds.
#  2. Cost: every variant runs the same time with --keep-going; the table
#     gives guest accesses/s, remote flushes/s, kicks per flush and TLB
#     entries dropped per flush, and the rate relative to the fixed variant.
#  3. What perturbation costs: fixed with the default schedule-point
#     perturbation against perturbation off.
#  4. Controlled-mode hand-off rate: the decisions/s of --sched random,
#     pct:3 and cover next to the raw price of a hand-off, measured by
#     scripts/pingpong.c (pthread semaphore and swapcontext fiber ping-pong),
#     against the aim of at least 500,000 decisions/s.
#  5. Time to detection per mode, for every buggy variant of the catalogue
#     (./stress --list --json) under each mode it claims: controlled modes
#     (random, pct at its depth, cover, with the memory model the claim
#     states) counted in executions, two runs at a time; free mode in
#     seconds, one run at a time (scripts/bench_detect.py).
#  6. What a notifier flush policy costs: hva-range-flush's fixed (per-slot
#     range flushes), full-flush (today's one full flush) and seed-plus-one
#     (the posted + 1) run the same seed and time: accesses/s, flushes,
#     pages covered by range flushes and beyond what was zapped, and valid
#     TLB entries dropped although still current (over-flush).
#  7. Memory: a dirty-log VM of 1,000,000 gfns (4 GiB of guest memory) in
#     each --log mode, every gfn hot: peak RSS per gfn against the aim of at
#     most 64 bytes of model state per gfn.
#  8. What the seed's CMO move saves: stage2-cmo's fixed (the CMOs in the
#     map walker, paid by the fault that installs) against cmo-in-abort
#     (every fault pays, as before the seed), one seed, one length: faults,
#     breaks, faults that found the work done (-EAGAIN), pages cleaned to PoC
#     and I-cache pages invalidated, each per fault, and TLBIs by kind;
#     then the arm64 notifier's targeted TLBIs (age-targeted: unmap and
#     clear_flush_young, an ager running) against core code's VMID-wide
#     flush (vmid-flush-on-ret, seed 000): TLBIs by kind and the TLB
#     entries the VMID-wide ones dropped; then stage2-blocks, where every
#     vCPU faults one 2M block: fixed against cmo-in-abort (pages cleaned
#     per fault) and against rebreak-perms (blocks broken again for their
#     permissions, TLBIs and faults per collapse).
#  9. A vCPU thread's guest accesses per second, alone (no actors, no
#     perturbation), beside a bare loop of the model's own tlb_lookup() over
#     the same working set (build/bench_tlb_loop): in rounds, one after the
#     other, the medians compared (scripts/bench_figures.py).
# 10. The same rate beside the scenario's actors and with the default
#     perturbation.
# 11. The rate of section 9's runs under ./stress-tsan, in the same rounds.
# 12. The schedulers side by side: every buggy variant with a controlled
#     claim under random, pct:3, pct:5, pos, surw, cover and bounded:2, in
#     executions to the first violation over the same seeds
#     (scripts/bench_schedulers.py; schedulers.md beside bench.md). Hours
#     at its full settings (20 seeds, 300,000 executions): SCHED_BUDGET
#     caps it, SCHED_ONLY picks variants.
#
# Sections 4, 5 and 9-11 write their figures to reports/out/bench.json and
# bench.md (BENCH_REPORT_DIR), with the date, the machine and the commit.
#
# Knobs: SEEDS (section 1, default 10), COST_SECONDS (default 3), LIMIT (per
# run, 20s), HANDOFF_SECONDS (each stress run of section 4, default 3),
# PINGPONG_SECONDS (each of build/pingpong's two, 2), DETECT_LIMIT (a free
# run in section 5, 10s), BENCH_SEEDS (section 5, 5), BENCH_EXECUTIONS (a
# controlled run in section 5, 100000), BENCH_SAFETY_NET (its wall clock,
# 300s), BENCH_DETECT_BUDGET (section 5 in all, 3600 s), BENCH_RATE_SECONDS
# (a run of sections 9-11, 3), BENCH_ROUNDS (sections 9 and 11, 3), CC
# (compiler for build/pingpong, gcc). BENCH_QUICK=1 shortens every length
# and seed count (about a minute in all); a knob given wins over it.
set -eu
cd "$(dirname "$0")/.."
quick=${BENCH_QUICK:-0}

# knob NAME FULL QUICK: $NAME if it is set, else the default of this kind
# of run.
knob() {
	if [ -n "${!1:-}" ]; then
		echo "${!1}"
	elif [ "$quick" != 0 ]; then
		echo "$3"
	else
		echo "$2"
	fi
}

seeds=$(knob SEEDS 10 1)
cost_s=$(knob COST_SECONDS 3 0.3)
limit=$(knob LIMIT 20s 1s)
handoff_s=$(knob HANDOFF_SECONDS 3 0.3)
pingpong_s=$(knob PINGPONG_SECONDS 2 0.3)
# The Python sections read theirs from the environment.
export DETECT_LIMIT BENCH_SEEDS BENCH_EXECUTIONS BENCH_SAFETY_NET BENCH_DETECT_BUDGET \
	BENCH_RATE_SECONDS BENCH_ROUNDS
DETECT_LIMIT=$(knob DETECT_LIMIT 10s 1s)
BENCH_SEEDS=$(knob BENCH_SEEDS 5 1)
BENCH_EXECUTIONS=$(knob BENCH_EXECUTIONS 100000 10000)
BENCH_SAFETY_NET=$(knob BENCH_SAFETY_NET 300s 5s)
BENCH_DETECT_BUDGET=$(knob BENCH_DETECT_BUDGET 3600 15)
BENCH_RATE_SECONDS=$(knob BENCH_RATE_SECONDS 3 0.3)
BENCH_ROUNDS=$(knob BENCH_ROUNDS 3 1)
report_dir=${BENCH_REPORT_DIR:-reports/out}
out=${OUT_DIR:-tests/out}/bench
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing; run make setup" >&2; exit 3; }
# Only this run's figures reach the report.
rm -f "$out/figures.jsonl" "$out/detection.json"
bench_start=$SECONDS

echo "== time to first violation (free mode, $seeds seeds, limit $limit per run)"
for v in notifier-ignores-flag clear-after-request late-snapshot plain-flag; do
	hyperfine -N --runs 1 --style none -i --parameter-scan seed 1 "$seeds" \
		--export-json "$out/detect-$v.json" --export-markdown "$out/detect-$v.md" \
		"./stress --scenario invlpg-defer --variant $v --seed {seed} --duration $limit -q --expect violation" \
		>/dev/null 2>&1
done
python3 - "$out" <<'PY'
import json, statistics, sys, glob, os
print(f"{'variant':24} {'median s':>9} {'fastest':>8} {'slowest':>8} {'caught':>7}")
for f in sorted(glob.glob(os.path.join(sys.argv[1], "detect-*.json"))):
    rs = json.load(open(f))["results"]
    t = [r["mean"] for r in rs]
    caught = sum(1 for r in rs if r["exit_codes"][0] == 0)
    name = os.path.basename(f)[7:-5]
    print(f"{name:24} {statistics.median(t):9.3f} {min(t):8.3f} {max(t):8.3f} {caught:>3}/{len(rs)}")
PY

echo
echo "== cost of each policy ($cost_s s each, --keep-going, seed 1)"
for v in fixed plain-flag clear-after-request notifier-ignores-flag fixed-counter \
	late-snapshot missing-wmb nonatomic-inc; do
	./stress --scenario invlpg-defer --variant "$v" --seed 1 --duration "${cost_s}s" \
		--keep-going -q --report "$out/cost-$v.json" >/dev/null || true
done
./stress --scenario invlpg-defer --variant fixed --seed 1 --duration "${cost_s}s" -q \
	--perturb spin=0,yield=0,sleep=0 --report "$out/cost-unperturbed.json" >/dev/null || true
python3 - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(d, f"cost-{name}.json")))["runs"][0]
base = load("fixed")
def rate(r): return r["counters"]["accesses"] / r["elapsed_s"]
print(f"{'variant':24} {'Macc/s':>7} {'vs fixed':>8} {'flushes/s':>10} {'kicks/flush':>11} {'dropped/flush':>13} {'violations':>10}")
for v in ["fixed", "plain-flag", "clear-after-request", "notifier-ignores-flag",
          "fixed-counter", "late-snapshot", "missing-wmb", "nonatomic-inc", "unperturbed"]:
    r = load(v); c = r["counters"]; fl = max(c["remote_flushes"], 1)
    label = v if v != "unperturbed" else "fixed, no perturbation"
    print(f"{label:24} {rate(r)/1e6:7.2f} {rate(r)/rate(base):8.2f} {c['remote_flushes']/r['elapsed_s']:10.0f}"
          f" {c['kicks']/fl:11.2f} {c['tlb_entries_dropped']/fl:13.2f} {r['violations_total']:10}")
PY

# 4. The controlled schedulers run one worker at a time and may switch at
# any decision, so how fast they go depends on what a hand-off costs.
# build/pingpong measures that price twice: over real threads (what a naive
# scheduler parking threads on semaphores would pay) and over swapcontext
# fibers (what the controlled scheduler actually uses). Not every decision
# switches workers, so a decision rate can beat the fiber hand-off rate.
handoff_rate() {
	local sched tag
	local -a argv

	echo
	echo "== controlled-mode hand-off rate (invlpg-defer/fixed, seed 1, ${handoff_s}s per stress run)"
	rm -f "$out/handoff-pingpong.txt" "$out/handoff-random.json" "$out/handoff-pct.json" \
		"$out/handoff-cover.json"
	mkdir -p build
	# Rebuild only when the source is newer: the binary is a measuring tool,
	# not part of the harness, so the Makefile does not know about it.
	if [ ! -x build/pingpong ] || [ scripts/pingpong.c -nt build/pingpong ]; then
		${CC:-gcc} -std=gnu11 -O2 -pthread -o build/pingpong scripts/pingpong.c ||
			echo "bench: cannot build build/pingpong" >&2
	fi
	printf 'pingpong\tbuild/pingpong %s\n' "$pingpong_s" >"$out/handoff-commands.txt"
	if [ -x build/pingpong ]; then
		build/pingpong "$pingpong_s" >"$out/handoff-pingpong.txt" || true
	fi
	for sched in random pct:3 cover; do
		tag=${sched%%:*}
		argv=(./stress --scenario invlpg-defer --variant fixed --sched "$sched" --seed 1
			--duration "${handoff_s}s" -q --report "$out/handoff-$tag.json")
		# The report names each figure's command: this one, as it ran.
		printf '%s\t%s\n' "$tag" "${argv[*]}" >>"$out/handoff-commands.txt"
		"${argv[@]}" >/dev/null </dev/null || true
	done
	python3 scripts/bench_figures.py handoff "$out"
}

# 5. Which mode finds which bug, and how fast: every claim of the catalogue.
detect_modes() {
	echo
	python3 scripts/bench_detect.py "$out"
}

# 12. The schedulers side by side, in executions.
schedulers_side_by_side() {
	echo
	echo "== the schedulers side by side (executions to the first violation)"
	SCHED_SEEDS=$(knob SCHED_SEEDS 20 1) SCHED_EXECUTIONS=$(knob SCHED_EXECUTIONS 300000 2000) \
		SCHED_BUDGET=$(knob SCHED_BUDGET 86400 20) SCHED_ONLY=$(knob SCHED_ONLY "" \
		invlpg-defer/notifier-ignores-flag) \
		python3 scripts/bench_schedulers.py "$out/schedulers"
	mkdir -p "$report_dir"
	cp "$out/schedulers/schedulers.md" "$out/schedulers/schedulers.json" "$report_dir/"
}

# 9-11. A vCPU thread's guest access rate against its ceilings.
access_rates() {
	echo
	python3 scripts/bench_figures.py rates "$out"
}

# 6. The three notifier policies of hva-range-flush, one seed, one length.
range_flush_cost() {
	echo
	echo "== notifier flush policies (hva-range-flush, $cost_s s each, seed 1)"
	for v in fixed full-flush seed-plus-one; do
		./stress --scenario hva-range-flush --variant "$v" --seed 1 --duration "${cost_s}s" \
			-q --report "$out/range-$v.json" >/dev/null </dev/null || true
	done
	python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
print(f"{'policy':14} {'Macc/s':>7} {'full/s':>7} {'range/s':>8} {'pages/range':>11}"
      f" {'excess/range':>12} {'overflush/s':>11}")
for v in ["fixed", "full-flush", "seed-plus-one"]:
    try:
        r = json.load(open(os.path.join(d, f"range-{v}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"{v:14} no report")
        continue
    c, t = r["counters"], r["elapsed_s"]
    nr = max(c["range_flushes"], 1)
    print(f"{v:14} {c['accesses'] / t / 1e6:7.2f} {c['remote_flushes'] / t:7.0f}"
          f" {c['range_flushes'] / t:8.0f} {c['range_flush_pages'] / nr:11.2f}"
          f" {c['range_flush_excess_pages'] / nr:12.2f} {c['tlb_overflush'] / t:11.0f}")
PY
}

# 7. One process per run, so each peak RSS is that VM's alone.
big_vm_memory() {
	local gfns=1000000 m

	echo
	echo "== memory of a $gfns-gfn dirty-log VM ($cost_s s each, every gfn hot)"
	for m in bitmap clear ring; do
		./stress --scenario dirty-log --log "$m" --gfns "$gfns" --hot-gfns "$gfns" --seed 1 \
			--duration "${cost_s}s" -q --report "$out/memory-$m.json" >/dev/null </dev/null || true
	done
	python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
AIM = 64
print(f"{'--log':8} {'peak RSS MiB':>12} {'bytes/gfn':>10} {'pages reaped':>13} {'outcome':>8}")
for m in ["bitmap", "clear", "ring"]:
    try:
        r = json.load(open(os.path.join(d, f"memory-{m}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"{m:8} no report")
        continue
    mem = r["memory"]
    verdict = "within" if mem["bytes_per_gfn"] <= AIM else "ABOVE"
    print(f"{m:8} {mem['peak_rss_bytes'] / 2**20:12.1f} {mem['bytes_per_gfn']:10.1f}"
          f" {r['counters']['dirty_pages_reaped']:13} {r['outcome']:>8}  {verdict} the {AIM} B aim")
PY
}

# 8. stage2-cmo's two clean orders, one seed, one length.
stage2_cmo_cost() {
	echo
	echo "== stage-2 cache maintenance (stage2-cmo, $cost_s s each, seed 1)"
	# The notifier's two flushes with FWB, where both are clean (without
	# it the VMID-wide one loses uncached writes: stage2-cmo's note).
	for v in fixed cmo-in-abort age-targeted vmid-flush-on-ret; do
		features=none
		case $v in age-targeted | vmid-flush-on-ret) features=fwb ;; esac
		./stress --scenario stage2-cmo --variant "$v" --seed 1 --duration "${cost_s}s" \
			--cpu-features "$features" -q --report "$out/stage2-$v.json" >/dev/null \
			</dev/null || true
	done
	for v in fixed cmo-in-abort rebreak-perms; do
		./stress --scenario stage2-blocks --variant "$v" --seed 1 --duration "${cost_s}s" \
			-q --report "$out/stage2-blocks-$v.json" >/dev/null </dev/null || true
	done
	python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
# A fault that retried on mmu_invalidate_retry() reached no CMO in either
# order: the costs are per fault that went on to map (or found it mapped).
print(f"{'order':13} {'faults':>8} {'retried':>8} {'breaks':>7} {'-EAGAIN':>8}"
      f" {'PoC pages/fault':>15} {'I-cache pages/fault':>19} {'unmapped':>8} {'tlbi ipa':>8}")
for v in ["fixed", "cmo-in-abort"]:
    try:
        r = json.load(open(os.path.join(d, f"stage2-{v}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"{v:13} no report")
        continue
    c = r["counters"]
    n = max(c["faults"] - c["fault_retries"], 1)
    print(f"{v:13} {c['faults']:8} {c['fault_retries']:8} {c['s2_breaks']:7} {c['s2_eagain']:8}"
          f" {c['dcache_clean_pages'] / n:15.3f} {c['icache_inval_pages'] / n:19.3f}"
          f" {c['spte_zaps']:8} {c['tlbi_ipa']:8}")
print()
print(f"{'notifier flush':18} {'Macc/s':>7} {'agings':>7} {'tlbi ipa':>8} {'tlbi vmid':>9}"
      f" {'dropped':>8} {'by VMID TLBIs':>13} {'stale young':>11}")
for v, name in [("age-targeted", "targeted"), ("vmid-flush-on-ret", "VMID-wide")]:
    try:
        r = json.load(open(os.path.join(d, f"stage2-{v}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"{name:18} no report")
        continue
    c, t = r["counters"], r["elapsed_s"]
    print(f"{name:18} {c['accesses'] / t / 1e6:7.2f} {c['agings']:7} {c['tlbi_ipa']:8}"
          f" {c['tlbi_vmid']:9} {c['tlb_entries_dropped']:8} {c['vmid_flush_dropped']:13}"
          f" {c['stale_accessed']:11}")
print()
# stage2-blocks: costs per collapse, the event every logging toggle brings.
print(f"{'blocks':14} {'faults':>7} {'collapses':>9} {'faults/coll':>11} {'breaks/coll':>11}"
      f" {'rebreaks':>8} {'tlbi ipa':>8} {'PoC pages/fault':>15} {'-EAGAIN':>8}")
for v in ["fixed", "cmo-in-abort", "rebreak-perms"]:
    try:
        r = json.load(open(os.path.join(d, f"stage2-blocks-{v}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"{v:14} no report")
        continue
    c = r["counters"]
    n = max(c["s2_collapses"], 1)
    print(f"{v:14} {c['faults']:7} {c['s2_collapses']:9} {c['faults'] / n:11.1f}"
          f" {c['s2_breaks'] / n:11.1f} {c['s2_perm_rebreaks']:8} {c['tlbi_ipa']:8}"
          f" {c['dcache_clean_pages'] / max(c['faults'], 1):15.2f} {c['s2_eagain']:8}")
PY
}

handoff_rate
access_rates
range_flush_cost
big_vm_memory
stage2_cmo_cost
detect_modes
schedulers_side_by_side
echo
python3 scripts/bench_figures.py report "$out" "$report_dir"
echo "bench: $((SECONDS - bench_start)) s in all"
