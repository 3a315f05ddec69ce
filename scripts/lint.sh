#!/usr/bin/env bash
# make lint: cppcheck and clang-tidy (.clang-tidy says what is off and why)
# over every source, and the layering check. Exits 1 on any finding.
set -u
cd "$(dirname "$0")/.."
flags=(-std=gnu11 -D_GNU_SOURCE -DLOSTFLUSH_VERSION='"lint"')
srcs=$(git ls-files 'engine/*.c' 'model/*.c' 'oracle/*.c' 'arch/*.c' 'workers/*.c' 'litmus/*.c' \
	'scenarios/*.c' 'reports/*.c' 'cli/*.c')
status=0
echo "== cppcheck"
cppcheck -q --enable=warning,performance,portability --std=c11 "${flags[@]:1}" \
	--inline-suppr --error-exitcode=1 -I . $srcs || status=1
echo "== clang-tidy"
for f in $srcs; do
	echo "$f"
done | xargs -P "$(nproc)" -I{} sh -c 'clang-tidy -quiet "$0" -- "$@" 2>/dev/null || echo "clang-tidy: findings in $0"' {} "${flags[@]}" \
	| tee build/lint-tidy.log | grep -v '^[0-9]* warnings\? generated' || true
grep -q 'clang-tidy: findings' build/lint-tidy.log && status=1
echo "== layering"
python3 tests/tools/layering.py || status=1
[ $status -eq 0 ] && echo "lint: clean" || echo "lint: findings above"
exit $status
