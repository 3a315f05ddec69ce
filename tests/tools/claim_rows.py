#!/usr/bin/env python3
"""Every buggy variant x every detector it claims, as the rows make check
holds it to: read from `./stress --list --json`, so a claim written in a
descriptor is a claim tested, and nothing here names a variant.

    tests/tools/claim_rows.py ./stress

One row per line: NAME WANT SEEDS BINARY ARGS..., meaning at least WANT of
SEEDS seeds of BINARY ARGS --seed S must be caught. The bounds are the
claim's own definition (scenarios/scenario.h, scripts/claims.sh):

  free    19 of 20 seeds within 30 s: free mode depends on the host's
          timing, and the slowest seed measured (nonatomic-inc, 17 s)
          needs a margin that holds on a loaded 2-core machine; not for a
          variant rare in free mode, which free mode reports, never judges
  random  19 of 20 within 10 s, under the strongest memory model the bug
          shows in
  pct     19 of 20 within 10 s at the stated depth, the same memory model
  cover   5 of 5 within 300,000 executions: a search is deterministic in
          its seed, so the bound is executions, not time (under sc when
          the claim holds there only)
  tsan    ThreadSanitizer reports a data race in one 5 s free run

"store-buffers" is not a detector of its own: it is the memory model the
random, pct and cover rows already run under.
"""
import json
import subprocess
import sys

MEMORIES = ["sc", "tso", "weak"]


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
                   base + ["--sched", "random", "--memory", memory, "--duration", "10s"])
        elif detector == "pct":
            depth = "pct:%d" % c["pct_depth"]
            yield (name + "-" + depth + "-" + memory, 19, 20, "./stress",
                   base + ["--sched", depth, "--memory", memory, "--duration", "10s"])
        elif detector == "cover":
            m = "sc" if c["cover_sc_only"] else memory
            yield (name + "-cover-" + m, 5, 5, "./stress",
                   base + ["--sched", "cover", "--memory", m, "--executions", "300000",
                           "--duration", "60s"])
        elif detector == "tsan":
            yield name + "-tsan", 1, 1, "./stress-tsan", base + ["--duration", "5s"]


def main():
    stress = sys.argv[1] if len(sys.argv) > 1 else "./stress"
    out = subprocess.run([stress, "--list", "--json"], capture_output=True, text=True,
                         check=True).stdout
    for s in json.loads(out):
        for v in s["variants"]:
            if not v["buggy"]:
                continue
            for name, want, seeds, binary, args in rows_of(s["name"], v):
                print(name, want, seeds, binary, " ".join(args))


if __name__ == "__main__":
    main()
