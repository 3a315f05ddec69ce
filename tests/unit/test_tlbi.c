// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's broadcast TLBI: a vCPU drops exactly what a TLBI covers (at the
 * level its hint names, if it has one), at the start of its next access
 * and never in another thread; one that fell
 * further behind than the log drops everything; and the DSB after a TLBI
 * waits for an access already in flight.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../engine/thread.h"
#include "../../model/mmu.h"
#include "../../model/tlbi.h"

struct fixture {
	struct kvm kvm;
	struct kvm_vcpu vcpu;
	struct kvm_vcpu *vcpus[1];
	struct tlbi_log log;
};

static struct fixture f;

static int setup(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	if (tlbi_log_init(&f.log) || tlb_init(&f.vcpu.tlb, 64, TLB_HUGE_ENTRY))
		return -1;
	f.vcpu.kvm = &f.kvm;
	f.vcpus[0] = &f.vcpu;
	f.kvm.vcpus = f.vcpus;
	f.kvm.nr_vcpus = 1;
	f.kvm.tlbi = &f.log;
	atomic_store(&lostflush_stop, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tlb_destroy(&f.vcpu.tlb);
	tlbi_log_destroy(&f.log);
	return 0;
}

static void fill(gfn_t gfn, int level)
{
	tlb_fill(&f.vcpu.tlb, gfn, make_leaf_spte(gfn + 2048, 0, level, true), level);
	assert_non_null(tlb_lookup(&f.vcpu.tlb, gfn));
}

static bool cached(gfn_t gfn)
{
	return tlb_lookup(&f.vcpu.tlb, gfn) != NULL;
}

static void access_applies_what_the_tlbi_covers(void **state)
{
	(void)state;
	fill(5, PG_LEVEL_4K);
	fill(6, PG_LEVEL_4K);
	fill(600, PG_LEVEL_4K);
	tlbi_broadcast(&f.kvm, 5, 1);
	assert_true(cached(5)); /* the issuer never touches the vCPU's TLB */
	tlbi_access_begin(&f.vcpu);
	assert_false(cached(5));
	assert_true(cached(6));
	assert_true(cached(600));
	tlbi_access_end(&f.vcpu);
	assert_int_equal(atomic_load(&f.vcpu.tlbi_seen), 1);
}

static void range_and_block_tlbis(void **state)
{
	(void)state;
	fill(0, PG_LEVEL_2M);
	fill(700, PG_LEVEL_4K);
	fill(900, PG_LEVEL_4K);
	tlbi_broadcast(&f.kvm, 3, 1); /* by IPA inside the block */
	tlbi_broadcast(&f.kvm, 690, 20);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_false(cached(0));
	assert_false(cached(700));
	assert_true(cached(900));
}

/* A TLBI by IPA hinted at level 3 (a 4K page) need not drop a level-2
 * block entry, and the model's PEs keep it: a break that names the wrong
 * level leaves the block in the TLB. The page inside its range goes. */
static void ttl_hint_keeps_entries_of_other_levels(void **state)
{
	(void)state;
	fill(0, PG_LEVEL_2M);
	fill(700, PG_LEVEL_4K);
	assert_int_equal(tlbi_ttl_of_level(PG_LEVEL_4K), 3);
	assert_int_equal(tlbi_ttl_of_level(PG_LEVEL_2M), 2);
	tlbi_broadcast_hinted(&f.kvm, 3, 1, 3);
	tlbi_broadcast_hinted(&f.kvm, 700, 1, 3);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_true(cached(3));
	assert_false(cached(700));
	/* Hinted at the block's own level, it goes. */
	tlbi_broadcast_hinted(&f.kvm, 0, 512, 2);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_false(cached(3));
}

/* With no hint (TTL 0: a range or an unknown level) both levels go. */
static void unhinted_tlbi_drops_every_level(void **state)
{
	(void)state;
	fill(0, PG_LEVEL_2M);
	fill(700, PG_LEVEL_4K);
	tlbi_broadcast_hinted(&f.kvm, 3, 1, TLBI_TTL_NONE);
	tlbi_broadcast_hinted(&f.kvm, 700, 1, TLBI_TTL_NONE);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_false(cached(3));
	assert_false(cached(700));
}

static void vmid_tlbi_drops_everything(void **state)
{
	(void)state;
	fill(1, PG_LEVEL_4K);
	fill(512, PG_LEVEL_2M);
	tlbi_broadcast(&f.kvm, 0, TLBI_ALL);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_false(cached(1));
	assert_false(cached(512));
}

static void vcpu_behind_the_log_drops_everything(void **state)
{
	(void)state;
	fill(1, PG_LEVEL_4K);
	fill(2, PG_LEVEL_4K);
	for (int i = 0; i < TLBI_LOG_SIZE + 1; i++)
		tlbi_broadcast(&f.kvm, 100, 1);
	tlbi_access_begin(&f.vcpu);
	tlbi_access_end(&f.vcpu);
	assert_false(cached(1));
	assert_false(cached(2));
	assert_int_equal(atomic_load(&f.vcpu.tlbi_seen), TLBI_LOG_SIZE + 1);
}

static _Atomic bool dsb_done;

static void *issue(void *arg)
{
	(void)arg;
	tlbi_broadcast(&f.kvm, 5, 1);
	atomic_store(&dsb_done, true);
	return NULL;
}

/* An access in flight when the TLBI is logged may finish with the old
 * entry; the DSB completes only after it. */
/* A TLBI issued on another thread while this one is in an access: its DSB
 * is still waiting 50 ms later, and completes once the access ends. */
static void assert_dsb_waits_for_the_access(void)
{
	pthread_t t;

	atomic_store(&dsb_done, false);
	assert_int_equal(pthread_create(&t, NULL, issue, NULL), 0);
	usleep(50 * 1000);
	assert_false(atomic_load(&dsb_done));
	tlbi_access_end(&f.vcpu);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(atomic_load(&dsb_done));
}

static void dsb_waits_for_an_access_in_flight(void **state)
{
	(void)state;
	tlbi_access_begin(&f.vcpu);
	assert_dsb_waits_for_the_access();
	/* Not in an access: the DSB does not wait. */
	tlbi_broadcast(&f.kvm, 6, 1);
}

/* A run that is stopping still waits: an issuer whose DSB gave up would go
 * on as though the TLBI had completed (a harvest declaring its write
 * revocations done) while an access that began before it still uses the
 * old entry, and the oracle would report a write no one lost. */
static void dsb_waits_even_when_the_run_is_stopping(void **state)
{
	(void)state;
	tlbi_access_begin(&f.vcpu);
	torture_stop();
	assert_dsb_waits_for_the_access();
	atomic_store(&lostflush_stop, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(access_applies_what_the_tlbi_covers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(range_and_block_tlbis, setup, teardown),
		cmocka_unit_test_setup_teardown(ttl_hint_keeps_entries_of_other_levels, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unhinted_tlbi_drops_every_level, setup, teardown),
		cmocka_unit_test_setup_teardown(vmid_tlbi_drops_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(vcpu_behind_the_log_drops_everything, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dsb_waits_for_an_access_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(dsb_waits_even_when_the_run_is_stopping, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
