#!/usr/bin/env python3
"""make bench, section 12: the schedulers side by side. For every buggy
variant with a controlled claim (from `./stress --list --json`), the
executions to its first violation under random, pct:3, pct:5, pos, surw,
cover and bounded:2, over the same seeds, in one run.

    scripts/bench_schedulers.py OUT_DIR

Each seed is one run, `--executions CAP` under the memory model the bug
needs (the claim's `shows_from`), stopped at its first violation; its JSON
report's failing_execution + 1 is the count. Counts are the seed's alone,
the same on any machine. bounded:2 explores every schedule with at most two
preemptions of the seed's execution; it ends clean when the bug is deeper,
before the cap.

A cell gives caught/seeds, the median and the slowest catch. So that the
table is measured in one sitting, a cell whose first GIVE_UP seeds all miss
at the cap runs no more seeds, and says so: 0/3 is such a cell, not a
guess about the other seventeen.

Knobs: SCHED_SEEDS (20), SCHED_EXECUTIONS (300000), SCHED_GIVE_UP (3),
SCHED_MODES (all seven, comma-separated), SCHED_ONLY (scenario/variant,
comma-separated), SCHED_SAFETY_NET (900s per run), SCHED_BUDGET (seconds
for the whole table, 86400: a cell not started by then says "not run"),
SCHED_CACHED_ONLY (1: run nothing, tabulate what seeds.jsonl holds),
BENCH_JOBS (1). At the full settings the table takes hours: the misses
cost their whole 300,000 executions, twenty times.
Results are kept per seed in OUT_DIR/seeds.jsonl: a run that was stopped
goes on where it was when started again with the same knobs.
"""
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_figures import load_report  # noqa: E402

STRESS = os.environ.get("STRESS", "./stress")
SEEDS = int(os.environ.get("SCHED_SEEDS", "20"))
CAP = int(os.environ.get("SCHED_EXECUTIONS", "300000"))
GIVE_UP = int(os.environ.get("SCHED_GIVE_UP", "3"))
MODES = os.environ.get("SCHED_MODES", "random,pct:3,pct:5,pos,surw,cover,bounded:2").split(",")
ONLY = [x for x in os.environ.get("SCHED_ONLY", "").split(",") if x]
SAFETY_NET = os.environ.get("SCHED_SAFETY_NET", "900s")
JOBS = int(os.environ.get("BENCH_JOBS", "1"))
BUDGET = float(os.environ.get("SCHED_BUDGET", "86400"))
CACHED_ONLY = os.environ.get("SCHED_CACHED_ONLY") == "1"
STARTED = time.time()
# The deep races first: they are what the table is for.
DEEP = ["invlpg-defer/counter-reset", "invlpg-defer/missing-wmb", "invlpg-defer/nonatomic-inc",
        "invlpg-defer/clear-before-request"]
CONTROLLED = {"random", "pct", "cover", "store-buffers"}


def variants():
    out = subprocess.run([STRESS, "--list", "--json"], capture_output=True, text=True, check=True)
    rows = []
    for s in json.loads(out.stdout):
        for v in s["variants"]:
            claims = v.get("claims", {})
            name = "%s/%s" % (s["name"], v["name"])
            if not v.get("buggy") or not CONTROLLED & set(claims.get("caught_by", [])):
                continue
            if ONLY and name not in ONLY:
                continue
            rows.append((name, claims.get("shows_from", "sc")))
    rows.sort(key=lambda r: (DEEP.index(r[0]) if r[0] in DEEP else len(DEEP)))
    return rows


def argv(name, memory, mode, seed, report):
    scenario, variant = name.split("/")
    return [STRESS, "--scenario", scenario, "--variant", variant, "--sched", mode, "--memory",
            memory, "--executions", str(CAP), "--duration", SAFETY_NET, "--expect", "violation",
            "-q", "--report", report, "--seed", str(seed)]


def one_seed(name, memory, mode, seed, d):
    """('caught', executions), ('missed', executions run), ('undecided',)
    or ('error', message)."""
    report = os.path.join(d, "%s.%s.%d.json" % (name.replace("/", "."), mode.replace(":", ""),
                                                 seed))
    if os.path.exists(report):
        os.unlink(report)
    p = subprocess.run(argv(name, memory, mode, seed, report), capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    r = load_report(report)
    if r is None or p.returncode in (2, 3, 4):
        lines = (p.stderr or p.stdout).strip().splitlines()
        return ("error", lines[0] if lines else "exit %d" % p.returncode)
    if r["outcome"] == "violation":
        return ("caught", r["failing_execution"] + 1)
    ran = r.get("executions_run", 0)
    ended = mode.startswith("bounded") and r.get("bounded", {}).get("complete_to") == 2
    if ran < CAP and not ended:
        return ("undecided",)
    return ("missed", ran)


class Cache:
    """Results per seed, kept across runs with the same knobs."""

    def __init__(self, path):
        self.path, self.seen = path, {}
        if os.path.exists(path):
            for line in open(path):
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e.get("cap") == CAP:
                    self.seen[(e["variant"], e["mode"], e["seed"])] = tuple(e["result"])

    def get(self, name, mode, seed):
        return self.seen.get((name, mode, seed))

    def put(self, name, mode, seed, result):
        self.seen[(name, mode, seed)] = result
        with open(self.path, "a") as f:
            f.write(json.dumps({"variant": name, "mode": mode, "seed": seed, "cap": CAP,
                                "result": list(result)}) + "\n")


def cell(name, memory, mode, d, cache):
    results = []
    if (time.time() - STARTED > BUDGET or CACHED_ONLY) and cache.get(name, mode, 1) is None:
        return {"variant": name, "memory": memory, "mode": mode, "seeds": 0, "caught": 0,
                "median": None, "slowest": None, "undecided": 0, "gave_up": False,
                "error": None, "not_run": True}
    for seed in range(1, SEEDS + 1):
        res = cache.get(name, mode, seed)
        if res is None and CACHED_ONLY:
            break
        if res is None:
            res = one_seed(name, memory, mode, seed, d)
            # Undecided is the clock's, not the seed's: run it again next
            # time.
            if res[0] not in ("error", "undecided"):
                cache.put(name, mode, seed, res)
        results.append(res)
        if res[0] == "error":
            break
        if len(results) == GIVE_UP and all(r[0] == "missed" for r in results):
            break
    found = [r[1] for r in results if r[0] == "caught"]
    errors = [r[1] for r in results if r[0] == "error"]
    return {
        "variant": name, "memory": memory, "mode": mode,
        "seeds": len(results), "caught": len(found),
        "median": statistics.median(found) if found else None,
        "slowest": max(found) if found else None,
        "undecided": sum(1 for r in results if r[0] == "undecided"),
        "gave_up": len(results) < SEEDS and not errors,
        "error": errors[0] if errors else None,
        "not_run": False,
    }


def fmt(c):
    if c["error"]:
        return "unavailable"
    if c.get("not_run"):
        return "not run"
    s = "%d/%d" % (c["caught"], c["seeds"])
    if c["median"] is not None:
        s += ", %s (%s)" % (human(c["median"]), human(c["slowest"]))
    return s


def human(n):
    n = float(n)
    return "{:,.0f}".format(n) if n < 10000 else "%.0fk" % (n / 1000) if n < 10 ** 6 else "%.1fM" % (n / 1e6)


def table(cells, rows):
    by = {(c["variant"], c["mode"]): c for c in cells}
    out = ["| variant (memory) | " + " | ".join(MODES) + " |",
           "|---|" + "---|" * len(MODES)]
    for name, memory in rows:
        out.append("| %s (%s) | " % (name, memory) + " | ".join(
            fmt(by[(name, m)]) if (name, m) in by else "" for m in MODES) + " |")
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/bench_schedulers.py OUT_DIR")
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    cache = Cache(os.path.join(d, "seeds.jsonl"))
    rows = variants()
    print("schedulers: %d variants x %d modes, %d seeds, at most %d executions each"
          % (len(rows), len(MODES), SEEDS, CAP), flush=True)
    cells = []
    work = [(n, m, mode) for n, m in rows for mode in MODES]
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        for c in pool.map(lambda w: cell(w[0], w[1], w[2], d, cache), work):
            cells.append(c)
            print("%-48s %-10s %s%s" % (c["variant"], c["mode"], fmt(c),
                                        "  (gave up: the first %d missed)" % GIVE_UP
                                        if c["gave_up"] else ""), flush=True)
    with open(os.path.join(d, "schedulers.json"), "w") as f:
        json.dump({"seeds": SEEDS, "cap": CAP, "give_up": GIVE_UP, "modes": MODES,
                   "cells": cells}, f, indent=1)
    with open(os.path.join(d, "schedulers.md"), "w") as f:
        f.write("Executions to the first violation: caught/seeds, median (slowest); "
                "seeds 1-%d, at most %d executions each; a cell whose first %d seeds "
                "missed ran no more.\n\n" % (SEEDS, CAP, GIVE_UP))
        f.write(table(cells, rows) + "\n")
    print(table(cells, rows))


if __name__ == "__main__":
    main()
