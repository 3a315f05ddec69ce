#!/usr/bin/env python3
"""The nightly job: every row ./stress --list --json states, and what a
person reads in the morning.

    scripts/nightly.py [--scale N] [--out DIR] [--baseline FILE] [--only REGEX]
                       [--sections matrix,sweeps,claims,bounds,tsan,real,mutants,bench]

It runs, in order: the matrix (every scenario x variant x mode x memory
model x setting, scripts/nightly_rows.py says how), the long clean sweeps
of the variants that must run clean, every claim at its bound, the
bounded search (--sched bounded:2, one seed, NIGHTLY_BOUND_SECONDS each,
default 120, times --scale) of every variant that must run clean, the
TSan matrix, the running kernel's pass (where /dev/kvm can run a guest), a
share of the mutants (all of them with --scale 7 or more: one seventh a
night otherwise, so the week covers them) and make bench's quick figures.
Then it writes DIR/STAMP/: runs/ (each run's JSON, JUnit, KTAP and log),
merged.json, junit.xml, results.ktap, index.html and screenshot.png (where
Chromium is installed), timelines/ for the failures, and DIR/latest.

What changed is against --baseline, or the newest earlier night in DIR.
Exit status: 0 when nothing new failed, 1 when something did (a row, a
sweep or a claim newly not as expected, or a mutant newly surviving), 2
on bad usage, 130 when interrupted (what finished is written). --scale N
multiplies seeds and budgets (NIGHTLY_SCALE); the default fits a night of
30 minutes on a 2-core machine.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nightly_ci  # noqa: E402
import nightly_diff  # noqa: E402
import nightly_rows  # noqa: E402
import nightly_run  # noqa: E402
from nightly_page import bound_text  # noqa: E402
from sweep_merge import sweep_entry  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ["matrix", "sweeps", "claims", "bounds", "tsan", "real", "mutants", "bench"]
FORMAT = "lostflush-nightly/1"
MUTANT_SHARDS = 7


def say(msg):
    print("nightly: " + msg, flush=True)


def git_commit():
    p = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    return p.stdout.strip() or "unknown"


def catalogue(stress, backend):
    p = subprocess.run([stress, "--backend", backend, "--list", "--json"],
                       capture_output=True, text=True, check=True)
    return [s for s in json.loads(p.stdout) if s.get("backend") == backend]


def kvm_unusable(stress):
    """Why the running kernel cannot run the real scenarios, or None."""
    first = subprocess.run([stress, "--backend", "kvm", "--list"], capture_output=True,
                           text=True).stdout.splitlines()[:1]
    if first and "unusable here" in first[0]:
        return first[0].split("unusable here: ", 1)[-1]
    return None


class Progress:
    """One line every ten seconds per section: rows done, unexpected so
    far, time spent; for the bounded search, how many explored their
    bound whole."""

    def __init__(self, section):
        self.section, self.start, self.last, self.bad = section, time.time(), 0.0, 0
        self.complete = 0

    def __call__(self, done, total, row):
        self.bad += row.get("verdict") == "unexpected"
        b = row.get("bounded") or {}
        got, bound = b.get("complete_to"), b.get("bound")
        self.complete += isinstance(got, int) and isinstance(bound, int) and got >= bound
        now = time.time()
        if now - self.last >= 10 or done == total:
            self.last = now
            whole = ", %d complete to their bound" % self.complete \
                if self.section == "bounds" else ""
            say("%s: %d/%d runs, %d not as expected%s, %.0f s" % (
                self.section, done, total, self.bad, whole, now - self.start))


def run_section(name, rows, a, night_dir):
    if not rows:
        return rows
    say("%s: %d runs" % (name, len(rows)))
    return nightly_run.run_rows(rows, a.binaries, night_dir, a.jobs, Progress(name))


def load_run(night_dir, row):
    try:
        with open(os.path.join(night_dir, row["report"])) as f:
            return json.load(f)["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None


def sweeps_of(rows, night_dir):
    """Each sweep's entry; a seed that wrote no report (it crashed, or the
    harness broke) counts as a seed that did not meet its expectation,
    and a sweep no seed finished is not judged."""
    groups = {}
    for row in rows:
        group = groups.setdefault(row["id"], (row, [], []))
        run = load_run(night_dir, row)
        if run:
            group[1].append(run)
        elif not row.get("stopped") and row.get("outcome") != "not run":
            group[2].append(row)
    out = []
    for row, runs, broken in groups.values():
        entry = sweep_entry(runs, row["scenario"], row["variant"], row["setting"])
        entry["id"] = row["id"]
        if broken:
            entry["seeds"] += len(broken)
            entry["verdict"] = "unexpected"
            entry["broken"] = [os.path.basename(r["log"]) for r in broken if r.get("log")]
        elif not entry["seeds"]:
            entry["verdict"] = "not-judged"
        out.append(entry)
    return out


def bound_of(args, free):
    if free:
        return args[args.index("--duration") + 1]
    return "%s executions" % args[args.index("--executions") + 1]


def claims_of(rows):
    groups = {}
    for row in rows:
        groups.setdefault(row["id"], []).append(row)
    out = []
    for rid, seeds in groups.items():
        # A seed the night was interrupted before or during proves nothing.
        seeds = [r for r in seeds if r.get("outcome") not in ("not run", "interrupted")]
        if not seeds:
            continue
        first = seeds[0]
        free = first["mode"] == "free"
        got = [r["time_to_detection_s"] if free else r["executions_to_detection"]
               for r in seeds if r.get("outcome") == "violation"]
        got = [g for g in got if g is not None]
        out.append({
            "id": rid, "scenario": first["scenario"], "variant": first["variant"],
            "mode": first["mode"], "memory": first["memory"], "claimed": True,
            "seeds": len(seeds), "caught": len(got),
            "bound": bound_of(first["args"], free),
            "median": statistics.median_low(got) if got else None,
            "slowest": max(got) if got else None, "unit": "s" if free else "executions",
            "want": first["want"], "holds": len(got) >= first["want"],
        })
    return out


def bounds_of(rows):
    """Each bounded row's figures, as merged.json keeps them: the bound it
    explored whole (complete_to, -1 for none), the one it was in when it
    stopped (reached), that pass's schedules, and the row's verdict."""
    out = []
    for row in rows:
        b = row.get("bounded") or {}
        elapsed = row.get("elapsed_s")
        entry = {
            "id": row["id"], "scenario": row["scenario"], "variant": row["variant"],
            "bound": b.get("bound", nightly_rows.BOUND), "complete_to": b.get("complete_to"),
            "reached": b.get("reached"), "schedules": b.get("schedules"),
            "exhaustive": b.get("exhaustive"), "bug_depth": b.get("bug_depth"),
            "seconds": round(elapsed, 1) if elapsed is not None else None,
            "budget_s": row["budget_s"], "verdict": row.get("verdict"),
            "outcome": row.get("outcome"), "violation": row.get("violation"),
            "report": row.get("report"), "log": row.get("log"),
        }
        entry["text"] = row["bound_text"] = "%s: %s" % (row["mode"], bound_text(entry))
        out.append(entry)
    return out


def say_bounds(entries):
    """The bounded rows that did not explore their bound whole, one line
    each: a clean run there is no claim of clean."""
    for e in entries:
        if e["verdict"] == "unexpected" or e["complete_to"] is None or \
                e["complete_to"] < e["bound"]:
            say("bounds:   %s/%s: %s (%s schedules in the last pass)" % (
                e["scenario"], e["variant"], e["text"], e["schedules"]))


def tsan_entries(rows):
    for row in rows:
        row.update(claimed=row["tsan_claimed"], modes=[row["mode"]],
                   reported=row.get("tsan_reported", False))
    return rows


def mutant_shard(scale):
    names = sorted(os.path.basename(p)[:-len(".mutant")]
                   for p in glob.glob(os.path.join(ROOT, "tests", "mutants", "*.mutant")))
    if scale >= MUTANT_SHARDS:
        return names, "all"
    k = datetime.date.today().timetuple().tm_yday % MUTANT_SHARDS
    return names[k::MUTANT_SHARDS], "%d of %d" % (k + 1, MUTANT_SHARDS)


def run_mutants(a, night_dir):
    names, shard = mutant_shard(a.scale)
    out = os.path.join(night_dir, "mutants")
    os.makedirs(out, exist_ok=True)
    say("mutants: %d (share %s)" % (len(names), shard))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "mutants.py"),
                        "--only", ",".join(names), "--out", os.path.join(out, "work"),
                        "--min-rate", "0"], capture_output=True, text=True)
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write(p.stdout + p.stderr)
    shutil.rmtree(os.path.join(out, "work"), ignore_errors=True)
    lines = [l.split("|") for l in p.stdout.splitlines() if l.startswith("| ") and
             not l.startswith("| mutant ")]
    verdicts = {cells[1].strip(): cells[3].strip() for cells in lines if len(cells) > 4}
    return {
        "total": sum(not v.startswith("equivalent") for v in verdicts.values()),
        "killed": sum(v.startswith("killed") for v in verdicts.values()),
        "survivors": sorted(n for n, v in verdicts.items() if v in ("survived", "unreached")),
        "ran": sorted(verdicts), "shard": shard, "log": "mutants/summary.txt",
    }


def run_bench(night_dir):
    """make bench's quick figures, written into the night (the tree's own
    reports/out is left to make bench)."""
    out = os.path.abspath(os.path.join(night_dir, "bench"))
    env = dict(os.environ, BENCH_QUICK="1", OUT_DIR=out, BENCH_REPORT_DIR=out)
    p = subprocess.run([os.path.join(ROOT, "scripts", "bench.sh")], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    try:
        with open(os.path.join(out, "bench.json")) as f:
            bench = json.load(f)
    except (OSError, ValueError):
        bench = None
    if p.returncode or not bench:
        say("bench: failed (exit %d), see %s/bench.log" % (p.returncode, out))
        return {"figures": [], "failed": True, "log": "bench/bench.log"}
    return {"figures": bench.get("figures", []), "log": "bench/bench.log"}


def shown(path):
    """A path as a reader at the tree's top types it."""
    path = os.path.abspath(path)
    inside = path.startswith(ROOT + os.sep)
    return "./" + os.path.relpath(path, ROOT) if inside else path


def write_timelines(rows, a, night_dir):
    """Each failure's interleaving one click away: a controlled one
    replayed and minimized from its report, a free one's events as its
    run printed them."""
    os.makedirs(os.path.join(night_dir, "timelines"), exist_ok=True)
    for row in rows:
        if row.get("verdict") != "unexpected" or not row.get("report"):
            continue
        stem = os.path.splitext(os.path.basename(row["report"]))[0]
        path = os.path.join("timelines", stem + ".txt")
        report = os.path.join(night_dir, row["report"])
        if row["mode"] != "free" and row.get("violation"):
            binary = a.binaries[row.get("binary", "plain")]
            p = subprocess.run([binary, "--replay", report, "--minimize", "-q"],
                               capture_output=True, text=True)
            text = p.stdout
            row["replay"] = "%s --replay %s" % (shown(binary), shown(report))
        else:
            text = open(os.path.join(night_dir, row["log"]), errors="replace").read()
        with open(os.path.join(night_dir, path), "w") as f:
            f.write(text)
        row["timeline"] = path


def read_night(path):
    try:
        with open(path) as f:
            night = json.load(f)
    except (OSError, ValueError):
        return None
    return night if isinstance(night, dict) and night.get("format") == FORMAT else None


def whole(night):
    """A night of every section and every row: only such a night is a
    baseline (beside a partial one, every row it did not run looks new)."""
    n = night.get("night", {})
    # The bounded search came after the others: a night from before it is
    # still a baseline (a row it lacks is new, news only when it fails).
    return not n.get("only") and not n.get("interrupted") and \
        set(n.get("sections") or []) >= set(SECTIONS) - {"real", "bench", "bounds"}


def load_baseline(a, stamp):
    """--baseline, or the newest earlier whole night that can be read."""
    if a.baseline:
        night = read_night(a.baseline)
        if night is None:
            sys.exit("nightly: --baseline '%s' is not a nightly's merged.json" % a.baseline)
        return night, a.baseline
    for path in sorted(glob.glob(os.path.join(a.out, "*", "merged.json")), reverse=True):
        if os.path.basename(os.path.dirname(path)) >= stamp:
            continue
        night = read_night(path)
        if night is not None and (whole(night) or a.only):
            return night, path
    return None, None


def public(row):
    """The row as merged.json keeps it: the spec's fields, no scratch."""
    keep = ("id", "section", "scenario", "variant", "buggy", "mode", "memory", "setting",
            "seed", "expected", "outcome", "verdict", "not_judged_reason", "elapsed_s",
            "executions_run", "executions_to_detection", "time_to_detection_s", "violation",
            "violation_text", "rerun", "replay", "timeline", "report", "counters",
            "flush_policy", "log") + (("claimed", "modes", "reported")
                                      if row["section"] == "tsan" else ())
    out = {k: row.get(k) for k in keep}
    out["seed"] = "%#x" % row["seed"]
    return out


def screenshot(night_dir):
    chromium = shutil.which("chromium")
    if not chromium:
        return "chromium is not installed (apt-get install chromium)"
    page = os.path.join(os.path.abspath(night_dir), "index.html")
    p = subprocess.run(["timeout", "120", chromium, "--headless", "--no-sandbox",
                        "--disable-gpu", "--hide-scrollbars",
                        "--user-data-dir=" + os.path.join(night_dir, ".chromium"),
                        "--window-size=1400,4000",
                        "--screenshot=" + os.path.join(night_dir, "screenshot.png"),
                        "file://" + page], capture_output=True, text=True)
    shutil.rmtree(os.path.join(night_dir, ".chromium"), ignore_errors=True)
    return None if p.returncode == 0 else "chromium exited %d" % p.returncode


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--scale", type=int, default=int(os.environ.get("NIGHTLY_SCALE", "1")),
                    help="seeds and budgets grow with it (default 1: about 30 minutes)")
    ap.add_argument("--out", default=os.environ.get("NIGHTLY_OUT", "nightly-out"),
                    help="where nights are kept (default nightly-out)")
    ap.add_argument("--baseline", help="the night to compare with (a merged.json)")
    ap.add_argument("--only", help="only rows whose id matches this regular expression")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help="which sections run (default all: %s)" % ",".join(SECTIONS))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--stress", default=os.path.join(ROOT, "stress"))
    ap.add_argument("--stress-tsan", default=os.path.join(ROOT, "stress-tsan"))
    a = ap.parse_args(argv)
    bad = [s for s in a.sections.split(",") if s not in SECTIONS]
    if bad:
        ap.error("--sections: '%s' is not one of %s" % (bad[0], ", ".join(SECTIONS)))
    if a.scale < 1 or a.jobs < 1:
        ap.error("--scale and --jobs are at least 1")
    try:
        a.only = re.compile(a.only) if a.only else None
    except re.error as e:
        ap.error("--only '%s' is not a regular expression: %s" % (a.only, e))
    if a.baseline and not os.path.isfile(a.baseline):
        ap.error("--baseline '%s' is not a file" % a.baseline)
    needs_tsan = "tsan" in a.sections or "claims" in a.sections
    for path in (a.stress,) + ((a.stress_tsan,) if needs_tsan else ()):
        if not os.access(path, os.X_OK):
            ap.error("'%s' is not built (make stress stress-tsan)" % path)
    try:
        a.bound_seconds = float(os.environ.get("NIGHTLY_BOUND_SECONDS", "90"))
    except ValueError:
        a.bound_seconds = 0
    if not 0 < a.bound_seconds < 1e6:
        ap.error("NIGHTLY_BOUND_SECONDS '%s' is not a number of seconds above 0" %
                 os.environ.get("NIGHTLY_BOUND_SECONDS"))
    a.bound_seconds *= a.scale
    a.sections = a.sections.split(",")
    a.binaries = {"plain": a.stress, "tsan": a.stress_tsan}
    return a


def run_night(a, night_dir, night):
    cat = catalogue(a.stress, "model")
    rows = []
    if "matrix" in a.sections:
        rows += run_section("matrix", nightly_rows.matrix_rows(cat, a.scale, a.only), a,
                            night_dir)
    if "sweeps" in a.sections:
        sweep_rows = run_section("sweeps", nightly_rows.sweep_rows(cat, a.scale, a.only), a,
                                 night_dir)
        night["sweeps"] = sweeps_of(sweep_rows, night_dir)
    if "claims" in a.sections:
        night["claims"] = claims_of(run_section(
            "claims", nightly_rows.claim_rows(cat, a.scale, a.only), a, night_dir))
    if "bounds" in a.sections:
        bound_rows = run_section("bounds", nightly_rows.bound_rows(cat, a.bound_seconds, a.only),
                                 a, night_dir)
        night["bounds"] = bounds_of(bound_rows)
        say_bounds(night["bounds"])
        rows += bound_rows
    if "tsan" in a.sections:
        night["tsan"] = tsan_entries(run_section(
            "tsan", nightly_rows.tsan_rows(cat, a.scale, a.only), a, night_dir))
    if "real" in a.sections:
        why = kvm_unusable(a.stress)
        night["real"] = {"skipped": why}
        if why:
            say("real: skipped: " + why)
        else:
            rows += run_section("real", nightly_rows.real_rows(
                catalogue(a.stress, "kvm"), a.scale, a.only), a, night_dir)
    if "mutants" in a.sections and not nightly_run.stopping.is_set():
        night["mutants"] = run_mutants(a, night_dir)
    if "bench" in a.sections and not nightly_run.stopping.is_set():
        say("bench: the quick figures")
        night["bench"] = run_bench(night_dir)
    return rows


def bench_history(night, baseline):
    """The bench figures night over night: the baseline's last 29 nights
    and this one's."""
    history = list((baseline or {}).get("bench_history") or [])[-29:]
    if night.get("bench"):
        history.append({"stamp": night["night"]["stamp"],
                        "figures": {f["name"]: f["value"] for f in night["bench"]["figures"]}})
    return history


def judge_misses_by_claims(rows, claims):
    """A claim holds when all its seeds but one catch the bug, so where a
    claim covers the row (its mode, memory model and setting), the row's
    seed that missed says nothing alone: the claim's seeds judge it. A
    miss no claim covers stays a failure: the row ran at the claims'
    bound."""
    by_id = {c["id"]: c for c in claims}
    for row in rows:
        if not (row["section"] == "matrix" and row.get("expected") == "violation" and
                row.get("outcome") == "clean" and row.get("verdict") == "unexpected"):
            continue
        claim = by_id.get(row["id"])
        if claim and claim["holds"]:
            row["verdict"] = "as-expected"
            row["not_judged_reason"] = "this seed missed; the claim holds (%d of %d seeds)" % (
                claim["caught"], claim["seeds"])


def finish(a, night_dir, night, rows, started):
    judge_misses_by_claims(rows, night["claims"])
    write_timelines(rows + night["tsan"], a, night_dir)
    baseline, night["night"]["baseline"] = load_baseline(a, night["night"]["stamp"])
    night["rows"] = [public(r) for r in rows]
    tsan_rows = night["tsan"]
    night["tsan"] = [public(r) for r in tsan_rows]
    night["bench_history"] = bench_history(night, baseline)
    night["changes"] = nightly_diff.changes(night, baseline)
    night["findings"] = nightly_diff.findings(night, baseline, night["night"]["stamp"])
    verdicts = [r["verdict"] for r in night["rows"] + night["tsan"]]
    new = [c for c in night["changes"] if c["kind"] in ("new-failure", "claim-broken",
                                                         "mutant-survives")]
    known = "unexpected" in verdicts or any(c["verdict"] == "unexpected" for c in night["sweeps"]) \
        or not all(c["holds"] for c in night["claims"])
    night["night"].update(
        finished=iso(time.time()), elapsed_s=round(time.time() - started, 1),
        status="fail" if new else "known failures" if known else "pass",
        interrupted=nightly_run.stopping.is_set(),
        counts={"rows": len(verdicts), "as_expected": verdicts.count("as-expected"),
                "unexpected": verdicts.count("unexpected"),
                "not_judged": verdicts.count("not-judged")})
    write_whole(os.path.join(night_dir, "merged.json"),
                lambda f: json.dump(night, f, indent=1, sort_keys=True))
    nightly_ci.write_junit(os.path.join(night_dir, "junit.xml"), night, rows + tsan_rows)
    nightly_ci.write_ktap(os.path.join(night_dir, "results.ktap"), night, rows + tsan_rows)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "nightly_page.py"),
                    os.path.join(night_dir, "merged.json")], check=True)
    shot = screenshot(night_dir)
    if shot:
        say("no screenshot: " + shot)
    latest = os.path.join(a.out, "latest")
    if os.path.islink(latest) or not os.path.exists(latest):
        if os.path.islink(latest):
            os.unlink(latest)
        os.symlink(night["night"]["stamp"], latest)
    return new


def write_whole(path, write):
    """Written beside, then renamed: a night killed while writing leaves
    no half file for the next night to read as its baseline."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        write(f)
    os.replace(tmp, path)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def summarize(night, night_dir, new):
    n = night["night"]
    say("%s in %.0f s: %d rows, %d as expected, %d not as expected, %d not judged" % (
        n["status"], n["elapsed_s"], n["counts"]["rows"], n["counts"]["as_expected"],
        n["counts"]["unexpected"], n["counts"]["not_judged"]))
    for c in night["changes"][:40]:
        say("  %-15s %s: %s" % (c["kind"], c["id"], c["detail"]))
    for f in night["findings"]:
        if f["last_seen"] == n["stamp"]:
            say("  finding %s/%s %s: %d runs over %d nights, first %s; %s" % (
                f["scenario"], f["variant"], f["violation"], f["runs"], f["nights"],
                f["first_seen"], f["rerun"]))
    say("the page: %s" % os.path.join(night_dir, "index.html"))


def main(argv):
    a = parse_args(argv)
    started = time.time()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    night_dir = os.path.join(a.out, stamp)
    if os.path.exists(night_dir):
        print("nightly: %s exists: one night a second at most" % night_dir, file=sys.stderr)
        return 2
    os.makedirs(os.path.join(night_dir, "runs"))
    signal.signal(signal.SIGINT, lambda *_: nightly_run.stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: nightly_run.stopping.set())
    night = {
        "tool": "lostflush", "version": None, "format": FORMAT,
        "night": {"kind": "nightly", "stamp": stamp, "started": iso(started),
                  "scale": a.scale, "host": socket.gethostname(), "cpus": os.cpu_count(),
                  "commit": git_commit(), "sections": a.sections,
                  "only": a.only.pattern if a.only else None},
        "rows": [], "sweeps": [], "claims": [], "bounds": [], "tsan": [], "mutants": None,
        "real": None, "bench": None, "bench_history": [], "changes": [], "findings": [],
    }
    night["version"] = subprocess.run([a.stress, "--version"], capture_output=True,
                                      text=True).stdout.split()[-1]
    rows = run_night(a, night_dir, night)
    new = finish(a, night_dir, night, rows, started)
    summarize(night, night_dir, new)
    if nightly_run.stopping.is_set():
        say("interrupted: what finished is written")
        return 130
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
