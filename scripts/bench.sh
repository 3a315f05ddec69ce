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
#
# Knobs: SEEDS (default 10), COST_SECONDS (default 3), LIMIT (per run, 20s).
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
