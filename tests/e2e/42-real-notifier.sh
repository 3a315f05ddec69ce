# real-notifier: the running kernel's MMU notifier under a host that takes
# guest memory away while vCPUs write (--backend kvm). Where /dev/kvm can
# run a guest, each kind (mprotect, MADV_DONTNEED, munmap and mmap,
# MADV_PAGEOUT, MADV_COLD, a THP split and collapsed, the host's memory
# compacted; a memfd's pages zapped, remapped or punched out) runs clean with 2 and 4
# vCPUs, its refused writes, invalidations and verified writes counted,
# and the harness's own slips (invalidator-skips-mprotect,
# host-writes-behind) are caught 10 of 10; where it cannot, the pass says
# it skipped, and why.
offer=$(./stress --backend kvm --list | head -1)
if [[ $offer == *"unusable here"* ]]; then
	echo "SKIP real-notifier's real pass: ${offer#backend: kvm, unusable here: }"
else
	for kind in fixed madv-dontneed munmap-mmap madv-pageout madv-cold thp-collapse \
		compact-memory memfd-dontneed memfd-munmap-mmap memfd-punch-hole; do
		for vcpus in 2 4; do
			seeds_meet "real-notifier-$kind-clean-$vcpus-vcpus" 2 2 \
				--scenario real-notifier --variant "$kind" --vcpus "$vcpus" \
				--duration 2s --expect clean
		done
	done
	seeds_meet real-notifier-unprotected-write-caught 10 10 --scenario real-notifier \
		--variant invalidator-skips-mprotect --duration 1s --expect violation
	seeds_meet real-notifier-write-behind-caught 10 10 --scenario real-notifier \
		--variant host-writes-behind --duration 1s --expect violation
	./stress --scenario real-notifier --duration 2s --seed 1 -q \
		--report "$out_dir/real-notifier.json" >/dev/null 2>&1
	if python3 - "$out_dir/real-notifier.json" <<'PY'; then
import json, sys
c = json.load(open(sys.argv[1]))["runs"][0]["counters"]
assert c["guest_iterations"] > 10 and c["host_invalidations"] > 10, c
assert c["guest_writes_refused"] > 0 and c["writes_verified"] > 0, c
print(f'{c["guest_iterations"]} guest iterations, {c["host_invalidations"]} ranges made read-only, '
      f'{c["guest_writes_refused"]} guest writes refused')
PY
		pass real-notifier-counters
	else
		fail real-notifier-counters "see $out_dir/real-notifier.json"
	fi
	# guest_memfd's punch-hole runs clean where the kernel offers a
	# guest_memfd the host maps; elsewhere it is skipped (exit 3) with the
	# reason, alone, while the variants beside it run.
	if [[ $offer == *"guest_memfd yes"* ]]; then
		seeds_meet real-notifier-gmem-punch-hole-clean 2 2 --scenario real-notifier \
			--variant gmem-punch-hole --duration 2s --expect clean
	else
		expect_exit real-notifier-gmem-punch-hole-skips 3 ./stress --scenario \
			real-notifier --variant gmem-punch-hole --duration 1s
		expect_output real-notifier-gmem-punch-hole-says-why \
			"gmem-punch-hole runs on a guest_memfd, and this host cannot: .*offers no"
		expect_exit real-notifier-gmem-punch-hole-skipped-alone 0 ./stress \
			--scenario real-notifier --variant all --duration 1s -q
		expect_output real-notifier-others-run-beside-it \
			"real-notifier/memfd-punch-hole: clean, expected clean"
	fi
fi
expect_exit real-notifier-no-device-skips 3 env LOSTFLUSH_KVM_DEVICE=/nonexistent \
	./stress --scenario real-notifier --duration 1s
