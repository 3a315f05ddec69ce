# What CI systems read: --junit writes JUnit XML and --ktap the kernel's
# KTAP, one test case per run, each naming its scenario, variant and the
# options that shaped it; a failure carries its verdict, the violation and
# the rerun line; a run not judged is skipped with its reason. Both are
# checked before the run, as --report is.
ci=$out_dir/ci
rm -rf "$ci"
mkdir -p "$ci"
# invlpg-defer under random: fixed clean, notifier-ignores-flag caught,
# clear-after-request missed in 3,000 executions (a failure), plain-flag
# not judged there.
expect_exit ci-reports-written 1 ./stress --scenario invlpg-defer --variant all --sched random \
	--executions 3000 --seed 1 -q --junit "$ci/run.xml" --ktap "$ci/run.ktap" \
	--report "$ci/run.json"
if python3 - "$ci/run.xml" "$ci/run.json" <<'PY'; then
import json, sys
import xml.etree.ElementTree as ET
runs = json.load(open(sys.argv[2]))["runs"]
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = suite.findall("testcase")
assert len(cases) == len(runs) == int(suite.get("tests")), (len(cases), len(runs))
by = {c.get("name").split()[0]: c for c in cases}
fail = by["invlpg-defer/clear-after-request"].find("failure")
assert fail is not None and "not as expected" in fail.get("message"), fail
assert "--variant clear-after-request" in fail.text and "rerun: ./stress" in fail.text, fail.text
assert by["invlpg-defer/plain-flag"].find("skipped") is not None
assert by["invlpg-defer/fixed"].find("failure") is None
out = by["invlpg-defer/notifier-ignores-flag"].find("system-out").text
assert "stale-tlb-after-free" in out, out
assert all(c.get("name").endswith("--sched random") for c in cases), [c.get("name") for c in cases]
n_fail = sum(r["verdict"] == "not-as-expected" for r in runs)
n_skip = sum(r["verdict"] == "not-judged" for r in runs)
assert int(suite.get("failures")) == n_fail and int(suite.get("skipped")) == n_skip
PY
	pass ci-junit-one-case-per-run
else
	fail ci-junit-one-case-per-run "see $ci/run.xml"
fi
# KTAP as kselftest prints it: the version, the plan, a numbered result per
# run, SKIP directives and diagnostics only as '# ' lines.
if python3 - "$ci/run.ktap" "$ci/run.json" <<'PY'; then
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
runs = json.load(open(sys.argv[2]))["runs"]
assert lines[0] == "KTAP version 1" and lines[1] == "1..%d" % len(runs), lines[:2]
results = [l for l in lines[2:] if not l.startswith("# ")]
assert len(results) == len(runs), results
for n, (line, r) in enumerate(zip(results, runs), 1):
    m = re.fullmatch(r"(ok|not ok) (\d+) (\S+)( [^#]*)?( # SKIP .+)?", line)
    assert m and int(m.group(2)) == n, line
    assert m.group(3) == "%s/%s" % (r["scenario"], r["variant"]), line
    want = {"as-expected": "ok", "not-as-expected": "not ok", "not-judged": "ok"}[r["verdict"]]
    assert m.group(1) == want and bool(m.group(5)) == (r["verdict"] == "not-judged"), line
text = "\n".join(lines)
assert "# rerun: ./stress --scenario invlpg-defer --variant clear-after-request" in text
assert "# !!! stale-tlb-after-free" in text
PY
	pass ci-ktap-parses
else
	fail ci-ktap-parses "see $ci/run.ktap"
fi
# A clean run alone: one case, nothing failed.
expect_exit ci-clean-run 0 ./stress --scenario invlpg-defer --variant fixed --duration 0.3s \
	--seed 2 -q --junit "$ci/clean.xml" --ktap "$ci/clean.ktap"
expect_exit ci-clean-junit 0 grep -q 'tests="1" failures="0" errors="0" skipped="0"' "$ci/clean.xml"
expect_exit ci-clean-ktap 0 grep -qx 'ok 1 invlpg-defer/fixed' "$ci/clean.ktap"
# Checked before the run: nowhere to write, or two outputs in one file.
expect_exit ci-junit-unwritable 2 ./stress --scenario invlpg-defer --duration 1s \
	--junit /nonexistent/dir/run.xml
expect_output ci-junit-unwritable-says "--junit '/nonexistent/dir/run.xml' cannot be written"
expect_exit ci-outputs-collide 2 ./stress --scenario invlpg-defer --duration 1s \
	--report "$ci/same" --ktap "$ci/same"
expect_output ci-outputs-collide-says "--report '.*' and --ktap '.*' name one file"
