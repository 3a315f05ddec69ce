#!/usr/bin/env bash
# The model beside the running kernel, on the same work: each pair runs the
# model's scenario and its real counterpart (--backend kvm) with the same
# vCPUs, working set and duration, and prints both side by side. Both are
# expected clean; the model's buggy variants are held elsewhere (make
# check's claims).
#   scripts/model-vs-real.sh            VCPUS=2 GFNS=256 DURATION=10s SEED=1
# Exits 3 where /dev/kvm cannot run a guest, 1 if a run was not clean.
set -u
cd "$(dirname "$0")/.."
vcpus=${VCPUS:-2} gfns=${GFNS:-256} dur=${DURATION:-10s} seed=${SEED:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
offer=$(./stress --backend kvm --list | head -1)
if [[ $offer == *"unusable here"* ]]; then
	echo "model-vs-real: skipped: ${offer#backend: kvm, unusable here: }" >&2
	exit 3
fi
status=0
# model scenario, real scenario, what they share
pairs=("dirty-log real-dirty-log --log bitmap"
	"hva-range-flush real-notifier"
	"memslot-move real-memslot --log bitmap")
for pair in "${pairs[@]}"; do
	read -r model real extra <<<"$pair"
	# The model's memslot VM keeps its own shape: spare gfns for the move.
	shape=(--vcpus "$vcpus" --gfns "$gfns" --hot-gfns "$gfns")
	[ "$model" = memslot-move ] && shape=(--vcpus "$vcpus")
	./stress --scenario "$model" --variant fixed "${shape[@]}" ${extra:+$extra} \
		--duration "$dur" --seed "$seed" -q --report "$out/$model.json" >/dev/null 2>&1 ||
		status=1
	./stress --scenario "$real" --variant fixed --vcpus "$vcpus" --gfns "$gfns" \
		${extra:+$extra} --duration "$dur" --seed "$seed" -q --report "$out/$real.json" \
		>/dev/null 2>&1 || status=1
done
python3 - "$out" "${pairs[@]}" <<'PY'
import json, sys
out, pairs = sys.argv[1], sys.argv[2:]
def run(name):
    return json.load(open(f"{out}/{name}.json"))["runs"][0]
rows = [("verdict", lambda r: r["outcome"]),
        ("violations", lambda r: r["violations_total"]),
        ("vCPUs", lambda r: r["config"]["vcpus"]),
        ("working set (pages)", lambda r: r["config"]["gfns"]),
        ("iterations (real) / guest entries (model)",
         lambda r: r["counters"].get("guest_iterations") or r["counters"]["guest_exits"]),
        ("guest accesses (model) / writes (real, 64 an iteration)",
         lambda r: r["counters"]["accesses"] or
                   r["counters"]["guest_iterations"] * 64),
        ("invalidations / mprotects / memslot changes",
         lambda r: r["counters"]["invalidations"] + r["counters"]["host_invalidations"] +
                   r["counters"]["memslot_changes"]),
        ("harvests", lambda r: r["counters"]["dirty_log_harvests"]),
        ("pages reported", lambda r: r["counters"]["dirty_pages_reaped"]),
        ("pages checked at the end", lambda r: r["counters"]["pages_checked"] or "-")]
for pair in pairs:
    model, real = pair.split()[:2]
    m, k = run(model), run(real)
    print(f"\n{model} (model)  beside  {real} (this kernel)")
    for label, f in rows:
        try:
            a, b = f(m), f(k)
        except (KeyError, TypeError):
            a = b = "?"
        print(f"  {label:56} {a!s:>12} {b!s:>12}")
PY
exit $status
