# The nightly job as its readers meet it: a night writes its five outputs
# (per-run reports, merged JSON, JUnit, KTAP, the page); a build that drops
# one flush from a fixed path (the memslot-zap-no-flush mutant) makes the
# next night fail, and JUnit, KTAP and the page name the row (scenario,
# variant, mode, memory model, setting) and its replay line, "what
# changed" shows it as a new failure against the clean night, and the
# findings list it once, with its count. A short slice of the matrix
# (--only), so it takes seconds. Then the bounded search's section, on a
# slice too: its rows, merged entries, cases and table, a made-up
# baseline's coverage regression, and the dropped flush failing it.
nights=$out_dir/nightly
rm -rf "$nights"
nightly_only='^memslot-delete/fixed/random/(sc|tso)/-$'
expect_exit nightly-clean-night 0 scripts/nightly.py --out "$nights" --sections matrix \
	--only "$nightly_only"
clean=$(readlink "$nights/latest")
for f in merged.json junit.xml results.ktap index.html runs; do
	expect_exit "nightly-writes-$f" 0 test -e "$nights/$clean/$f"
done
# The same tree with one flush dropped, built beside it: only the mutated
# file recompiles.
if python3 - "$out_dir" <<'PY' >"$out_dir/nightly-mutant-build.log" 2>&1; then
import os, sys
sys.path.insert(0, "tests/tools")
import mutants
m = [m for m in mutants.load_mutants(os.path.abspath("tests/mutants"), ["memslot-zap-no-flush"])][0]
scratch = mutants.make_scratch(os.path.abspath(sys.argv[1]), "nightly-mutant", binaries=["stress"])
mutants.Applied(scratch, m).__enter__()
ok, err = mutants.build(scratch)
sys.exit(0 if ok else err)
PY
	pass nightly-mutant-built
else
	fail nightly-mutant-built "see $out_dir/nightly-mutant-build.log"
fi
sleep 1 # a night's name is its second
expect_exit nightly-dropped-flush-fails 1 scripts/nightly.py --out "$nights" --sections matrix \
	--only "$nightly_only" --stress "$out_dir/nightly-mutant/stress"
broken=$(readlink "$nights/latest")
row='memslot-delete/fixed/random/sc/-'
if python3 - "$nights/$broken" "$row" "$clean" <<'PY'; then
import json, re, sys
import xml.etree.ElementTree as ET
night, row, clean = sys.argv[1:]
m = json.load(open(night + "/merged.json"))
assert m["night"]["status"] == "fail" and m["night"]["baseline"].endswith(clean + "/merged.json")
new = [c for c in m["changes"] if c["kind"] == "new-failure"]
assert row in [c["id"] for c in new], m["changes"]
rows = [r["id"] for r in m["rows"] if r["verdict"] == "unexpected"]
assert sorted(c["id"] for c in new) == sorted(rows), (new, rows)
found = [f for f in m["findings"] if (f["scenario"], f["variant"]) == ("memslot-delete", "fixed")]
kinds = [f["violation"] for f in found]
assert len(kinds) == len(set(kinds)) and sum(f["runs"] for f in found) == len(rows), found
assert all(f["runs"] == len(f["rows"]) and f["nights"] == 1 for f in found), found
assert "--scenario memslot-delete --variant fixed" in found[0]["rerun"], found[0]
cases = {c.get("name"): c for c in ET.parse(night + "/junit.xml").getroot().iter("testcase")}
failure = cases[row].find("failure")
assert failure is not None and "--variant fixed --sched random" in failure.text, failure
assert "--memory sc" in failure.text or "sched random" in failure.text
ktap = open(night + "/results.ktap").read()
assert re.search(r"^not ok \d+ %s$" % re.escape(row), ktap, re.M), ktap
assert "# rerun: " in ktap
page = open(night + "/index.html").read()
assert row in page and "new-failure" in page and found[0]["rerun"].split()[-1] in page
print("finding:", found[0]["violation"], found[0]["rerun"])
PY
	pass nightly-dropped-flush-named-everywhere
else
	fail nightly-dropped-flush-named-everywhere "see $nights/$broken"
fi
expect_exit nightly-bad-section 2 scripts/nightly.py --out "$nights" --sections matrix,nope
expect_output nightly-bad-section-says "--sections: 'nope' is not one of"

# The bounded search per scenario (--sections bounds): every variant that
# must run clean, of the model's scenarios only, under --sched bounded:2
# for NIGHTLY_BOUND_SECONDS. dirty-log's two fixed variants (of six)
# here, 2 s each, against a baseline made up to have explored more of one
# of them than a 2-second search can (complete to 3 of 2): that is a
# coverage regression in what changed, which does not fail the night.
nb_nights=$out_dir/nightly-bounds
rm -rf "$nb_nights"
mkdir -p "$nb_nights"
nb_only='^dirty-log/'
nb_lost='dirty-log/fixed/bounded:2/sc/-'
cat >"$nb_nights/baseline.json" <<JSON
{"tool": "lostflush", "format": "lostflush-nightly/1", "night": {"stamp": "20000101T000000Z"},
 "rows": [], "sweeps": [], "claims": [], "tsan": [], "mutants": null, "findings": [],
 "bounds": [{"id": "$nb_lost", "scenario": "dirty-log", "variant": "fixed", "bound": 2,
             "complete_to": 3, "reached": 3, "schedules": 1, "exhaustive": false,
             "seconds": 2.0, "budget_s": 2, "verdict": "as-expected"}]}
JSON
expect_exit nightly-bounds-clean-night 0 env NIGHTLY_BOUND_SECONDS=2 scripts/nightly.py \
	--out "$nb_nights" --sections bounds --only "$nb_only" --baseline "$nb_nights/baseline.json"
expect_output nightly-bounds-progress "nightly: bounds: [0-9]+/[0-9]+ runs, 0 not as expected, [0-9]+ complete to their bound"
expect_output nightly-bounds-says-coverage-lost "coverage-lost +$nb_lost: bounded:2 complete to [0-2], was 3"
nb_clean=$(readlink "$nb_nights/latest")
if python3 - "$nb_nights/$nb_clean" "$nb_only" "$nb_lost" <<'PY'; then
import json, os, re, subprocess, sys
import xml.etree.ElementTree as ET
night, only, lost = sys.argv[1:]
m = json.load(open(night + "/merged.json"))
cat = json.loads(subprocess.run(["./stress", "--list", "--json"], capture_output=True,
                                text=True, check=True).stdout)
want = sorted("%s/%s/bounded:2/sc/-" % (s["name"], v["name"]) for s in cat
              if s.get("backend") == "model" and re.search(only, s["name"] + "/")
              for v in s["variants"] if not v["buggy"])
assert len(want) == 2, want
got = sorted(b["id"] for b in m["bounds"])
assert got == want, (got, want)
fields = {"scenario", "variant", "bound", "complete_to", "reached", "schedules", "exhaustive",
          "seconds", "verdict"}
for b in m["bounds"]:
    assert fields <= set(b), (fields - set(b), b)
    assert b["bound"] == 2 and b["verdict"] == "as-expected", b
    assert isinstance(b["complete_to"], int) and isinstance(b["reached"], int), b
    assert -1 <= b["complete_to"] <= b["reached"] <= 2, b
    assert isinstance(b["schedules"], int) and b["schedules"] > 0, b
    assert isinstance(b["exhaustive"], bool), b
    assert 0 < b["seconds"] <= 2.5 and b["budget_s"] == 2, b
    run = json.load(open(os.path.join(night, b["report"])))["runs"][0]
    assert run["sched"] == "bounded:2" and run["options"]["duration"] == "2s", run["options"]
    assert run["seed"] == "0x1" and run["bounded"]["complete_to"] == b["complete_to"], run
    for ext in (".json", ".xml", ".ktap", ".log"):
        assert os.path.exists(os.path.join(night, b["report"][:-5] + ext)), ext
rows = {r["id"]: r for r in m["rows"] if r["section"] == "bounds"}
assert sorted(rows) == want and all(r["verdict"] == "as-expected" for r in rows.values()), rows
assert m["night"]["status"] == "pass" and m["night"]["counts"]["rows"] == 2, m["night"]
# What changed: the made-up baseline's 3 is more than any 2-second
# search reaches; the variants it did not run are no news.
cov = [c for c in m["changes"] if c["kind"].startswith("coverage-")]
assert [(c["kind"], c["id"]) for c in cov] == [("coverage-lost", lost)], m["changes"]
suites = {s.get("name"): s for s in ET.parse(night + "/junit.xml").getroot().iter("testsuite")}
cases = {c.get("name"): c for c in suites["lostflush.bounds"].iter("testcase")}
assert sorted(cases) == want, cases
assert suites["lostflush.bounds"].get("failures") == "0"
for rid, case in cases.items():
    assert "bounded:2: complete to" in case.find("system-out").text, rid
ktap = open(night + "/results.ktap").read()
for rid in want:
    assert re.search(r"^ok \d+ %s$" % re.escape(rid), ktap, re.M), rid
page = open(night + "/index.html").read()
assert "Bounded search (bounded:2) per scenario" in page and 'id="bounds"' in page
assert lost in page.split('id="changes"', 1)[1].split("</ul>", 1)[0], "not in what changed"
for b in m["bounds"]:
    line = page.split('id="bound-%s/%s"' % (b["scenario"], b["variant"]), 1)[1].split("</tr>")[0]
    assert "%d of 2" % b["complete_to"] in line or b["complete_to"] < 0, line
    if b["complete_to"] < 2:
        assert "clean" not in line and "stopped at 2 s" in line, line
    else:
        assert "complete to 2 preemptions: clean" in line, line
print("bounds:", ", ".join("%s/%s complete to %d" % (b["scenario"], b["variant"],
                                                     b["complete_to"]) for b in m["bounds"]))
PY
	pass nightly-bounds-rows-merged-junit-ktap-page
else
	fail nightly-bounds-rows-merged-junit-ktap-page "see $nb_nights/$nb_clean"
fi
# The rows are the model's: the running kernel's scenarios run free only.
if python3 - <<'PY'; then
import sys
sys.path.insert(0, "scripts")
import nightly, nightly_rows
model = nightly.catalogue("./stress", "model")
rows = nightly_rows.bound_rows(model, 2, None)
want = {(s["name"], v["name"]) for s in model for v in s["variants"] if not v["buggy"]}
assert {(r["scenario"], r["variant"]) for r in rows} == want and len(rows) == len(want), rows
kvm = {s["name"] for s in nightly.catalogue("./stress", "kvm")}
assert kvm and not kvm & {r["scenario"] for r in rows}, kvm
PY
	pass nightly-bounds-model-fixed-only
else
	fail nightly-bounds-model-fixed-only "see the traceback above"
fi
# The dropped flush, under the bounded search: a failing row like any.
sleep 1
expect_exit nightly-bounds-dropped-flush-fails 1 env NIGHTLY_BOUND_SECONDS=2 scripts/nightly.py \
	--out "$nb_nights" --sections bounds --only '^memslot-delete/fixed/' \
	--stress "$out_dir/nightly-mutant/stress"
nb_broken=$(readlink "$nb_nights/latest")
if python3 - "$nb_nights/$nb_broken" <<'PY'; then
import json, re, sys
import xml.etree.ElementTree as ET
night = sys.argv[1]
rid = "memslot-delete/fixed/bounded:2/sc/-"
m = json.load(open(night + "/merged.json"))
[b] = m["bounds"]
assert b["id"] == rid and b["verdict"] == "unexpected" and b["violation"], b
assert isinstance(b["bug_depth"], int) and b["bug_depth"] <= 2, b
assert ("new-failure", rid) in [(c["kind"], c["id"]) for c in m["changes"]], m["changes"]
cases = {c.get("name"): c for c in ET.parse(night + "/junit.xml").getroot().iter("testcase")}
assert cases[rid].find("failure") is not None, "no JUnit failure"
assert re.search(r"^not ok \d+ %s$" % re.escape(rid), open(night + "/results.ktap").read(), re.M)
line = open(night + "/index.html").read().split('id="bound-memslot-delete/fixed"')[1].split("</tr>")[0]
assert "not as expected" in line and "clean" not in line, line
PY
	pass nightly-bounds-dropped-flush-named
else
	fail nightly-bounds-dropped-flush-named "see $nb_nights/$nb_broken"
fi
expect_exit nightly-bounds-bad-seconds 2 env NIGHTLY_BOUND_SECONDS=soon scripts/nightly.py \
	--out "$nb_nights" --sections bounds
expect_output nightly-bounds-bad-seconds-says "NIGHTLY_BOUND_SECONDS 'soon' is not"
