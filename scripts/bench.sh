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
#  5. Time to detection per mode: each buggy variant under free, random,
#     pct and cover (with a memory model where the bug needs one), one
#     report per seed;
#     the table gives how many seeds caught it, the median and the slowest.
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
#
# Knobs: SEEDS (default 10), COST_SECONDS (default 3), LIMIT (per run, 20s),
# HANDOFF_SECONDS (each stress run of section 4, default 3), DETECT_LIMIT
# (per run in section 5, default 10s), CC (compiler for build/pingpong, gcc).
set -eu
cd "$(dirname "$0")/.."
seeds=${SEEDS:-10}
cost_s=${COST_SECONDS:-3}
limit=${LIMIT:-20s}
out=${OUT_DIR:-tests/out}/bench
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing; run make setup" >&2; exit 3; }

echo "== time to first violation (free mode, $seeds seeds, limit $limit per run)"
for v in notifier-ignores-flag clear-after-request late-snapshot plain-flag; do
	hyperfine -N --runs 1 --style none -i --parameter-scan seed 1 "$seeds" \
		--export-json "$out/detect-$v.json" \
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
	local hs=${HANDOFF_SECONDS:-3}

	echo
	echo "== controlled-mode hand-off rate (invlpg-defer/fixed, seed 1, ${hs}s per stress run)"
	rm -f "$out/handoff-pingpong.txt" "$out/handoff-random.json" "$out/handoff-pct.json" \
		"$out/handoff-cover.json"
	mkdir -p build
	# Rebuild only when the source is newer: the binary is a measuring tool,
	# not part of the harness, so the Makefile does not know about it.
	if [ ! -x build/pingpong ] || [ scripts/pingpong.c -nt build/pingpong ]; then
		${CC:-gcc} -std=gnu11 -O2 -pthread -o build/pingpong scripts/pingpong.c ||
			echo "bench: cannot build build/pingpong" >&2
	fi
	if [ -x build/pingpong ]; then
		build/pingpong 2 >"$out/handoff-pingpong.txt" || true
	fi
	./stress --scenario invlpg-defer --variant fixed --sched random --seed 1 \
		--duration "${hs}s" -q --report "$out/handoff-random.json" >/dev/null </dev/null || true
	./stress --scenario invlpg-defer --variant fixed --sched pct:3 --seed 1 \
		--duration "${hs}s" -q --report "$out/handoff-pct.json" >/dev/null </dev/null || true
	./stress --scenario invlpg-defer --variant fixed --sched cover --seed 1 \
		--duration "${hs}s" -q --report "$out/handoff-cover.json" >/dev/null </dev/null || true
	python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
AIM = 500_000

def pingpong():
    """{'pingpong': rate, 'fibers': rate} from build/pingpong's output."""
    rates = {}
    try:
        for line in open(os.path.join(d, "handoff-pingpong.txt")):
            name, _, value = line.strip().partition(" handoffs_per_s=")
            if value:
                rates[name] = float(value)
    except OSError:
        pass
    return rates

def stress_run(name):
    try:
        return json.load(open(os.path.join(d, name)))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None

pp = pingpong()
base = pp.get("pingpong")
random_run, pct_run = stress_run("handoff-random.json"), stress_run("handoff-pct.json")
cover_run = stress_run("handoff-cover.json")
rows = [("pthread semaphore ping-pong", pp.get("pingpong"), None),
        ("swapcontext fiber ping-pong", pp.get("fibers"), None),
        ("stress --sched random", random_run and random_run["decisions_per_s"], random_run),
        ("stress --sched pct:3", pct_run and pct_run["decisions_per_s"], pct_run),
        # The search also hashes the state at every decision and replays
        # kept prefixes: what that costs shows against random's rate.
        ("stress --sched cover", cover_run and cover_run["decisions_per_s"], cover_run)]
print(f"{'':28} {'decisions/s':>14} {'vs pthread':>10}")
print(f"{'':28} {'(hand-offs/s)':>14}")
for label, rate, _ in rows:
    shown = f"{rate:14.0f}" if rate is not None else f"{'-':>14}"
    ratio = f"{rate / base:10.2f}" if rate is not None and base else f"{'-':>10}"
    print(f"{label:28} {shown} {ratio}")
for label, rate, r in rows[2:]:
    if r is None:
        print(f"{label}: no report, aim not measured")
        continue
    verdict = "meets 500k/s aim" if rate >= AIM else "BELOW 500k/s aim"
    print(f"{label}: {verdict} ({r['decisions']} decisions over "
          f"{r['executions_run']} executions in {r['elapsed_s']:.2f} s)")
PY
}

# 5. Which mode finds which bug, and how fast. Each seed is one stress run
# with its own JSON report: the report gives the time to the first violation
# directly, so no hyperfine here, and seeds run one after another so that
# runs do not steal cores from each other. Some variants and scenarios may
# not exist yet: stress then exits 2 and the row reads "unavailable".
detect_modes() {
	local limit5=${DETECT_LIMIT:-10s}
	local dir=$out/detect-modes
	local scenario variant modes mode sched memory tag seed rc msg
	local -a opts

	echo
	echo "== time to detection per mode ($seeds seeds, limit $limit5 per run)"
	mkdir -p "$dir"
	: >"$dir/rows.tsv"
	# One line per variant; a mode is free, random, pct:D or cover, with /MEMORY
	# when the bug needs store buffers (--memory tso or weak) to show.
	while read -r scenario variant modes; do
		case $scenario in '' | '#'*) continue ;; esac
		for mode in ${modes//,/ }; do
			sched=${mode%%/*} memory=
			[ "$mode" = "$sched" ] || memory=${mode#*/}
			opts=()
			[ "$sched" = free ] || opts+=(--sched "$sched")
			[ -z "$memory" ] || opts+=(--memory "$memory")
			tag=$scenario.$variant.${sched/:/}${memory:+-$memory}
			rm -f "$dir/$tag".seed*.json "$dir/$tag".seed*.log
			msg=
			for seed in $(seq 1 "$seeds"); do
				rc=0
				./stress --scenario "$scenario" --variant "$variant" --seed "$seed" \
					--duration "$limit5" -q --expect violation ${opts[@]+"${opts[@]}"} \
					--report "$dir/$tag.seed$seed.json" \
					>"$dir/$tag.seed$seed.log" 2>&1 </dev/null || rc=$?
				# Exit 2 is bad usage: an unknown scenario, variant or
				# option. No other seed would do better.
				if [ "$rc" -eq 2 ]; then
					msg=$(grep -m1 . "$dir/$tag.seed$seed.log" | sed 's/^stress: //' | tr '\t' ' ')
					msg=${msg:-exit 2}
					break
				fi
			done
			printf '%s\t%s\t%s\t%s\t%s\n' "$scenario" "$variant" \
				"$sched${memory:+ --memory $memory}" "$tag" "$msg" >>"$dir/rows.tsv"
		done
	done <<'EOF'
# scenario     variant                modes
invlpg-defer   notifier-ignores-flag  free,random,pct:3,pct:4,cover
invlpg-defer   clear-after-request    free,random,pct:3,pct:4,cover
invlpg-defer   late-snapshot          free,random,pct:3,pct:4,cover
invlpg-defer   plain-flag             free,random,pct:3,pct:4,cover
invlpg-defer   counter-reset          free,random,pct:4,cover
invlpg-defer   nonatomic-inc          free,random,pct:4,cover
invlpg-defer   missing-wmb            random/weak,pct:4/weak,cover/weak
vcpu-request   no-mb-entry            random/tso,random/weak,pct:3/tso,cover/tso,cover/weak
vcpu-request   no-mb-request          random/tso,random/weak,pct:3/tso,pct:5/tso,pct:5/weak,cover/tso,cover/weak
hva-range-flush under-by-one          free,random,pct:3
zap-leafs      lost-pending-flush     free,random,pct:3
zap-leafs      narrow-huge-flush      free,random,pct:3
zap-leafs      yield-no-flush         free,random
dirty-log      flush-if-wrprot        free,random,pct:3
dirty-log      no-flush               free,random,pct:3
dirty-log      ring-reset-no-flush    free,random,pct:3
dirty-log      ring-relaxed-flags     random/weak,pct:3/weak
spte-mmu-writable w-rule              free,random,pct:3
spte-mmu-writable never-flush-overwrite free,random,pct:3
spte-mmu-writable enable-log-no-flush free,random,pct:3
EOF
	python3 - "$dir" "$seeds" <<'PY'
import json, os, statistics, sys
d, seeds = sys.argv[1], int(sys.argv[2])

def seed_result(tag, seed):
    """'caught' with its time, 'missed', or 'error' when no report was written."""
    try:
        r = json.load(open(os.path.join(d, f"{tag}.seed{seed}.json")))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return "error", None
    t = r.get("time_to_first_violation_s")
    if r.get("outcome") == "violation" and t is not None:
        return "caught", float(t)
    return "missed", None

print(f"{'scenario/variant':36} {'mode':21} {'caught':>7} {'median s':>9} {'slowest':>8}")
for line in open(os.path.join(d, "rows.tsv")):
    scenario, variant, mode, tag, msg = line.rstrip("\n").split("\t")
    name = f"{scenario}/{variant}"
    if msg:
        print(f"{name:36} {mode:21} unavailable ({msg})")
        continue
    results = [seed_result(tag, s) for s in range(1, seeds + 1)]
    times = [t for kind, t in results if kind == "caught"]
    errors = sum(1 for kind, _ in results if kind == "error")
    median = f"{statistics.median(times):9.3f}" if times else f"{'-':>9}"
    slowest = f"{max(times):8.3f}" if times else f"{'-':>8}"
    note = f"  ({errors} of them without a report)" if errors else ""
    print(f"{name:36} {mode:21} {len(times):>3}/{seeds:<3} {median} {slowest}{note}")
PY
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
range_flush_cost
big_vm_memory
stage2_cmo_cost
detect_modes
