"""The night's JUnit XML and KTAP, merged from what each row's ./stress
wrote (--junit, --ktap), so a case reads the same as in a single run: its
verdict, its violation and its rerun line. Each case takes its row's id
(scenario/variant/mode/memory/setting), unique in the night; the sweeps
and the claims, which are many runs each, are cases of their own. A
bounded row's case also says how far its search got.
"""
import re
import socket
import time
import xml.etree.ElementTree as ET

# What XML 1.0 cannot hold at all, from a log's tail.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return NOT_XML.sub("?", text or "")

SECTIONS = ("matrix", "bounds", "tsan", "real")


def row_case(row):
    """The row's <testcase> as its ./stress wrote it, renamed to its id;
    a row that wrote none (the harness broke, or it never ran) gets one
    that says so."""
    try:
        case = ET.parse(row["junit"]).getroot().find("testsuite").find("testcase")
    except (OSError, ET.ParseError, AttributeError, KeyError):
        case = None
    if case is None:
        case = ET.Element("testcase", classname="lostflush." + row["scenario"])
        if row.get("verdict") == "not-judged":
            ET.SubElement(case, "skipped", message=row.get("not_judged_reason") or "not run")
        else:
            ET.SubElement(case, "error", message="no report: %s" % row.get("outcome")).text = \
                xml_text(row.get("violation_text"))
    case.set("name", row["id"])
    judged_by_night(case, row)
    if row.get("bound_text"):
        out = case.find("system-out")
        if out is None:
            out = ET.SubElement(case, "system-out")
        out.text = xml_text("%s\n%s" % (row["bound_text"], out.text or ""))
    return case


def judged_by_night(case, row):
    """The night may judge a row otherwise than its run did (a claim's
    seed that missed is judged by the claim; TSan's report or silence
    judges a TSan row): the case says the night's verdict, and why."""
    failure, skipped = case.find("failure"), case.find("skipped")
    reason = row.get("not_judged_reason") or "judged by the night"
    if row.get("verdict") == "unexpected":
        if skipped is not None:
            case.remove(skipped)
        if failure is None and case.find("error") is None:
            what = "not as expected: %s" % (row.get("violation") or row.get("outcome"))
            if row.get("tsan_reported") is not None:
                what += "; ThreadSanitizer %s" % ("reported" if row["tsan_reported"]
                                                  else "was silent")
            ET.SubElement(case, "failure", message=what, type="night").text = xml_text(
                "%s\nrerun: %s" % (row.get("violation_text") or what, row.get("rerun")))
        return
    if failure is not None:
        case.remove(failure)
        out = case.find("system-out")
        if out is None:
            out = ET.SubElement(case, "system-out")
        out.text = "%s\n%s" % (reason, failure.text or "")
    if row.get("verdict") == "not-judged" and skipped is None:
        ET.SubElement(case, "skipped", message=xml_text(reason))


def aggregate_case(entry, kind):
    """A sweep or a claim: many seeds, one verdict."""
    case = ET.Element("testcase", classname="lostflush.%s.%s" % (kind, entry["scenario"]),
                      name=entry["id"], time="0")
    ok = entry.get("holds", entry.get("verdict") == "as-expected")
    if not ok:
        if kind == "claims":
            what = "claim does not hold: caught %d of %d" % (entry["caught"], entry["seeds"])
        else:
            what = "met %d of %d" % (entry["met"], entry["seeds"])
        ET.SubElement(case, "failure", message=what, type=kind).text = what
    return case


def suite(name, cases):
    s = ET.Element("testsuite", name=name, tests=str(len(cases)), errors="0",
                   failures=str(sum(c.find("failure") is not None for c in cases)),
                   skipped=str(sum(c.find("skipped") is not None for c in cases)),
                   timestamp=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
                   hostname=socket.gethostname())
    s.set("errors", str(sum(c.find("error") is not None for c in cases)))
    s.set("time", "%.3f" % sum(float(c.get("time", "0")) for c in cases))
    s.extend(cases)
    return s


def write_junit(path, night, rows):
    root = ET.Element("testsuites", name="lostflush nightly " + night["night"]["stamp"])
    for section in SECTIONS:
        cases = [row_case(r) for r in rows if r["section"] == section]
        if cases:
            root.append(suite("lostflush." + section, cases))
    for kind in ("sweeps", "claims"):
        if night[kind]:
            root.append(suite("lostflush." + kind, [aggregate_case(e, kind)
                                                    for e in night[kind]]))
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)


def row_ktap(row):
    """The diagnostics and result line ./stress wrote for the row."""
    try:
        with open(row["ktap"]) as f:
            lines = f.read().splitlines()[3:]
    except (OSError, KeyError):
        lines = []
    diag = [l for l in lines if l.startswith("# ")]
    result = [l for l in lines if l.startswith("ok ") or l.startswith("not ok ")]
    if not result:
        state = "ok" if row.get("verdict") != "unexpected" else "not ok"
        skip = " # SKIP %s" % clean(row.get("not_judged_reason") or "not run") \
            if row.get("verdict") == "not-judged" else ""
        return diag + diagnostics(row.get("violation_text") or "no KTAP written"), state, skip
    words = result[0].split(" # SKIP ", 1)
    state = "not ok" if row.get("verdict") == "unexpected" else "ok"
    # A failure is never a skip, whatever the run thought.
    skip = " # SKIP " + words[1] if len(words) > 1 and state == "ok" else ""
    if row.get("verdict") == "not-judged" and not skip:
        skip = " # SKIP %s" % clean(row.get("not_judged_reason") or "not judged")
    if state == "ok" and words[0].startswith("not ok"):
        diag.append("# %s" % clean(row.get("not_judged_reason") or "judged by the night"))
    if row.get("bound_text"):
        diag.append("# %s" % clean(row["bound_text"]))
    return diag, state, skip


def aggregate_ktap(entry, kind):
    ok = entry.get("holds", entry.get("verdict") == "as-expected")
    met = entry.get("caught", entry.get("met"))
    return ["# %s: %s of %s seeds" % (kind, met, entry["seeds"])], "ok" if ok else "not ok", ""


def clean(name):
    return name.replace("#", "_").replace("\n", " ")


def diagnostics(text):
    """Text as KTAP diagnostics: every line behind '# '."""
    return ["# " + line for line in text.splitlines()]


def write_ktap(path, night, rows):
    items = [(r["id"], *row_ktap(r)) for r in rows if r["section"] in SECTIONS]
    for kind in ("sweeps", "claims"):
        items += [("%s:%s" % (kind, e["id"]), *aggregate_ktap(e, kind)) for e in night[kind]]
    out = ["KTAP version 1", "1..%d" % len(items),
           "# lostflush nightly %s, commit %s" % (night["night"]["stamp"],
                                                  night["night"]["commit"])]
    for n, (name, diag, state, skip) in enumerate(items, 1):
        out += diag
        out.append("%s %d %s%s" % (state, n, clean(name), skip))
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
