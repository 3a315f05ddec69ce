#!/usr/bin/env python3
"""The figures of make bench that go into reports/out/bench.json and
bench.md: each measured in this run, each a rate or a ratio of two rates
measured side by side, since the machine is shared and its absolute speed
says little.

    scripts/bench_figures.py rates OUT     sections 9-11: a vCPU thread's
                                            guest accesses/s beside a bare
                                            loop of tlb_lookup(), with actors
                                            and perturbation, and under TSan;
                                            9 and 11 per wall-clock second
                                            and per CPU second (a busy
                                            machine shares out its cores
                                            unevenly: the second is what the
                                            code costs)
    scripts/bench_figures.py handoff OUT   section 4's table, from the runs
                                            scripts/bench.sh made
    scripts/bench_figures.py report OUT DIR  DIR/bench.json and DIR/bench.md

Every figure is a line of OUT/figures.jsonl, appended by the section that
measured it; scripts/bench_detect.py writes OUT/detection.json. The report
reads only those, so it holds what this run measured and nothing else.

Knobs (scripts/bench.sh sets them, BENCH_QUICK=1 shortens them):
BENCH_RATE_SECONDS (each rate run), BENCH_ROUNDS (alternating rounds of
section 9 and 11, whose medians are compared).
"""
import datetime
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys

STRESS = "./stress"
STRESS_TSAN = "./stress-tsan"
TLB_LOOP = "build/bench_tlb_loop"
# The scenario whose vCPU is timed: the one `make run` runs, whose guest
# program is plain reads, writes and invlpg over a few hot pages.
SCENARIO = "invlpg-defer"
NO_PERTURB = "spin=0,yield=0,sleep=0"


def rate_seconds():
    return float(os.environ.get("BENCH_RATE_SECONDS", "3"))


def rounds():
    return max(1, int(os.environ.get("BENCH_ROUNDS", "3")))


# ---- figures -----------------------------------------------------------------


def add_figure(out, name, value, unit, section, command, aim=None):
    """One figure, appended as soon as it is measured: a section that fails
    later leaves the ones before it."""
    fig = {"name": name, "value": value, "unit": unit, "aim": aim, "section": section,
           "command": command}
    with open(os.path.join(out, "figures.jsonl"), "a") as f:
        f.write(json.dumps(fig) + "\n")


def load_report(path):
    """The first run of a ./stress JSON report, or None if it has none."""
    try:
        return json.load(open(path))["runs"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    return a / b if a is not None and b else None


def shown(value, fmt="%.2f"):
    return fmt % value if value is not None else "-"


# ---- sections 9-11: a vCPU thread's guest accesses ---------------------------


def zero_actors(scenario):
    """--actors that takes every role of the scenario's roster out, from the
    catalogue, so the vCPU runs alone whatever the roster holds."""
    catalogue = json.loads(subprocess.run([STRESS, "--list", "--json"], capture_output=True,
                                          text=True, check=True).stdout)
    roles = next(s["workers"] for s in catalogue if s["name"] == scenario).split(",")
    return ",".join("%s=0" % r for r in dict.fromkeys(roles) if r)


def stress_argv(binary, report, extra):
    return [binary, "--scenario", SCENARIO, "--variant", "fixed", "--seed", "1",
            "--duration", "%gs" % rate_seconds(), "-q", "--report", report] + extra


def with_cpu_time(run):
    """run()'s result and the CPU seconds of the child it waited for: this
    section runs one child at a time, so what the children's usage grew by
    is that child's. A rate per CPU second is what the code costs, whatever
    share of a core a busy machine gave it; per wall-clock second, what a
    user of that machine sees."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def per_vcpu_rate(argv, report):
    """Guest accesses per second per vCPU thread of one run, per wall-clock
    second from its report (counters over its own elapsed time, so start-up
    is not counted) and per CPU second of the process; and its config."""
    if os.path.exists(report):
        os.unlink(report)
    _, cpu_s = with_cpu_time(lambda: subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
    r = load_report(report)
    if r is None or not r["elapsed_s"]:
        return None, None, None
    accesses = r["counters"]["accesses"] / r["config"]["vcpus"]
    return accesses / r["elapsed_s"], accesses / cpu_s if cpu_s else None, r["config"]


def bare_loop_rate(argv):
    """tlb_lookup() calls per wall-clock second and per CPU second."""
    try:
        p, cpu_s = with_cpu_time(lambda: subprocess.run(argv, capture_output=True, text=True))
    except OSError:
        return None, None
    words = dict(w.split("=", 1) for w in p.stdout.split() if "=" in w)
    if "lookups_per_s" not in words or "lookups" not in words:
        return None, None
    return float(words["lookups_per_s"]), int(words["lookups"]) / cpu_s if cpu_s else None


class Rates:
    """One program's rates over the rounds, per wall-clock second and per
    CPU second."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def add(self, wall, cpu):
        self.wall.append(wall)
        self.cpu.append(cpu)

    def last(self, clock):
        return getattr(self, clock)[-1]

    def median(self, clock):
        return median_or_none(getattr(self, clock))


ROUND_ROW = "%-7s %-5s %14s %16s %14s %10s %8s"


def print_round(label, model, bare, tsan, pick):
    """Two lines, wall clock and CPU time, of one round or of the medians."""
    for clock in ("wall", "cpu"):
        m, b, t = pick(model, clock), pick(bare, clock), pick(tsan, clock)
        print(ROUND_ROW % (label, clock, shown(m, "%.0f"), shown(b, "%.0f"), shown(t, "%.0f"),
                           shown(ratio(b, m)), shown(ratio(m, t))), flush=True)


def alone_rounds(out, alone):
    """Rounds of the vCPU alone under ./stress, the bare loop and the vCPU
    alone under ./stress-tsan, one after another, so each ratio compares
    rates the same load shaped."""
    model, bare, tsan = Rates(), Rates(), Rates()
    report = os.path.join(out, "rate-alone.json")
    tsan_report = os.path.join(out, "rate-alone-tsan.json")
    argv = stress_argv(STRESS, report, alone)
    targv = stress_argv(STRESS_TSAN, tsan_report, alone)
    bare_argv = [TLB_LOOP]
    print(ROUND_ROW % ("round", "clock", "vCPU acc/s", "tlb_lookup/s", "TSan acc/s",
                       "bare/vCPU", "TSan x"))
    for i in range(rounds()):
        m_wall, m_cpu, config = per_vcpu_rate(argv, report)
        model.add(m_wall, m_cpu)
        # The working set the model ran: its hot gfns, its TLB's size.
        if config:
            bare_argv = [TLB_LOOP, str(config["hot_gfns"]), str(config["tlb_entries"]),
                         "%g" % rate_seconds()]
        bare.add(*(bare_loop_rate(bare_argv) if config else (None, None)))
        tsan.add(*(per_vcpu_rate(targv, tsan_report)[:2]
                   if os.access(STRESS_TSAN, os.X_OK) else (None, None)))
        print_round(str(i + 1), model, bare, tsan, Rates.last)
    print_round("median", model, bare, tsan, Rates.median)
    return model, bare, tsan, {"model": argv, "bare": bare_argv, "tsan": targv}


def verdict(value, aim, holds):
    if value is None:
        return "not measured"
    return ("within the aim of %s" if holds else "MISSES the aim of %s") % aim


# Sections 9 and 11's figures: (name, section, unit, program, over, aim); a
# ratio is program's rate over the other's, a rate has over None.
ALONE_FIGURES = [
    ("vcpu_alone_accesses_per_s", 9, "accesses/s per vCPU thread", "model", None, None),
    ("bare_tlb_lookup_per_s", 9, "lookups/s", "bare", None, None),
    ("bare_loop_over_vcpu", 9, "x", "bare", "model", "<= 10"),
    ("tsan_vcpu_alone_accesses_per_s", 11, "accesses/s per vCPU thread", "tsan", None, None),
    ("tsan_slowdown", 11, "x", "model", "tsan", "< 15"),
]


def cpu_twin(name, unit, is_ratio):
    """The name and unit of a figure's twin per CPU second."""
    if is_ratio:
        return name + "_cpu", unit
    return name.replace("_per_s", "_per_cpu_s"), unit.replace("/s", "/CPU s")


def alone_figures(out, rates, cmds):
    """Every figure of ALONE_FIGURES twice, from the medians: per wall-clock
    second, and per CPU second (its cpu_twin())."""
    values = {}
    for name, section, unit, prog, over, aim in ALONE_FIGURES:
        command = cmds[prog] if over is None else cmds[prog] + " ; " + cmds[over]
        for clock in ("wall", "cpu"):
            value = rates[prog].median(clock)
            if over is not None:
                value = ratio(value, rates[over].median(clock))
            shown_name, shown_unit = (name, unit) if clock == "wall" else \
                cpu_twin(name, unit, over is not None)
            add_figure(out, shown_name, value, shown_unit, section, command, aim)
            values[shown_name] = value
    return values


def section_alone(out):
    """Sections 9 and 11: the alternating rounds and their figures; returns
    the vCPU's median rate alone, per wall-clock second."""
    alone = ["--vcpus", "1", "--actors", zero_actors(SCENARIO), "--perturb", NO_PERTURB]
    print("== a vCPU thread alone against a bare loop of tlb_lookup() and against TSan")
    print("   (%s/fixed, free mode, no actors, no perturbation, %g s a run, %d rounds;"
          " per second of wall clock and of CPU time)" % (SCENARIO, rate_seconds(), rounds()))
    model, bare, tsan, argvs = alone_rounds(out, alone)
    cmds = {k: " ".join(v) for k, v in argvs.items()}
    v = alone_figures(out, {"model": model, "bare": bare, "tsan": tsan}, cmds)
    for suffix, clock in (("", "wall clock"), ("_cpu", "CPU time")):
        bare_x, tsan_x = v["bare_loop_over_vcpu" + suffix], v["tsan_slowdown" + suffix]
        print("by %s: bare loop / vCPU %s; TSan %s" % (
            clock, verdict(bare_x, "10x", bare_x is not None and bare_x <= 10),
            verdict(tsan_x, "15x", tsan_x is not None and tsan_x < 15)))
    return model.median("wall")


def section_roster(out, alone_rate):
    """Section 10: what the scenario's actors and the default perturbation
    take from a vCPU thread, each beside the rate of the vCPU alone."""
    zero = zero_actors(SCENARIO)
    runs = [
        ("vcpu_alone_perturbed_accesses_per_s", "alone, default perturbation",
         ["--vcpus", "1", "--actors", zero]),
        ("vcpu_with_actors_accesses_per_s", "actors, no perturbation",
         ["--vcpus", "1", "--perturb", NO_PERTURB]),
        ("vcpu_with_actors_perturbed_accesses_per_s", "actors, default perturbation",
         ["--vcpus", "1"]),
        ("default_run_accesses_per_vcpu_per_s", "the default run (its vCPUs, actors)", []),
    ]
    print()
    print("== a vCPU thread beside the scenario's actors and perturbation (%s/fixed, %g s each)"
          % (SCENARIO, rate_seconds()))
    print("%-38s %6s %14s %9s" % ("run", "vCPUs", "acc/s per vCPU", "vs alone"))
    for name, label, extra in runs:
        report = os.path.join(out, "rate-%s.json" % name)
        argv = stress_argv(STRESS, report, extra)
        rate, _, config = per_vcpu_rate(argv, report)
        add_figure(out, name, rate, "accesses/s per vCPU thread", 10, " ".join(argv))
        print("%-38s %6s %14s %9s" % (label, config["vcpus"] if config else "-",
                                      shown(rate, "%.0f"), shown(ratio(rate, alone_rate))),
              flush=True)


def rates(out):
    section_roster(out, section_alone(out))


# ---- section 4: controlled-mode hand-offs -------------------------------------

HANDOFF_AIM = 500_000


def pingpong_rates(out):
    """{'pingpong': rate, 'fibers': rate} from build/pingpong's output."""
    found = {}
    try:
        for line in open(os.path.join(out, "handoff-pingpong.txt")):
            name, _, value = line.strip().partition(" handoffs_per_s=")
            if value:
                found[name] = float(value)
    except OSError:
        pass
    return found


def handoff_commands(out):
    """The command of each run scripts/bench.sh made, as it wrote them."""
    cmds = {}
    try:
        for line in open(os.path.join(out, "handoff-commands.txt")):
            name, _, cmd = line.rstrip("\n").partition("\t")
            cmds[name] = cmd
    except OSError:
        pass
    return cmds


def handoff(out):
    pp, cmds = pingpong_rates(out), handoff_commands(out)
    base = pp.get("pingpong")
    add_figure(out, "pthread_handoffs_per_s", pp.get("pingpong"), "hand-offs/s", 4,
               cmds.get("pingpong"))
    add_figure(out, "fiber_handoffs_per_s", pp.get("fibers"), "hand-offs/s", 4,
               cmds.get("pingpong"))
    rows = [("pthread semaphore ping-pong", pp.get("pingpong"), None, None),
            ("swapcontext fiber ping-pong", pp.get("fibers"), None, None)]
    for sched, key in [("random", "random"), ("pct:3", "pct"), ("cover", "cover")]:
        r = load_report(os.path.join(out, "handoff-%s.json" % key))
        dec = r["decisions_per_s"] if r else None
        ex = r["executions_run"] / r["elapsed_s"] if r and r["elapsed_s"] else None
        tag = sched.replace(":", "")
        add_figure(out, "%s_decisions_per_s" % tag, dec, "decisions/s", 4, cmds.get(key),
                   ">= %d" % HANDOFF_AIM)
        add_figure(out, "%s_executions_per_s" % tag, ex, "executions/s", 4, cmds.get(key))
        # The search also hashes the state at every decision and replays
        # kept prefixes: what that costs shows against random's rate.
        rows.append(("stress --sched " + sched, dec, ex, r))
    fibers = pp.get("fibers")
    print("%-28s %14s %10s %10s %13s" % ("", "decisions/s", "vs pthread", "vs fibers",
                                         "executions/s"))
    print("%-28s %14s" % ("", "(hand-offs/s)"))
    for label, rate, ex, _ in rows:
        print("%-28s %14s %10s %10s %13s" % (label, shown(rate, "%.0f"), shown(ratio(rate, base)),
                                             shown(ratio(rate, fibers)), shown(ex, "%.0f")))
    for label, rate, _, r in rows[2:]:
        if r is None:
            print("%s: no report, aim not measured" % label)
            continue
        print("%s: %s (%d decisions over %d executions in %.2f s)" % (
            label, "meets 500k/s aim" if rate >= HANDOFF_AIM else "BELOW 500k/s aim",
            r["decisions"], r["executions_run"], r["elapsed_s"]))


# ---- the report ----------------------------------------------------------------


def machine():
    """What the figures were measured on: CPU model, cores, kernel."""
    model = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%s, %d cores, %s %s" % (model, os.cpu_count() or 0, platform.system(),
                                    platform.release())


def commit():
    p = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"],
                       capture_output=True, text=True)
    return p.stdout.strip() or None


def read_lines(path):
    try:
        return [json.loads(line) for line in open(path) if line.strip()]
    except OSError:
        return []


def read_json(path, default):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return default


def markdown_value(v):
    """Counts and rates with thousands separators, small values with the
    digits that still tell them apart (a free catch takes milliseconds)."""
    if v is None:
        return "-"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, int) or abs(v) >= 1000:
        return "{:,.0f}".format(v)
    return "%.3f" % v if abs(v) < 1 else "%.2f" % v


def markdown_table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(markdown_value(c) for c in row) + " |" for row in rows]
    return lines


def markdown(doc):
    """bench.md: the figures and the detection tables, date and machine on
    top."""
    lines = ["# make bench", "",
             "%s, %s (%s), %d cpus, commit %s." % (doc["date"], doc["host"], doc["machine"],
                                                  doc["cpus"], doc["commit"]),
             "", "## Figures", ""]
    lines += markdown_table(
        ["section", "figure", "value", "unit", "aim", "command"],
        [[f["section"], f["name"], f["value"], f["unit"], f["aim"] or "-",
          "`%s`" % f["command"] if f["command"] else "-"] for f in doc["figures"]])
    lines += ["", "## Executions to detection (controlled modes, as each variant claims)", ""]
    lines += markdown_table(
        ["scenario", "variant", "mode", "memory", "caught", "median executions",
         "slowest executions", "undecided"],
        [[d["scenario"], d["variant"], d["mode"], d["memory"],
          "%d/%d" % (d["caught"], d["seeds"]), d["median_executions"], d["slowest_executions"],
          d.get("undecided", 0)] for d in doc["detection"]])
    if doc.get("detection_free"):
        lines += ["", "## Seconds to detection (free mode)", ""]
        lines += markdown_table(
            ["scenario", "variant", "caught", "median s", "slowest s"],
            [[d["scenario"], d["variant"], "%d/%d" % (d["caught"], d["seeds"]), d["median_s"],
              d["slowest_s"]] for d in doc["detection_free"]])
    return "\n".join(lines) + "\n"


def report(out, report_dir):
    detection = read_json(os.path.join(out, "detection.json"), {})
    doc = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "machine": machine(),
        "cpus": os.cpu_count(),
        "commit": commit(),
        # In the order of the sections, each one's in the order measured.
        "figures": sorted(read_lines(os.path.join(out, "figures.jsonl")),
                          key=lambda f: f["section"]),
        "detection": detection.get("controlled", []),
        "detection_free": detection.get("free", []),
    }
    os.makedirs(report_dir, exist_ok=True)
    for name, text in [("bench.json", json.dumps(doc, indent=1) + "\n"),
                       ("bench.md", markdown(doc))]:
        tmp = os.path.join(report_dir, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, os.path.join(report_dir, name))
    print("bench: %d figures and %d detection rows in %s/bench.json and bench.md" %
          (len(doc["figures"]), len(doc["detection"]), report_dir))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd in ("rates", "handoff") and len(sys.argv) == 3:
        os.makedirs(sys.argv[2], exist_ok=True)
        {"rates": rates, "handoff": handoff}[cmd](sys.argv[2])
    elif cmd == "report" and len(sys.argv) == 4:
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
