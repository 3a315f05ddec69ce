# The floors (engine/, model/ and oracle/, arch/, workers/, scenarios/,
# reports/, cli/): no #include runs up. The checker is shown to fail on a
# planted arrow, so a pass means something.
expect_exit layering-no-arrow-up 0 python3 tests/tools/layering.py
plant=$(mktemp -d)
cp -r engine model oracle "$plant"/
printf '#include "../model/mmu.h"\n' >>"$plant/engine/run.h"
expect_exit layering-planted-arrow-fails 1 python3 tests/tools/layering.py --root "$plant"
expect_output layering-planted-arrow-named '^engine/run.h:[0-9]+: engine/ includes model/mmu.h'
rm -rf "$plant"
# No scenario's state in the model or the engine: the names of the
# deferred-flush state live in scenarios/ alone.
if grep -rnE 'tlbs_dirty|tlbs_flushed|remote_tlbs_dirty|plain_remote' engine model oracle; then
	fail layering-no-scenario-state-below "a scenario's state is named below scenarios/"
else
	pass layering-no-scenario-state-below
fi
# Nor does anything below scenarios/ name a scenario or a variant, of the
# model's catalogue or the running kernel's: what the catalogue holds
# stays in scenarios/ (README, Layout). Names that are
# also the model's plain words (a fixed form, a full flush, the dirty log,
# no flush) cannot be told apart and are left out.
names=$( (./stress --list --json; ./stress --backend kvm --list --json) | python3 -c '
import json, sys
plain = {"fixed", "full-flush", "dirty-log", "no-flush"}
for line in sys.stdin.read().replace("]\n[", "]\x00[").split("\x00"):
    for s in json.loads(line):
        for name in [s["name"]] + [v["name"] for v in s["variants"]]:
            if name not in plain:
                print(name)')
named=$(grep -rnwF "$names" engine model oracle arch real workers | head -5)
if [ -n "$names" ] && [ -z "$named" ]; then
	pass "layering-no-scenario-named-below ($(echo "$names" | wc -l) names)"
else
	fail layering-no-scenario-named-below "${named:-no names from --list --json}"
fi
