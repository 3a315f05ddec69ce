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
