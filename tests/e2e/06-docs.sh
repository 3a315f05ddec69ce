# The docs say what the code does: docs/scenarios.md is what the catalogue
# generates now, and the README stays a page a newcomer reads.
python3 scripts/scenarios_doc.py ./stress >"$out_dir/scenarios.md"
if cmp -s "$out_dir/scenarios.md" docs/scenarios.md; then
	pass docs-scenarios-current
else
	fail docs-scenarios-current "docs/scenarios.md is stale: python3 scripts/scenarios_doc.py ./stress > docs/scenarios.md"
fi
lines=$(wc -l <README.md)
[ "$lines" -le 200 ] && pass "docs-readme-short ($lines lines)" ||
	fail docs-readme-short "README.md has $lines lines, more than 200"
# Every page the README sends a reader to exists.
for page in $(grep -o 'docs/[a-z-]*\.md' README.md | sort -u); do
	[ -f "$page" ] && pass "docs-page-$page" || fail "docs-page-$page" "the README names it; it is missing"
done
