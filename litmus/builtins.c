// SPDX-License-Identifier: GPL-2.0
/*
 * The primitives by name (litmus/builtins.h), as the kernel spells them:
 * Documentation/memory-barriers.txt, Documentation/atomic_t.txt and
 * Documentation/RCU/whatisRCU.rst.
 */
#include "builtins.h"

#include <stdio.h>
#include <string.h>

static const struct litmus_builtin builtins[] = {
	{ "READ_ONCE", LOP_READ_ONCE, "d", true, false, 0 },
	{ "WRITE_ONCE", LOP_WRITE_ONCE, "de", false, false, 0 },
	{ "smp_load_acquire", LOP_LOAD_ACQUIRE, "p", true, false, 0 },
	{ "smp_store_release", LOP_STORE_RELEASE, "pe", false, false, 0 },
	{ "rcu_dereference", LOP_RCU_DEREFERENCE, "d", true, false, 0 },
	{ "rcu_assign_pointer", LOP_RCU_ASSIGN, "de", false, false, 0 },
	{ "smp_mb", LOP_MB, "", false, false, 0 },
	{ "smp_wmb", LOP_WMB, "", false, false, 0 },
	{ "smp_rmb", LOP_RMB, "", false, false, 0 },
	{ "smp_mb__before_atomic", LOP_MB, "", false, false, 0 },
	{ "smp_mb__after_atomic", LOP_MB, "", false, false, 0 },
	{ "smp_mb__after_spinlock", LOP_MB, "", false, false, 0 },
	{ "smp_mb__after_unlock_lock", LOP_MB, "", false, false, 0 },
	{ "xchg", LOP_XCHG, "pe", true, true, 0 },
	{ "cmpxchg", LOP_CMPXCHG, "pee", true, true, 0 },
	{ "atomic_read", LOP_READ_ONCE, "p", true, false, 0 },
	{ "atomic_set", LOP_WRITE_ONCE, "pe", false, false, 0 },
	{ "atomic_read_acquire", LOP_LOAD_ACQUIRE, "p", true, false, 0 },
	{ "atomic_set_release", LOP_STORE_RELEASE, "pe", false, false, 0 },
	{ "atomic_inc", LOP_ADD, "p", false, false, 1 },
	{ "atomic_dec", LOP_ADD, "p", false, false, -1 },
	{ "atomic_add", LOP_ADD, "ep", false, false, 1 },
	{ "atomic_sub", LOP_ADD, "ep", false, false, -1 },
	{ "atomic_inc_return", LOP_ADD_RETURN, "p", true, true, 1 },
	{ "atomic_dec_return", LOP_ADD_RETURN, "p", true, true, -1 },
	{ "atomic_add_return", LOP_ADD_RETURN, "ep", true, true, 1 },
	{ "atomic_sub_return", LOP_ADD_RETURN, "ep", true, true, -1 },
	{ "atomic_fetch_inc", LOP_FETCH_ADD, "p", true, true, 1 },
	{ "atomic_fetch_dec", LOP_FETCH_ADD, "p", true, true, -1 },
	{ "atomic_fetch_add", LOP_FETCH_ADD, "ep", true, true, 1 },
	{ "atomic_fetch_sub", LOP_FETCH_ADD, "ep", true, true, -1 },
	{ "atomic_xchg", LOP_XCHG, "pe", true, true, 0 },
	{ "atomic_cmpxchg", LOP_CMPXCHG, "pee", true, true, 0 },
	{ "spin_lock", LOP_SPIN_LOCK, "p", false, false, 0 },
	{ "spin_unlock", LOP_SPIN_UNLOCK, "p", false, false, 0 },
	{ "spin_trylock", LOP_SPIN_TRYLOCK, "p", true, false, 0 },
	{ "rcu_read_lock", LOP_RCU_READ_LOCK, "", false, false, 0 },
	{ "rcu_read_unlock", LOP_RCU_READ_UNLOCK, "", false, false, 0 },
	{ "synchronize_rcu", LOP_SYNCHRONIZE_RCU, "", false, false, 0 },
};

#define NR_BUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static const struct litmus_builtin *exact(const char *name, size_t len)
{
	for (size_t i = 0; i < NR_BUILTINS; i++)
		if (strlen(builtins[i].name) == len && !strncmp(builtins[i].name, name, len))
			return &builtins[i];
	return NULL;
}

/* atomic_t.txt: the _relaxed, _acquire and _release forms order less than
 * the plain one; running them fully ordered can hide an outcome they allow,
 * never show one they forbid. */
const struct litmus_builtin *litmus_builtin_find(const char *name)
{
	static const char *const suffixes[] = { "_relaxed", "_acquire", "_release" };
	size_t len = strlen(name);
	const struct litmus_builtin *b = exact(name, len);

	if (b)
		return b;
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(suffixes[i]);

		if (len > n && !strcmp(name + len - n, suffixes[i])) {
			b = exact(name, len - n);
			return b && b->variants ? b : NULL;
		}
	}
	return NULL;
}

const char *litmus_builtin_names(void)
{
	static char buf[1024];
	size_t used = 0;

	if (buf[0])
		return buf;
	for (size_t i = 0; i < NR_BUILTINS && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? ", " : "",
					 builtins[i].name);
	return buf;
}
