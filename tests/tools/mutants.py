#!/usr/bin/env python3
"""The mutation score: can the fixed variants fail?

Each tests/mutants/NAME.mutant is one slip a developer could make in the
fixed code (a flush moved after mmu_unlock, a barrier dropped, a range one
page short), written as an edit by content: header lines

    breaks: what it breaks          (or  equivalent: why it changes nothing)
    file: model/notifier.c
    function: kvm_mmu_notifier_invalidate_range_start
    killed-by: vcpu-request/fixed random/sc --actors invalidator=2
                                    (or  reached-by: for an equivalent one;
                                     [stress-asan|stress-tsan] before the row
                                     to run under a sanitizer build)
    seed: 1

then one or more pairs of fenced blocks, `replace:` (whole lines of that
function's body as the tree has them) and `with:` (what replaces them). The
function is found by its definition (its name at column 0 or after the
return type, through its closing brace at column 0) and each replace block
must occur in its body exactly once, so lines added, moved or reformatted
elsewhere never break a mutant; one whose text is gone or there twice fails
by name.

For each mutant this writes the edit in a scratch copy of the tree,
rebuilds ./stress there (only the mutated file recompiles), and runs the
killing suite: every fixed variant, in every setting of `./stress --list
--json`, whose coverage run executed a line the edit changes, under every
scheduler and memory model (and with --sanitizers, under the ./stress-asan
and ./stress-tsan builds there are). The first run that reports a violation
kills the mutant; a sanitizer's report kills it too, labelled apart
("killed by ASan"), so the score says how many plain ./stress runs killed.

Coverage comes from ./stress-cov (gcov): one short free-mode and one
random run per fixed variant and setting, each writing its counts under
its own GCOV_PREFIX.

--check-only only checks that every mutant applies at one place (no build);
with --shifted, in a copy where every file under model/ and arch/ has 20
more lines on top, too. --shifted alone runs each mutant's recorded run in
that copy.

Exit status: 0 when the kill rate reaches --min-rate and no mutant claimed
equivalent was killed (--shifted: every recorded run still kills, or still
reaches and stays clean); 1 otherwise (a mutant that does not build, too); 2 for bad
arguments or a mutant that does not apply; 3 when --shifted lacks a build it needs.
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


class MutantError(Exception):
    """A mutant that no longer fits the tree, or a malformed file; the
    message names it."""


FENCE = "```"
HEADER_KEYS = ("file", "function", "breaks", "equivalent", "killed-by", "reached-by", "seed")


class Mutant:
    """One tests/mutants/NAME.mutant: header lines `key: value`, then one or
    more `replace:` / `with:` pairs of fenced blocks, each a run of whole
    lines of `function`'s body in `file` and what replaces it."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".mutant")]
        self.head, self.edits = parse_mutant(self.name, open(path).read())
        for key in ("file", "function"):
            if key not in self.head:
                raise MutantError(f"{self.name}: no '{key}:' line")
        if ("breaks" in self.head) == ("equivalent" in self.head):
            raise MutantError(f"{self.name}: give either 'breaks:' or 'equivalent:'")
        self.equivalent = "equivalent" in self.head
        self.comment = (f"equivalent: {self.head['equivalent']}" if self.equivalent
                        else self.head["breaks"])
        self.file = self.head["file"]
        self.function = self.head["function"]
        run = self.head.get("reached-by" if self.equivalent else "killed-by")
        self.run = parse_run(self.name, run) if run else None
        self.binary = self.run[0] if self.run else "stress"
        self.seed = int(self.head.get("seed", "1"))
        self.changed = None  # {file: set of line numbers}, once located


def parse_mutant(name, text):
    head, edits, block, lines = {}, [], None, text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line in ("replace:", "with:"):
            if i >= len(lines) or lines[i] != FENCE:
                raise MutantError(f"{name}: '{line}' must be followed by a {FENCE} line")
            end = i + 1
            while end < len(lines) and lines[end] != FENCE:
                end += 1
            if end == len(lines):
                raise MutantError(f"{name}: unclosed {FENCE} block after '{line}'")
            body = lines[i + 1:end]
            i = end + 1
            if line == "replace:":
                if block is not None:
                    raise MutantError(f"{name}: 'replace:' without its 'with:'")
                if not body:
                    raise MutantError(f"{name}: an empty 'replace:' block")
                block = body
            else:
                if block is None:
                    raise MutantError(f"{name}: 'with:' without a 'replace:' before it")
                edits.append((block, body))
                block = None
            continue
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or key not in HEADER_KEYS or edits or block is not None:
            raise MutantError(f"{name}: unexpected line '{line}' (header keys: "
                              f"{', '.join(HEADER_KEYS)}, then replace:/with: blocks)")
        head[key] = value.strip()
    if block is not None:
        raise MutantError(f"{name}: 'replace:' without its 'with:'")
    if not edits:
        raise MutantError(f"{name}: no replace:/with: pair")
    return head, edits


def parse_run(name, text):
    """'[stress-asan|stress-tsan] scenario/variant mode [options...]' ->
    (binary, (scenario, variant, options), mode)."""
    words = text.split()
    binary = words.pop(0) if words and words[0] in ("stress-asan", "stress-tsan") else "stress"
    if len(words) < 2 or words[0].count("/") != 1 or words[1] not in MODES:
        raise MutantError(f"{name}: the run '{text}' is not '[stress-asan|stress-tsan] "
                          f"scenario/variant mode [options]' with mode one of {', '.join(MODES)}")
    scenario, variant = words[0].split("/")
    return binary, (scenario, variant, tuple(words[2:])), words[1]


DEF_START = re.compile(r"^[A-Za-z_]")


def function_span(lines, name):
    """(first, last) line indices of the one definition of `name`: the line
    naming it at column 0 or after its return type, through its closing
    brace at column 0. None if there is none; MutantError if several."""
    call = re.compile(r"(?:^|[\s*])" + re.escape(name) + r"\s*\(")
    spans = []
    for i, line in enumerate(lines):
        if not DEF_START.match(line) or not call.search(line):
            continue
        if not is_definition(lines, i, line.index(name)):
            continue
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        if end == len(lines):
            raise MutantError(f"{name}() has no closing brace at column 0")
        spans.append((i, end))
    if len(spans) > 1:
        raise MutantError(f"{name}() is defined {len(spans)} times")
    return spans[0] if spans else None


def is_definition(lines, i, col):
    """After the parameter list's closing parenthesis comes '{', not ';' or
    ',' (a prototype or a call)."""
    depth, seen = 0, False
    for j in range(i, min(i + 40, len(lines))):
        for ch in lines[j][col if j == i else 0:]:
            if ch == "(":
                depth, seen = depth + 1, True
            elif ch == ")":
                depth -= 1
            elif seen and depth == 0 and not ch.isspace():
                return ch == "{"
    return False


def locate(m, lines):
    """Apply m's edits to the lines of its file; returns (new lines, the
    1-based line numbers each edit replaces, widened by one on each side:
    gcov may charge a deleted barrier's code to the next statement). Each
    edit's text must occur exactly once in the function as the tree has it,
    the edits not overlapping; MutantError names the mutant otherwise."""
    span = function_span(lines, m.function)
    if span is None:
        raise MutantError(f"{m.name}: no definition of {m.function}() in {m.file}")
    first, last = span
    body = lines[first:last + 1]
    places, changed = [], set()
    for n, (old, new) in enumerate(m.edits, 1):
        at = [k for k in range(len(body) - len(old) + 1) if body[k:k + len(old)] == old]
        if len(at) != 1:
            what = "is not in" if not at else f"occurs {len(at)} times in"
            raise MutantError(f"{m.name}: edit {n}'s text {what} {m.function}() in {m.file}")
        places.append((first + at[0], old, new))
    places.sort()
    for (k, old, _), (k2, _, _) in zip(places, places[1:]):
        if k + len(old) > k2:
            raise MutantError(f"{m.name}: two edits overlap in {m.function}()")
    out = list(lines)
    for k, old, new in reversed(places):
        out[k:k + len(old)] = new
        changed.update(range(k, k + len(old) + 2))  # 1-based: k+1 .. k+len, and one either side
    return out, changed


def read_lines(path):
    with open(path) as f:
        return f.read().split("\n")


def mutated_text(m, root):
    """The mutant's file under root as text, mutated; sets m.changed."""
    lines = read_lines(os.path.join(root, m.file))
    out, changed = locate(m, lines)
    m.changed = {m.file: changed}
    return "\n".join(out)


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


def gcov_lines(prefix_build, cov_build=None, root=ROOT):
    """{source path: set of executed lines} from the .gcda files under
    prefix_build, with the .gcno files of cov_build (build-cov) beside
    them; paths as compiled, from root."""
    cov_build = cov_build or os.path.join(ROOT, "build-cov")
    hit = {}
    for d, _, files in os.walk(prefix_build):
        gcdas = [os.path.join(d, f) for f in files if f.endswith(".gcda")]
        if not gcdas:
            continue
        rel = os.path.relpath(d, prefix_build)
        for g in gcdas:
            shutil.copy(os.path.join(cov_build, rel, os.path.basename(g)[:-5] + ".gcno"), d)
        out = subprocess.run(["gcov", "-j", "-t", "-o", d, *gcdas], cwd=root,
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


# Each binary a mutant can be run under, and its object directory.
BINARIES = {"stress": "build", "stress-asan": "build-asan", "stress-tsan": "build-tsan",
            "stress-cov": "build-cov"}
SHIFT_DIRS = ("model", "arch")
SHIFT_LINES = 20


def shift_text(text):
    """SHIFT_LINES comment lines on top: every line of the file moves down,
    which no mutant may notice."""
    return "".join(f"/* shifted {i + 1} of {SHIFT_LINES} */\n" for i in range(SHIFT_LINES)) + text


def make_scratch(workdir, name="tree", shifted=False, binaries=()):
    """A copy of the tree's sources and of the objects and binaries named,
    mtimes kept, so a mutated file is the only one make recompiles; with
    shifted, every file under model/ and arch/ has SHIFT_LINES more lines
    on top (and everything that includes them recompiles once)."""
    scratch = os.path.join(workdir, name)
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    files = subprocess.check_output(["git", "ls-files", "-z"], cwd=ROOT).split(b"\0")
    for f in files:
        f = f.decode()
        if f and os.path.exists(os.path.join(ROOT, f)):
            dst = os.path.join(scratch, f)
            os.makedirs(os.path.dirname(dst) or scratch, exist_ok=True)
            if shifted and f.split("/")[0] in SHIFT_DIRS:
                with open(os.path.join(ROOT, f)) as src, open(dst, "w") as out:
                    out.write(shift_text(src.read()))
            else:
                shutil.copy2(os.path.join(ROOT, f), dst)
    for binary in binaries:
        shutil.copytree(os.path.join(ROOT, BINARIES[binary]),
                        os.path.join(scratch, BINARIES[binary]), symlinks=True)
        shutil.copy2(os.path.join(ROOT, binary), os.path.join(scratch, binary))
    return scratch


class Applied:
    """A mutant written into a scratch tree, the original put back on exit
    (with a new mtime, so the next build recompiles it)."""

    def __init__(self, scratch, m):
        self.path = os.path.join(scratch, m.file)
        self.text = mutated_text(m, scratch)

    def __enter__(self):
        with open(self.path) as f:
            self.original = f.read()
        with open(self.path, "w") as f:
            f.write(self.text)
        return self

    def __exit__(self, *exc):
        with open(self.path, "w") as f:
            f.write(self.original)


def build(scratch, binaries=("stress",)):
    p = subprocess.run(["make", "-s", "-C", scratch, *binaries], capture_output=True, text=True)
    return p.returncode == 0, p.stderr[-2000:]


def check_applies(mutants, root, shifted_root=None):
    """One line per mutant: 'applies NAME' or 'FAILS NAME: why'. With
    shifted_root (the same tree, shifted), the mutant must also apply there
    and give the same file shifted: it changed the same one place."""
    bad = 0
    for m in mutants:
        try:
            text = mutated_text(m, root)
            if shifted_root:
                moved = mutated_text(m, shifted_root)
                if m.file.split("/")[0] in SHIFT_DIRS:
                    text = shift_text(text)
                if moved != text:
                    raise MutantError(f"{m.name}: changes another place in the shifted tree")
            print(f"applies {m.name}")
        except MutantError as e:
            bad += 1
            why = str(e)
            print(f"FAILS {why if why.startswith(m.name + ':') else f'{m.name}: {why}'}")
    return bad


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


# A sanitizer's report on stderr, and the name its kill is counted under.
SANITIZER_REPORTS = [("ERROR: AddressSanitizer", "ASan"), ("runtime error:", "UBSan"),
                     ("WARNING: ThreadSanitizer", "TSan"), ("ERROR: LeakSanitizer", "LSan")]


def verdict_of(p):
    """'killed by ASan' (or UBSan, TSan, LSan) when a sanitizer reported,
    whatever the exit status; 'killed' for the oracle's exit 1; None for a
    clean run; 'exit N' otherwise."""
    for marker, name in SANITIZER_REPORTS:
        if marker in p.stderr:
            return f"killed by {name}"
    if p.returncode == 0:
        return None
    return "killed" if p.returncode == 1 else f"exit {p.returncode}"


def run_one(scratch, binary, row, mode, seconds, seed):
    return subprocess.run([os.path.join(scratch, binary), *run_args(row, mode, seconds, seed)],
                          cwd=scratch, capture_output=True, text=True)


def hunt(scratch, suite, modes, seconds, seed, jobs, binaries=("stress",)):
    """Run every row in every mode, under each binary in turn, two at a
    time; stop at the first violation or sanitizer report. Returns
    (verdict, row, mode, binary, runs)."""
    # Free mode runs the full roster already.
    todo = [(binary, row, mode) for binary in binaries for mode in modes for row in suite
            if not (mode == "free" and "--actors" in row[2])]
    found = []
    lock = threading.Lock()
    runs = [0]

    def one(item):
        with lock:
            if found:
                return
            runs[0] += 1
        binary, row, mode = item
        verdict = verdict_of(run_one(scratch, binary, row, mode, seconds, seed))
        if verdict is None:
            return
        with lock:
            if not found:
                found.append((verdict, row, mode, binary))

    with cf.ThreadPoolExecutor(jobs) as ex:
        list(ex.map(one, todo))
    if found:
        return (*found[0], runs[0])
    return "survived", None, None, None, runs[0]


def hunt_every_mode(scratch, suite, modes, a):
    """Killed only if each mode kills it on its own; else the first mode
    that did not."""
    runs = 0
    for mode in modes:
        verdict, row, _, binary, n = hunt(scratch, suite, [mode], a.seconds, a.seed, a.jobs)
        runs += n
        if not verdict.startswith("killed"):
            return f"{verdict} under {mode}", None, None, None, runs
    return "killed", row, "+".join(modes), binary, runs


def describe(row, mode, binary="stress"):
    scenario, variant, setting = row
    return (("" if binary == "stress" else f"{binary} ") +
            f"{scenario}/{variant} {mode}{' ' + ' '.join(setting) if setting else ''}")


def reached(m, hit):
    """Whether a coverage run executed a line m changes (m.changed as
    located in the tree that run was built from)."""
    near = {f: {n - k for n in lines for k in range(STATEMENT_LINES)}
            for f, lines in m.changed.items()}
    return any(hit.get(f, set()) & lines for f, lines in near.items())


# A run of an equivalent mutant in the shifted check: long enough to reach
# its lines, and a clean run proves nothing more for being longer.
EQUIVALENT_SECONDS = 1


def run_shifted(mutants, a):
    """The kill check on the shifted copy: each mutant, applied there, built
    and run once with the run its file records (seed included) under the
    binary it names, for at most --seconds (it stops at its first
    violation); killed, or for an equivalent one clean and reached
    (its lines executed by a ./stress-cov build of the shifted tree)."""
    start = time.time()
    missing = [m.name for m in mutants if m.run is None]
    if missing:
        die(f"no killed-by:/reached-by: run recorded in {', '.join(missing)}")
    wanted = {"stress"} | {m.binary for m in mutants}
    if any(m.equivalent for m in mutants):
        wanted.add("stress-cov")
    absent = [b for b in sorted(wanted) if not os.path.exists(os.path.join(ROOT, b))]
    if absent:
        die(f"--shifted needs {', '.join(absent)} built (make {' '.join(absent)})", 3)
    scratch = make_scratch(a.out, "tree-shifted", shifted=True, binaries=sorted(wanted))
    ok, err = build(scratch, sorted(wanted))
    if not ok:
        die(f"the shifted tree does not build:\n{err}")
    print(f"shifted tree built in {time.time() - start:.0f} s", flush=True)
    held = bad = 0
    table = ["| mutant | run | verdict | s |", "|---|---|---|---|"]
    for m in mutants:
        t0 = time.time()
        binary, row, mode = m.run
        verdict = ""
        if m.equivalent:
            mutated_text(m, scratch)  # m.changed, in the shifted tree's lines
            prefix = os.path.join(a.out, "shifted-coverage", m.name)
            shutil.rmtree(prefix, ignore_errors=True)
            env = dict(os.environ, GCOV_PREFIX=prefix, GCOV_PREFIX_STRIP="0")
            subprocess.run([os.path.join(scratch, "stress-cov"),
                            *run_args(row, mode, EQUIVALENT_SECONDS, m.seed)],
                           cwd=scratch, env=env, capture_output=True)
            hit = gcov_lines(prefix + os.path.join(scratch, "build-cov"),
                             os.path.join(scratch, "build-cov"), scratch)
            verdict = "reached, " if reached(m, hit) else "unreached, "
        with Applied(scratch, m):
            ok, err = build(scratch, [binary])
            seconds = EQUIVALENT_SECONDS if m.equivalent else a.seconds
            got = (verdict_of(run_one(scratch, binary, row, mode, seconds, m.seed))
                   if ok else "does not build")
        if m.equivalent:
            verdict += got or "clean"
            good = verdict == "reached, clean"
        else:
            verdict = got or "survived"
            good = verdict.startswith("killed")
        held += good
        bad += not good
        line = (f"| {m.name} | {describe(row, mode, binary)} seed {m.seed} | {verdict} "
                f"| {time.time() - t0:.0f} |")
        table.append(line)
        print(line, flush=True)
    summary = (f"mutants (shifted {SHIFT_LINES} lines): {held} of {len(mutants)} hold "
               f"(kills kill, equivalent ones reached and clean); {bad} do not; "
               f"{time.time() - start:.0f} s")
    with open(os.path.join(a.out, "mutants-shifted.md"), "w") as f:
        f.write("\n".join(table) + "\n\n" + summary + "\n")
    print(summary)
    return 0 if not bad else 1


def load_mutants(directory, globs):
    names = sorted(f[:-len(".mutant")] for f in os.listdir(directory) if f.endswith(".mutant"))
    stale = sorted(f for f in os.listdir(directory) if f.endswith(".patch"))
    if stale:
        die(f"{directory}: {', '.join(stale)}: mutants are .mutant files now")
    chosen = [n for n in names if any(fnmatch.fnmatch(n, g) for g in globs)]
    if not chosen:
        die(f"no mutant matches '{','.join(globs)}'")
    mutants = []
    for n in chosen:
        try:
            mutants.append(Mutant(os.path.join(directory, n + ".mutant")))
        except MutantError as e:
            die(str(e))
    return mutants


def sanitizer_binaries(wanted):
    """The sanitizer builds there are, with a word when there are none."""
    if not wanted:
        return []
    there = [b for b in ("stress-asan", "stress-tsan") if os.path.exists(os.path.join(ROOT, b))]
    if not there:
        print("mutants: no ./stress-asan or ./stress-tsan built: plain ./stress runs only",
              flush=True)
    return there


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="*",
                    help="run the mutants whose name matches one of these globs (a,b*,...)")
    ap.add_argument("--dir", default=os.path.join(ROOT, "tests", "mutants"),
                    help="the directory of .mutant files (default tests/mutants)")
    ap.add_argument("--seconds", type=float,
                    help="each run's duration (default 1; with --shifted, 10: the most a "
                    "recorded kill may take, the run stopping at it)")
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
    ap.add_argument("--sanitizers", action="store_true",
                    help="after the plain ./stress runs, the suite under ./stress-asan and "
                    "./stress-tsan too (those built); a report is a kill of its own label")
    ap.add_argument("--check-only", action="store_true",
                    help="only check that every mutant applies, at one place (no build)")
    ap.add_argument("--shifted", action="store_true",
                    help=f"in a copy with {SHIFT_LINES} lines more atop every file under "
                    f"{' and '.join(SHIFT_DIRS)}/: with --check-only, that every mutant applies "
                    "there at the same place; else that each one's recorded run still kills it")
    a = ap.parse_args()
    if a.seconds is None:
        a.seconds = 10 if a.shifted and not a.check_only else 1
    if a.seconds <= 0 or a.jobs < 1:
        die("--seconds must be above 0 and --jobs at least 1")
    a.out = os.path.abspath(a.out)
    modes = a.modes.split(",")
    for mode in modes:
        if mode not in MODES:
            die(f"--modes: '{mode}' is not one of {', '.join(MODES)}")
    mutants = load_mutants(os.path.abspath(a.dir), a.only.split(","))
    os.makedirs(a.out, exist_ok=True)
    if a.check_only:
        shifted = make_scratch(a.out, "tree-shifted-sources", shifted=True) if a.shifted else None
        bad = check_applies(mutants, ROOT, shifted)
        where = " here and in the shifted tree" if a.shifted else ""
        print(f"mutants: {len(mutants) - bad} of {len(mutants)} apply{where}")
        return 2 if bad else 0
    for m in mutants:
        try:
            mutated_text(m, ROOT)
        except MutantError as e:
            die(str(e))
    if a.shifted:
        return run_shifted(mutants, a)
    binaries = ["stress", *sanitizer_binaries(a.sanitizers)]
    scratch = make_scratch(a.out, binaries=binaries)
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
    by_label = {}
    survived = unreached = eq_ok = eq_killed = crashed = unbuilt = 0
    for m in mutants:
        t0 = time.time()
        with Applied(scratch, m):
            ok, err = build(scratch, binaries)
            suite = rows if cov is None else kill_suite(m, rows, cov)
            if not ok:
                # Reported and counted, and the others still run.
                print(f"mutants: {m.name} does not build:\n{err}", file=sys.stderr)
                verdict, row, mode, binary, runs = "does not build", None, None, None, 0
            elif not suite:
                verdict, row, mode, binary, runs = "unreached", None, None, None, 0
            elif a.every_mode:
                verdict, row, mode, binary, runs = hunt_every_mode(scratch, suite, modes, a)
            else:
                verdict, row, mode, binary, runs = hunt(scratch, suite, modes, a.seconds,
                                                        a.seed, a.jobs, binaries)
        by = describe(row, mode, binary) if row else "-"
        if verdict == "does not build":
            unbuilt += 1
        elif m.equivalent:
            if verdict.startswith("killed"):
                eq_killed += 1
                verdict += ", but claimed equivalent"
            else:
                eq_ok += 1
                verdict = f"equivalent ({verdict})"
        elif verdict.startswith("killed"):
            label = (verdict[len("killed by "):] if verdict != "killed" else
                     "plain ./stress" if binary == "stress" else f"./{binary}'s oracle")
            by_label[label] = by_label.get(label, 0) + 1
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
    build(scratch, binaries)
    killed = sum(by_label.values())
    scored = killed + survived + unreached + crashed
    rate = 100.0 * killed / scored if scored else 100.0
    how = ", ".join(f"{n} by {label}" for label, n in sorted(
        by_label.items(), key=lambda kv: kv[0] != "plain ./stress"))
    summary = (f"mutants: killed {killed} of {scored} non-equivalent ({rate:.0f}%"
               + (f": {how}" if how else "") + "); "
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
