"""What changed since the baseline night (failures, slower detections,
claims, mutants, and how far each fixed variant's bounded search got),
and the unexpected findings as a dashboard lists bugs: one per
(scenario, variant, violation kind), with the night it was first and
last seen and how many runs hit it, carried from night to night through
the baseline's own list.
"""

# A bug caught this many times slower than its usual (the baseline's), in
# executions where controlled, seconds in free mode, is worth a line.
SLOWER = 3.0
# A free-mode median under this many seconds is the machine's noise, not
# a slower bug.
FREE_SLOWER_FLOOR_S = 1.0


def by_id(entries):
    return {e["id"]: e for e in entries or []}


def row_changes(now, was):
    out = []
    for rid, row in now.items():
        old = was.get(rid)
        if old is None:
            if row["verdict"] == "unexpected":
                out.append(change("new-failure", rid, "fails on its first night: %s" %
                                  describe(row)))
            continue
        if row["verdict"] == "unexpected" and old["verdict"] != "unexpected":
            out.append(change("new-failure", rid, "was %s, now %s" % (old["verdict"],
                                                                      describe(row))))
        elif old["verdict"] == "unexpected" and row["verdict"] == "as-expected":
            out.append(change("new-pass", rid, "was failing (%s), now as expected" %
                              describe(old)))
        elif slower(row, old):
            out.append(change("slower", rid, "caught after %s, usually %s" %
                              (amount(row), amount(old))))
    out += [change("row-gone", rid, "no longer run") for rid in was if rid not in now]
    return out


def describe(row):
    if row.get("violation"):
        return "%s (expected %s)" % (row["violation"], row.get("expected"))
    return "%s (expected %s)" % (row.get("outcome"), row.get("expected"))


def amount(row):
    if row.get("executions_to_detection"):
        return "%d executions" % row["executions_to_detection"]
    return "%.3f s" % row["time_to_detection_s"]


def slower(row, old):
    """In executions only: one free-mode seed's time moves with the
    machine's load (a claim's median over its seeds says it instead)."""
    a, b = row.get("executions_to_detection"), old.get("executions_to_detection")
    return bool(a and b and a > SLOWER * b)


def change(kind, rid, detail):
    return {"kind": kind, "id": rid, "detail": detail}


def sweep_changes(now, was):
    out = []
    for sid, sweep in now.items():
        old = was.get(sid)
        if not old:
            if sweep.get("verdict") == "unexpected":
                out.append(change("new-failure", sid, "sweep: %d/%d met on its first night" % (
                    sweep["met"], sweep["seeds"])))
            continue
        if old.get("verdict") == "as-expected" and sweep.get("verdict") == "unexpected":
            out.append(change("new-failure", sid, "sweep: %d/%d met, was %d/%d" % (
                sweep["met"], sweep["seeds"], old["met"], old["seeds"])))
        m, o = sweep.get("median_executions"), old.get("median_executions")
        if m and o and m > SLOWER * o:
            out.append(change("slower", sid, "sweep median %d executions, was %d" % (m, o)))
    return out


def claim_changes(now, was):
    out = []
    for cid, claim in now.items():
        old = was.get(cid)
        if old and old["holds"] and not claim["holds"]:
            out.append(change("claim-broken", cid, "caught %d/%d, was %d/%d" % (
                claim["caught"], claim["seeds"], old["caught"], old["seeds"])))
        elif old and not old["holds"] and claim["holds"]:
            out.append(change("claim-restored", cid, "caught %d/%d again" % (
                claim["caught"], claim["seeds"])))
        elif not old and not claim["holds"]:
            out.append(change("claim-broken", cid, "caught %d/%d on its first night" % (
                claim["caught"], claim["seeds"])))
        elif old and claim.get("unit") == old.get("unit") and claim.get("median") and \
                old.get("median") and claim["median"] > SLOWER * old["median"] and \
                (claim["unit"] != "s" or claim["median"] >= FREE_SLOWER_FLOOR_S):
            out.append(change("slower", cid, "median %s %s over its seeds, usually %s" % (
                claim["median"], claim["unit"], old["median"])))
    return out


def bound_changes(now, was):
    """A variant that must run clean whose bounded search explored fewer
    preemptions whole than the baseline's did (coverage lost: the code or
    the machine got slower, or its schedules more), or more (coverage
    gained). Each says both nights' budgets, as the figure moves with
    them. Only two clean runs are compared: a search that found a
    violation stopped there, and is a failing row; a variant the baseline
    did not run, or a run with no figures, is no news here."""
    out = []
    for bid, entry in now.items():
        old = was.get(bid)
        if not old or entry.get("verdict") != "as-expected" or \
                old.get("verdict") != "as-expected":
            continue
        got, had = entry.get("complete_to"), old.get("complete_to")
        if not isinstance(got, int) or not isinstance(had, int) or got == had:
            continue
        budget = seconds(entry.get("budget_s"))
        if old.get("budget_s") != entry.get("budget_s"):
            budget += ", was %s" % seconds(old.get("budget_s"))
        out.append(change("coverage-lost" if got < had else "coverage-gained", bid,
                          "bounded:%s complete to %d, was %d (%s)" % (
                              entry.get("bound"), got, had, budget)))
    return out


def seconds(value):
    return "%g s" % value if isinstance(value, (int, float)) else "no budget stated"


def mutant_changes(now, was):
    """A survivor the baseline's share ran and killed (a night runs a
    share of the mutants: one it did not run is no news)."""
    if not now:
        return []
    was = was or {}
    killed_before = set(was.get("ran") or []) - set(was.get("survivors") or [])
    return [change("mutant-survives", name, "the fixed variants no longer kill it")
            for name in now.get("survivors") or [] if name in killed_before]


def changes(night, baseline):
    """Every difference worth reading, new failures first."""
    base = baseline or {}
    out = row_changes(by_id(night["rows"] + night["tsan"]),
                      by_id((base.get("rows") or []) + (base.get("tsan") or [])))
    out += sweep_changes(by_id(night["sweeps"]), by_id(base.get("sweeps")))
    out += claim_changes(by_id(night["claims"]), by_id(base.get("claims")))
    out += bound_changes(by_id(night.get("bounds")), by_id(base.get("bounds")))
    out += mutant_changes(night.get("mutants"), base.get("mutants"))
    order = ["new-failure", "claim-broken", "mutant-survives", "slower", "coverage-lost",
             "new-pass", "claim-restored", "coverage-gained", "row-gone"]
    return sorted(out, key=lambda c: order.index(c["kind"]))


def finding_key(row):
    kind = row.get("violation") or ("data-race" if row.get("tsan_reported") else
                                    "harness-error" if row.get("outcome") == "error" else
                                    "missed")
    return (row["scenario"], row["variant"], kind)


def findings(night, baseline, stamp):
    """Tonight's unexpected rows grouped, merged with every finding the
    baseline carried (first seen, nights, runs)."""
    old = {(f.get("scenario"), f.get("variant"), f.get("violation")): f
           for f in (baseline or {}).get("findings") or []}
    tonight = {}
    for row in night["rows"] + night["tsan"]:
        if row["verdict"] != "unexpected":
            continue
        f = tonight.setdefault(finding_key(row), {"rows": [], "row": row})
        f["rows"].append(row["id"])
    out = []
    for key, f in tonight.items():
        was = old.pop(key, None)
        row = f["row"]
        out.append({
            "scenario": key[0], "variant": key[1], "violation": key[2],
            "first_seen": was["first_seen"] if was else stamp, "last_seen": stamp,
            "nights": (was["nights"] if was else 0) + 1,
            "runs": (was["runs"] if was else 0) + len(f["rows"]),
            "rerun": row.get("rerun"), "replay": row.get("replay"),
            "timeline": row.get("timeline"), "rows": f["rows"],
        })
    # Findings not hit tonight stay on the list, their timeline left
    # behind with their night.
    for f in old.values():
        out.append(dict(f, rows=[], timeline=None))
    return sorted(out, key=lambda f: (f["last_seen"] != stamp, f["scenario"], f["variant"]))
