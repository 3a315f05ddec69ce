// SPDX-License-Identifier: GPL-2.0
#include "mmu.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu/urcu-memb.h>

#include "../engine/check.h"
#include "flush.h"
#include "notifier.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPT_TSAN 1
#endif
#endif
#ifdef __SANITIZE_THREAD__
#define SPT_TSAN 1
#endif

#ifdef SPT_TSAN
#include <sanitizer/tsan_interface.h>
#define spt_tsan_release(p) __tsan_release(p)
#define spt_tsan_acquire(p) __tsan_acquire(p)
#else
#define spt_tsan_release(p) ((void)(p))
#define spt_tsan_acquire(p) ((void)(p))
#endif

/*
 * A page table and its bookkeeping (upstream struct kvm_mmu_page: sp->spt
 * and sp->rcu_head). The table comes first, so the table's address is the
 * page's, and an RCU callback finds the table without reading memory.
 */
/* A retired table's bookkeeping, allocated only when it is retired, so a
 * live table costs its 4 KiB page and nothing more. */
struct spt_page {
	struct rcu_head rcu;
	struct spt_table *table;
	struct spt_page *next_retired;
	struct thread_ctx *retired_by; /* counts the free */
};

static struct spt_table *spt_alloc_table(void)
{
	/* 512 eight-byte entries fill exactly one 4 KiB page; the alignment
	 * lets a non-leaf SPTE hold the table's address like a real one. */
	struct spt_table *t = aligned_alloc(4096, sizeof(*t));

	HARNESS_NEED(t, "memory", "an SPTE table: the model grows with --gfns and --vcpus");
	memset(t, 0, sizeof(*t));
	return t;
}

static struct spt_table *spte_to_table(uint64_t spte)
{
	return (struct spt_table *)(uintptr_t)(spte & SPTE_TABLE_MASK);
}

struct spt_table *spt_child_table(uint64_t spte)
{
	return spte_to_table(spte);
}

static void spt_free_tree(struct spt_table *t, int level)
{
	for (int i = 0; level > PG_LEVEL_4K && i < SPTE_ENT_PER_PAGE; i++) {
		uint64_t spte = atomic_load_explicit(&t->spte[i], memory_order_relaxed);

		if (is_shadow_present_pte(spte) && !is_last_spte(spte, level))
			spt_free_tree(spte_to_table(spte), level - 1);
	}
	free(t);
}

static int memslots_init(struct kvm *kvm)
{
	uint64_t per_slot = kvm->cfg.nr_gfns / (uint64_t)kvm->cfg.nr_memslots;

	kvm->nr_memslots = kvm->cfg.nr_memslots;
	kvm->memslots = calloc((size_t)kvm->nr_memslots, sizeof(*kvm->memslots));
	if (!kvm->memslots)
		return -1;
	for (int i = 0; i < kvm->nr_memslots; i++) {
		struct kvm_memory_slot *s = &kvm->memslots[i];

		s->id = i;
		s->base_gfn = (gfn_t)i * per_slot;
		s->npages = i == kvm->nr_memslots - 1 ? kvm->cfg.nr_gfns - s->base_gfn : per_slot;
		/* Host pages are laid out in slot order, so hva == gfn here;
		 * callers still go through the slot, as KVM does. */
		s->hva_base = s->base_gfn;
	}
	return 0;
}

/* Timelines name the variables the memory model buffers. */
static void name_shared_variables(struct kvm *kvm)
{
	mm_names_clear();
	mm_name(&kvm->mmu_invalidate_seq, "invalidate_seq");
	mm_name(&kvm->mmu_invalidate_in_progress, "invalidate_in_progress");
	mm_name(&kvm->mmu_invalidate_range_start, "invalidate_start");
	mm_name(&kvm->mmu_invalidate_range_end, "invalidate_end");
	for (int i = 0; i < kvm->nr_vcpus; i++) {
		mm_name(&kvm->vcpus[i]->mode, "v%d.mode", i);
		mm_name(&kvm->vcpus[i]->requests, "v%d.requests", i);
	}
}

static void thp_split_start(void *arg, uint64_t hva_start, uint64_t hva_end)
{
	kvm_mmu_notifier_invalidate_range_start(arg, hva_start, hva_end);
}

static void thp_split_end(void *arg, uint64_t hva_start, uint64_t hva_end)
{
	kvm_mmu_notifier_invalidate_range_end(arg, hva_start, hva_end);
}

/* Huge leaves need huge host pages behind them: the host backs guest
 * memory with THPs, and tells this VM's MMU notifier when it splits one. */
static int hostmem_init_for(struct kvm *kvm, const struct kvm_config *cfg)
{
	const struct hostmem_notifier n = {
		.invalidate_start = thp_split_start,
		.invalidate_end = thp_split_end,
		.arg = kvm,
	};

	if (hostmem_init(&kvm->mem, cfg->nr_gfns))
		return -1;
	if (cfg->max_huge_level <= PG_LEVEL_4K)
		return 0;
	return hostmem_enable_huge(&kvm->mem, cfg->max_huge_level, &n);
}

/* The flush policy's state, zeroed and cache-line aligned: its variables
 * stand where the memory model and ThreadSanitizer watch them alone. */
static int policy_state_create(struct kvm *kvm)
{
	const struct flush_policy *p = kvm->policy;
	size_t size;

	if (!p || !p->state_size)
		return 0;
	size = (p->state_size + 63) / 64 * 64;
	kvm->policy_state = aligned_alloc(64, size);
	if (!kvm->policy_state)
		return -1;
	memset(kvm->policy_state, 0, size);
	if (p->name_state)
		p->name_state(kvm->policy_state);
	return 0;
}

int kvm_config_check(const struct kvm_config *cfg, char *why, size_t len)
{
	uint64_t frames = hostmem_frames_needed(cfg->nr_gfns, cfg->max_huge_level);

	if (cfg->nr_memslots < 1 || (uint64_t)cfg->nr_memslots > cfg->nr_gfns) {
		snprintf(why, len, "%d memslots cannot share %llu gfns", cfg->nr_memslots,
			 (unsigned long long)cfg->nr_gfns);
		return -1;
	}
	if (frames > SPTE_MAX_PFN) {
		snprintf(why, len,
			 "%llu gfns need %llu host frames with %s pages, more than an "
			 "SPTE's pfn field holds (%llu)",
			 (unsigned long long)cfg->nr_gfns, (unsigned long long)frames,
			 cfg->max_huge_level > PG_LEVEL_4K ? "huge" : "4K",
			 (unsigned long long)SPTE_MAX_PFN);
		return -1;
	}
	if (cfg->nr_roots > KVM_MAX_ROOTS) {
		snprintf(why, len, "%d roots, at most %d", cfg->nr_roots, KVM_MAX_ROOTS);
		return -1;
	}
	return 0;
}

bool kvm_can_map_huge(const struct kvm_config *cfg)
{
	uint64_t first_slot = cfg->nr_gfns / (uint64_t)(cfg->nr_memslots ? cfg->nr_memslots : 1);

	/* Slot 0 starts at hva 0, aligned for any block: if one fits in it, a
	 * THP can back a huge leaf there. */
	return cfg->max_huge_level > PG_LEVEL_4K &&
	       first_slot >= pages_per_level(cfg->max_huge_level);
}

int kvm_create(struct kvm *kvm, const struct kvm_config *cfg)
{
	pthread_rwlockattr_t attr;

	memset(kvm, 0, sizeof(*kvm));
	kvm->cfg = *cfg;
	/* Timelines and dumps print the model's names for its events. */
	trace_set_vocabulary(trace_event_names, NR_TRACE_EVENTS);
	/* The kernel's rwlock_t is a queued lock: waiting writers are not
	 * starved by a stream of readers. glibc's default would starve them. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&kvm->mmu_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	atomic_init(&kvm->mmu_invalidate_range_start, INVALID_GFN);
	atomic_init(&kvm->mmu_invalidate_range_end, INVALID_GFN);
	kvm->arch = cfg->arch;
	kvm->policy = cfg->policy;
	kvm->nr_roots = cfg->nr_roots ? cfg->nr_roots : 1;
	HARNESS_ASSERT(kvm->nr_roots <= KVM_MAX_ROOTS, "%d roots", kvm->nr_roots);
	for (int i = 0; i < kvm->nr_roots; i++)
		kvm->roots[i] = spt_alloc_table();
	kvm->root = kvm->roots[0];
	if (memslots_init(kvm) || hostmem_init_for(kvm, cfg))
		return -1;
	kvm->vcpus = calloc((size_t)cfg->nr_vcpus, sizeof(struct kvm_vcpu *));
	if (!kvm->vcpus)
		return -1;
	kvm->nr_vcpus = cfg->nr_vcpus;
	for (int i = 0; i < cfg->nr_vcpus; i++) {
		struct kvm_vcpu *v = aligned_alloc(64, sizeof(*v));

		if (!v)
			return -1;
		memset(v, 0, sizeof(*v));
		v->vcpu_id = i;
		v->kvm = kvm;
		v->root = kvm->roots[i % kvm->nr_roots];
		pthread_mutex_init(&v->range_lock, NULL);
		if (tlb_init(&v->tlb, cfg->tlb_entries, cfg->tlb_huge))
			return -1;
		kvm->vcpus[i] = v;
	}
	name_shared_variables(kvm);
	if (policy_state_create(kvm))
		return -1;
	if (cfg->log_policy && kvm_dirty_tracking_create(kvm))
		return -1;
	return 0;
}

void kvm_destroy(struct kvm *kvm)
{
	/* Callbacks still queued count into the threads that retired their
	 * tables, which outlive the VM only this far. */
	spt_rcu_barrier();
	kvm_free_retired_tables(kvm);
	kvm_dirty_tracking_destroy(kvm);
	for (int i = 0; kvm->vcpus && i < kvm->nr_vcpus; i++) {
		if (!kvm->vcpus[i])
			continue;
		tlb_destroy(&kvm->vcpus[i]->tlb);
		pthread_mutex_destroy(&kvm->vcpus[i]->range_lock);
		free(kvm->vcpus[i]);
	}
	free(kvm->vcpus);
	for (int i = 0; i < kvm->nr_roots; i++)
		if (kvm->roots[i])
			spt_free_tree(kvm->roots[i], SPTE_ROOT_LEVEL);
	free(kvm->memslots);
	free(kvm->policy_state);
	hostmem_destroy(&kvm->mem);
	pthread_rwlock_destroy(&kvm->mmu_lock);
}

struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	for (int i = 0; i < kvm->nr_memslots; i++) {
		struct kvm_memory_slot *s = &kvm->memslots[i];

		if (gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s;
	}
	return NULL;
}

uint64_t gfn_to_hva(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memory_slot *s = gfn_to_memslot(kvm, gfn);

	HARNESS_ASSERT(s, "gfn %#llx is in no memslot", (unsigned long long)gfn);
	return s->hva_base + (gfn - s->base_gfn);
}

static bool ctl_can_write(void *arg)
{
	const struct kvm *kvm = arg;

	return !kvm->ctl_writer && !kvm->ctl_readers;
}

static bool ctl_can_read(void *arg)
{
	return !((const struct kvm *)arg)->ctl_writer;
}

static void ctl_mmu_lock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	int self = current_thread->index;

	if (mode == MMU_LOCK_WRITE) {
		ctl_wait_until(lostflush_ctl, self, ctl_can_write, kvm, "mmu_lock for write");
		kvm->ctl_writer = true;
	} else {
		ctl_wait_until(lostflush_ctl, self, ctl_can_read, kvm, "mmu_lock for read");
		kvm->ctl_readers++;
	}
}

static void ctl_mmu_unlock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	/* spin_unlock() is a release: what the holder stored is visible
	 * before the next holder can look (ctl_wait_until() acquires). */
	mm_release_all();
	if (mode == MMU_LOCK_WRITE)
		kvm->ctl_writer = false;
	else
		kvm->ctl_readers--;
}

void mmu_lock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	sched_point();
	if (lostflush_ctl)
		ctl_mmu_lock(kvm, mode);
	else if (mode == MMU_LOCK_WRITE)
		pthread_rwlock_wrlock(&kvm->mmu_lock);
	else
		pthread_rwlock_rdlock(&kvm->mmu_lock);
	trace(TR_LOCK, TRACE_NO_GFN, mode);
}

void mmu_unlock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	trace(TR_UNLOCK, TRACE_NO_GFN, mode);
	if (lostflush_ctl)
		ctl_mmu_unlock(kvm, mode);
	else
		pthread_rwlock_unlock(&kvm->mmu_lock);
	sched_point();
}

/* kvm_mmu_invalidate_begin(), virt/kvm/kvm_main.c */
void kvm_mmu_invalidate_begin(struct kvm *kvm)
{
	long n = READ_ONCE(kvm->mmu_invalidate_in_progress) + 1;

	WRITE_ONCE(kvm->mmu_invalidate_in_progress, n);
	if (n == 1) {
		WRITE_ONCE(kvm->mmu_invalidate_range_start, INVALID_GFN);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, INVALID_GFN);
	}
}

/* kvm_mmu_invalidate_range_add(): several invalidations in flight widen one
 * range, so a fault anywhere in any of them retries. */
void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end)
{
	gfn_t s = READ_ONCE(kvm->mmu_invalidate_range_start);
	gfn_t e = READ_ONCE(kvm->mmu_invalidate_range_end);

	HARNESS_ASSERT(READ_ONCE(kvm->mmu_invalidate_in_progress) > 0,
		       "range_add outside an invalidation");
	if (s == INVALID_GFN) {
		s = start;
		e = end;
	} else {
		s = start < s ? start : s;
		e = end > e ? end : e;
	}
	WRITE_ONCE(kvm->mmu_invalidate_range_start, s);
	WRITE_ONCE(kvm->mmu_invalidate_range_end, e);
}

/* kvm_mmu_invalidate_end() */
void kvm_mmu_invalidate_end(struct kvm *kvm)
{
	WRITE_ONCE(kvm->mmu_invalidate_seq, READ_ONCE(kvm->mmu_invalidate_seq) + 1);
	/* The new sequence must be visible before in_progress drops: a fault
	 * that sees in_progress == 0 must also see the bumped sequence, or it
	 * installs a pfn it looked up during the invalidation. Pairs with the
	 * smp_rmb() in mmu_invalidate_retry_gfn(). */
	smp_wmb();
	WRITE_ONCE(kvm->mmu_invalidate_in_progress, READ_ONCE(kvm->mmu_invalidate_in_progress) - 1);
	HARNESS_ASSERT(READ_ONCE(kvm->mmu_invalidate_in_progress) >= 0,
		       "mmu_invalidate_in_progress went negative");
}

/* The fault path's snapshot (kvm_faultin_pfn): the sequence is read before
 * the pfn is looked up; the smp_rmb() keeps the pfn lookup from being
 * satisfied before the sequence read, or a pfn from before an invalidation
 * could pass the retry check. */
unsigned long kvm_mmu_invalidate_seq_read(struct kvm *kvm)
{
	unsigned long seq = READ_ONCE(kvm->mmu_invalidate_seq);

	smp_rmb();
	return seq;
}

/* mmu_invalidate_retry_gfn(), include/linux/kvm_host.h; mmu_lock held. */
bool mmu_invalidate_retry_gfn(struct kvm *kvm, unsigned long mmu_seq, gfn_t gfn)
{
	if (READ_ONCE(kvm->mmu_invalidate_in_progress)) {
		gfn_t s = READ_ONCE(kvm->mmu_invalidate_range_start);
		gfn_t e = READ_ONCE(kvm->mmu_invalidate_range_end);

		/* No range yet means the range is about to be added: retry. */
		if (s == INVALID_GFN || (gfn >= s && gfn < e))
			return true;
	}
	/* Pairs with the smp_wmb() in kvm_mmu_invalidate_end(). */
	smp_rmb();
	return READ_ONCE(kvm->mmu_invalidate_seq) != mmu_seq;
}

uint64_t spt_walk(struct kvm *kvm, gfn_t gfn, int *level)
{
	return spt_walk_root(kvm->root, gfn, level);
}

/* One page walk; through_model says whether its loads go through the
 * memory model (the vCPU's hardware walk) or past it (accounting). */
static uint64_t walk_root(struct spt_table *root, gfn_t gfn, int *level, bool through_model)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l >= PG_LEVEL_4K; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		/* Acquire pairs with the installer's release: without it a
		 * walker could follow a new table pointer and read the
		 * table's memory from before it was zeroed. */
		uint64_t spte = through_model ? smp_load_acquire(slot)
					      : atomic_load_explicit(slot, memory_order_acquire);

		if (!is_shadow_present_pte(spte))
			return 0;
		if (is_last_spte(spte, l)) {
			*level = l;
			return spte;
		}
		t = spte_to_table(spte);
	}
	return 0;
}

uint64_t spt_walk_root(struct spt_table *root, gfn_t gfn, int *level)
{
	return walk_root(root, gfn, level, true);
}

/* An accounting walk is a software walker like any other: a table it
 * is in may be retired meanwhile (model/mmu.c, "Retired page tables"). */
uint64_t spt_peek_root(struct spt_table *root, gfn_t gfn, int *level)
{
	uint64_t spte;

	spt_rcu_read_lock();
	spte = walk_root(root, gfn, level, false);
	spt_rcu_read_unlock();
	return spte;
}

_Atomic uint64_t *spt_slot(struct kvm *kvm, gfn_t gfn, int level)
{
	return spt_slot_root(kvm->root, gfn, level);
}

_Atomic uint64_t *spt_slot_root(struct spt_table *root, gfn_t gfn, int level)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l > level; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		uint64_t spte = smp_load_acquire(slot);

		/* A frozen SPTE: this walk is inside a table that was taken
		 * out of the tree; give up, the access retries from the root. */
		if (spte == SPTE_FROZEN)
			return NULL;
		if (is_shadow_present_pte(spte) && is_last_spte(spte, l))
			return NULL;
		if (!is_shadow_present_pte(spte)) {
			struct spt_table *child = spt_alloc_table();
			uint64_t new_spte = (uint64_t)(uintptr_t)child | SPTE_PRESENT;
			uint64_t old = cmpxchg(slot, spte, new_spte);

			/* Lost the race to another walker: use its table. */
			if (old != spte) {
				free(child);
				if (is_last_spte(old, l))
					return NULL;
				new_spte = old;
			}
			spte = new_spte;
		}
		t = spte_to_table(spte);
	}
	return &t->spte[spte_index(gfn, level)];
}

uint64_t spt_set_leaf(struct kvm *kvm, gfn_t gfn, int level, uint64_t spte)
{
	return spt_set_leaf_root(kvm->root, gfn, level, spte);
}

uint64_t spt_set_leaf_root(struct spt_table *root, gfn_t gfn, int level, uint64_t spte)
{
	_Atomic uint64_t *slot = spt_slot_root(root, gfn, level);

	HARNESS_ASSERT(slot, "a huge leaf covers gfn %#llx above level %d", (unsigned long long)gfn,
		       level);
	trace(TR_SPTE_SET, gfn, spte);
	/* xchg, fully ordered: a walker that sees the SPTE sees the frame it
	 * maps, and the old value tells the caller what it replaced. */
	return xchg(slot, spte);
}

uint64_t spt_zap_gfn(struct kvm *kvm, gfn_t gfn, int *level)
{
	return spt_zap_gfn_root(kvm->root, gfn, level);
}

/* On a miss *level is the level of the non-present SPTE the walk stopped
 * at, so a range walk (tdp_mmu_zap_leafs()) can step over everything it
 * would have mapped, as the TDP iterator does. */
uint64_t spt_zap_gfn_root(struct spt_table *root, gfn_t gfn, int *level)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l >= PG_LEVEL_4K; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		uint64_t spte = smp_load_acquire(slot);

		if (!is_shadow_present_pte(spte)) {
			*level = l;
			return 0;
		}
		if (is_last_spte(spte, l)) {
			/* A plain store, as mmu_spte_clear_track_bits() clears
			 * an SPTE without volatile bits (__update_clear_spte_fast,
			 * WRITE_ONCE): nothing orders it with what follows, so a
			 * missing smp_wmb() after the zap stays missing. Two
			 * zappers under a read-held mmu_lock may both clear one
			 * SPTE: both then mark and flush, which costs a flush and
			 * hides nothing. */
			if (mm_enabled())
				mm_name(slot, "spte[%#llx]", (unsigned long long)gfn);
			WRITE_ONCE(*slot, 0);
			*level = l;
			trace(TR_SPTE_ZAP, gfn, spte);
			count(CNT_ZAPS, 1);
			return spte;
		}
		t = spte_to_table(spte);
	}
	return 0;
}

/* ---- Retired page tables -------------------------------------------------
 *
 * Free mode: a retired table goes to liburcu's call_rcu() and is freed on
 * its helper thread after a grace period. Software walkers (the fault path
 * under a read-held mmu_lock, the lockless fast page fault, the zap walk)
 * run inside spt_rcu_read_lock(), so the grace period waits for every one
 * of them that may still be inside the table. The vCPUs' hardware walks
 * run in guest mode, in no read-side section: a remote flush, which waits
 * for every vCPU to leave guest mode, is what ends them, and that is why
 * the caller flushes before it retires the table (fcb93eb6d09d).
 *
 * Controlled modes: every fiber runs on the controlling thread, one at a
 * time, so liburcu would see one reader whose sections interleave, and a
 * grace period would end at a moment set by real time on another thread:
 * not part of the schedule, so not replayable. No fiber may block waiting
 * for it either (synchronize_rcu() would wait for fibers that cannot run).
 * So there read-side sections are empty, and a retired table waits on
 * kvm->retired until the execution is over: every fiber has returned, no
 * walker of any kind is left, and kvm_free_retired_tables() frees it.
 *
 * ThreadSanitizer: Debian's liburcu 0.13 is not instrumented, so TSan sees
 * neither the grace period nor the hand-off to the helper thread. The two
 * edges RCU guarantees are annotated instead: the retiring thread releases
 * the table when it hands it over and the callback acquires it, and every
 * read-side section releases spt_rcu_readers when it ends, which the
 * callback acquires (the grace period saw every such reader quiescent).
 * A hardware walk is in no section: only the flush orders it before the
 * free, so a free that comes before the flush is still a race to TSan.
 */
static _Thread_local bool rcu_registered;
#ifdef SPT_TSAN
static char spt_rcu_readers;
#endif

void spt_rcu_register_thread(void)
{
	if (rcu_registered)
		return;
	urcu_memb_register_thread();
	rcu_registered = true;
}

void spt_rcu_unregister_thread(void)
{
	if (!rcu_registered)
		return;
	urcu_memb_unregister_thread();
	rcu_registered = false;
}

void spt_rcu_read_lock(void)
{
	if (lostflush_ctl)
		return;
	spt_rcu_register_thread();
	urcu_memb_read_lock();
}

void spt_rcu_read_unlock(void)
{
	if (lostflush_ctl)
		return;
#ifdef SPT_TSAN
	spt_tsan_release(&spt_rcu_readers);
#endif
	urcu_memb_read_unlock();
}

/* Tables handed to call_rcu() whose callback has not run yet. */
static _Atomic long rcu_callbacks_pending;

/*
 * rcu_barrier() for the tables alone. liburcu's own allocates its
 * completion on this thread and frees it on the helper thread, a hand-off
 * ThreadSanitizer cannot see in the uninstrumented library; a count the
 * callbacks drop with a release and this loop reads with an acquire is a
 * hand-off it sees, and it also orders each callback's counting before the
 * run adds the counters up.
 */
void spt_rcu_barrier(void)
{
	const struct timespec nap = { 0, 100L * 1000 };

	HARNESS_ASSERT(!rcu_registered || !urcu_memb_read_ongoing(),
		       "waiting for a grace period inside a read-side section");
	while (atomic_load_explicit(&rcu_callbacks_pending, memory_order_acquire))
		nanosleep(&nap, NULL);
}

static void spt_table_free(struct spt_table *t, struct thread_ctx *by)
{
	if (by)
		atomic_fetch_add_explicit(&by->counters.v[CNT_TABLES_FREED], 1,
					  memory_order_relaxed);
	free(t);
}

static void spt_page_free(struct spt_page *sp)
{
	spt_table_free(sp->table, sp->retired_by);
	free(sp);
}

/* tdp_mmu_free_sp_rcu_callback(): a grace period has passed. */
static void spt_free_rcu_callback(struct rcu_head *head)
{
	struct spt_page *sp = caa_container_of(head, struct spt_page, rcu);

	spt_tsan_acquire(sp);
#ifdef SPT_TSAN
	spt_tsan_acquire(&spt_rcu_readers);
#endif
	spt_page_free(sp);
	/* Release: spt_rcu_barrier() sees the free and the count. */
	atomic_fetch_sub_explicit(&rcu_callbacks_pending, 1, memory_order_release);
}

void spt_retire_table(struct kvm *kvm, struct spt_table *t)
{
	struct spt_page *sp = calloc(1, sizeof(*sp));

	HARNESS_NEED(sp, "memory", "retiring an SPTE table");
	sp->table = t;
	sp->retired_by = current_thread;
	if (lostflush_ctl) {
		sp->next_retired = kvm->retired;
		kvm->retired = sp;
		return;
	}
	/* Counted before the hand-off, or a barrier could miss it. */
	atomic_fetch_add(&rcu_callbacks_pending, 1);
	/* Everything this thread did to the table and its bookkeeping happens
	 * before the callback: the hand-off liburcu 0.13 hides from TSan. */
	spt_tsan_release(sp);
	urcu_memb_call_rcu(&sp->rcu, spt_free_rcu_callback);
}

void spt_free_table_now(struct spt_table *t)
{
	spt_table_free(t, current_thread);
}

void kvm_free_retired_tables(struct kvm *kvm)
{
	while (kvm->retired) {
		struct spt_page *sp = kvm->retired;

		kvm->retired = sp->next_retired;
		spt_page_free(sp);
	}
}
