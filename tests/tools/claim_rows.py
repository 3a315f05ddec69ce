#!/usr/bin/env python3
"""Every buggy variant x every detector it claims, as the rows make check
holds it to: read from `./stress --list --json`, so a claim written in a
descriptor is a claim tested, and nothing here names a variant.

    tests/tools/claim_rows.py ./stress [--controlled-seeds N]

One row per line: NAME WANT SEEDS BINARY ARGS..., meaning at least WANT of
SEEDS seeds of BINARY ARGS --seed S must be caught. The bounds are the
claim's own definition (scenarios/scenario.h, scripts/claims.sh):

  free    19 of 20 seeds within 30 s: free mode depends on the host's
          timing; the slowest of 20 seeds measured at load 13 to 36 on 2
          cores (late-snapshot, 10.6 s) leaves a margin; not for a variant
          rare in free mode (nonatomic-inc, counter-reset: a busy machine's
          time slices hide them), which free mode reports, never judges
  random  19 of 20 within 500,000 executions, under the strongest memory
          model the bug shows in
  pct     19 of 20 within 500,000 executions at the stated depth, the same
          memory model
  cover   5 of 5 within 300,000 executions
  tsan    ThreadSanitizer reports a data race in one 5 s free run
  depth   an exact bug depth N: --sched bounded:N with --seed 1 shows the
          bug, and bounded:N-1 runs clean; a depth stated as "more than N"
          is a measurement, not held here

A controlled execution is deterministic in its seed, so a controlled
claim is counted in executions and holds or fails the same on any
machine, however busy. The slowest of the 20 seeds measured for any random
or pct row took 182,212 executions (late-snapshot under pct:4; scripts/
claims.sh prints each row's); 500,000 leaves a margin for the next change.
The wall-clock limit beside each bound is only a safety net, far above
what the bound takes on a loaded machine (the slowest, about 20,000
executions a second at load 10 on 2 cores).

--controlled-seeds N holds each random and pct claim on seeds 1..N only,
N - 1 of them caught, and depths of at most 1: make check does so with 5,
to stay within its time, and the nightly holds the whole definition. A controlled seed is
deterministic, so the shorter hold is no flakier, only narrower.

"store-buffers" is not a detector of its own: it is the memory model the
random, pct and cover rows already run under.
"""
import json
import subprocess
import sys

MEMORIES = ["sc", "tso", "weak"]
# Random and pct, as cover: a bound in executions, and a safety net in
# seconds that only a hung run reaches.
CONTROLLED_EXECUTIONS = {"random": "500000", "pct": "500000", "cover": "300000"}
SAFETY_NET = "300s"
# A bounded search's every pass counts: the deepest stated (2) took some
# 840,000 executions in all.
DEPTH_EXECUTIONS = "5000000"


def controlled(mode, memory, detector):
    return ["--sched", mode, "--memory", memory, "--executions",
            CONTROLLED_EXECUTIONS[detector], "--duration", SAFETY_NET]


def bounded(k, memory):
    return ["--sched", "bounded:%d" % k, "--memory", memory, "--executions",
            DEPTH_EXECUTIONS, "--duration", SAFETY_NET]


def rows_of(scenario, variant):
    c = variant["claims"]
    base = ["--scenario", scenario, "--variant", variant["name"]]
    name = "claim-%s-%s" % (scenario, variant["name"])
    memory = c["shows_from"]
    for detector in c["caught_by"]:
        if detector == "free" and not c["rare_in_free_mode"] and memory == "sc":
            yield name + "-free", 19, 20, "./stress", base + ["--duration", "30s"]
        elif detector == "random":
            yield (name + "-random-" + memory, 19, 20, "./stress",
                   base + controlled("random", memory, "random"))
        elif detector == "pct":
            depth = "pct:%d" % c["pct_depth"]
            yield (name + "-" + depth + "-" + memory, 19, 20, "./stress",
                   base + controlled(depth, memory, "pct"))
        elif detector == "cover":
            m = "sc" if c["cover_sc_only"] else memory
            yield (name + "-cover-" + m, 5, 5, "./stress", base + controlled("cover", m, "cover"))
        elif detector == "tsan":
            yield name + "-tsan", 1, 1, "./stress-tsan", base + ["--duration", "5s"]
    depth = c.get("bug_depth") or {}
    if depth.get("exact"):
        d = depth["preemptions"]
        yield (name + "-depth-%d" % d, 1, 1, "./stress",
               base + bounded(d, memory) + ["--expect", "violation"])
        # Exact: with one preemption fewer, every schedule runs clean.
        if d:
            yield (name + "-depth-%d-not-%d" % (d, d - 1), 1, 1, "./stress",
                   base + bounded(d - 1, memory) + ["--expect", "clean"])


def shortened(rows, seeds):
    """random and pct rows on seeds 1..seeds, one miss allowed; depths of
    at most 1 and their bounds below (a depth of 2 takes a minute a row)."""
    for name, want, n, binary, args in rows:
        if seeds and "--sched" in args and args[args.index("--sched") + 1].startswith(
                "bounded:") and int(args[args.index("--sched") + 1][8:]) > 1:
            continue
        if seeds and n == 20 and "--sched" in args and args[args.index("--sched") + 1] != "cover":
            want, n = seeds - 1, seeds
        yield name, want, n, binary, args


def main():
    stress = sys.argv[1] if len(sys.argv) > 1 else "./stress"
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--controlled-seeds" else 0
    out = subprocess.run([stress, "--list", "--json"], capture_output=True, text=True,
                         check=True).stdout
    for s in json.loads(out):
        for v in s["variants"]:
            if not v["buggy"]:
                continue
            for name, want, n, binary, args in shortened(rows_of(s["name"], v), seeds):
                print(name, want, n, binary, " ".join(args))


if __name__ == "__main__":
    main()
