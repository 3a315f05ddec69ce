/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the arm64 stage-2 fault path orders break, TLBI, cache maintenance
 * and make: upstream's order (stage2_map_walker_try_leaf(), since
 * 25aa28691bb9 moved the CMOs into the walker) is all false but one; each
 * field is one departure a variant runs. The one: all false, a block split
 * into a table cleans the block to PoC after its TLBI, which upstream's
 * stage2_map_walk_leaf() does not (split_skips_clean is upstream there).
 */
#ifndef LOSTFLUSH_STAGE2_POLICY_H
#define LOSTFLUSH_STAGE2_POLICY_H

#include <stdbool.h>

struct stage2_policy {
	/* user_mem_abort() cleans and invalidates before the map call, on
	 * every fault, as before 25aa28691bb9 (the walker does none). */
	bool cmo_in_abort;
	/* The walker makes the PTE valid before its CMOs. */
	bool make_before_cmo;
	/* A valid PTE is replaced by a valid one: no break, no TLBI (a
	 * block split into a table, a table collapsed into a block). */
	bool no_break;
	/* A change of permissions only breaks and remakes the PTE, as before
	 * 694d071f8d85 (upstream returns -EAGAIN and leaves it to
	 * relax_perms). */
	bool rebreak_perms;
	/* kvm_pgtable_stage2_relax_perms() adds X without invalidating the
	 * I-cache first. */
	bool relax_x_skips_icache;
	/* The unmap walker invalidates no leaf and returns true, so the
	 * notifier's core code flushes the whole VMID (flush_on_ret), as
	 * Will Deacon and Marc Zyngier ask arm64 not to do (seed 000). */
	bool vmid_flush_on_ret;
	/* The unmap walker clears a leaf and skips its TLBI. */
	bool unmap_skips_tlbi;
	/* A block replaced by an empty table (stage2_map_walk_leaf(): "the
	 * remaining portions being faulted back lazily") is not cleaned to
	 * PoC, as upstream has it: a page of the block no fault maps again
	 * is unmapped from stage 2 with no clean, and the unmap walker that
	 * later runs for it finds no leaf to clean. Without FWB a guest's
	 * write with caches off through the block is then lost to the
	 * host's read-back. */
	bool split_skips_clean;
	/* A table replaced by a block (the collapse after dirty logging) is
	 * broken without the VMID-wide TLBI: TLBs keep its pages' entries. */
	bool collapse_skips_tlbi;
};

#endif
