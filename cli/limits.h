/* SPDX-License-Identifier: GPL-2.0 */
/* The bounds the command line and replay files are held to. */
#ifndef LOSTFLUSH_CLI_LIMITS_H
#define LOSTFLUSH_CLI_LIMITS_H

#define MAX_VCPUS 64
/* The smallest VM a scenario models (two memslots of four gfns, one of
 * them coming and going): a replay of its failing execution carries that
 * size, and must be allowed it. */
#define MIN_GFNS 8
#define MAX_GFNS (1ULL << 26) /* 256 GiB of modelled guest memory */
#define SPEC_MAX_LEN 255      /* a --workload or --perturb value */
/* --max-memory: what the state archive, an execution's decision log and a
 * replayed schedule may hold together. */
#define MIN_MAX_MEMORY (1ULL << 20)
#define MAX_MAX_MEMORY (1ULL << 40)

#endif
