"""Running the nightly's rows: JOBS at a time, except a row marked "alone"
(a free run that must catch a bug), which has the machine to itself, since
its timing is what it tests. Each row's ./stress writes its JSON report,
JUnit and KTAP beside its log under the night's runs/; what the page and
the diff need is read back from the report into the row.

Ctrl-C: the rows running get SIGINT and write their reports (marked
interrupted); no new row starts; what finished is kept.
"""
import json
import os
import re
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

stopping = threading.Event()


def file_stem(row):
    stem = re.sub(r"[^A-Za-z0-9._=-]+", "_", row["id"])
    return "%s-%s-seed%d" % (row["section"], stem, row["seed"])


def command(row, binaries, night):
    stem = os.path.join(night, "runs", file_stem(row))
    binary = binaries[row.get("binary", "plain")]
    return [binary, "--scenario", row["scenario"], "--variant", row["variant"], "--seed",
            str(row["seed"]), "-q", "--report", stem + ".json", "--junit", stem + ".xml",
            "--ktap", stem + ".ktap"] + row["args"], stem


def stop_child(p):
    """SIGINT, so the run writes its report; a run stuck past ten seconds
    (a second Ctrl-C does not wait) is killed."""
    os.killpg(p.pid, signal.SIGINT)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def run_row(row, binaries, night, env):
    """Run one row (unless stopping) and fill in what it found."""
    if stopping.is_set():
        row.update(outcome="not run", verdict="not-judged",
                   not_judged_reason="the night was interrupted before it ran")
        return row
    argv, stem = command(row, binaries, night)
    with open(stem + ".log", "w") as log:
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                             start_new_session=True)
        while True:
            try:
                p.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if stopping.is_set():
                    row["stopped"] = True
                    stop_child(p)
                    break
    row["exit"] = p.returncode
    row["log"] = os.path.relpath(stem + ".log", night)
    row["report"] = os.path.relpath(stem + ".json", night)
    row["junit"] = stem + ".xml"
    row["ktap"] = stem + ".ktap"
    fill_from_report(row, stem + ".json", stem + ".log")
    return row


def first_violation(run):
    viol = run.get("violations") or []
    return viol[0] if viol else None


def fill_from_report(row, report, log):
    """The report's verdict, outcome and first finding, into the row; a
    run that wrote none is the harness's breakage, said so."""
    try:
        with open(report) as f:
            run = json.load(f)["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        tail = open(log, errors="replace").read()[-600:]
        if row.get("stopped"):
            row.update(outcome="not run", verdict="not-judged", expected=None, violation=None,
                       violation_text=None, rerun=None, counters={},
                       not_judged_reason="the night was interrupted while it ran")
            return
        if row["exit"] == 3:
            # The host lacks what the row needs: said, not a failure.
            why = [l for l in tail.splitlines() if l.startswith("stress: ")]
            row.update(outcome="skipped", verdict="not-judged", expected=None, violation=None,
                       violation_text=None, rerun=None, counters={},
                       not_judged_reason=(why[-1][len("stress: "):] if why else tail))
            return
        row.update(outcome="error", verdict="unexpected", expected=None,
                   violation=None, violation_text="exit %s, no report:\n%s" % (row["exit"], tail),
                   rerun=None, counters={})
        return
    v = first_violation(run)
    verdict = {"as-expected": "as-expected", "not-as-expected": "unexpected"}.get(
        run.get("verdict"), "not-judged")
    if run.get("interrupted") and verdict != "unexpected":
        verdict = "not-judged"
    failing = run.get("failing_execution")
    row.update(
        expected={"not-judged": "not judged"}.get(run.get("expected"), run.get("expected")),
        outcome="interrupted" if run.get("interrupted") and not v else run.get("outcome"),
        verdict=verdict, not_judged_reason=run.get("not_judged_reason"),
        elapsed_s=run.get("elapsed_s"), executions_run=run.get("executions_run"),
        executions_to_detection=failing + 1 if failing is not None and v else None,
        time_to_detection_s=run.get("time_to_first_violation_s"),
        violation=v["kind"] if v else None, violation_text=v.get("text") if v else None,
        rerun=run.get("rerun") or None, counters=run.get("counters", {}),
        flush_policy=row["variant"], bounded=run.get("bounded"))
    # The TSan matrix judges TSan's silence or its report; a TSan claim's
    # seed is judged by its data-race finding, as any claim's.
    if row.get("binary") == "tsan" and row["section"] == "tsan":
        judge_tsan(row, log)


def judge_tsan(row, log):
    """A TSan row: a fixed variant must leave TSan silent, a variant whose
    claims name TSan must have it report; others say what they say."""
    text = open(log, errors="replace").read()
    reported = "WARNING: ThreadSanitizer" in text
    row["tsan_reported"] = reported
    if row["outcome"] == "interrupted":
        row["verdict"] = "not-judged"
        row["not_judged_reason"] = "interrupted before TSan's verdict"
    elif not row["buggy"]:
        # Silent, and the run itself as expected (its oracle may object).
        row["verdict"] = "unexpected" if reported or row["verdict"] == "unexpected" \
            else "as-expected"
        row["expected"] = "clean"
    elif row["tsan_claimed"] and row["mode"] == "free":
        row["verdict"] = "as-expected" if reported else "unexpected"
        row["expected"] = "violation"
    else:
        row["verdict"] = "not-judged"
        row["not_judged_reason"] = "not claimed by ThreadSanitizer in this mode"


def run_rows(rows, binaries, night, jobs, progress):
    """Shared rows JOBS at a time, then each row that must run alone."""
    env = dict(os.environ)
    env.setdefault("TSAN_OPTIONS", "halt_on_error=0 report_signal_unsafe=0")
    shared = [r for r in rows if not r["alone"]]
    alone = [r for r in rows if r["alone"]]
    lock = threading.Lock()
    done = [0]

    def one(row):
        try:
            run_row(row, binaries, night, env)
        except Exception as e:  # one broken row must not cost the night
            row.update(outcome="error", verdict="unexpected", expected=None, violation=None,
                       violation_text="the nightly could not run it: %r" % e, rerun=None,
                       counters={})
        with lock:
            done[0] += 1
            progress(done[0], len(rows), row)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, shared))
    for row in alone:
        one(row)
    return rows
