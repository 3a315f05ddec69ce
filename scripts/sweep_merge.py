#!/usr/bin/env python3
"""Merge the JSON reports of one seed sweep (one scenario, variant, mode,
memory model and setting, many seeds) into the nightly's merged
format ("lostflush-nightly/1") with only its "sweeps" entry filled and
"night.kind" "sweep", and print the sweep's one-line summary.

    scripts/sweep_merge.py --scenario S --variant V --seeds N --out MERGED.json
                           [--setting log=ring] [--started ISO] REPORT.json...

--seeds is how many seeds the sweep set out to run: a seed without a report,
or whose report says it was interrupted, is unfinished and counts in
neither "seeds" nor "met". Mode, memory model and expectation are read
from the reports, since ./stress decided them (--sched pct is pct:3 there).
sweep_entry() is the part a nightly driver reuses for its own sweeps.
"""
import argparse
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys

FORMAT = "lostflush-nightly/1"


def runs_of(paths):
    """Every run of every report, with the tool's version seen."""
    runs, version = [], None
    for path in paths:
        with open(path) as f:
            report = json.load(f)
        version = version or report.get("version")
        runs.extend(report.get("runs", []))
    return runs, version


def memory_of(run):
    # Free mode's report has "memory" as the peak RSS (an object), not a
    # memory model: free runs on the machine's own.
    if run.get("sched") == "free":
        return None
    # A controlled run cut short before its first execution has only the
    # peak-RSS object there, no memory model.
    memory = run.get("memory")
    return memory if isinstance(memory, str) else None


def executions_to_detection(run):
    """failing execution + 1: the executions a controlled run needed."""
    if run.get("failing_execution") is None:
        return None
    return run["failing_execution"] + 1


def median_slowest(values):
    # The lower median: a value some seed really took, as the old sweep
    # printed, and a whole number of executions.
    if not values:
        return None, None
    return statistics.median_low(values), max(values)


def sweep_entry(runs, scenario, variant, setting="-"):
    """The "sweeps" entry for the finished runs of one sweep."""
    finished = [r for r in runs if not r.get("interrupted")]
    first = (finished or runs or [{}])[0]
    mode = first.get("sched")
    memory = memory_of(first)
    caught = [r for r in finished if r.get("outcome") == "violation"]
    times = [r["time_to_first_violation_s"] for r in caught
             if r.get("time_to_first_violation_s") is not None]
    executions = [e for e in map(executions_to_detection, caught) if e is not None]
    median_s, slowest_s = median_slowest(times)
    median_x, slowest_x = median_slowest(executions)
    met = sum(1 for r in finished if r.get("verdict") == "as-expected")
    return {
        "id": "/".join([scenario, variant, mode or "-", memory or "-", setting]),
        "scenario": scenario, "variant": variant, "mode": mode, "memory": memory,
        "setting": setting,
        # A variant not stated as caught in this mode is "not-judged" in
        # every seed's report: passed on, not guessed.
        "expected": first.get("expected"),
        "seeds": len(finished), "met": met, "caught": len(caught),
        "median_s": None if median_s is None else round(median_s, 6),
        "slowest_s": None if slowest_s is None else round(slowest_s, 6),
        "median_executions": median_x, "slowest_executions": slowest_x,
        "verdict": "as-expected" if finished and met == len(finished) else "unexpected",
    }


def seconds(t):
    # Controlled runs often catch in milliseconds: a tenth would read 0.0.
    return "%.1f s" % t if t >= 0.1 else "%.3f s" % t


def summary_line(entry, planned):
    """The line the old sweep printed, with the executions figures."""
    line = "%s/%s: %d/%d as expected; violations in %d runs" % (
        entry["scenario"], entry["variant"], entry["met"], entry["seeds"], entry["caught"])
    if entry["median_s"] is not None:
        line += ", median %s (slowest %s)" % (seconds(entry["median_s"]),
                                              seconds(entry["slowest_s"]))
    if entry["median_executions"] is not None:
        line += "; median {:,} executions (slowest {:,})".format(
            entry["median_executions"], entry["slowest_executions"])
    if entry["seeds"] < planned:
        line += "; %d of %d seeds unfinished" % (planned - entry["seeds"], planned)
    return line


def commit():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        out = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def night(entry, started, finished, version):
    ok = entry["verdict"] == "as-expected"
    return {
        "tool": "lostflush", "version": version or "unknown", "format": FORMAT,
        "night": {
            "kind": "sweep",
            "stamp": started.strftime("%Y%m%dT%H%M%SZ"),
            "started": iso(started), "finished": iso(finished),
            "elapsed_s": round((finished - started).total_seconds(), 1),
            "scale": 1, "host": socket.gethostname(), "cpus": os.cpu_count(),
            "commit": commit(), "baseline": None,
            "status": "pass" if ok else "fail",
            # Counts are of rows, and a sweep has none: its seeds are in
            # its entry.
            "counts": {"rows": 0, "as_expected": 0, "unexpected": 0, "not_judged": 0},
        },
        "rows": [], "sweeps": [entry], "claims": [], "tsan": [], "mutants": None,
        "real": {"skipped": None}, "bench": None, "changes": [], "findings": [],
    }


def parse_started(text):
    if not text:
        return datetime.datetime.now(datetime.timezone.utc)
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--variant", required=True)
    ap.add_argument("--seeds", type=int, required=True, help="seeds the sweep set out to run")
    ap.add_argument("--setting", default="-", help='"-" when default, else e.g. log=ring')
    ap.add_argument("--started", help="UTC start, YYYY-mm-ddTHH:MM:SSZ (default: now)")
    ap.add_argument("--out", required=True, help="the merged JSON to write")
    ap.add_argument("reports", nargs="*")
    args = ap.parse_args()
    started = parse_started(args.started)
    try:
        runs, version = runs_of(args.reports)
    except (OSError, ValueError) as e:
        print("sweep_merge: cannot read a report: %s" % e, file=sys.stderr)
        return 4
    entry = sweep_entry(runs, args.scenario, args.variant, args.setting)
    merged = night(entry, started, datetime.datetime.now(datetime.timezone.utc), version)
    # Written beside and renamed over, like ./stress's reports: whole or absent.
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)
    print(summary_line(entry, args.seeds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
