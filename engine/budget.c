// SPDX-License-Identifier: GPL-2.0
#include "budget.h"

#include <stdatomic.h>

static uint64_t limit = UINT64_MAX;
static _Atomic uint64_t used;

void budget_init(uint64_t limit_bytes)
{
	limit = limit_bytes;
	atomic_store(&used, 0);
}

bool budget_charge_leaving(uint64_t bytes, uint64_t keep)
{
	uint64_t now = atomic_load(&used);

	if (keep > limit)
		return false;
	do {
		if (bytes > limit - keep || now > limit - keep - bytes)
			return false;
	} while (!atomic_compare_exchange_weak(&used, &now, now + bytes));
	return true;
}

bool budget_charge(uint64_t bytes)
{
	return budget_charge_leaving(bytes, 0);
}

void budget_release(uint64_t bytes)
{
	atomic_fetch_sub(&used, bytes);
}

uint64_t budget_limit(void)
{
	return limit;
}

uint64_t budget_used(void)
{
	return atomic_load(&used);
}
