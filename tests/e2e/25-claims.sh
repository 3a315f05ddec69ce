# Every claim a descriptor makes, held: each buggy variant is caught by every
# detector it claims, at the bounds tests/tools/claim_rows.py states. The
# rows come from ./stress --list --json, so a new variant's claims are tested
# the moment it is listed, and a claim nobody measured fails here.
# Random and pct claims on seeds 1-5 here (4 caught), within make check's
# time; the nightly holds every claim on its 20.
claim_rows=$(python3 tests/tools/claim_rows.py ./stress --controlled-seeds 5)
if [ -n "$claim_rows" ]; then
	pass "claims-listed ($(wc -l <<<"$claim_rows") variant x detector rows)"
else
	fail claims-listed "./stress --list --json states no claim"
fi

# A controlled claim is counted in executions, never in seconds: its
# verdict must not depend on how busy the machine is.
untimed=$(grep -E -- '--sched (random|pct|cover|bounded)' <<<"$claim_rows" | grep -v -- '--executions [0-9]')
if [ -z "$untimed" ]; then
	pass "claims-controlled-counted-in-executions"
else
	fail claims-controlled-counted-in-executions "bounded by seconds: $(head -1 <<<"$untimed")"
fi

# tsan_caught NAME ARGS...: one free run under ThreadSanitizer reports a
# data race.
tsan_caught() {
	local name=$1
	shift
	TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0 exitcode=66" \
		./stress-tsan "$@" --seed 1 -q >"$out_dir/$name.log" 2>&1
	if grep -q 'WARNING: ThreadSanitizer: data race' "$out_dir/$name.log"; then
		pass "$name"
	else
		fail "$name" "ThreadSanitizer reported no data race (log: $out_dir/$name.log)"
	fi
}

while read -r name want seeds binary args; do
	[ -n "$name" ] || continue
	if [ "$binary" = ./stress-tsan ]; then
		tsan_caught "$name" $args
	else
		seeds_meet "$name" "$want" "$seeds" $args
	fi
done <<<"$claim_rows"
