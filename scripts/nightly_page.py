#!/usr/bin/env python3
"""Render one night's merged JSON (format "lostflush-nightly/1", as
scripts/nightly.py and scripts/sweep.sh write it) as one self-contained
HTML page.

    scripts/nightly_page.py MERGED.json [-o OUT.html]

OUT defaults to index.html beside MERGED.json, so the page's relative
links (timelines/, runs/, tsan/, mutants/) reach the files the night
wrote beside it. The page needs nothing at view time: no network, no
external CSS or JavaScript, no script at all; its charts are inline SVG
drawn here. A seed sweep's file (night.kind "sweep") renders the same
page with only the sections it has data for.

Every string taken from the JSON is escaped: a violation's text is what
a run printed and may hold anything.
"""
import argparse
import html
import json
import math
import os
import sys
from datetime import datetime, timezone

MODE_COLOURS = {"free": "#1f77b4", "random": "#9467bd", "pct": "#e377c2",
                "cover": "#17becf"}
COST_COUNTERS = ("remote_flushes", "kicks", "tlb_entries_dropped")
# Change kinds that are regressions: they lead the list, in red.
BAD_CHANGES = ("new-failure", "claim-broken", "mutant-survives")
CHANGE_ORDER = BAD_CHANGES + ("slower", "coverage-lost", "row-gone", "new-row", "new-pass",
                              "claim-restored", "coverage-gained")
# A log axis needs a floor: a race caught in the first microseconds
# would otherwise sit at minus infinity.
SECONDS_FLOOR = 1e-4

CSS = """
body{font:13px/1.35 system-ui,sans-serif;margin:0 1.2em 2em;color:#222;background:#fff}
h1{font-size:18px;margin:.6em 0 .2em}
h2{font-size:15px;margin:1.4em 0 .4em;border-bottom:1px solid #ccc;padding-bottom:2px}
nav{font-size:12px;color:#666}nav a{margin-right:.8em}
table{border-collapse:collapse;margin:.2em 0}
th,td{border:1px solid #ddd;padding:1px 5px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}
tr:nth-child(even) td{background:#fafafa}
code,.id{font:12px ui-monospace,monospace}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.as-expected,span.as-expected,.yes{color:#176b25}
td.unexpected,span.unexpected,.bad{color:#b00020;font-weight:600}
td.not-judged,span.not-judged,.muted{color:#777}
.warn{color:#a05a00}
tr.unexpected td{background:#fde8ea}
tr.not-judged td{color:#666}
td{white-space:nowrap}td.wrap{white-space:normal}
td.fail-text{font-size:12px;white-space:normal}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-weight:600}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}.badge.unknown{background:#888}
.kv{margin:.2em 0}.kv span{margin-right:1.2em}.kv b{font-weight:600}
ul.changes{margin:.2em 0;padding-left:1.2em}
pre{margin:.2em 0;white-space:pre-wrap;font:12px ui-monospace,monospace}
details summary{cursor:pointer}
.reason{font-size:11px;color:#777;white-space:normal;max-width:18em}
svg text{font:11px system-ui,sans-serif;fill:#333}
svg .axis{stroke:#999}svg .grid{stroke:#eee}
#only-bad:checked ~ table tr.row.as-expected{display:none}
"""


def esc(value):
    """Text for the page: None shows as nothing, anything else escaped."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def items(doc, key):
    """doc[key] as a list of objects; a null or odd value is no entries."""
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def obj(doc, key):
    """doc[key] when it is an object, else None."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, dict) else None


def num(value):
    """A finite number, or None for null, text and NaN."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def href(path):
    """A link only to a file of the night's own directory: a relative path
    with no scheme, so the page never sends its reader off the host."""
    if not isinstance(path, str) or not path or ":" in path or path.startswith(("/", "\\")):
        return None
    return html.escape(path, quote=True)


def link(path, text=None):
    """An <a> to a file beside the page, or its plain name when unsafe."""
    target = href(path)
    label = esc(text if text is not None else path)
    return '<a href="%s">%s</a>' % (target, label) if target else label


def fmt_seconds(value):
    """0.0042 -> '4.2 ms', 6.25 -> '6.25 s', 1234 -> '20m34s'."""
    v = num(value)
    if v is None:
        return ""
    if v < 1:
        return "%.3g ms" % (v * 1000)
    return "%.3g s" % v if v < 100 else fmt_elapsed(v)


def fmt_count(value):
    """1234 -> '1,234'."""
    v = num(value)
    if v is None:
        return ""
    return "{:,}".format(int(v)) if float(v).is_integer() else "%.3g" % v


def fmt_elapsed(value):
    """Seconds as '1h02m', '20m34s' or '42.0 s'."""
    v = num(value)
    if v is None:
        return ""
    if v < 60:
        return "%.1f s" % v
    m, s = divmod(int(v), 60)
    h, m = divmod(m, 60)
    return "%dh%02dm" % (h, m) if h else "%dm%02ds" % (m, s)


def parse_stamp(stamp):
    """A night's stamp (YYYYmmddTHHMMSSZ) as a datetime, or None."""
    try:
        return datetime.strptime(str(stamp), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def days_before(stamp, night_stamp):
    """'4d before' for a finding last seen on an earlier night; '' otherwise."""
    then, now = parse_stamp(stamp), parse_stamp(night_stamp)
    if not then or not now or then >= now:
        return ""
    return " (%dd before)" % (now - then).days


def verdict_class(verdict):
    """The CSS class of a verdict; anything unknown counts as not judged."""
    return verdict if verdict in ("as-expected", "unexpected") else "not-judged"


def table(headers, body_rows, attrs=""):
    """A <table> from header labels ('#' prefix: a numeric column) and rows
    of ready HTML."""
    ths = "".join('<th class="num">%s</th>' % esc(h[1:]) if h.startswith("#")
                  else "<th>%s</th>" % esc(h) for h in headers)
    return "<table%s><thead><tr>%s</tr></thead><tbody>\n%s</tbody></table>" % (
        attrs, ths, "".join(body_rows))


def td(content, cls=None):
    """A cell of ready HTML."""
    return '<td class="%s">%s</td>' % (cls, content) if cls else "<td>%s</td>" % content


# -- the header ----------------------------------------------------------


def status_badge(status):
    """pass green, fail red, anything else grey: a night that did not say
    is neither."""
    cls = status if status in ("pass", "fail") else "unknown"
    return '<span class="badge %s">%s</span>' % (cls, esc(status or "no status"))


def header_html(doc):
    """Night stamp, commit, host, elapsed, scale, status and the counts;
    a field the night left null shows as '-'."""
    night = obj(doc, "night") or {}
    counts = obj(night, "counts") or {}
    kind = "seed sweep" if night.get("kind") == "sweep" else "nightly"
    title = "lostflush %s %s" % (kind, esc(night.get("stamp") or "(no stamp)"))
    cpus = " (%s CPUs)" % esc(night.get("cpus")) if night.get("cpus") is not None else ""
    fields = [("commit", "<code>%s</code>" % esc(night.get("commit") or "-")),
              ("host", esc(night.get("host") or "-") + cpus),
              ("started", esc(night.get("started") or "-")),
              ("elapsed", fmt_elapsed(night.get("elapsed_s")) or "-"),
              ("scale", esc(night.get("scale") if night.get("scale") is not None else "-")),
              ("version", esc(doc.get("version") or "-"))]
    tally = [("rows", "rows"), ("as expected", "as_expected"),
             ("unexpected", "unexpected"), ("not judged", "not_judged")]
    kv = "".join("<span>%s <b>%s</b></span>" % (k, v) for k, v in fields)
    cnt = "".join('<span>%s <b class="%s">%s</b></span>' % (
        label, "bad" if key == "unexpected" and num(counts.get(key)) else "",
        esc(counts.get(key, "-"))) for label, key in tally)
    return ("<h1>%s %s</h1>\n<div class=\"kv\">%s</div>\n<div class=\"kv\">%s</div>\n"
            % (title, status_badge(night.get("status")), kv, cnt))


def nav_html(sections):
    """Links to the page's sections, in order."""
    return "<nav>%s</nav>\n" % "".join('<a href="#%s">%s</a>' % (sid, name)
                                       for sid, name, _ in sections)


# -- what changed ----------------------------------------------------------


def change_rank(change):
    """Regressions first, in CHANGE_ORDER; unknown kinds last."""
    kind = change.get("kind")
    return CHANGE_ORDER.index(kind) if kind in CHANGE_ORDER else len(CHANGE_ORDER)


def change_class(kind):
    """Red for a regression, amber for slower or less of a bound explored,
    green for a fix or more of a bound explored."""
    if kind in BAD_CHANGES:
        return "bad"
    if kind in ("slower", "coverage-lost"):
        return "warn"
    return "yes" if kind in ("new-pass", "claim-restored", "coverage-gained") else "muted"


def changes_html(doc):
    """The changes against the baseline, or why there are none."""
    night = obj(doc, "night") or {}
    changes = sorted(items(doc, "changes"), key=change_rank)
    base = night.get("baseline")
    if not changes:
        return "<p>%s</p>" % ("nothing changed since <code>%s</code>" % esc(base)
                              if base else "no baseline")
    lines = ['<li class="%s">%s <span class="id">%s</span>: %s</li>\n' % (
        change_class(c.get("kind")), esc(c.get("kind")), esc(c.get("id")),
        esc(c.get("detail"))) for c in changes]
    head = "<p>against <code>%s</code></p>" % esc(base) if base else ""
    return '%s<ul class="changes" id="changes">\n%s</ul>' % (head, "".join(lines))


# -- findings --------------------------------------------------------------


def finding_row(f, night_stamp):
    """One finding as a dashboard line, the replay and rows folded away."""
    seen_tonight = isinstance(f.get("rows"), list) and bool(f.get("rows"))
    timeline = link(f.get("timeline"), "timeline") if f.get("timeline") else \
        '<span class="muted">none</span>'
    more = ["<div>replay: <code>%s</code></div>" % esc(f.get("replay"))] if f.get("replay") else []
    tonight = f.get("rows") if isinstance(f.get("rows"), list) else []
    more += ['<div class="id">tonight: %s</div>' % esc(r) for r in tonight]
    rerun = "<code>%s</code>" % esc(f.get("rerun"))
    if more:
        rerun = "<details><summary>%s</summary>%s</details>" % (rerun, "".join(more))
    return "<tr class=\"finding%s\">%s</tr>\n" % (" unexpected" if seen_tonight else "", "".join([
        td(esc(f.get("scenario"))), td(esc(f.get("variant"))),
        td(esc(f.get("violation")), "bad"), td(esc(f.get("first_seen"))),
        td(esc(f.get("last_seen")) + esc(days_before(f.get("last_seen"), night_stamp))),
        td(esc(f.get("nights")), "num"), td(esc(f.get("runs")), "num"),
        td(rerun, "wrap"), td(timeline)]))


def findings_html(doc):
    """Unexpected findings, one line each; those hit tonight shaded."""
    findings = items(doc, "findings")
    if not findings:
        return "<p>no findings</p>"
    stamp = (obj(doc, "night") or {}).get("stamp")
    heads = ["scenario", "variant", "violation", "first seen", "last seen", "#nights",
             "#runs", "rerun", "timeline"]
    return table(heads, [finding_row(f, stamp) for f in findings], ' id="findings"')


# -- the main table --------------------------------------------------------


def detection_text(row):
    """Time or executions to detection; for a clean controlled run, how many
    executions it ran clean."""
    if row.get("mode") == "free":
        return fmt_seconds(row.get("time_to_detection_s"))
    if row.get("executions_to_detection") is not None:
        return "%s ex" % fmt_count(row.get("executions_to_detection"))
    # Executions run say something only of a run that ended clean; an
    # interrupted run's count is where the signal found it.
    if row.get("executions_run") is not None and row.get("outcome") == "clean":
        return '<span class="muted">%s ex clean</span>' % fmt_count(row.get("executions_run"))
    return ""


def failure_html(row):
    """A failing row's violation (first line, the rest folded) and replay."""
    parts = []
    text = row.get("violation_text")
    if text:
        lines = str(text).splitlines() or [""]
        first = "<code>%s</code>" % esc(lines[0])
        parts.append("<details><summary>%s</summary><pre>%s</pre></details>" % (
            first, esc("\n".join(lines[1:]))) if len(lines) > 1 else first)
    elif row.get("violation"):
        parts.append("<code>%s</code>" % esc(row.get("violation")))
    tail = ["<code>%s</code>" % esc(row.get("replay"))] if row.get("replay") else []
    tail += [link(row.get("timeline"), "timeline")] if row.get("timeline") else []
    if tail:
        parts.append("<div>%s</div>" % " &middot; ".join(tail))
    return "".join(parts)


def row_html(row):
    """One <tr class="row VERDICT"> per entry of rows."""
    cls = verdict_class(row.get("verdict"))
    verdict = esc(row.get("verdict"))
    if row.get("not_judged_reason"):
        verdict += '<div class="reason">%s</div>' % esc(row.get("not_judged_reason"))
    outcome_cls = "bad" if row.get("outcome") in ("violation", "error") else None
    cells = [td(esc(row.get("scenario"))), td(esc(row.get("variant"))),
             td(esc(row.get("mode"))), td(esc(row.get("memory") or "-")),
             td(esc(row.get("setting"))), td(esc(row.get("expected"))),
             td(esc(row.get("outcome")), outcome_cls), td(verdict, cls),
             td(detection_text(row), "num"), td(failure_html(row), "fail-text")]
    return '<tr class="row %s" title="%s">%s</tr>\n' % (cls, esc(row.get("id")), "".join(cells))


def rows_html(doc):
    """The matrix: one line per scenario x variant x mode x memory x setting.
    The checkbox hides as-expected lines by CSS alone, no script."""
    rows = items(doc, "rows")
    heads = ["scenario", "variant", "mode", "memory", "setting", "expected", "outcome",
             "verdict", "#to detection", "violation / replay"]
    toggle = ('<input type="checkbox" id="only-bad"> <label for="only-bad">'
              "show only rows not as expected</label>\n")
    empty = "" if rows else "<p>no rows</p>"
    return toggle + table(heads, [row_html(r) for r in rows], ' id="rows"') + empty


# -- SVG helpers -----------------------------------------------------------


def svg_text(x, y, text, anchor="start", extra=""):
    """An escaped <text> element."""
    return '<text x="%.1f" y="%.1f" text-anchor="%s"%s>%s</text>' % (x, y, anchor, extra, esc(text))


def log_range(values, floor):
    """Whole decades around the values, at least one decade wide."""
    lo = math.floor(math.log10(max(min(values), floor)))
    hi = math.ceil(math.log10(max(max(values), floor)))
    return lo, max(hi, lo + 1)


def log_x(value, decades, x0, width, floor):
    """A value's x on a log axis spanning decades (lo, hi)."""
    lo, hi = decades
    v = math.log10(max(value, floor))
    return x0 + (v - lo) / (hi - lo) * width


def decade_label(exp, unit):
    """A tick's label: 1 ms, 10 s, 1e+05 executions as 100k."""
    v = 10.0 ** exp
    if unit == "s":
        return fmt_seconds(v)
    return "%dk" % (v / 1000) if 1e3 <= v < 1e6 else ("%dM" % (v / 1e6) if v >= 1e6 else "%d" % v)


def log_axis(decades, x0, width, y_top, y_bottom, unit, title):
    """Grid lines and labels at each decade, the axis title under them."""
    out = []
    for exp in range(decades[0], decades[1] + 1):
        x = log_x(10.0 ** exp, decades, x0, width, 0)
        out.append('<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>' % (x, y_top, x, y_bottom))
        out.append(svg_text(x, y_bottom + 12, decade_label(exp, unit), "middle"))
    out.append('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>' % (x0, y_bottom, x0 + width, y_bottom))
    out.append(svg_text(x0 + width / 2, y_bottom + 25, title, "middle"))
    return out


# -- the detection chart ---------------------------------------------------


def key_of(entry):
    """What a sweep and a row share: scenario, variant, mode, memory, setting,
    as text, so that odd values still compare and sort."""
    memory = entry.get("memory")
    return (str(entry.get("scenario")), str(entry.get("variant")), str(entry.get("mode")),
            str(memory) if memory else None, str(entry.get("setting") or "-"))


def sweep_point(sweep):
    """(median, slowest, unit) of a buggy sweep that caught something."""
    if sweep.get("mode") == "free":
        med, slow, unit = num(sweep.get("median_s")), num(sweep.get("slowest_s")), "s"
    else:
        med, slow, unit = num(sweep.get("median_executions")), num(sweep.get("slowest_executions")), "ex"
    if med is None:
        return None
    return med, slow if slow is not None else med, unit


def row_point(row):
    """(value, value, unit) of a buggy row that caught its bug."""
    if row.get("mode") == "free":
        v, unit = num(row.get("time_to_detection_s")), "s"
    else:
        v, unit = num(row.get("executions_to_detection")), "ex"
    return None if v is None else (v, v, unit)


def claim_point(claim):
    """(median, slowest, unit) of a claim's seeds that caught the bug."""
    med, slow = num(claim.get("median")), num(claim.get("slowest"))
    if med is None:
        return None
    return med, slow if slow is not None else med, "s" if claim.get("unit") == "s" else "ex"


def detection_points(doc):
    """Each buggy variant x mode's detection across seeds: from its sweep
    or its claim where there is one, else from the night's row (one
    seed)."""
    points, swept = [], set()
    sweeps = [s for s in items(doc, "sweeps") if s.get("expected") == "violation"]
    claims = [c for c in items(doc, "claims") if not str(c.get("id", "")).startswith("tsan:")]
    for entries, point in ((sweeps, sweep_point), (claims, claim_point)):
        for e in entries:
            if key_of(e) in swept:
                continue
            swept.add(key_of(e))
            p = point(e)
            if p:
                points.append((key_of(e), p, "%s/%s seeds" % (e.get("caught"), e.get("seeds"))))
    for r in items(doc, "rows"):
        p = row_point(r) if r.get("buggy") is True else None
        if p and key_of(r) not in swept:
            points.append((key_of(r), p, "one run, seed %s" % r.get("seed")))
    return sorted(points, key=lambda p: point_order(p[0]))


def point_order(key):
    """By scenario and variant, then the modes from cheapest to deepest and
    the memory models from strongest to weakest, as the matrix runs them."""
    scenario, variant, mode, memory, setting = (str(k) for k in key)
    modes, memories = ["free", "random", "pct", "cover"], ["None", "sc", "tso", "weak"]
    base = mode.split(":")[0]
    return (scenario, variant, modes.index(base) if base in modes else 9, mode,
            memories.index(memory) if memory in memories else 9, setting)


def point_label(key):
    """scenario/variant mode/memory [setting]."""
    scenario, variant, mode, memory, setting = key
    label = "%s/%s %s" % (scenario, variant, mode)
    label += "/%s" % memory if memory else ""
    return label + (" %s" % setting if setting != "-" else "")


def mode_colour(mode):
    """pct:3 and pct:5 share pct's colour."""
    return MODE_COLOURS.get(str(mode).split(":")[0], "#7f7f7f")


def value_text(value, unit):
    """A mark's figure: seconds, or a count of executions."""
    return fmt_seconds(value) if unit == "s" else fmt_count(value)


def mark_svg(point, y, scale):
    """One data mark: a bar to the median, a whisker to the slowest, the
    figures beside it; a lighter bar for a single run with no spread."""
    key, (med, slow, unit), note = point
    x0, xm, xs = scale(None), scale(med), scale(slow)
    single = note.startswith("one run")
    tip = "%s: median %s, slowest %s (%s)" % (
        point_label(key), value_text(med, unit), value_text(slow, unit), note)
    parts = ['<g class="mark"><title>%s</title>' % esc(tip),
             '<rect x="%.1f" y="%.1f" width="%.1f" height="10" fill="%s" fill-opacity="%s"/>' % (
                 x0, y - 9, max(xm - x0, 1), mode_colour(key[2]), "0.35" if single else "0.85")]
    if xs > xm:
        parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>' % (xm, y - 4, xs, y - 4))
        parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>' % (xs, y - 8, xs, y))
    figures = value_text(med, unit) + ("" if single else " / " + value_text(slow, unit))
    parts.append(svg_text(max(xm, xs) + 4, y, figures + ("" if single else "  (%s)" % note),
                          extra=' fill="#555"'))
    parts.append("</g>")
    return "".join(parts)


# Where a detection panel's axis starts and how wide it is.
DET_X0, DET_WIDTH, DET_STEP = 330, 600, 15


def detection_panel(points, y0, unit, title):
    """A panel of one unit (seconds or executions): axis, labels, marks.
    Returns its SVG pieces and its height."""
    floor = SECONDS_FLOOR if unit == "s" else 1
    decades = log_range([p[1][0] for p in points] + [p[1][1] for p in points], floor)

    def scale(v):
        return DET_X0 if v is None else log_x(v, decades, DET_X0, DET_WIDTH, floor)
    bottom = y0 + 20 + DET_STEP * len(points)
    axis_title = "seconds to detection (log)" if unit == "s" else "executions to detection (log)"
    # The grid first, so the marks are drawn over it.
    out = [svg_text(4, y0 + 10, title, extra=' font-weight="600"')]
    out += log_axis(decades, DET_X0, DET_WIDTH, y0 + 16, bottom, unit, axis_title)
    y = y0 + 28
    for p in points:
        out.append(svg_text(DET_X0 - 6, y, point_label(p[0]), "end"))
        out.append(mark_svg(p, y, scale))
        y += DET_STEP
    return out, bottom - y0 + 34


def detection_legend(y):
    """Mode colours, and what the bar, the whisker and a light bar mean."""
    out, x = [], DET_X0
    for mode, colour in MODE_COLOURS.items():
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (x, y - 9, colour))
        out.append(svg_text(x + 14, y, mode))
        x += 64
    out.append(svg_text(x + 10, y, "bar: median over seeds, whisker: slowest (a sweep); "
                        "light bar: the night's one run"))
    return out


def detection_chart(doc):
    """Time (free) or executions (controlled) to detection, per buggy
    variant x mode, on log axes: seconds and executions do not share one."""
    points = detection_points(doc)
    if not points:
        return '<svg id="detection-chart" width="600" height="24">%s</svg>' % svg_text(
            4, 16, "no detections to draw")
    parts, y = [], 0
    for unit, title in (("s", "free mode"), ("ex", "controlled modes")):
        mine = [p for p in points if p[1][2] == unit]
        if mine:
            svg, height = detection_panel(mine, y, unit, title)
            parts += svg
            y += height
    parts += detection_legend(y + 8)
    return '<svg id="detection-chart" width="1240" height="%d" role="img">%s</svg>' % (
        y + 16, "\n".join(parts))


# -- the cost chart ----------------------------------------------------------


def cost_groups(doc):
    """Free-mode counters per (scenario, flush policy), summed over the
    rows of each and taken per 1,000 accesses; rows without accesses left
    out, as their rates mean nothing."""
    sums = {}
    for r in items(doc, "rows"):
        counters = obj(r, "counters") or {}
        accesses = num(counters.get("accesses")) or 0
        if r.get("mode") != "free" or accesses <= 0:
            continue
        policy = r.get("flush_policy") or r.get("variant")
        acc = sums.setdefault((str(r.get("scenario")), str(policy)), {"accesses": 0, "rows": 0})
        acc["accesses"] += accesses
        acc["rows"] += 1
        for c in COST_COUNTERS:
            acc[c] = acc.get(c, 0) + (num(counters.get(c)) or 0)
    return [(key, {c: 1000.0 * v[c] / v["accesses"] for c in COST_COUNTERS}, v["rows"])
            for key, v in sorted(sums.items())]


def cost_panel(groups, counter, x0, width, y0):
    """One counter's bars, one per (scenario, policy), on a linear axis."""
    top = max(g[1][counter] for g in groups) or 1.0
    out = [svg_text(x0, y0 + 10, "%s / 1k accesses" % counter, extra=' font-weight="600"')]
    y = y0 + 28
    for (scenario, policy), rates, _ in groups:
        v = rates[counter]
        w = v / top * (width - 50)
        out.append('<g class="mark"><title>%s/%s %s: %.3g per 1,000 accesses</title>'
                   '<rect x="%d" y="%.1f" width="%.1f" height="10" fill="#5b8db8"/></g>' % (
                       esc(scenario), esc(policy), esc(counter), v, x0, y - 9, max(w, 0.5)))
        out.append(svg_text(x0 + w + 3, y, "%.3g" % v))
        y += 15
    out.append('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%.1f"/>' % (x0, y0 + 16, x0, y - 10))
    return out


def cost_labels(groups, y0):
    """scenario / policy (rows summed) down the left."""
    out, y = [], y0 + 28
    for (scenario, policy), _, nrows in groups:
        extra = " (%d rows)" % nrows if nrows > 1 else ""
        out.append(svg_text(236, y, "%s / %s%s" % (scenario, policy, extra), "end"))
        y += 15
    return out


def cost_chart(doc):
    """Cost counters per flush policy: small multiples, one per counter,
    so a rare counter (kicks) is not flattened by a common one."""
    groups = cost_groups(doc)
    if not groups:
        return '<svg id="cost-chart" width="600" height="24">%s</svg>' % svg_text(
            4, 16, "no free-mode rows with accesses")
    parts = cost_labels(groups, 0)
    for i, counter in enumerate(COST_COUNTERS):
        parts += cost_panel(groups, counter, 244 + i * 220, 210, 0)
    height = 28 + 15 * len(groups) + 8
    return '<svg id="cost-chart" width="920" height="%d" role="img">%s</svg>' % (
        height, "\n".join(parts))


# -- the other sections ------------------------------------------------------


def sweeps_html(doc):
    """Every sweep: seeds, met, caught, median and slowest."""
    sweeps = items(doc, "sweeps")
    if not sweeps:
        return "<p>no sweeps</p>"

    def line(s):
        free = s.get("mode") == "free"
        med = fmt_seconds(s.get("median_s")) if free else fmt_count(s.get("median_executions"))
        slow = fmt_seconds(s.get("slowest_s")) if free else fmt_count(s.get("slowest_executions"))
        return "<tr>%s</tr>\n" % "".join([
            td(esc(s.get("id")), "id"), td(esc(s.get("expected"))),
            td("%s/%s" % (esc(s.get("met")), esc(s.get("seeds"))), "num"),
            td(esc(s.get("caught")), "num"), td(med, "num"), td(slow, "num"),
            td(esc(s.get("verdict")), verdict_class(s.get("verdict")))])
    heads = ["id", "expected", "#met/seeds", "#caught", "#median", "#slowest", "verdict"]
    return table(heads, [line(s) for s in sweeps], ' id="sweeps"')


def yes_no(value, good=True):
    """yes/no, coloured by whether it is the good answer; good=None for a
    plain fact (whether a mode is claimed), which is neither."""
    if value is None:
        return ""
    if good is None:
        return "yes" if value else "no"
    cls = "yes" if bool(value) == good else "bad"
    return '<span class="%s">%s</span>' % (cls, "yes" if value else "no")


def claims_html(doc):
    """Every claim at its bound, and whether it holds."""
    claims = items(doc, "claims")
    if not claims:
        return "<p>no claims measured</p>"

    def line(c):
        return "<tr>%s</tr>\n" % "".join([
            td(esc(c.get("id")), "id"), td(yes_no(c.get("claimed"), None)),
            td("%s/%s" % (esc(c.get("caught")), esc(c.get("seeds"))), "num"),
            td(esc(c.get("bound"))), td(fmt_count(c.get("median")), "num"),
            td(fmt_count(c.get("slowest")), "num"), td(esc(c.get("unit"))),
            td(yes_no(c.get("holds")))])
    heads = ["id", "claimed", "#caught/seeds", "bound", "#median", "#slowest", "unit", "holds"]
    return table(heads, [line(c) for c in claims], ' id="claims"')


def bound_complete(entry):
    """Whether the search explored its bound whole."""
    got, bound = num(entry.get("complete_to")), num(entry.get("bound"))
    return got is not None and bound is not None and got >= bound


def bound_text(entry):
    """What a bounded run proves, in words: clean to its bound only where
    it explored that bound whole; otherwise how far it got and where it
    stopped, never "clean"."""
    if entry.get("verdict") == "unexpected":
        depth = num(entry.get("bug_depth"))
        return "not as expected: %s%s" % (
            entry.get("violation") or entry.get("outcome") or "no report",
            " at %d preemption%s" % (depth, "" if depth == 1 else "s")
            if depth is not None else "")
    got = num(entry.get("complete_to"))
    if got is None:
        return "no figures: %s" % (entry.get("outcome") or "no report")
    if bound_complete(entry):
        return "complete to %d preemptions: clean%s" % (
            entry["bound"], ", exhaustive" if entry.get("exhaustive") is True else "")
    reached = "complete to %d only" % got if got >= 0 else "no bound complete"
    stop = "interrupted" if entry.get("outcome") == "interrupted" else "stopped"
    secs = num(entry.get("seconds"))
    return "%s: %s%s" % (reached, stop, " at %.0f s" % secs if secs is not None else "")


def bound_class(entry):
    """Red for a violation, green for a bound explored whole and clean,
    amber for a search that stopped short, grey when not judged."""
    if entry.get("verdict") == "unexpected":
        return "bad"
    if entry.get("verdict") != "as-expected" or num(entry.get("complete_to")) is None:
        return "muted"
    return "yes" if bound_complete(entry) else "warn"


def bound_title(doc):
    """The section's title names the bound its rows ran at."""
    bounds = sorted({str(e.get("bound")) for e in items(doc, "bounds")
                     if num(e.get("bound")) is not None})
    return "Bounded search (%s) per scenario" % ", ".join(
        "bounded:%s" % esc(b) for b in bounds) if bounds else "Bounded search per scenario"


def bounds_html(doc):
    """Each variant that must run clean under --sched bounded:K: the bound
    it explored whole, the last pass's schedules, the seconds it ran, and
    what that proves."""
    if doc.get("bounds") is None:
        return "<p>not run</p>"
    entries = items(doc, "bounds")
    if not entries:
        return "<p>no bounded runs</p>"

    def line(e):
        got = num(e.get("complete_to"))
        complete = "" if got is None else "%s of %s" % (
            esc(int(got)) if got >= 0 else "none", esc(e.get("bound")))
        secs = num(e.get("seconds"))
        log = link(e.get("log"), "log") if e.get("log") else ""
        cls = "complete" if bound_complete(e) and e.get("verdict") == "as-expected" else \
            "incomplete"
        return '<tr class="bound %s" id="bound-%s/%s">%s</tr>\n' % (
            cls, esc(e.get("scenario")), esc(e.get("variant")), "".join([
                td(esc(e.get("scenario"))), td(esc(e.get("variant"))), td(complete, "num"),
                td(fmt_count(e.get("schedules")), "num"),
                td("%.1f" % secs if secs is not None else "", "num"),
                td(esc(bound_text(e)), bound_class(e)), td(log)]))
    heads = ["scenario", "variant", "#complete to", "#schedules (last pass)", "#seconds",
             "result", "log"]
    return table(heads, [line(e) for e in entries], ' id="bounds"')


def tsan_html(doc):
    """ThreadSanitizer's runs: did it report, and was that expected."""
    runs = items(doc, "tsan")
    if not runs:
        return "<p>no ThreadSanitizer runs</p>"

    def line(t):
        modes = t.get("modes") if isinstance(t.get("modes"), list) else []
        rerun = "<code>%s</code>" % esc(t.get("rerun")) if t.get("rerun") else ""
        return "<tr>%s</tr>\n" % "".join([
            td(esc(t.get("scenario"))), td(esc(t.get("variant"))),
            td(esc("buggy" if t.get("buggy") else "fixed")), td(yes_no(t.get("claimed"), None)),
            td(esc(" ".join(str(m) for m in modes))), td(esc("yes" if t.get("reported") else "no")),
            td(esc(t.get("verdict")), verdict_class(t.get("verdict"))),
            td(link(t.get("log")) if t.get("log") else ""), td(rerun, "wrap")])
    heads = ["scenario", "variant", "kind", "claimed", "modes", "reported", "verdict", "log", "rerun"]
    return table(heads, [line(t) for t in runs], ' id="tsan-runs"')


def mutants_html(doc):
    """The mutation score and any survivors."""
    m = obj(doc, "mutants")
    if not m:
        return "<p>not run</p>"
    killed, total = num(m.get("killed")), num(m.get("total"))
    score = " (%.1f%%)" % (100.0 * killed / total) if killed is not None and total else ""
    survivors = m.get("survivors") if isinstance(m.get("survivors"), list) else []
    cls = "bad" if survivors else "yes"
    out = '<p>killed <b class="%s">%s/%s</b>%s' % (cls, esc(m.get("killed")), esc(m.get("total")), score)
    out += " &middot; %s</p>" % link(m.get("log"), "summary") if m.get("log") else "</p>"
    if survivors:
        out += "<p>survivors: %s</p>" % ", ".join('<code class="bad">%s</code>' % esc(s)
                                                 for s in survivors)
    return out


def real_html(doc):
    """The running kernel's pass: why it was skipped, or its rows' tally."""
    real = obj(doc, "real")
    rows = [r for r in items(doc, "rows") if r.get("section") == "real"]
    if real and real.get("skipped"):
        return "<p>skipped: %s</p>" % esc(real.get("skipped"))
    if not rows:
        return "<p>no rows from the running kernel</p>" if real else "<p>not recorded</p>"
    tally = {}
    for r in rows:
        v = verdict_class(r.get("verdict"))
        tally[v] = tally.get(v, 0) + 1
    parts = ['<span class="%s">%d %s</span>' % (v, n, v) for v, n in sorted(tally.items())]
    return "<p>%d rows (in the table above): %s</p>" % (len(rows), ", ".join(parts))


def bench_html(doc):
    """The benchmark's figures against their aims."""
    bench = obj(doc, "bench")
    figures = items(bench, "figures") if bench else []
    if not figures:
        return "<p>not run</p>"

    def line(f):
        return "<tr>%s</tr>\n" % "".join([
            td(esc(f.get("name"))), td(esc(f.get("value")), "num"),
            td(esc(f.get("unit"))), td(esc(f.get("aim")))])
    return (table(["name", "#value", "unit", "aim"], [line(f) for f in figures],
                  ' id="bench-figures"') + bench_history_svg(doc))


def spark(values, x0, y0, width, height):
    """A figure's nights as a polyline, its newest value marked."""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = width / max(len(values) - 1, 1)
    pts = ["%.1f,%.1f" % (x0 + i * step, y0 + height - (v - lo) / span * height)
           for i, v in enumerate(values)]
    last = pts[-1].split(",")
    return ('<polyline fill="none" stroke="#36c" points="%s"/>'
            '<circle class="spark-mark" cx="%s" cy="%s" r="2.5" fill="#36c"/>' % (
                " ".join(pts), last[0], last[1]))


def bench_history_svg(doc):
    """Each figure night over night (bench_history: the nights the
    baseline carried and this one)."""
    nights = [n for n in items(doc, "bench_history") if isinstance(n.get("figures"), dict)]
    if len(nights) < 2:
        return "<p>night over night: from the second night with figures on</p>"
    names = sorted({k for n in nights for k in n["figures"]})
    rows = []
    for i, name in enumerate(names):
        values = [num(n["figures"].get(name)) for n in nights]
        values = [v for v in values if v is not None]
        if len(values) < 2:
            continue
        y = 8 + 26 * len(rows)
        rows.append(svg_text(8, y + 14, name) + spark(values, 330, y, 300, 18) +
                    svg_text(640, y + 14, "%.3g" % values[-1]))
    return ('<svg id="bench-history" width="720" height="%d" role="img">%s</svg>'
            % (16 + 26 * len(rows), "".join(rows)))


# -- the page ----------------------------------------------------------------


SECTIONS = [
    ("changes", "What changed since the baseline", changes_html, ("changes",)),
    ("findings", "Findings", findings_html, ("findings",)),
    ("matrix", "Runs", rows_html, ("rows",)),
    ("detection", "Detection across seeds", detection_chart, ("sweeps", "claims", "rows")),
    ("cost", "Cost per flush policy (free mode)", cost_chart, ("rows",)),
    ("sweep-table", "Seed sweeps", sweeps_html, ("sweeps",)),
    ("claims-section", "Claims", claims_html, ("claims",)),
    ("bounded", bound_title, bounds_html, ("bounds",)),
    ("tsan", "ThreadSanitizer", tsan_html, ("tsan",)),
    ("mutants", "Mutants", mutants_html, ("mutants",)),
    ("real", "Running kernel", real_html, ("real",)),
    ("bench", "Benchmark", bench_html, ("bench",)),
]


def has_data(doc, keys):
    """Whether any of doc's keys holds something: a sweep's page shows only
    the sections it has."""
    return any(doc.get(k) not in (None, [], {}) for k in keys)


def page_sections(doc):
    """The sections to render: all of them for a night, those with data for
    a sweep."""
    sweep = (obj(doc, "night") or {}).get("kind") == "sweep"
    return [(sid, name(doc) if callable(name) else esc(name), fn)
            for sid, name, fn, keys in SECTIONS if not sweep or has_data(doc, keys)]


def page(doc):
    """The whole page as a string."""
    night = obj(doc, "night") or {}
    sections = page_sections(doc)
    body = [header_html(doc), nav_html(sections)]
    for sid, name, fn in sections:
        body.append('<section id="%s-section"><h2 id="%s">%s</h2>\n%s\n</section>\n' % (
            sid, sid, name, fn(doc)))
    title = "lostflush %s %s" % (esc(night.get("stamp") or ""), esc(night.get("status") or ""))
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width">\n'
            "<title>%s</title>\n<style>%s</style></head>\n<body>\n%s</body></html>\n"
            % (title, CSS, "".join(body)))


def main(argv):
    ap = argparse.ArgumentParser(description="Render a nightly merged JSON as one HTML page.")
    ap.add_argument("merged", help="the night's merged.json")
    ap.add_argument("-o", "--output", help="the page (default: index.html beside MERGED)")
    args = ap.parse_args(argv)
    try:
        with open(args.merged, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("nightly_page: %s: %s" % (args.merged, e), file=sys.stderr)
        return 2
    if not isinstance(doc, dict):
        print("nightly_page: %s: not a JSON object" % args.merged, file=sys.stderr)
        return 2
    out = args.output or os.path.join(os.path.dirname(os.path.abspath(args.merged)), "index.html")
    # Written whole and then renamed: a reader never sees half a page.
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page(doc))
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
