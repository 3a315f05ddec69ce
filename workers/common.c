// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "../engine/check.h"
#include "../engine/sched.h"
#include "real.h"
#include "workers.h"

void worker_pause(uint32_t max_us)
{
	uint64_t us;
	struct timespec ts;

	if (!max_us)
		return;
	/* Under a controlled scheduler time means nothing: a pause is only a
	 * point where others may run. */
	if (lostflush_ctl) {
		sched_point();
		return;
	}
	us = rng_below(&current_thread->rng, (uint64_t)max_us + 1);
	ts = (struct timespec){ .tv_sec = (time_t)(us / 1000000),
				.tv_nsec = (long)(us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

gfn_t pick_hot_gfn(const struct run *run)
{
	return rng_below(&current_thread->rng, run_vm(run)->cfg.work.hot_gfns);
}

void add_vcpu_workers(struct run *run)
{
	for (int i = 0; i < run_vm(run)->kvm.nr_vcpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "v%d", i);
		/* The index, not the vCPU: controlled modes rebuild the model
		 * (and its vCPUs) for every execution. On the running kernel,
		 * a thread that runs the real vCPU. */
		run_add_worker(run, name, run_vm(run)->real ? real_vcpu_worker : vcpu_worker,
			       (void *)(intptr_t)i);
	}
}

struct rng *worker_rng(void)
{
	HARNESS_ASSERT(current_thread, "a worker runs without its thread context");
	return &current_thread->rng;
}

uint64_t worker_stream_key(void)
{
	return worker_rng()->s[0] ^ worker_rng()->s[1];
}
