#!/usr/bin/env python3
"""The mutation score: can the fixed variants fail?

Each tests/mutants/*.patch is one slip a developer could make in the fixed
code (a flush moved after mmu_unlock, a barrier dropped, a range one page
short), with one comment line saying what it breaks, or "equivalent:" and
why it changes nothing. For each mutant this applies the patch in a scratch
copy of the tree, rebuilds ./stress there (only the patched file recompiles),
and runs the killing suite: every fixed variant, in every setting of
`./stress --list --json`, whose coverage run executed a line the patch
changes, under every scheduler and memory model. The first run that reports a
violation kills the mutant; the rest are skipped.

Coverage comes from ./stress-cov (gcov): one short free-mode and one
random run per fixed variant and setting, each writing its counts under
its own GCOV_PREFIX.

Exit status: 0 when the kill rate reaches --min-rate and no mutant claimed
equivalent was killed; 1 otherwise; 2 for bad arguments or a patch that does
not apply or build.
"""
import argparse
import concurrent.futures as cf
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODES = ["random/sc", "random/tso", "random/weak", "pct:3/sc", "pct:3/tso", "pct:3/weak",
         "cover/sc", "cover/tso", "cover/weak", "free"]
SETTING_OPTIONS = {"tlb_huge": "--tlb-huge", "log": "--log", "ad_bits": "--ad-bits",
                   "range_flush": "--range-flush", "cpu_features": "--cpu-features"}


def die(msg, code=2):
    print(f"mutants: {msg}", file=sys.stderr)
    sys.exit(code)


class Mutant:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".patch")]
        text = open(path).read()
        first = text.splitlines()[0] if text else ""
        if not first.startswith("# "):
            die(f"{path}: the first line must be '# what it breaks' or '# equivalent: why'")
        self.comment = first[2:].strip()
        self.equivalent = self.comment.startswith("equivalent:")
        self.changed = parse_changed_lines(path, text)
        if not self.changed:
            die(f"{path}: no hunk")


def parse_changed_lines(path, text):
    """{file: set of old line numbers the patch changes}; an insertion
    counts the old lines on either side of it, a deletion the line after it
    too (gcov may charge a barrier macro's code to the next statement)."""
    changed, cur, old = {}, None, 0
    for line in text.splitlines():
        if line.startswith("--- "):
            continue
        if line.startswith("+++ "):
            cur = re.sub(r"^b/", "", line[4:].split("\t")[0].strip())
            changed.setdefault(cur, set())
            continue
        m = re.match(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@", line)
        if m:
            old = int(m.group(1))
            continue
        if cur is None or not line or line[0] not in " -+":
            continue
        if line[0] == " ":
            old += 1
        elif line[0] == "-":
            changed[cur].update({old, old + 1})
            old += 1
        else:
            changed[cur].update({old - 1, old})
    for f, lines in changed.items():
        if not lines:
            die(f"{path}: no changed line in {f}")
    return changed


def full_roster(scenario):
    """--actors giving controlled modes the scenario's free-mode roster, or
    None where the two are the same."""
    if scenario["workers"] == scenario["controlled_workers"] or not scenario["workers"]:
        return None
    names = scenario["workers"].split(",")
    return ",".join(f"{n}={names.count(n)}" for n in dict.fromkeys(names))


def fixed_rows(stress):
    """(scenario, variant, setting args) for every fixed variant and every
    setting its claims list, and its scenario's several-actor roster where
    controlled modes run a smaller one; the first choice of an option is its
    default, so it is the base row."""
    listing = json.loads(subprocess.check_output([stress, "--list", "--json"], cwd=ROOT))
    rows = []
    for s in listing:
        for v in s["variants"]:
            if v["buggy"]:
                continue
            rows.append((s["name"], v["name"], ()))
            if full_roster(s):
                rows.append((s["name"], v["name"], ("--actors", full_roster(s))))
            for axis, values in v["claims"]["shows_with"].items():
                for value in values[1:]:
                    rows.append((s["name"], v["name"], (SETTING_OPTIONS[axis], value)))
    return rows


def run_args(row, mode, seconds, seed):
    scenario, variant, setting = row
    sched, _, memory = mode.partition("/")
    args = ["--scenario", scenario, "--variant", variant, "--sched", sched,
            "--duration", f"{seconds}s", "--seed", str(seed), "--expect", "clean", "-q",
            *setting]
    if memory:
        args += ["--memory", memory]
    return args


def gcov_lines(prefix_build):
    """{source path: set of executed lines} from the .gcda files under
    prefix_build, with the .gcno files of build-cov beside them."""
    hit = {}
    for d, _, files in os.walk(prefix_build):
        gcdas = [os.path.join(d, f) for f in files if f.endswith(".gcda")]
        if not gcdas:
            continue
        rel = os.path.relpath(d, prefix_build)
        for g in gcdas:
            shutil.copy(os.path.join(ROOT, "build-cov", rel, os.path.basename(g)[:-5] + ".gcno"),
                        d)
        out = subprocess.run(["gcov", "-j", "-t", "-o", d, *gcdas], cwd=ROOT,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            for f in json.loads(line)["files"]:
                path = os.path.normpath(f["file"])  # as compiled, from the root
                lines = {ln["line_number"] for ln in f["lines"] if ln["count"] > 0}
                hit.setdefault(path, set()).update(lines)
    return hit


def coverage_map(rows, workdir, jobs):
    """For each row, the lines one free and one random second execute;
    kept beside the scratch tree for as long as ./stress-cov is the same
    build."""
    with open(os.path.join(ROOT, "stress-cov"), "rb") as f:
        key = hashlib.sha256(f.read()).hexdigest() + repr(rows)
    cache = os.path.join(workdir, "coverage.json")
    try:
        with open(cache) as f:
            kept = json.load(f)
        if kept["key"] == key:
            return [None if c is None else {k: set(v) for k, v in c.items()}
                    for c in kept["cov"]]
    except (OSError, ValueError, KeyError):
        pass
    cov = measure_coverage(rows, workdir, jobs)
    with open(cache, "w") as f:
        json.dump({"key": key, "cov": [None if c is None else {k: sorted(v) for k, v in c.items()}
                                       for c in cov]}, f)
    return cov


def measure_coverage(rows, workdir, jobs):
    covdir = os.path.join(workdir, "coverage")
    shutil.rmtree(covdir, ignore_errors=True)
    build_abs = os.path.join(ROOT, "build-cov")

    def one(i):
        prefix = os.path.join(covdir, str(i))
        env = dict(os.environ, GCOV_PREFIX=prefix, GCOV_PREFIX_STRIP="0")
        rcs = []
        for mode in ("free", "random/sc"):
            p = subprocess.run([os.path.join(ROOT, "stress-cov"),
                                *run_args(rows[i], mode, 1, 1)], cwd=ROOT, env=env,
                               capture_output=True, text=True)
            rcs.append(p.returncode)
        if any(rc == 2 for rc in rcs):
            return i, None  # the scenario refuses this setting
        return i, gcov_lines(prefix + build_abs)

    cov = [None] * len(rows)
    with cf.ThreadPoolExecutor(jobs) as ex:
        for i, hit in ex.map(one, range(len(rows))):
            cov[i] = hit
    return cov


def make_scratch(workdir):
    """A copy of the tree's sources and its build/ objects, mtimes kept,
    so a patched file is the only one make recompiles."""
    scratch = os.path.join(workdir, "tree")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    files = subprocess.check_output(["git", "ls-files", "-z"], cwd=ROOT).split(b"\0")
    for f in files:
        f = f.decode()
        if f and os.path.exists(os.path.join(ROOT, f)):
            os.makedirs(os.path.dirname(os.path.join(scratch, f)) or scratch, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), os.path.join(scratch, f))
    shutil.copytree(os.path.join(ROOT, "build"), os.path.join(scratch, "build"), symlinks=True)
    shutil.copy2(os.path.join(ROOT, "stress"), os.path.join(scratch, "stress"))
    return scratch


def patch(scratch, path, reverse=False):
    """git apply, as outside any repository: the scratch tree may lie inside
    this one, whose paths it must not touch."""
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(scratch))
    args = ["git", "apply", *(["-R"] if reverse else []), path]
    return subprocess.run(args, cwd=scratch, env=env, capture_output=True, text=True)


def build(scratch):
    p = subprocess.run(["make", "-s", "-C", scratch, "stress"], capture_output=True, text=True)
    return p.returncode == 0, p.stderr[-2000:]


# gcov counts a statement on its first line: a change to the second line of
# a call that spans three is reached when any of the lines above it is.
STATEMENT_LINES = 3


def kill_suite(mutant, rows, cov):
    """The rows whose coverage run executed a line the mutant changes."""
    near = {f: {n - k for n in lines for k in range(STATEMENT_LINES)}
            for f, lines in mutant.changed.items()}
    chosen = []
    for row, hit in zip(rows, cov):
        if hit is None:
            continue
        if any(hit.get(f, set()) & lines for f, lines in near.items()):
            chosen.append(row)
    return chosen


def hunt(scratch, suite, modes, seconds, seed, jobs):
    """Run every row in every mode, two at a time; stop at the first
    violation. Returns (verdict, row, mode, runs)."""
    stress = os.path.join(scratch, "stress")
    # Free mode runs the full roster already.
    todo = [(row, mode) for mode in modes for row in suite
            if not (mode == "free" and "--actors" in row[2])]
    found = []
    lock = threading.Lock()
    runs = [0]

    def one(item):
        with lock:
            if found:
                return
            runs[0] += 1
        row, mode = item
        p = subprocess.run([stress, *run_args(row, mode, seconds, seed)], cwd=scratch,
                           capture_output=True, text=True)
        if p.returncode == 0:
            return
        with lock:
            if not found:
                found.append(("killed" if p.returncode == 1 else f"exit {p.returncode}",
                              row, mode))

    with cf.ThreadPoolExecutor(jobs) as ex:
        list(ex.map(one, todo))
    if found:
        return (*found[0], runs[0])
    return "survived", None, None, runs[0]


def hunt_every_mode(scratch, suite, modes, a):
    """Killed only if each mode kills it on its own; else the first mode
    that did not."""
    runs = 0
    for mode in modes:
        verdict, row, _, n = hunt(scratch, suite, [mode], a.seconds, a.seed, a.jobs)
        runs += n
        if verdict != "killed":
            return f"{verdict} under {mode}", None, None, runs
    return "killed", row, "+".join(modes), runs


def describe(row, mode):
    scenario, variant, setting = row
    return f"{scenario}/{variant} {mode}{' ' + ' '.join(setting) if setting else ''}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="*",
                    help="run the mutants whose name matches one of these globs (a,b*,...)")
    ap.add_argument("--seconds", type=float, default=1, help="each run's duration (default 1)")
    ap.add_argument("--seed", type=int, default=1, help="each run's seed (default 1)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", default=os.path.join(ROOT, "mutants-out"),
                    help="scratch tree, coverage and the table (default mutants-out)")
    ap.add_argument("--min-rate", type=float, default=95.0,
                    help="kill rate below which the exit status is 1 (default 95)")
    ap.add_argument("--rows", help="scenario/variant;... to run instead of the suite coverage "
                    "derives (base settings)")
    ap.add_argument("--actors", help="with --rows: their --actors")
    ap.add_argument("--modes", default=",".join(MODES),
                    help=f"sched/memory,... (default all: {','.join(MODES)})")
    ap.add_argument("--every-mode", action="store_true",
                    help="killed only if each of --modes kills it on its own")
    ap.add_argument("--check-only", action="store_true",
                    help="only check that every patch parses and applies")
    a = ap.parse_args()
    if a.seconds <= 0 or a.jobs < 1:
        die("--seconds must be above 0 and --jobs at least 1")
    a.out = os.path.abspath(a.out)
    modes = a.modes.split(",")
    for mode in modes:
        if mode not in MODES:
            die(f"--modes: '{mode}' is not one of {', '.join(MODES)}")
    globs = a.only.split(",")
    paths = sorted(p for p in (os.path.join(ROOT, "tests", "mutants", f)
                               for f in os.listdir(os.path.join(ROOT, "tests", "mutants")))
                   if p.endswith(".patch") and
                   any(fnmatch.fnmatch(os.path.basename(p)[:-6], g) for g in globs))
    if not paths:
        die(f"no mutant matches '{a.only}'")
    mutants = [Mutant(p) for p in paths]
    os.makedirs(a.out, exist_ok=True)
    scratch = make_scratch(a.out)
    for m in mutants:
        if patch(scratch, m.path).returncode or patch(scratch, m.path, reverse=True).returncode:
            die(f"{m.path} does not apply to the tree")
    if a.check_only:
        print(f"mutants: {len(mutants)} patches parse and apply")
        return 0
    start = time.time()
    if a.rows:
        rows = [(*r.split("/", 1), tuple(["--actors", a.actors] if a.actors else []))
                for r in a.rows.split(";")]
        if any(len(r) != 3 for r in rows):
            die("--rows: give scenario/variant;...")
        cov = None
    else:
        rows = fixed_rows(os.path.join(ROOT, "stress"))
        cov = coverage_map(rows, a.out, a.jobs)
        print(f"coverage: {sum(c is not None for c in cov)} fixed-variant rows "
              f"in {time.time() - start:.0f} s", flush=True)
    table = ["| mutant | what it breaks | verdict | by | runs | s |", "|---|---|---|---|---|---|"]
    killed = survived = unreached = eq_ok = eq_killed = crashed = unbuilt = 0
    for m in mutants:
        t0 = time.time()
        if patch(scratch, m.path).returncode:
            die(f"{m.path} does not apply")
        ok, err = build(scratch)
        suite = rows if cov is None else kill_suite(m, rows, cov)
        if not ok:
            # Reported and counted, and the others still run.
            print(f"mutants: {m.path} does not build:\n{err}", file=sys.stderr)
            verdict, row, mode, runs = "does not build", None, None, 0
        elif not suite:
            verdict, row, mode, runs = "unreached", None, None, 0
        elif a.every_mode:
            verdict, row, mode, runs = hunt_every_mode(scratch, suite, modes, a)
        else:
            verdict, row, mode, runs = hunt(scratch, suite, modes, a.seconds, a.seed, a.jobs)
        patch(scratch, m.path, reverse=True)
        by = describe(row, mode) if row else "-"
        if verdict == "does not build":
            unbuilt += 1
        elif m.equivalent:
            if verdict == "killed":
                eq_killed += 1
                verdict = "killed, but claimed equivalent"
            else:
                eq_ok += 1
                verdict = f"equivalent ({verdict})"
        elif verdict == "killed":
            killed += 1
        elif verdict == "unreached":
            unreached += 1
        elif verdict == "survived":
            survived += 1
        else:
            crashed += 1
        line = (f"| {m.name} | {m.comment.replace('|', '/')} | {verdict} | {by} | {runs} "
                f"| {time.time() - t0:.0f} |")
        table.append(line)
        print(line, flush=True)
    build(scratch)
    scored = killed + survived + unreached + crashed
    rate = 100.0 * killed / scored if scored else 100.0
    summary = (f"mutants: killed {killed} of {scored} non-equivalent ({rate:.0f}%); "
               f"survived {survived}, unreached {unreached}, harness errors {crashed}; "
               f"equivalent {eq_ok}" + (f", {eq_killed} claimed equivalent but killed"
                                        if eq_killed else "")
               + (f"; {unbuilt} do not build" if unbuilt else "")
               + f"; {time.time() - start:.0f} s")
    with open(os.path.join(a.out, "mutants.md"), "w") as f:
        f.write("\n".join(table) + "\n\n" + summary + "\n")
    print(summary)
    return 0 if rate >= a.min_rate and not eq_killed and not unbuilt else 1


if __name__ == "__main__":
    sys.exit(main())
