#!/usr/bin/env python3
"""Measure what each buggy variant's claims say: run it under every
scheduler and memory model its bug can show under, SEEDS seeds each, and
print the table its claims must match.

    scripts/claims.sh [SCENARIO [VARIANT]]
    SEEDS=20 DURATION=30s EXECUTIONS=500000 JOBS=2 scripts/claims.sh invlpg-defer late-snapshot

A claim holds when at least SEEDS-1 of SEEDS seeds catch the variant: in
free mode within DURATION, in a controlled mode within EXECUTIONS
executions (300,000 for cover: tests/tools/claim_rows.py's bounds). A
controlled execution is deterministic in its seed, so its row reads the
same on any machine: median and slowest are executions there, seconds in
free mode. Each row says whether its mode is claimed, and flags a claim
that does not hold (exit 1) or a mode that catches reliably without a
claim.
"""
import json
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

STRESS = os.environ.get("STRESS", "./stress")
SEEDS = int(os.environ.get("SEEDS", "20"))
DURATION = os.environ.get("DURATION", "30s")
EXECUTIONS = os.environ.get("EXECUTIONS", "500000")
COVER_EXECUTIONS = "300000"
# Only a hung controlled run reaches it: the bound is executions.
SAFETY_NET = "300s"
JOBS = int(os.environ.get("JOBS", "2"))
MEMORIES = ["sc", "tso", "weak"]


def modes_of(v):
    """(label, args, claimed) for every mode the bug can show under."""
    c = v["claims"]
    caught = set(c["caught_by"])
    memories = MEMORIES[MEMORIES.index(c["shows_from"]):]
    rows = []
    if c["shows_from"] == "sc":
        rows.append(("free", [], "free" in caught and not c["rare_in_free_mode"]))
    for m in memories:
        rows.append(("random/" + m, ["--sched", "random", "--memory", m], "random" in caught))
        for d in (3, 4, 5):
            rows.append(("pct:%d/%s" % (d, m), ["--sched", "pct:%d" % d, "--memory", m],
                         "pct" in caught and d >= c["pct_depth"] and
                         (m == "sc" or not c["pct_sc_only"])))
        rows.append(("cover/" + m, ["--sched", "cover", "--memory", m],
                     "cover" in caught and (m == "sc" or not c["cover_sc_only"])))
    return rows


def bound_of(args):
    """The run's limit: executions in a controlled mode, seconds in free."""
    if not args:
        return ["--duration", DURATION]
    executions = COVER_EXECUTIONS if "cover" in args else EXECUTIONS
    return ["--executions", executions, "--duration", SAFETY_NET]


def one_seed(scenario, variant, args, seed):
    """Seconds (free) or executions (controlled) to the first violation,
    or None if not caught."""
    p = subprocess.run([STRESS, "-q", "--scenario", scenario, "--variant", variant, "--seed",
                        str(seed), "--expect", "violation"] + bound_of(args) + args,
                       capture_output=True, text=True)
    t = None
    for line in p.stdout.splitlines():
        if not args and line.startswith("First violation after "):
            t = float(line.split()[3])
        if args and line.startswith("Failing execution: "):
            t = int(line.split()[2].rstrip(","))
    if p.returncode >= 2:
        sys.exit("claims: %s/%s %s seed %d exited %d:\n%s" % (scenario, variant, args, seed,
                                                              p.returncode, p.stderr))
    return t if p.returncode == 0 else None


def measure(scenario, variant, args):
    jobs = 1 if not args else JOBS  # free seeds keep the machine to themselves
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        times = list(pool.map(lambda s: one_seed(scenario, variant, args, s),
                              range(1, SEEDS + 1)))
    return [t for t in times if t is not None]


def main():
    only = sys.argv[1:3]
    catalogue = json.loads(subprocess.run([STRESS, "--list", "--json"], capture_output=True,
                                          text=True, check=True).stdout)
    unmet = 0
    print("%-18s %-26s %-11s %7s %9s %9s  %s" % ("scenario", "variant", "mode", "caught",
                                                 "median", "slowest", "claim"))
    for s in catalogue:
        if only and s["name"] != only[0]:
            continue
        for v in s["variants"]:
            if not v["buggy"] or (len(only) > 1 and v["name"] != only[1]):
                continue
            for label, args, claimed in modes_of(v):
                times = measure(s["name"], v["name"], args)
                holds = len(times) >= SEEDS - 1
                verdict = ("stated, holds" if claimed and holds else
                           "STATED, DOES NOT HOLD" if claimed else
                           "not stated; it could be" if holds else "not stated")
                unmet += claimed and not holds
                unit = "s" if label == "free" else " ex"
                fmt = "%8.3f" if label == "free" else "%8d"
                print(("%-18s %-26s %-11s %3d/%-3d " + fmt + "%s " + fmt + "%s  %s") % (
                    s["name"], v["name"], label, len(times), SEEDS,
                    statistics.median(times) if times else 0, unit,
                    max(times) if times else 0, unit, verdict), flush=True)
    sys.exit(1 if unmet else 0)


if __name__ == "__main__":
    main()
