# What changed between two nights, and the findings carried from night to
# night: checked on nights made up here, so each rule is seen to fire and
# to stay quiet.
if python3 - <<'PY'; then
import sys
sys.path.insert(0, "scripts")
from nightly_diff import changes, findings

def row(rid, verdict, **kw):
    s, v = rid.split("/")[:2]
    return dict(id=rid, scenario=s, variant=v, verdict=verdict, **kw)

def night(rows=(), claims=(), mutants=None, found=()):
    return {"rows": list(rows), "tsan": [], "sweeps": [], "claims": list(claims),
            "mutants": mutants, "findings": list(found)}

was = night(rows=[row("a/fixed/random/sc/-", "as-expected"),
                  row("a/bug/random/sc/-", "as-expected", executions_to_detection=100),
                  row("a/bug/pct:3/sc/-", "unexpected", violation=None, outcome="clean"),
                  row("a/gone/free/-/-", "as-expected")],
            claims=[{"id": "a/bug/random/sc/-", "holds": True, "caught": 20, "seeds": 20,
                     "median": 50, "unit": "executions"}],
            mutants={"survivors": [], "ran": ["m1", "m2"]})
now = night(rows=[row("a/fixed/random/sc/-", "unexpected", violation="lost-dirty-write",
                      expected="clean", rerun="./stress x"),
                  row("a/bug/random/sc/-", "as-expected", executions_to_detection=900),
                  row("a/bug/pct:3/sc/-", "as-expected")],
            claims=[{"id": "a/bug/random/sc/-", "holds": False, "caught": 17, "seeds": 20,
                     "median": 60, "unit": "executions"}],
            mutants={"survivors": ["m1", "m3"], "ran": ["m1", "m3"]})
kinds = {(c["kind"], c["id"]) for c in changes(now, was)}
want = {("new-failure", "a/fixed/random/sc/-"), ("slower", "a/bug/random/sc/-"),
        ("new-pass", "a/bug/pct:3/sc/-"), ("row-gone", "a/gone/free/-/-"),
        ("claim-broken", "a/bug/random/sc/-"), ("mutant-survives", "m1")}
assert kinds == want, kinds ^ want
assert changes(now, was)[0]["kind"] == "new-failure"
assert changes(was, was) == [], changes(was, was)
# One free seed's time is the machine's: never "slower" on its own.
fast = night(rows=[row("a/bug/free/-/-", "as-expected", time_to_detection_s=0.01)])
slow = night(rows=[row("a/bug/free/-/-", "as-expected", time_to_detection_s=0.5)])
assert changes(slow, fast) == [], changes(slow, fast)
# Without a baseline every failing row is new; a mutant no night killed
# before (m3, outside the baseline's share) is no news.
assert [c["kind"] for c in changes(now, None)] == ["new-failure", "claim-broken"]
# Findings: one per scenario, variant and kind, carried over nights.
f1 = findings(now, None, "N1")
assert len(f1) == 1 and f1[0]["first_seen"] == "N1" and f1[0]["runs"] == 1, f1
again = night(rows=[row("a/fixed/random/sc/-", "unexpected", violation="lost-dirty-write"),
                    row("a/fixed/pct:3/sc/-", "unexpected", violation="lost-dirty-write")])
f2 = findings(again, dict(now, findings=f1), "N2")
assert len(f2) == 1 and (f2[0]["first_seen"], f2[0]["last_seen"]) == ("N1", "N2"), f2
assert f2[0]["nights"] == 2 and f2[0]["runs"] == 3 and len(f2[0]["rows"]) == 2, f2
quiet = findings(night(), dict(now, findings=f2), "N3")
assert len(quiet) == 1 and quiet[0]["rows"] == [] and quiet[0]["last_seen"] == "N2", quiet
PY
	pass nightly-diff-rules
else
	fail nightly-diff-rules "see the traceback above"
fi
# The bounded search's coverage: a fixed variant that explored fewer
# preemptions whole than the baseline's is a coverage regression, one that
# explored more is listed too. Equal figures, a variant the baseline did
# not run, a run with no figures, or a search a violation stopped, are
# quiet.
if python3 - <<'PY'; then
import sys
sys.path.insert(0, "scripts")
from nightly_diff import changes

def bound(variant, complete_to, verdict="as-expected", budget_s=120, scenario="a"):
    return dict(id="%s/%s/bounded:2/sc/-" % (scenario, variant), scenario=scenario,
                variant=variant, bound=2, complete_to=complete_to,
                reached=min((complete_to or 0) + 1, 2), schedules=10, exhaustive=False,
                seconds=budget_s, budget_s=budget_s, verdict=verdict)

def night(bounds, rows=()):
    return {"rows": list(rows), "tsan": [], "sweeps": [], "claims": [], "mutants": None,
            "findings": [], "bounds": list(bounds)}

was = night([bound("fixed", 2), bound("counter", 1), bound("same", 1), bound("broke", 2),
             bound("lost-report", 2), bound("shorter", 2, budget_s=120)])
now = night([bound("fixed", 1), bound("counter", 2), bound("same", 1),
             bound("broke", 0, verdict="unexpected"), bound("lost-report", None),
             bound("shorter", 0, budget_s=20), bound("new", 0)])
got = [(c["kind"], c["id"].split("/")[1]) for c in changes(now, was)]
assert sorted(got) == [("coverage-gained", "counter"), ("coverage-lost", "fixed"),
                       ("coverage-lost", "shorter")], got
by = {c["id"].split("/")[1]: c["detail"] for c in changes(now, was)}
assert by["fixed"] == "bounded:2 complete to 1, was 2 (120 s)", by
assert by["shorter"] == "bounded:2 complete to 0, was 2 (20 s, was 120 s)", by
assert changes(was, was) == [] and changes(now, now) == [], changes(was, was)
# Without a baseline, or against one from before the section, nothing.
assert changes(now, None) == [] and changes(now, dict(was, bounds=None)) == []
assert changes(dict(now, bounds=None), was) == []
# Coverage lost is listed after the failures and the slower detections,
# coverage gained after the fixes (55-nightly: neither fails the night).
rows_was = [dict(id="a/bug/random/sc/-", scenario="a", variant="bug", verdict="as-expected",
                 executions_to_detection=10),
            dict(id="a/x/random/sc/-", scenario="a", variant="x", verdict="as-expected"),
            dict(id="a/y/random/sc/-", scenario="a", variant="y", verdict="unexpected",
                 outcome="clean", expected="violation", violation=None)]
rows_now = [dict(rows_was[0], executions_to_detection=100),
            dict(rows_was[1], verdict="unexpected", outcome="clean", expected="violation",
                 violation=None), dict(rows_was[2], verdict="as-expected")]
kinds = [c["kind"] for c in changes(night(now["bounds"], rows_now), night(was["bounds"], rows_was))]
assert kinds == ["new-failure", "slower", "coverage-lost", "coverage-lost", "new-pass",
                 "coverage-gained"], kinds
import nightly_page
assert nightly_page.change_class("coverage-lost") == "warn"
assert nightly_page.change_class("coverage-gained") == "yes"
PY
	pass nightly-diff-bounds-coverage
else
	fail nightly-diff-bounds-coverage "see the traceback above"
fi
