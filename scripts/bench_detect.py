#!/usr/bin/env python3
"""make bench, section 5: how fast each buggy variant is caught in every
mode it claims, read from `./stress --list --json`, so a new variant is
measured the moment it is listed.

    scripts/bench_detect.py OUT

Controlled modes (random, pct:<depth>, cover, under the memory model the
claim states) are counted in executions: one seed's run stops at its first
violation, and failing_execution + 1 from its JSON report is how many
executions it took. That count is the seed's alone, the same on any
machine, so two runs go at a time (one per core). Free mode is counted in
seconds, and its seeds run alone: their timing is what they measure.

A row gives the seeds that caught the variant, the median and the slowest
of those. A controlled run the wall-clock safety net ended before its
executions were done is "undecided": no verdict, counted apart.

Knobs: BENCH_SEEDS (5), BENCH_EXECUTIONS (100000 per controlled run),
BENCH_SAFETY_NET (300s), DETECT_LIMIT (a free run, 10s), BENCH_JOBS (2),
BENCH_DETECT_BUDGET (seconds for the whole section, 3600: runs that would
start later are not run, and their rows say so).
"""
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# The report reader is bench_figures.py's; importing it leaves no compiled
# copy beside the scripts.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_figures import load_report  # noqa: E402

STRESS = "./stress"
SEEDS = int(os.environ.get("BENCH_SEEDS", "5"))
EXECUTIONS = int(os.environ.get("BENCH_EXECUTIONS", "100000"))
SAFETY_NET = os.environ.get("BENCH_SAFETY_NET", "300s")
FREE_LIMIT = os.environ.get("DETECT_LIMIT", "10s")
JOBS = int(os.environ.get("BENCH_JOBS", "2"))
BUDGET = float(os.environ.get("BENCH_DETECT_BUDGET", "3600"))


class Row:
    """One variant under one mode, and what its seeds found."""

    def __init__(self, scenario, variant, mode, memory):
        self.scenario, self.variant, self.mode, self.memory = scenario, variant, mode, memory
        self.results = []

    @property
    def free(self):
        return self.mode == "free"

    @property
    def tag(self):
        return "%s.%s.%s-%s" % (self.scenario, self.variant, self.mode.replace(":", ""),
                                self.memory)

    def argv(self, seed, report):
        """The run of one seed: bounded in executions, with a safety net in
        seconds that only a hung or starved run reaches; free mode in
        seconds."""
        argv = [STRESS, "--scenario", self.scenario, "--variant", self.variant]
        if self.free:
            argv += ["--duration", FREE_LIMIT]
        else:
            argv += ["--sched", self.mode, "--memory", self.memory, "--executions",
                     str(EXECUTIONS), "--duration", SAFETY_NET]
        return argv + ["--expect", "violation", "-q", "--report", report, "--seed", str(seed)]


def rows_of(variant_name, scenario, claims):
    """Every mode a buggy variant claims to be caught by, as
    tests/tools/claim_rows.py holds them: free only where it is not rare
    and needs no store buffer; store-buffers and tsan are not modes here."""
    memory = claims["shows_from"]
    for detector in claims["caught_by"]:
        if detector == "free" and not claims["rare_in_free_mode"] and memory == "sc":
            yield Row(scenario, variant_name, "free", "sc")
        elif detector == "random":
            yield Row(scenario, variant_name, "random", memory)
        elif detector == "pct":
            yield Row(scenario, variant_name, "pct:%d" % claims["pct_depth"], memory)
        elif detector == "cover":
            yield Row(scenario, variant_name, "cover",
                      "sc" if claims["cover_sc_only"] else memory)


def catalogue_rows():
    out = subprocess.run([STRESS, "--list", "--json"], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for s in json.loads(out):
        if s.get("backend", "model") != "model":
            continue
        for v in s["variants"]:
            if v["buggy"]:
                rows += rows_of(v["name"], s["name"], v["claims"])
    return rows


class Budget:
    """The section's wall-clock allowance: a run is started only while some
    is left, so the section ends near it however the runs go."""

    def __init__(self, seconds):
        self.start, self.seconds = time.monotonic(), seconds

    def spent(self):
        return time.monotonic() - self.start

    def left(self):
        return self.spent() < self.seconds


def one_seed(row, seed, d, budget):
    """('caught', n), ('missed',), ('undecided',), ('not run',) or
    ('error', message) for one seed of row."""
    if not budget.left():
        return ("not run",)
    report = os.path.join(d, "%s.seed%d.json" % (row.tag, seed))
    if os.path.exists(report):
        os.unlink(report)
    p = subprocess.run(row.argv(seed, report), capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    r = load_report(report)
    if p.returncode == 2 or r is None:
        lines = (p.stderr or p.stdout).strip().splitlines()
        return ("error", lines[0] if lines else "exit %d" % p.returncode)
    if r["outcome"] == "violation":
        if row.free:
            return ("caught", r["time_to_first_violation_s"])
        return ("caught", r["failing_execution"] + 1)
    if not row.free and r.get("executions_run", 0) < EXECUTIONS:
        return ("undecided",)
    return ("missed",)


def summary(row):
    """The row's counts and its median and slowest catch."""
    kinds = [res[0] for res in row.results]
    found = [res[1] for res in row.results if res[0] == "caught"]
    errors = [res[1] for res in row.results if res[0] == "error"]
    return {
        "scenario": row.scenario,
        "variant": row.variant,
        "mode": row.mode,
        "memory": row.memory,
        "seeds": sum(1 for k in kinds if k != "not run"),
        "caught": len(found),
        "median": statistics.median(found) if found else None,
        "slowest": max(found) if found else None,
        "undecided": kinds.count("undecided"),
        "not_run": kinds.count("not run"),
        "error": errors[0] if errors else None,
    }


def print_row(s, unit):
    name = "%s/%s" % (s["scenario"], s["variant"])
    mode = s["mode"] + ("" if s["memory"] == "sc" else " --memory " + s["memory"])
    if s["error"]:
        print("%-44s %-20s unavailable (%s)" % (name, mode, s["error"]), flush=True)
        return
    fmt = "%10.3f" if unit == "s" else "%10d"
    median = fmt % s["median"] if s["median"] is not None else "%10s" % "-"
    slowest = fmt % s["slowest"] if s["slowest"] is not None else "%10s" % "-"
    notes = []
    if s["undecided"]:
        notes.append("%d ended by the %s safety net" % (s["undecided"], SAFETY_NET))
    if s["not_run"]:
        notes.append("%d not run: the section's budget was spent" % s["not_run"])
    print("%-44s %-20s %3d/%-3d %s %s%s" % (name, mode, s["caught"], s["seeds"], median, slowest,
                                           "  (" + "; ".join(notes) + ")" if notes else ""),
          flush=True)


def run_free(rows, d, budget):
    """Free rows one seed at a time: a free run's timing is what it
    measures, and a second run beside it would take half its cores."""
    print("%-44s %-20s %7s %10s %10s" % ("free mode: scenario/variant", "mode", "caught",
                                         "median s", "slowest s"))
    for row in rows:
        row.results = [one_seed(row, seed, d, budget) for seed in range(1, SEEDS + 1)]
        print_row(summary(row), "s")


def run_controlled(rows, d, budget):
    """Every seed of every controlled row on JOBS workers, rows printed in
    catalogue order as each one completes."""
    print("%-44s %-20s %7s %10s %10s" % ("controlled: scenario/variant", "mode", "caught",
                                         "median ex", "slowest ex"))
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        futures = [[pool.submit(one_seed, row, seed, d, budget) for seed in range(1, SEEDS + 1)]
                   for row in rows]
        for row, fs in zip(rows, futures):
            row.results = [f.result() for f in fs]
            print_row(summary(row), "executions")


def as_json(rows):
    controlled, free = [], []
    for row in rows:
        s = summary(row)
        if row.free:
            free.append({k: s[k] for k in ("scenario", "variant", "seeds", "caught")} |
                        {"median_s": s["median"], "slowest_s": s["slowest"]})
        else:
            controlled.append({k: s[k] for k in ("scenario", "variant", "mode", "memory",
                                                  "seeds", "caught", "undecided")} |
                              {"median_executions": s["median"],
                               "slowest_executions": s["slowest"]})
    return {"controlled": controlled, "free": free}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    d = os.path.join(out, "detect-modes")
    os.makedirs(d, exist_ok=True)
    rows = catalogue_rows()
    free = [r for r in rows if r.free]
    controlled = [r for r in rows if not r.free]
    print("== time to detection per mode, as each buggy variant claims (%d seeds; free: at most"
          " %s a run; controlled: %d executions, %d at a time)" % (SEEDS, FREE_LIMIT, EXECUTIONS,
                                                                  JOBS))
    budget = Budget(BUDGET)
    run_free(free, d, budget)
    print()
    run_controlled(controlled, d, budget)
    with open(os.path.join(out, "detection.json"), "w") as f:
        json.dump(as_json(rows), f, indent=1)
    runs = sum(1 for r in rows for res in r.results if res[0] != "not run")
    print("section 5: %d runs over %d rows in %.0f s (budget %.0f s)" % (
        runs, len(rows), budget.spent(), BUDGET))


if __name__ == "__main__":
    main()
