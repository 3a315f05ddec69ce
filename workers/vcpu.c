// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU thread: the loop of vcpu_run() / vcpu_enter_guest(), with the guest
 * reduced to a program of reads, writes and invlpg over the hot gfns.
 *
 * The hardware side of an access is done here, in guest mode: look up the
 * TLB; on a miss walk the SPTEs and fill it; judge the use with the oracle;
 * touch the frame. A kick (mode no longer IN_GUEST_MODE) is noticed between
 * accesses, as an IPI is taken between instructions, but not at once: the
 * IPI is in flight for up to KICK_LATENCY_MAX more accesses, each a schedule
 * point of its own. Those are legal until the requester's wait returns, so
 * a requester that does not wait is caught by every scheduler, not only by
 * free mode's timing.
 */
#include "../arch/arch.h"
#include "../engine/shared.h"
#include "../model/arch_ops.h"
#include "../model/tlbi.h"
#include "../model/dirty_log.h"
#include "../model/memslots.h"
#include "../model/srcu.h"
#include "../oracle/oracle.h"
#include "../model/request.h"
#include "../model/write_track.h"
#include "../engine/sched.h"
#include "workers.h"

#define KICK_LATENCY_MAX 1

enum exit_reason {
	EXIT_KICKED,
	EXIT_SLICE,
	EXIT_FAULT,
	EXIT_INVLPG,
	EXIT_PML_FULL, /* the PML log is flushed to the ring on every exit */
};

struct guest_op {
	gfn_t gfn;
	bool write;
	bool invlpg;
	enum guest_access_kind kind; /* arm64: a read may be a fetch or uncached */
};

struct vcpu_state {
	struct run *run;
	struct kvm_vcpu *vcpu;
	struct guest_op pending; /* the op that exited, retried on re-entry */
	bool has_pending;
	uint64_t write_value;
	uint64_t fills; /* TLB fills so far */
	/* The kick this guest entry has seen, and the accesses it still
	 * makes before the IPI lands. */
	bool kick_seen;
	uint32_t kick_latency;
	/* Its own stream, so the guest program draws what it drew before the
	 * IPI took time. */
	struct rng ipi_rng;
	/* arm64: whether a write goes with caches off, from a stream of its
	 * own for the same reason: the program draws what it drew before
	 * writes had a kind. */
	struct rng write_kind_rng;
	/* x86: whether a read fault's pfn comes back read-only, from a
	 * stream of its own for the same reason. */
	struct rng gup_rng;
};

/* The IPI has landed: the vCPU leaves guest mode now. Until then it goes
 * on, one access per schedule point. */
static bool kick_lands(struct vcpu_state *s)
{
	if (!kvm_vcpu_kicked(s->vcpu))
		return false;
	if (!s->kick_seen) {
		s->kick_seen = true;
		s->kick_latency = (uint32_t)rng_below(&s->ipi_rng, KICK_LATENCY_MAX + 1);
	}
	if (!s->kick_latency)
		return true;
	s->kick_latency--;
	sched_point();
	return false;
}

static struct guest_op next_guest_op(struct vcpu_state *s)
{
	const struct workload *w = &run_vm(s->run)->cfg.work;
	struct rng *rng = worker_rng();
	struct guest_op op;

	if (s->has_pending) {
		s->has_pending = false;
		return s->pending;
	}
	op.gfn = pick_hot_gfn(s->run);
	op.invlpg = rng_chance(rng, rng_threshold(w->invlpg_ratio));
	op.write = !op.invlpg && rng_chance(rng, rng_threshold(w->write_ratio));
	op.kind = ACCESS_CACHEABLE;
	/* Drawn only where the caches are modelled: x86's guest programs
	 * draw what they always drew. */
	if (run_vm(s->run)->kvm.cache && !op.invlpg && !op.write) {
		if (rng_chance(rng, rng_threshold(w->fetch_ratio)))
			op.kind = ACCESS_FETCH;
		else if (rng_chance(rng, rng_threshold(w->uncached_ratio)))
			op.kind = ACCESS_NONCACHEABLE;
	}
	/* A guest with caches off writes as it reads: to PoC. */
	if (run_vm(s->run)->kvm.cache && op.write &&
	    rng_chance(&s->write_kind_rng, rng_threshold(w->uncached_ratio)))
		op.kind = ACCESS_NONCACHEABLE;
	return op;
}

/* A TLB hit on a gfn the ager has aged since the fill: the hardware sets
 * no Accessed bit on a hit, so aging misses this access. Allowed (aging
 * tolerates false negatives), and counted. */
static void count_stale_accessed(struct vcpu_state *s, gfn_t gfn)
{
	int level;
	uint64_t spte = spt_peek_root(s->vcpu->root, gfn, &level);

	const struct kvm *kvm = &run_vm(s->run)->kvm;

	if (kvm->arch->spte_is_old && kvm->arch->spte_is_old(kvm, spte))
		count(CNT_STALE_ACCESSED, 1);
}

/* What the guest writes: unique across vCPUs, so the quiesced check can
 * tell every write from every other. */
static uint64_t next_write_value(struct vcpu_state *s)
{
	return ((uint64_t)(s->vcpu->vcpu_id + 1) << 48) | ++s->write_value;
}

/* An arm64 fill: whether the entry may fetch, the data version the fault's
 * cache maintenance owed it, and whether it conflicts with another entry
 * of the TLB (a block and a page for one address). */
static void arm64_fill(struct vcpu_state *s, struct tlb_entry *e, uint64_t spte, gfn_t gfn)
{
	struct kvm *kvm = &run_vm(s->run)->kvm;

	e->exec_never = spte & S2_PTE_XN;
	(void)gfn;
	e->data_version = cache_clock_now(kvm->cache);
	oracle_check_single_translation(&run_vm(s->run)->oracle, s->vcpu->vcpu_id, &s->vcpu->tlb,
					e);
}

/* The translation for op, from the TLB or a page walk; NULL means fault. */
static struct tlb_entry *translate(struct vcpu_state *s, const struct guest_op *op)
{
	struct tlb *tlb = &s->vcpu->tlb;
	struct tlb_entry *e = tlb_lookup(tlb, op->gfn);
	struct kvm *kvm = &run_vm(s->run)->kvm;
	bool tracking = kvm->track && kvm->rights;
	struct tracked_right before = { 0 };
	uint64_t spte;
	int level;

	if (e && (!op->write || e->writable) && (op->kind != ACCESS_FETCH || !e->exec_never)) {
		count(CNT_TLB_HITS, 1);
		if (run_vm(s->run)->aging)
			count_stale_accessed(s, op->gfn);
		return e;
	}
	if (op->write && tracking)
		before = oracle_tracked_right(kvm->rights, kvm->track->count, op->gfn);
	spte = spt_walk_root(s->vcpu->root, op->gfn, &level);
	/* Access-tracked SPTEs are absent to the hardware. */
	if (!is_hw_present_pte(spte) || (op->write && !is_writable_pte(spte)) ||
	    (op->kind == ACCESS_FETCH && (spte & S2_PTE_XN)))
		return NULL;
	/* Judged and used, as every check of a use is: a run that keeps
	 * going counts the escape and goes on with the write. */
	if (op->write && tracking)
		oracle_check_tracked_write_fill(
			&run_vm(s->run)->oracle, s->vcpu->vcpu_id, op->gfn, spte_to_pfn(spte),
			before, oracle_tracked_right(kvm->rights, kvm->track->count, op->gfn));
	e = tlb_fill(tlb, op->gfn, spte, level);
	if (kvm->arch->walk_sets_accessed)
		kvm->arch->walk_sets_accessed(s->vcpu, op->gfn, spte, level);
	/* After the walk: an epoch read before it could predate a
	 * write-protect the walk already saw past. */
	if (run_vm(s->run)->kvm.rights)
		e->wp_epoch = write_epoch_now(run_vm(s->run)->kvm.rights);
	if (kvm->slot_rights)
		e->slot_epoch = slot_epoch_now(kvm->slot_rights);
	if (kvm->cache)
		arm64_fill(s, e, spte, op->gfn);
	s->fills++;
	trace(TR_TLB_FILL, op->gfn, spte_to_pfn(spte));
	count(CNT_TLB_FILLS, 1);
	return e;
}

/* A write through an entry that has not seen D set: the hardware sets D
 * (and PML logs the gfn). The entry's write-right epoch is now this
 * moment's, as the design's oracle has it ("or when it first set D"). If
 * the leaf no longer allows the write, the write faults and the processor
 * drops the translation that faulted. */
static bool first_write_sets_dirty(struct vcpu_state *s, struct tlb_entry *e, gfn_t gfn)
{
	if (!run_vm(s->run)->kvm.arch->write_sets_dirty(s->vcpu, gfn, e)) {
		e->valid = false;
		return false;
	}
	e->dirty = true;
	if (run_vm(s->run)->kvm.rights)
		e->wp_epoch = write_epoch_now(run_vm(s->run)->kvm.rights);
	return true;
}

/* One guest access; false if it must exit to the fault path. */
static bool guest_access_once(struct vcpu_state *s, const struct guest_op *op)
{
	struct tlb_entry *e = translate(s, op);
	struct kvm *kvm = &run_vm(s->run)->kvm;
	_Atomic uint64_t *content;

	if (!e)
		return false;
	if (op->write && kvm->cfg.ad_bits && !e->dirty && !first_write_sets_dirty(s, e, op->gfn))
		return false;
	count(CNT_ACCESSES, 1);
	oracle_check_use(&run_vm(s->run)->oracle, s->vcpu->vcpu_id, e, op->gfn, op->write);
	/* A write reads nothing, so it sees no stale data; it may leave
	 * some for the host (cache_guest_wrote()). */
	if (kvm->cache && !op->write)
		oracle_check_cache_use(&run_vm(s->run)->oracle, kvm->cache, s->vcpu->vcpu_id, e,
				       op->gfn, op->kind);
	/* The data is the page's (model/hostmem.h): the entry's frame
	 * matters only to the oracle's checks above. */
	content = hostmem_content(&kvm->mem, gfn_layout_hva(kvm, op->gfn));
	if (op->write && kvm->cache) {
		/* A write with caches off is in the timeline: what a later
		 * read-back may miss (a hit traces nothing else). */
		if (op->kind == ACCESS_NONCACHEABLE)
			trace(TR_WRITE_UNCACHED, op->gfn, tlb_entry_pfn(e, op->gfn));
		cache_guest_wrote(kvm->cache, tlb_entry_pfn(e, op->gfn), op->kind, s->vcpu->vcpu_id,
				  op->gfn);
	}
	if (op->write)
		shared_store_explicit(content, next_write_value(s), memory_order_relaxed);
	else
		(void)shared_load_explicit(content, memory_order_relaxed);
	return true;
}

/* One guest access; false if it must exit to the fault path. On arm64 the
 * access first applies the broadcast TLBIs logged since the last one, and
 * a TLBI's DSB waits for it while it is in flight (model/tlbi.h). */
static bool guest_access(struct vcpu_state *s, const struct guest_op *op)
{
	struct kvm *kvm = &run_vm(s->run)->kvm;
	bool done;

	if (!kvm->tlbi)
		return guest_access_once(s, op);
	/* The hardware walk is in no read-side section upstream: a TLBI's
	 * DSB, which waits for it, is what lets a collapse free a table.
	 * It is one here so that a variant that skips that TLBI frees no
	 * table under a walk (the model's memory stays sound and the
	 * oracle, not a crash, reports the TLB it left stale). */
	spt_rcu_read_lock();
	tlbi_access_begin(s->vcpu);
	done = guest_access_once(s, op);
	tlbi_access_end(s->vcpu);
	spt_rcu_read_unlock();
	return done;
}

static enum exit_reason run_guest(struct vcpu_state *s)
{
	s->vcpu->pml_marks = 0;
	for (uint32_t i = 0; i < run_vm(s->run)->cfg.work.slice; i++) {
		struct guest_op op;

		if (kick_lands(s))
			return EXIT_KICKED;
		/* A stopping run starts no new access: a TLBI's DSB waits for
		 * every access in flight, stop or not, and that wait must end.
		 * Free mode only: a controlled execution's steps stay those its
		 * seed chose. */
		if (!lostflush_ctl && torture_must_stop())
			return EXIT_SLICE;
		if (dirty_ring_pml_full(s->vcpu))
			return EXIT_PML_FULL;
		op = next_guest_op(s);
		uint64_t fills = s->fills;

		if (op.invlpg || !guest_access(s, &op)) {
			s->pending = op;
			s->has_pending = !op.invlpg;
			return op.invlpg ? EXIT_INVLPG : EXIT_FAULT;
		}
		/* A TLB hit touches nothing shared but the frame it uses, and
		 * its check needs no point of its own: the next point (a fill,
		 * the slice's end) orders it. Points only after fills keep a
		 * controlled execution short, which is PCT's k. */
		if (!lostflush_ctl || s->fills != fills)
			sched_point();
	}
	if (lostflush_ctl)
		sched_point();
	return EXIT_SLICE;
}

static void handle_exit(struct vcpu_state *s, enum exit_reason why)
{
	const struct mmu_arch_ops *arch = run_vm(s->run)->kvm.arch;

	if (why == EXIT_FAULT) {
		const struct workload *w = &run_vm(s->run)->cfg.work;
		struct kvm *kvm = &run_vm(s->run)->kvm;
		/* vcpu_run() holds kvm->srcu outside guest mode. */
		int idx = kvm_srcu_read_lock(kvm);

		s->vcpu->fault_exec = s->pending.kind == ACCESS_FETCH;
		s->vcpu->fault_pfn_read_only =
			!s->pending.write &&
			rng_chance(&s->gup_rng, rng_threshold(w->ro_pfn_ratio));
		arch->page_fault(s->vcpu, s->pending.gfn, s->pending.write);
		/* A write to a write-tracked gfn: KVM's emulator performs it,
		 * and the guest moves on. */
		if (s->vcpu->write_emulated) {
			s->vcpu->write_emulated = false;
			s->has_pending = false;
			kvm_vcpu_write_guest(s->vcpu, s->pending.gfn, next_write_value(s));
		}
		if (s->vcpu->mmio_emulated) {
			s->vcpu->mmio_emulated = false;
			s->has_pending = false;
		}
		kvm_srcu_read_unlock(kvm, idx);
	} else if (why == EXIT_INVLPG)
		arch->invlpg(s->vcpu, s->pending.gfn);
}

void vcpu_worker(struct run *run, void *arg)
{
	struct vcpu_state s = { .run = run, .vcpu = run_vm(run)->kvm.vcpus[(intptr_t)arg] };

	rng_seed(&s.ipi_rng, worker_stream_key(), 0x697069 /* "ipi" */);
	rng_seed(&s.write_kind_rng, worker_stream_key(), 0x6e63 /* "nc" */);
	rng_seed(&s.gup_rng, worker_stream_key(), 0x677570 /* "gup" */);

	worker_set_budget(run_vm(run)->cfg.work.exec_guest_entries);
	while (worker_keep_going()) {
		enum exit_reason why;

		/* vcpu_enter_guest() goes on from its request checks to the
		 * entry (smp_store_mb(mode)): a window in which a request's
		 * clear may still be buffered while another is made. */
		if (kvm_vcpu_serve_requests(s.vcpu))
			sched_point();
		if (!dirty_ring_vcpu_may_enter(s.vcpu))
			break;
		if (!kvm_vcpu_enter_guest(s.vcpu))
			continue;
		s.kick_seen = false;
		why = run_guest(&s);
		kvm_vcpu_exit_guest(s.vcpu);
		handle_exit(&s, why);
	}
}
