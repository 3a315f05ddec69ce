"""The nightly's rows, read off what ./stress --list --json states: every
scenario x variant x mode x memory model x setting, the long clean sweeps
of the variants that must run clean, every claim at its bound, the
bounded search of each variant that must run clean, the TSan matrix and
the running kernel's pass. Nothing here names a scenario, a
variant or a setting: a new one in the catalogue is a new row tonight.

A row is a dict: its id ("scenario/variant/mode/memory/setting"), the
section it belongs to, the ./stress arguments that run it (without the
seed and the output files, which the runner adds), and how it may share
the machine (a free run that must catch a bug keeps it to itself: its
timing is what it tests).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from claims import modes_of  # noqa: E402  (the claims' own reading of a variant)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "tools"))
from claim_rows import CONTROLLED_EXECUTIONS  # noqa: E402
from claim_rows import rows_of as claim_rows_of  # noqa: E402  (make check's claims)

MEMORIES = ["sc", "tso", "weak"]
# The settings --list --json states per variant ("shows_with"), each as
# its command-line option; a scenario runs a setting's other values where
# one of its variants' claims depends on it.
SETTING_OPTIONS = {
    "log": "--log",
    "ad_bits": "--ad-bits",
    "tlb_huge": "--tlb-huge",
    "range_flush": "--range-flush",
    "cpu_features": "--cpu-features",
}
ALL_VALUES = {
    "log": ["bitmap", "clear", "ring"],
    "ad_bits": ["off", "on"],
    "tlb_huge": ["entry", "splinter"],
    "range_flush": ["works", "unsupported"],
}


def scenario_settings(scenario):
    """{setting: [values]} a scenario's variants' claims depend on: a
    variant that shows only with some values of a setting makes each
    value of it a row (cpu_features: the sets some claim names)."""
    out = {}
    for v in scenario["variants"]:
        for name, shown in v["claims"]["shows_with"].items():
            if name == "cpu_features":
                values = out.setdefault(name, [])
                values += [x for x in shown if x not in values]
            elif name in ALL_VALUES and set(shown) != set(ALL_VALUES[name]):
                out[name] = list(ALL_VALUES[name])
    return out


def settings_of(scenario):
    """The default ("-") and each stated value of each setting, one at a
    time: (label, args)."""
    rows = [("-", [])]
    for name, values in sorted(scenario_settings(scenario).items()):
        for value in values:
            rows.append(("%s=%s" % (name, value), [SETTING_OPTIONS[name], value]))
    return rows


def pct_of(variant):
    return "pct:%d" % variant["claims"]["pct_depth"]


def modes_for(variant):
    """free, then each controlled scheduler under each memory model:
    (mode, memory, args)."""
    rows = [("free", None, [])]
    for sched in ("random", pct_of(variant), "cover"):
        for memory in MEMORIES:
            rows.append((sched, memory, ["--sched", sched, "--memory", memory]))
    return rows


def row_id(scenario, variant, mode, memory, setting):
    return "/".join([scenario, variant, mode, memory or "-", setting])


def budget(variant, mode, scale, expect_violation):
    """A row's limit. Controlled runs are bounded in executions (the same
    verdict on any machine), free runs in seconds; a bug expected caught
    gets the claims' bound (tests/tools/claim_rows.py), and stops at the
    first violation."""
    if mode == "free":
        seconds = 30 if expect_violation else scale
        return ["--duration", "%gs" % seconds]
    if expect_violation:
        executions = CONTROLLED_EXECUTIONS[mode.split(":")[0]]
        return ["--executions", executions, "--duration", "300s"]
    return ["--executions", str(2000 * scale), "--duration", "%ds" % (120 * scale)]


def may_show(variant, mode, memory, setting_label):
    """Whether the variant's claims say this row catches the bug: its
    budget is then the claim's bound."""
    if not variant["buggy"]:
        return False
    claims = variant["claims"]
    if setting_label != "-":
        name, value = setting_label.split("=", 1)
        if value not in claims["shows_with"].get(name, [value]):
            return False
    if mode == "free":
        return "free" in claims["caught_by"] and not claims["rare_in_free_mode"]
    return any(claimed and label == "%s/%s" % (mode, memory)
               for label, _, claimed in modes_of(variant))


def matrix_rows(catalogue, scale, only):
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            for setting, setting_args in settings_of(s):
                for mode, memory, mode_args in modes_for(v):
                    rid = row_id(s["name"], v["name"], mode, memory, setting)
                    if only and not only.search(rid):
                        continue
                    caught = may_show(v, mode, memory, setting)
                    rows.append({
                        "id": rid, "section": "matrix", "scenario": s["name"],
                        "variant": v["name"], "buggy": v["buggy"], "mode": mode,
                        "memory": memory, "setting": setting, "seed": 1,
                        "args": mode_args + setting_args + budget(v, mode, scale, caught),
                        "alone": mode == "free" and caught,
                    })
    return rows


def sweep_rows(catalogue, scale, only):
    """The variants that must run clean, many seeds in every mode: a clean
    run proves little, many in a row say the ordering holds."""
    seeds = 3 * scale
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            if v["buggy"]:
                continue
            for mode, memory, mode_args in modes_for(v):
                rid = row_id(s["name"], v["name"], mode, memory, "-")
                if only and not only.search(rid):
                    continue
                for seed in range(1, seeds + 1):
                    rows.append({
                        "id": rid, "section": "sweeps", "scenario": s["name"],
                        "variant": v["name"], "buggy": False, "mode": mode, "memory": memory,
                        "setting": "-", "seed": 100 + seed,
                        "args": mode_args + budget(v, mode, scale, False), "alone": False,
                    })
    return rows


def claim_rows(catalogue, scale, only):
    """Every stated claim at its bound, as make check holds it
    (tests/tools/claim_rows.py: WANT of SEEDS seeds caught within the
    claim's executions, or seconds in free mode)."""
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            if not v["buggy"]:
                continue
            for _, want, seeds, binary, args in claim_rows_of(s["name"], v):
                args = args[4:]  # less --scenario S --variant V
                mode = args[args.index("--sched") + 1] if "--sched" in args else "free"
                memory = args[args.index("--memory") + 1] if "--memory" in args else None
                tsan = binary.endswith("stress-tsan")
                rid = ("tsan:" if tsan else "") + row_id(s["name"], v["name"], mode, memory, "-")
                if only and not only.search(rid):
                    continue
                for seed in range(1, seeds + 1):
                    row = {
                        "id": rid, "section": "claims", "scenario": s["name"],
                        "variant": v["name"], "buggy": True, "mode": mode, "memory": memory,
                        "setting": "-", "seed": seed, "want": want,
                        "args": args + ["--expect", "violation"], "alone": mode == "free",
                    }
                    if tsan:
                        row["binary"] = "tsan"
                    rows.append(row)
    return rows


# The preemption bound the nightly states per scenario: --sched bounded:K
# explores every schedule with at most K preemptions, fewest first.
BOUND = 2


def bound_rows(catalogue, seconds, only):
    """Each variant that must run clean under --sched bounded:BOUND, one
    seed, for SECONDS: how far the search got (the bound it explored
    whole) is what the row measures, beside its verdict. The catalogue is
    the model's: the running kernel's scenarios run free only."""
    mode = "bounded:%d" % BOUND
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            if v["buggy"]:
                continue
            rid = row_id(s["name"], v["name"], mode, "sc", "-")
            if only and not only.search(rid):
                continue
            rows.append({
                "id": rid, "section": "bounds", "scenario": s["name"], "variant": v["name"],
                "buggy": False, "mode": mode, "memory": "sc", "setting": "-", "seed": 1,
                "args": ["--sched", mode, "--duration", "%gs" % seconds],
                "budget_s": seconds, "alone": False,
            })
    return rows


def tsan_rows(catalogue, scale, only):
    """Every variant under ./stress-tsan in free mode, and each variant
    that must run clean under a controlled scheduler too (TSan follows its
    fibers): fixed ones silent, TSan's own claims reported."""
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            modes = [("free", None, ["--duration", "%ds" % (2 * scale)])]
            if not v["buggy"]:
                modes.append(("random", "sc", ["--sched", "random", "--executions",
                                               str(500 * scale), "--duration", "120s"]))
            for mode, memory, args in modes:
                rid = "tsan:" + row_id(s["name"], v["name"], mode, memory, "-")
                if only and not only.search(rid):
                    continue
                rows.append({
                    "id": rid, "section": "tsan", "scenario": s["name"], "variant": v["name"],
                    "buggy": v["buggy"], "mode": mode, "memory": memory, "setting": "-",
                    "seed": 1, "args": args, "alone": False, "binary": "tsan",
                    "tsan_claimed": "tsan" in v["claims"]["caught_by"],
                })
    return rows


def real_rows(catalogue, scale, only):
    """The running kernel's scenarios, every variant, 2 and 4 vCPUs."""
    rows = []
    for s in catalogue:
        for v in s["variants"]:
            for vcpus in (2, 4):
                rid = row_id(s["name"], v["name"], "free", None, "vcpus=%d" % vcpus)
                if only and not only.search(rid):
                    continue
                rows.append({
                    "id": rid, "section": "real", "scenario": s["name"], "variant": v["name"],
                    "buggy": v["buggy"], "mode": "free", "memory": None,
                    "setting": "vcpus=%d" % vcpus, "seed": 1,
                    "args": ["--vcpus", str(vcpus), "--duration", "%ds" % (3 * scale)],
                    "alone": True,
                })
    return rows
