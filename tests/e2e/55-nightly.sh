# The nightly job as its readers meet it: a night writes its five outputs
# (per-run reports, merged JSON, JUnit, KTAP, the page); a build that drops
# one flush from a fixed path (the memslot-zap-no-flush mutant) makes the
# next night fail, and JUnit, KTAP and the page name the row (scenario,
# variant, mode, memory model, setting) and its replay line, "what
# changed" shows it as a new failure against the clean night, and the
# findings list it once, with its count. A short slice of the matrix
# (--only), so it takes seconds.
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
