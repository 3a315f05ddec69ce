#!/usr/bin/env python3
"""Bad input, generated: command lines from ./stress --list-options and
mutated replay files from the stored ones, each run in a temporary
directory of its own with its exit code asserted, no signal, an end within
its timeout and no file touched outside that directory.

    bad_input.py STRESS OUT_DIR

Prints one line per failed case and a total; exits 1 if any failed.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

TIMEOUT_S = 60
BASE = ["--scenario", "invlpg-defer", "--duration", "50ms", "-q"]
REPLAYS = "scenarios/replays"


def list_options(stress):
    rows = []
    out = subprocess.run([stress, "--list-options"], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        name, kind, what, flags = line.split("\t")
        rows.append((name, kind, what, flags.split(",")))
    return rows


def bad_values(kind, what):
    """Values the kind refuses: syntax and bounds."""
    if kind == "whole":
        lo, hi = (int(x) for x in what.split(",")[0].split(".."))
        vals = ["", " 1", "1 ", "+1", "-1", "0x", "1e3", "1.0", "08x", "nan", "inf",
                "18446744073709551616", "0x10000000000000000"]
        if lo > 0:
            vals.append(str(lo - 1))
        if hi < 2**64 - 1:
            vals += [str(hi + 1), hex(hi + 1)]
        if what.endswith(",pow2"):
            vals.append(str(lo + 1))
        return vals
    if kind == "duration":
        return ["", "0", "0s", "-1s", "10x", "nan", "inf", "infs", "25h", "0.5ms", "1 s",
                "0x10s", "1e999s"]
    if kind == "bytes":
        lo, hi = (int(x) for x in what.split(".."))
        return ["", "1K", str(lo - 1), str(hi + 1), "1.5G", "G", "-1M", "1g", "1MB"]
    if kind == "choice":
        first = what.split("|")[0]
        return ["", "bogus", first.upper(), first + " ", "all"]
    if kind == "sched":
        return ["", "pct:0", "pct:9", "pct:3:0", "pct:3:1000001", "pct:3garbage",
                "pct:00000000000000000000003garbage", "pct:", "PCT", "random:1", "cover:2",
                "pct:-1", "pct:3:"]
    if kind == "spec":
        vals = ["k", "=1", "bogus=1", ",,=", "a" * 300]
        for item in what.split(","):
            key, rng = item.split("=")
            lo, hi = rng.split("..")
            if hi == "1":
                vals += [key + "=nan", key + "=-0.1", key + "=1.5", key + "=inf"]
            else:
                vals += [key + "=" + str(int(hi) + 1), key + "=-1", key + "=0.5"]
                if int(lo) > 0:
                    vals.append(key + "=" + str(int(lo) - 1))
        return vals
    return []


def command_cases(stress):
    """(name, argv, allowed exits) for bad command lines."""
    cases = []
    rows = list_options(stress)
    for name, kind, what, flags in rows:
        if kind == "flag":
            cases.append((name + "=yes", BASE + [name + "=yes"], {2}))
            continue
        if kind == "text":
            continue
        cases.append((name + " missing value", BASE + [name], {2}))
        for v in bad_values(kind, what):
            cases.append((name + " " + repr(v), BASE + [name, v], {2}))
        if "controlled" in flags:
            good = {"whole": "3", "choice": what.split("|")[0]}.get(kind)
            if good:
                cases.append((name + " in free mode", BASE + [name, good], {2}))
        if "with-replay" not in flags:
            val = {"whole": what.split("..")[0], "duration": "1s", "choice": what.split("|")[0],
                   "sched": "random", "spec": what.split(",")[0].split("=")[0] + "=1",
                   "bytes": "64M"}.get(kind)
            if val is not None:
                cases.append((name + " beside --replay",
                              ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json",
                               name, val], {2}))
    for flag in ("--minimize", "--timeline"):
        cases.append((flag + " in free mode", BASE + [flag], {2}))
        cases.append((flag + " beside --keep-going replay",
                      ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json", flag,
                       "--keep-going"], {2}))
    cases += [
        ("no scenario", ["-q"], {2}),
        ("unknown scenario", ["--scenario", "nosuch"], {2}),
        ("empty scenario", ["--scenario", ""], {2}),
        ("unknown variant", ["--scenario", "invlpg-defer", "--variant", "nosuch"], {2}),
        ("variant with all", ["--scenario", "all", "--variant", "fixed"], {2}),
        ("unknown option", BASE + ["--frobnicate"], {2}),
        ("unknown short", BASE + ["-z"], {2}),
        ("short in cluster", BASE + ["-qz"], {2}),
        ("ambiguous prefix", BASE + ["--exec", "3"], {2}),
        ("stray argument", BASE + ["extra"], {2}),
        ("double dash stray", BASE + ["--", "extra"], {2}),
        ("execution and executions", BASE + ["--sched", "random", "--execution", "1",
                                             "--executions", "2"], {2}),
        ("cover one execution", BASE + ["--sched", "cover", "--execution", "1"], {2}),
        ("hot over gfns", BASE + ["--gfns", "64", "--hot-gfns", "65"], {2}),
        ("all with hot over gfns", ["--scenario", "all", "--gfns", "64", "--hot-gfns", "100",
                                    "-q", "--duration", "50ms"], {2}),
        ("zap-leafs past the pfn field", ["--scenario", "zap-leafs", "--gfns", "67108864",
                                          "-q"], {2}),
        ("report empty", BASE + ["--report", ""], {2}),
        ("report a directory", BASE + ["--report", "."], {2}),
        ("report trailing slash", BASE + ["--report", "sub/"], {2}),
        ("report missing directory", BASE + ["--report", "missing/r.json"], {2}),
        ("report a device", BASE + ["--report", "/dev/null"], {2}),
        ("report a fifo", BASE + ["--report", "fifo"], {2}),
        ("report a link to a fifo", BASE + ["--report", "to-fifo"], {2}),
        ("report a dangling link", BASE + ["--report", "dangling"], {2}),
        ("replay missing", ["--replay", "missing.json"], {2}),
        ("replay a directory", ["--replay", "."], {2}),
        ("replay empty name", ["--replay", ""], {2}),
        ("replay with scenario", ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json",
                                  "--scenario", "invlpg-defer"], {2}),
        ("replay unknown variant", ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json",
                                    "--variant", "nope"], {2}),
        ("replay variant all", ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json",
                                "--variant", "all"], {2}),
        ("replay a device", ["--replay", "/dev/zero"], {2}),
        ("replay a fifo", ["--replay", "fifo"], {2}),
        ("replay into itself", ["--replay", REPLAYS + "/invlpg-defer-counter-reset.json",
                                "--report", REPLAYS + "/invlpg-defer-counter-reset.json"], {2}),
        ("workers past the run's", ["--scenario", "invlpg-defer", "--vcpus", "64", "--actors",
                                    "invalidator=8,flusher=8", "-q"], {2}),
        ("workers past the run's, all", ["--scenario", "all", "--vcpus", "64", "--actors",
                                         "tracker=8,ager=8", "-q"], {2}),
    ]
    return cases


def mutate(replay, rng):
    """(label, text, allowed exits): mutations of one stored replay."""
    out = []

    def variant(label, change, exits):
        r = json.loads(json.dumps(replay))
        rp = r["runs"][0]["replay"]
        change(rp)
        out.append((label, json.dumps(r), exits))

    rp0 = replay["runs"][0]["replay"]
    for key in list(rp0):
        variant("drop " + key, lambda rp, k=key: rp.pop(k),
                {2} if key in ("scenario", "variant", "sched", "seed") else {0, 1, 2})
        for bad in (None, [], {}, 1.5, -1, False, "", "x" * 5000):
            # An empty list is no decisions; an empty spec, no items.
            if (key == "schedule" and bad == []) or \
               (key in ("workload", "perturb", "actors") and bad == ""):
                continue
            variant("%s=%r" % (key, bad)[:60], lambda rp, k=key, b=bad: rp.update({k: b}),
                    {2})
    variant("sched free", lambda rp: rp.update(sched="free"), {2})
    variant("variant all", lambda rp: rp.update(variant="all"), {2})
    variant("scenario all", lambda rp: rp.update(scenario="all"), {2})
    variant("unknown key", lambda rp: rp.update(bogus=1), {2})
    variant("duration key", lambda rp: rp.update(duration="5s"), {2})
    variant("thread wraps", lambda rp: rp["schedule"].append({"run": 2**32 + 1, "n": 1}), {2})
    variant("thread past max", lambda rp: rp["schedule"].append({"run": 80, "n": 1}), {2})
    variant("n zero", lambda rp: rp["schedule"].append({"run": 0, "n": 0}), {2})
    variant("extra decision key",
            lambda rp: rp["schedule"].append({"run": 0, "n": 1, "commit": 1}), {2})
    variant("huge schedule",
            lambda rp: rp.update(schedule=[{"run": i % 5, "n": 10**7} for i in range(1000)]),
            {3})
    variant("octal-looking vcpus", lambda rp: rp.update(vcpus="010"), {0, 1})
    variant("hex seed", lambda rp: rp.update(seed="0x2"), {0, 1})
    variant("fixed variant", lambda rp: rp.update(variant="fixed-counter"), {0, 1})
    variant("vcpus 65", lambda rp: rp.update(vcpus=65), {2})
    variant("gfns 2^26+1", lambda rp: rp.update(gfns=2**26 + 1), {2})
    variant("hot over gfns", lambda rp: (rp.pop("workload", None), rp.update(hot_gfns=5000)),
            {2})
    variant("nan workload", lambda rp: rp.update(workload="invlpg=nan"), {2})
    variant("cpu features on x86", lambda rp: rp.update(cpu_features="fwb"), {2})
    variant("workers past the run's",
            lambda rp: rp.update(vcpus=64, actors="invalidator=8,flusher=8"), {2})
    text = json.dumps(replay)
    for cut in sorted(rng.sample(range(1, len(text) - 1), 4)):
        out.append(("cut at %d" % cut, text[:cut], {2}))
    out.append(("not json", "runs: []", {2}))
    out.append(("no runs", json.dumps({"tool": "lostflush"}), {2}))
    out.append(("duplicate key", text.replace('"seed"', '"seed": "0x9", "seed"', 1), {2}))
    return out


def replay_cases(rng):
    cases = []
    for f in sorted(os.listdir(REPLAYS)):
        replay = json.load(open(os.path.join(REPLAYS, f)))
        for label, text, exits in mutate(replay, rng):
            cases.append((f + ": " + label, text, exits))
    return cases


def prepare(d):
    os.mkdir(os.path.join(d, "sub"))
    os.mkfifo(os.path.join(d, "fifo"))
    os.symlink("fifo", os.path.join(d, "to-fifo"))
    os.symlink("nothing", os.path.join(d, "dangling"))


def run_case(stress, root, i, name, argv, exits, replay_text=None):
    d = tempfile.mkdtemp(prefix="case-%03d-" % i, dir=root)
    prepare(d)
    if replay_text is not None:
        open(os.path.join(d, "r.json"), "w").write(replay_text)
        argv = ["--replay", os.path.join(d, "r.json"), "-q"]
        if "huge" in name:
            argv += ["--max-memory", "64M"]
    argv = [a.replace(REPLAYS, os.path.join(os.getcwd(), REPLAYS)) for a in argv]
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", HOME=d)
    try:
        p = subprocess.run([stress] + argv, cwd=d, capture_output=True, text=True,
                           timeout=TIMEOUT_S, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "%s: no end within %d s" % (name, TIMEOUT_S)
    why = None
    if p.returncode < 0:
        why = "killed by signal %d" % -p.returncode
    elif p.returncode not in exits:
        why = "exit %d, wanted %s" % (p.returncode, "/".join(map(str, sorted(exits))))
    elif "ERROR: AddressSanitizer" in p.stderr or "runtime error" in p.stderr:
        why = "a sanitizer report"
    elif p.returncode == 2 and "stress: " not in p.stderr:
        why = "exit 2 without a message"
    if why:
        return "%s: %s\n    argv: %s\n    stderr: %s" % (name, why, argv, p.stderr[-600:])
    shutil.rmtree(d)
    return None


def tree_state(top, skip):
    state = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [x for x in dirnames if os.path.join(dirpath, x) not in skip
                       and x != ".git"]
        for f in filenames:
            p = os.path.join(dirpath, f)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            state[p] = (st.st_mtime_ns, st.st_size)
    return state


def main():
    stress, out_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    root = tempfile.mkdtemp(prefix="bad-input-")
    skip = {os.path.abspath(out_dir), os.path.abspath("build"), os.path.abspath("build-asan"),
            os.path.abspath("build-tsan")}
    before = tree_state(os.getcwd(), skip)
    rng = random.Random(13)
    commands = command_cases(stress)
    replays = replay_cases(rng)
    jobs = []
    with ThreadPoolExecutor(max_workers=int(os.environ.get("CHECK_JOBS", "2"))) as pool:
        for i, (name, argv, exits) in enumerate(commands):
            jobs.append(pool.submit(run_case, stress, root, i, name, argv, exits))
        for i, (name, text, exits) in enumerate(replays):
            jobs.append(pool.submit(run_case, stress, root, len(commands) + i, name, [], exits,
                                    text))
    failures = [j.result() for j in jobs if j.result()]
    after = tree_state(os.getcwd(), skip)
    touched = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    for f in failures:
        print("FAIL " + f)
    for p in touched:
        print("FAIL touched outside its directory: " + p)
    shutil.rmtree(root, ignore_errors=True)
    print("bad input: %d command lines, %d replay files, %d failed, %d files touched"
          % (len(commands), len(replays), len(failures), len(touched)))
    sys.exit(1 if failures or touched else 0)


if __name__ == "__main__":
    main()
