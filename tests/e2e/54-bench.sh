# make bench's quick form (BENCH_QUICK=1) runs to its end and writes a
# bench.json that parses and holds every figure it names, each measured in
# that run: a positive number. Only that: how fast anything went is the
# bench's to say, never a test's, as a busy machine would fail it.
bench_dir="$out_dir/bench-quick"
rm -rf "$bench_dir"
expect_exit bench-quick-runs 0 env BENCH_QUICK=1 OUT_DIR="$bench_dir" \
	BENCH_REPORT_DIR="$bench_dir/report" scripts/bench.sh

# One line per check: "ok NAME" or "bad NAME: why".
python3 - "$bench_dir/report/bench.json" >"$out_dir/bench-json.log" 2>&1 <<'PY'
import json, sys

FIGURES = [
    "pthread_handoffs_per_s", "fiber_handoffs_per_s",
    "random_decisions_per_s", "random_executions_per_s",
    "pct3_decisions_per_s", "pct3_executions_per_s",
    "cover_decisions_per_s", "cover_executions_per_s",
    "vcpu_alone_accesses_per_s", "bare_tlb_lookup_per_s", "bare_loop_over_vcpu",
    "vcpu_alone_accesses_per_cpu_s", "bare_tlb_lookup_per_cpu_s", "bare_loop_over_vcpu_cpu",
    "vcpu_alone_perturbed_accesses_per_s", "vcpu_with_actors_accesses_per_s",
    "vcpu_with_actors_perturbed_accesses_per_s", "default_run_accesses_per_vcpu_per_s",
    "tsan_vcpu_alone_accesses_per_s", "tsan_slowdown",
    "tsan_vcpu_alone_accesses_per_cpu_s", "tsan_slowdown_cpu",
]
DETECTION_KEYS = {"scenario", "variant", "mode", "memory", "seeds", "caught",
                  "median_executions", "slowest_executions"}
try:
    doc = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    sys.exit("bad bench-json-parses: %s" % e)
print("ok bench-json-parses")
missing = {"date", "host", "cpus", "commit", "figures", "detection"} - set(doc)
print("bad bench-json-fields: missing %s" % sorted(missing) if missing else "ok bench-json-fields")
figures = {f["name"]: f for f in doc["figures"]}
for name in FIGURES:
    f = figures.get(name)
    if f is None:
        print("bad bench-figure-%s: not in bench.json" % name)
    elif not isinstance(f["value"], (int, float)) or not f["value"] > 0:
        print("bad bench-figure-%s: value %r" % (name, f["value"]))
    elif not f["command"] or not f["unit"]:
        print("bad bench-figure-%s: no command or unit" % name)
    else:
        print("ok bench-figure-%s" % name)
rows = doc["detection"]
if rows and all(DETECTION_KEYS <= set(r) for r in rows):
    print("ok bench-detection-rows")
else:
    print("bad bench-detection-rows: %d rows, or one lacks a field" % len(rows))
PY
while read -r verdict name why; do
	case $verdict in
	ok) pass "$name" ;;
	bad) fail "${name%:}" "$why (log: $out_dir/bench-json.log)" ;;
	esac
done <"$out_dir/bench-json.log"
# Section 12: the schedulers' table, every mode a column, the quick row
# measured under each.
if python3 - "$bench_dir/report/schedulers.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
modes = ["random", "pct:3", "pct:5", "pos", "surw", "cover", "bounded:2"]
assert t["modes"] == modes, t["modes"]
cells = {c["mode"]: c for c in t["cells"]}
assert set(cells) == set(modes)
assert all(c["seeds"] == 1 and not c["error"] for c in cells.values()), cells
PY
then
	pass bench-schedulers-table
else
	fail bench-schedulers-table "see $bench_dir/report/schedulers.json"
fi
if grep -q '^| variant (memory) | random | pct:3 | pct:5 | pos | surw | cover | bounded:2 |' \
	"$bench_dir/report/schedulers.md" 2>/dev/null; then
	pass bench-schedulers-md
else
	fail bench-schedulers-md "no table in $bench_dir/report/schedulers.md"
fi
if grep -q '^| 9 | bare_loop_over_vcpu |' "$bench_dir/report/bench.md" 2>/dev/null; then
	pass bench-md-written
else
	fail bench-md-written "no figure table in $bench_dir/report/bench.md"
fi
