# The nightly's HTML page: scripts/nightly_page.py renders the fixture
# night (tests/fixtures/nightly/merged.json) and headless Chromium loads
# it, as a reader's browser would: a screenshot of it, and the DOM it
# built, which Python's html.parser then reads. The page holds one table
# line per row of the night, the marks its data implies, each finding's
# rerun and each change's id, the bounded search's table (saying clean
# only for a bound explored whole), and nothing from the network; an empty
# night, a seed sweep's file and a violation whose text holds markup
# render too. Without Chromium the suite says so and counts nothing.
np_dir=$out_dir/nightly-page
np_fixture=tests/fixtures/nightly/merged.json

# np_since T0: seconds since T0 (date +%s%N), to the millisecond.
np_since() {
	local ms=$((($(date +%s%N) - $1) / 1000000))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# np_png_rows PNG: how many distinct lines of pixels the screenshot has.
# A blank page is a few KiB more than 10 and has two; a painted page has
# thousands. Counted on the filtered scanlines, which a blank page also
# repeats.
np_png_rows() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
data, pos, idat = open(sys.argv[1], "rb").read(), 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = 1 + width * {0: 1, 2: 3, 4: 2, 6: 4}[colour] * depth // 8
print(len({raw[i:i + stride] for i in range(0, len(raw), stride)}))
PY
}

# np_chromium ARGS...: headless Chromium with a profile of its own under
# $np_dir (never the invoking user's) and a bound on how long it may hang.
np_chromium() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$np_dir/profile" "$@"
}

# np_dump NAME PAGE: the DOM Chromium built from PAGE, in $np_dir/NAME.dom;
# one check, which says how long Chromium took.
np_dump() {
	local name=$1 page=$2 t0 rc
	t0=$(date +%s%N)
	np_chromium --dump-dom "file://$(realpath "$page")" >"$np_dir/$1.dom" 2>"$np_dir/$1.dom.log"
	rc=$?
	if [ $rc -eq 0 ] && grep -q '</html>' "$np_dir/$1.dom"; then
		pass "nightly-page-$name-dom ($(np_since "$t0") s)"
	else
		fail "nightly-page-$name-dom" "chromium exited $rc, no </html> in $np_dir/$1.dom (log: $np_dir/$1.dom.log)"
	fi
}

# np_check NAME DOM JSON CODE: CODE (Python) holds of the DOM Chromium
# built and of the night's JSON; its failed assert is the reason. CODE
# sees `night` (the JSON), `raw` (the page's source, beside the DOM),
# dom.title and count(within, tag, cls), text(within), attrs(within, tag),
# dom_tags(tag), where within is an element's id ("" for the whole page).
np_check() {
	local name=$1 why
	if why=$(python3 - "$2" "$3" "$4" 2>&1 <<'PY'
import json, os, sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Dom(HTMLParser):
    """Every element with the ids of the elements it sits in, and the text
    under each id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.elements, self.texts, self.title = [], [], {"": []}, ""

    def open_ids(self):
        return [""] + [e["id"] for e in self.stack if e["id"]]

    def element(self, tag, attrs):
        a = dict(attrs)
        e = {"tag": tag, "id": a.get("id") or "", "cls": set((a.get("class") or "").split()),
             "attrs": a, "inside": self.open_ids()}
        self.elements.append(e)
        return e

    def handle_starttag(self, tag, attrs):
        e = self.element(tag, attrs)
        if e["id"]:
            self.texts.setdefault(e["id"], [])
        if tag not in VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag, attrs):
        self.element(tag, attrs)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1]["tag"] == "title":
            self.title += data
        for i in self.open_ids():
            self.texts[i].append(data)


dom_path, json_path, code = sys.argv[1:4]
dom = Dom()
dom.feed(open(dom_path, encoding="utf-8").read())
night = json.load(open(json_path, encoding="utf-8"))
page_path = os.path.join(os.path.dirname(dom_path), os.path.basename(dom_path)[:-4] + ".html")
raw = open(page_path, encoding="utf-8").read() if os.path.exists(page_path) else ""


def count(within="", tag=None, cls=None):
    return sum(1 for e in dom.elements if within in e["inside"]
               and (tag is None or e["tag"] == tag) and (cls is None or cls in e["cls"]))


def text(within=""):
    return "".join(dom.texts.get(within, []))


def attrs(within="", tag=None):
    return [e["attrs"] for e in dom.elements if within in e["inside"]
            and (tag is None or e["tag"] == tag)]


def dom_tags(tag):
    return [e for e in dom.elements if e["tag"] == tag]


try:
    exec(code)
except AssertionError as e:
    sys.exit("%s" % e)
PY
	); then
		pass "$name"
	else
		fail "$name" "$(tail -1 <<<"$why")"
	fi
}

# What the fixture's detection chart must draw: one mark per buggy sweep
# that caught something, one per claim (not TSan's) whose seeds caught it
# where no sweep drew it, and one per buggy row that caught its bug where
# neither a sweep nor a claim of its scenario, variant, mode, memory and
# setting was run.
np_marks_wanted='
def key(e):
    return (e["scenario"], e["variant"], e["mode"], e["memory"] or None, e["setting"] or "-")
def detected(e, free, controlled):
    return e.get(free if e["mode"] == "free" else controlled) is not None
buggy_sweeps = [s for s in night["sweeps"] if s["expected"] == "violation"]
swept = {key(s) for s in buggy_sweeps}
wanted = sum(detected(s, "median_s", "median_executions") for s in buggy_sweeps)
def claim_key(c):
    return (c["scenario"], c["variant"], c["mode"], c["memory"] or None, "-")
claims = [c for c in night.get("claims", []) if not c["id"].startswith("tsan:")
          and claim_key(c) not in swept]
wanted += sum(c.get("median") is not None for c in claims)
swept |= {claim_key(c) for c in claims}
wanted += sum(1 for r in night["rows"] if r["buggy"] and key(r) not in swept
              and detected(r, "time_to_detection_s", "executions_to_detection"))
'

if ! command -v chromium >/dev/null 2>&1; then
	echo "SKIP 52-nightly-page: chromium is not installed (apt-get install chromium)"
else
	rm -rf "$np_dir"
	mkdir -p "$np_dir"

	expect_exit nightly-page-renders 0 python3 scripts/nightly_page.py "$np_fixture" \
		-o "$np_dir/index.html"

	# Without -o the page lands beside the JSON, where its relative
	# links to timelines/ and runs/ resolve.
	mkdir -p "$np_dir/default"
	cp "$np_fixture" "$np_dir/default/merged.json"
	python3 scripts/nightly_page.py "$np_dir/default/merged.json" >"$np_dir/default.log" 2>&1
	if [ -s "$np_dir/default/index.html" ]; then pass nightly-page-default-beside-json; else
		fail nightly-page-default-beside-json "no $np_dir/default/index.html (log: $np_dir/default.log)"; fi

	# A screenshot: Chromium lays out and paints the whole page.
	np_t0=$(date +%s%N)
	np_chromium --screenshot="$np_dir/screenshot.png" --window-size=1400,4000 \
		"file://$(realpath "$np_dir/index.html")" >"$np_dir/screenshot.log" 2>&1
	np_rc=$?
	np_secs=$(np_since "$np_t0")
	np_size=$(stat -c %s "$np_dir/screenshot.png" 2>/dev/null || echo 0)
	np_ink=$(np_png_rows "$np_dir/screenshot.png" 2>/dev/null || echo 0)
	if [ $np_rc -eq 0 ] && [ "$np_size" -gt 10240 ] && [ "$np_ink" -ge 200 ]; then
		pass "nightly-page-screenshot ($((np_size / 1024)) KiB, $np_ink distinct pixel rows, in $np_secs s)"
	else
		fail nightly-page-screenshot "exit $np_rc, $np_size bytes, $np_ink distinct pixel rows (log: $np_dir/screenshot.log)"
	fi

	np_dump index "$np_dir/index.html"
	np_dom=$np_dir/index.dom
	np_check nightly-page-one-tr-per-row "$np_dom" "$np_fixture" '
n = count("rows", "tr", "row")
assert n == len(night["rows"]) > 0, "%d tr.row in #rows, %d rows in the JSON" % (n, len(night["rows"]))'
	np_check nightly-page-verdict-classes "$np_dom" "$np_fixture" '
for v in ("as-expected", "unexpected", "not-judged"):
    want = sum(r["verdict"] == v for r in night["rows"])
    got = sum(1 for e in dom.elements if "rows" in e["inside"] and {"row", v} <= e["cls"])
    assert got == want, "%d rows of class %s, the JSON has %d" % (got, v, want)'
	np_check nightly-page-detection-marks "$np_dom" "$np_fixture" "$np_marks_wanted"'
assert any(e["id"] == "detection-chart" for e in dom_tags("svg")), "no svg#detection-chart"
got = count("detection-chart", None, "mark")
assert got == wanted >= 1, "%d .mark in #detection-chart, the data implies %d" % (got, wanted)'
	np_check nightly-page-cost-chart "$np_dom" "$np_fixture" '
assert any(e["id"] == "cost-chart" for e in dom_tags("svg")), "no svg#cost-chart"
groups = {(r["scenario"], r["flush_policy"]) for r in night["rows"]
          if r["mode"] == "free" and r["counters"].get("accesses", 0) > 0}
got = count("cost-chart", None, "mark")
assert got == 3 * len(groups) > 0, "%d .mark in #cost-chart, wanted 3 counters x %d policies" % (got, len(groups))'
	np_check nightly-page-findings-rerun "$np_dom" "$np_fixture" '
found = text("findings-section")
assert night["findings"], "the fixture has no findings"
for f in night["findings"]:
    assert f["rerun"] in found, "finding %s/%s: its rerun is not on the page" % (f["scenario"], f["variant"])'
	np_check nightly-page-findings-timeline-link "$np_dom" "$np_fixture" '
hrefs = [a.get("href") for a in attrs("findings-section", "a")]
for f in night["findings"]:
    assert f["timeline"] in hrefs, "no link to %s in Findings (links: %s)" % (f["timeline"], hrefs)'
	np_check nightly-page-changes-named "$np_dom" "$np_fixture" '
said = text("changes-section")
assert night["changes"], "the fixture has no changes"
for c in night["changes"]:
    assert c["id"] in said, "change %s (%s) is not named" % (c["id"], c["kind"])'
	np_check nightly-page-changes-new-failures-first "$np_dom" "$np_fixture" '
said = text("changes-section")
at = {c["id"]: said.find(c["id"]) for c in night["changes"]}
assert min(at.values()) >= 0, "changes not named: %s" % [i for i, n in at.items() if n < 0]
new = [at[c["id"]] for c in night["changes"] if c["kind"] == "new-failure"]
other = [at[c["id"]] for c in night["changes"] if c["kind"] != "new-failure"]
assert new and other and max(new) < min(other), "a change comes before a new failure"'
	np_check nightly-page-self-contained "$np_dom" "$np_fixture" '
assert raw, "the page source was not found beside the DOM"
for bad in ("<script src", "http://", "https://", "<link", "@import"):
    assert bad not in raw.lower(), "the page holds %r" % bad
srcs = [e["tag"] for e in dom.elements if "src" in e["attrs"]]
assert not srcs, "elements load from elsewhere: %s" % srcs'
	# The bounded search per scenario: a line per entry with its figures,
	# "clean" only where the bound was explored whole, otherwise how far
	# the search got and where it stopped.
	np_check nightly-page-bounds-table "$np_dom" "$np_fixture" '
bounds = night["bounds"]
incomplete = [b for b in bounds if b["complete_to"] < b["bound"]]
assert incomplete and len(incomplete) < len(bounds), "the fixture needs both kinds of bound"
title = text("bounded")
assert title == "Bounded search (bounded:2) per scenario", "the title is %r" % title
assert "#bounded" in [a.get("href") for a in attrs("", "a")], "the nav has no link to it"
n = count("bounds", "tr", "bound")
assert n == len(bounds), "%d tr.bound in #bounds, %d entries in the JSON" % (n, len(bounds))
for b in bounds:
    line = text("bound-%s/%s" % (b["scenario"], b["variant"]))
    for want in (b["scenario"], b["variant"], "%d of %d" % (b["complete_to"], b["bound"]),
                 "{:,}".format(b["schedules"]), "%.1f" % b["seconds"]):
        assert want in line, "%s/%s: %r is not in its line %r" % (b["scenario"], b["variant"], want, line)
    if b in incomplete:
        said = "complete to %d only: stopped at %.0f s" % (b["complete_to"], b["seconds"])
        assert said in line and "clean" not in line, "%s/%s says %r" % (b["scenario"], b["variant"], line)
    else:
        assert "complete to 2 preemptions: clean" in line, "%s/%s says %r" % (b["scenario"], b["variant"], line)
warn, yes = count("bounds", "td", "warn"), count("bounds", "td", "yes")
assert (warn, yes) == (len(incomplete), len(bounds) - len(incomplete)), "%d amber, %d green" % (warn, yes)
hrefs = [a.get("href") for a in attrs("bounds", "a")]
assert sorted(hrefs) == sorted(b["log"] for b in bounds), "log links: %s" % hrefs'

	# An empty night: every array empty, every object null. The page
	# still has every section, says why each is empty, and counts zero.
	cat >"$np_dir/empty.json" <<'EOF'
{"tool": "lostflush", "version": "0.1.0", "format": "lostflush-nightly/1",
 "night": {"kind": "nightly", "stamp": null, "started": null, "finished": null,
           "elapsed_s": null, "scale": null, "host": null, "cpus": null, "commit": null,
           "baseline": null, "status": null, "counts": null},
 "rows": [], "sweeps": [], "claims": [], "tsan": [], "mutants": null, "real": null,
 "bench": null, "changes": [], "findings": []}
EOF
	expect_exit nightly-page-empty-renders 0 python3 scripts/nightly_page.py "$np_dir/empty.json" \
		-o "$np_dir/empty.html"
	np_dump empty "$np_dir/empty.html"
	np_check nightly-page-empty-sections "$np_dir/empty.dom" "$np_dir/empty.json" '
for sid in ("changes", "findings", "matrix", "detection", "cost", "claims-section", "bounded",
            "tsan", "mutants", "real", "bench"):
    assert text(sid + "-section").strip(), "section %s is missing or says nothing" % sid
assert count("rows", "tr", "row") == 0 and count("detection-chart", None, "mark") == 0, "marks on an empty night"
assert "no baseline" in text("changes-section"), "the changes do not say there is no baseline"
assert "not run" in text("bench-section"), "the benchmark does not say it was not run"
assert "not run" in text("bounded-section"), "the bounded search does not say it was not run"'

	# Markup in the JSON's text is shown as text: a violation line holding
	# a <script> runs nothing (the title stays), and a timeline that is not
	# a file beside the page is not made a link.
	python3 - "$np_fixture" "$np_dir/odd.json" <<'PY'
import json, sys
night = json.load(open(sys.argv[1]))
row = next(r for r in night["rows"] if r["violation_text"])
row["violation_text"] = '!!! x: <script>document.title="script-ran"</script><b>&amp; "q" \'a\''
night["findings"][0]["timeline"] = "javascript:document.title='script-ran'"
night["changes"][0]["detail"] = "</li></ul><h1 id=injected>was & is"
json.dump(night, open(sys.argv[2], "w"))
PY
	expect_exit nightly-page-odd-renders 0 python3 scripts/nightly_page.py "$np_dir/odd.json" \
		-o "$np_dir/odd.html"
	np_dump odd "$np_dir/odd.html"
	np_check nightly-page-escapes-script "$np_dir/odd.dom" "$np_dir/odd.json" '
assert not dom_tags("script"), "a <script> element came from the JSON"
assert not [e for e in dom.elements if e["id"] == "injected"], "markup in a change became an element"
assert "script-ran" not in dom.title, "a script ran: the title is now %r" % dom.title
assert "<script>document.title=\"script-ran\"</script><b>&amp;" in text("rows"), "the violation text is not shown as text"'
	np_check nightly-page-odd-href-not-linked "$np_dir/odd.dom" "$np_dir/odd.json" '
hrefs = [a.get("href", "") for a in attrs("findings-section", "a")]
assert night["findings"][1]["timeline"] in hrefs, "the other finding lost its timeline link"
hrefs = [a.get("href", "") for a in attrs("", "a")]
assert not [h for h in hrefs if ":" in h], "a link with a scheme: %s" % [h for h in hrefs if ":" in h]'

	# A seed sweep's file: only its sweeps, drawn and tabled.
	python3 - "$np_fixture" "$np_dir/sweep.json" <<'PY'
import json, sys
night = json.load(open(sys.argv[1]))
night["night"]["kind"] = "sweep"
for k in ("rows", "claims", "bounds", "tsan", "changes", "findings"):
    night[k] = []
for k in ("mutants", "real", "bench"):
    night[k] = None
json.dump(night, open(sys.argv[2], "w"))
PY
	expect_exit nightly-page-sweep-renders 0 python3 scripts/nightly_page.py "$np_dir/sweep.json" \
		-o "$np_dir/sweep.html"
	np_dump sweep "$np_dir/sweep.html"
	np_check nightly-page-sweep-only-what-is-there "$np_dir/sweep.dom" "$np_dir/sweep.json" "$np_marks_wanted"'
got = count("detection-chart", None, "mark")
assert got == wanted >= 1, "%d .mark in a sweep page, the sweeps imply %d" % (got, wanted)
n = count("sweeps", "tr") - 1
assert n == len(night["sweeps"]), "%d lines in #sweeps, %d sweeps" % (n, len(night["sweeps"]))
assert count("", "table") == 1, "a sweep page shows tables it has no data for"'

	# Not a night at all: exit 2 and say which file.
	echo 'not json' >"$np_dir/bad.json"
	expect_exit nightly-page-bad-json 2 python3 scripts/nightly_page.py "$np_dir/bad.json" \
		-o "$np_dir/bad.html"
	expect_output nightly-page-bad-json-says "nightly_page: .*bad.json: "
fi
