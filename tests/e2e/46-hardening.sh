# Hardening: inputs and events that once crashed, hung, lost a finding or
# damaged a file. Each check here failed before its fix.

# A VM smaller than one 2M block: the host's discard stays inside guest
# memory (it wrote past the host page table), and a variant whose bug lives
# in huge leaves is expected clean where no huge page fits.
for g in 64 100 511; do
	expect_exit "hard-zap-leafs-gfns-$g" 0 ./stress -q --scenario zap-leafs --gfns "$g" \
		--duration 1s --seed 1
done
expect_exit hard-narrow-huge-flush-small-vm 0 ./stress -q --scenario zap-leafs \
	--variant narrow-huge-flush --gfns 100 --duration 1s --seed 1
expect_output hard-narrow-huge-flush-small-vm-clean 'clean after .*expected clean'

# The report names each run's own threads (they were read after the run
# that named them was freed: another run's names, or freed memory).
rm -f "$out_dir/hard-names.json"
./stress -q --scenario invlpg-defer --variant all --sched random --duration 2s --seed 2 \
	--report "$out_dir/hard-names.json" >"$out_dir/hard-names.log" 2>&1
if python3 - "$out_dir/hard-names.json" <<'PY'
import json, re, sys
runs = [r for r in json.load(open(sys.argv[1]))["runs"] if "threads" in r]
assert runs, "no failing run to check"
for r in runs:
    vcpus = [t for t in r["threads"] if re.fullmatch(r"v\d+", t)]
    assert len(vcpus) == r["config"]["vcpus"], (r["variant"], r["threads"])
    assert len(set(r["threads"])) == len(r["threads"]), r["threads"]
PY
then pass hard-report-thread-names; else fail hard-report-thread-names "see above"; fi
