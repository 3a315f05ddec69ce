// SPDX-License-Identifier: GPL-2.0
/*
 * Every option of ./stress, one row each: its kind and bounds, where it
 * lands, what a replay does with it, and its --help text. Adding an option
 * is adding a row (and its enum option_id).
 */
#include <stddef.h>

#include "../model/dirty_log_mode.h"
#include "../engine/memmodel.h"
#include "../model/mmu.h"
#include "../model/tlb.h"
#include "options.h"

#define F(field) offsetof(struct options, field)

static const char *memory_name(int v)
{
	return mem_model_name((enum mem_model)v);
}
static const char *tlb_huge_name_of(int v)
{
	return tlb_huge_name((enum tlb_huge_mode)v);
}
static const char *log_name(int v)
{
	return dirty_log_mode_name((enum dirty_log_mode)v);
}
static const char *range_flush_name(int v)
{
	return v == RANGE_FLUSH_WORKS ? "works" : "unsupported";
}
static const char *ad_bits_name(int v)
{
	return v ? "on" : "off";
}
static const char *backend_name(int v)
{
	return v == BACKEND_KVM ? "kvm" : "model";
}
static const char *expect_choice_name(int v)
{
	return v == EXPECT_CLEAN ? "clean" : "violation";
}

#define CHOICES(fn, base, n) \
	.kind = OK_CHOICE, .choice_name = (fn), .choice_base = (base), .nr_choices = (n)

/* What shapes a run and a replay carries. */
#define CARRIED (OPTF_SHAPES_RUN | OPTF_CARRIED)

const struct option_def option_table[NR_OPTIONS] = {
	[OPT_LIST] = { "list", 0, OK_FLAG, .field = F(list),
		       .help = "scenarios, their variants and where they come from" },
	[OPT_LIST_OPTIONS] = { "list-options", 0, OK_FLAG, .field = F(list_options),
			       .help = "every option, its kind and what it allows, one per "
				       "line, for scripts" },
	[OPT_JSON] = { "json", 0, OK_FLAG, .field = F(json),
		       .help = "with --list: the catalogue as JSON (every variant's settings "
			       "and claims), for scripts" },
	[OPT_SCENARIO] = { "scenario", 0, OK_TEXT, "NAME|all", .field = F(scenario),
			   .flags = CARRIED,
			   .help = "what to run (all: every scenario and variant)" },
	[OPT_VARIANT] = { "variant", 0, OK_TEXT, "V|all", .field = F(variant),
			  .flags = CARRIED | OPTF_WITH_REPLAY,
			  .help = "a variant of the scenario (default: fixed); with --replay, "
				  "the same interleaving against V (a fixed V is expected "
				  "clean: does the fix survive it?)" },
	[OPT_LITMUS] = { "litmus", 0, OK_TEXT, "FILE.litmus", .field = F(litmus_path),
			 .help = "run a litmus test in the Linux kernel's C format "
				 "(tools/memory-model/litmus-tests/) instead of a scenario: "
				 "one thread per P<n> under the controlled scheduler "
				 "(default random) and --memory, its final states counted and "
				 "printed as herd7 does; exit 1 if the observation differs "
				 "from the file's \"Result:\" line (docs/running.md)" },
	[OPT_BACKEND] = { "backend", 0, .field = F(backend), CHOICES(backend_name, 0, NR_BACKENDS),
			  .help = "what --scenario all and --list mean: the model's scenarios "
				  "(default), or kvm: those that run tiny guests on the running "
				  "kernel's KVM through /dev/kvm (free mode only; naming one "
				  "of them is enough to run it)" },
	[OPT_SCHED] = { "sched", 0, OK_SCHED, "free|random|pct[:D[:K]]|cover|pos|surw|bounded[:K]",
			.field = F(sched), .flags = CARRIED,
			.help = "free: real threads on real cores, perturbed at schedule "
				"points (default); random, pct and cover: one thread at a "
				"time, a seeded choice at every point, over many short "
				"executions (pct: Burckhardt et al.'s priorities, depth D "
				"from 1 to 8, default 3; pct:D:K fixes PCT's estimate K of "
				"an execution's decisions, default: learned); cover: a "
				"search that keeps the schedules reaching new states and "
				"goes on from them, for races deeper than pct reaches; "
				"pos and surw: the published baselines (partial order "
				"sampling, CAV 2018; selectively uniform random walk, "
				"ASPLOS 2025); bounded:K: every schedule with at most K "
				"preemptions, fewest first, then says how far it got "
				"(bounded alone: no bound)" },
	[OPT_SEED] = { "seed", 0, OK_WHOLE, "S", 0, UINT64_MAX, .field = F(seed),
		       .flags = CARRIED | OPTF_HEX,
		       .help = "run seed, decimal or 0x-hex (default: from the clock)" },
	[OPT_EXECUTIONS] = { "executions", 0, OK_WHOLE, "N", 1, UINT64_MAX / 2,
			     .field = F(executions), .flags = OPTF_SHAPES_RUN | OPTF_CONTROLLED,
			     .help = "controlled modes: stop after N executions (with no "
				     "--duration, however long they take)" },
	[OPT_EXECUTION] = { "execution", 0, OK_WHOLE, "N", 0, UINT64_MAX / 2,
			    .field = F(first_execution), .flags = CARRIED | OPTF_CONTROLLED,
			    .help = "controlled modes: run only execution N (a replay)" },
	[OPT_DURATION] = { "duration", 0, OK_DURATION, "D", .field = F(duration_ns),
			   .flags = OPTF_SHAPES_RUN,
			   .help = "how long each run lasts: 500ms, 10s, 2m, 1h, from 1ms to "
				   "24h (default 10s)" },
	[OPT_REPLAY] = { "replay", 0, OK_TEXT, "FILE.json", .field = F(replay_path),
			 .flags = OPTF_WITH_REPLAY,
			 .help = "run again the failing execution a report describes (its "
				 "minimized schedule, if it carries one); the report says "
				 "every option that shaped it, so none of those may be given "
				 "beside it" },
	[OPT_MEMORY] = { "memory", 0, .metavar = NULL, .field = F(memory),
			 CHOICES(memory_name, 0, 3), .flags = CARRIED | OPTF_CONTROLLED,
			 .help = "controlled modes: sc, every store visible at once "
				 "(default); tso, FIFO store buffers (x86-like); weak, "
				 "buffers drain in any order barriers allow and loads may "
				 "read the previous value (Arm-like)" },
	[OPT_MINIMIZE] = { "minimize", 0, OK_FLAG, .field = F(minimize),
			   .flags = OPTF_CONTROLLED | OPTF_WITH_REPLAY,
			   .help = "controlled modes: shrink the failing schedule to fewer "
				   "context switches and print it, one column per thread" },
	[OPT_TIMELINE] = { "timeline", 0, OK_FLAG, .field = F(timeline),
			   .flags = OPTF_CONTROLLED | OPTF_WITH_REPLAY,
			   .help = "controlled modes: print every event of the last "
				   "execution, one column per thread, even when it ran clean "
				   "(with --execution or --replay: that execution)" },
	[OPT_ARCH] = { "arch", 0, OK_TEXT, "NAME", .field = F(arch), .flags = CARRIED,
		       .help = "the MMU flavour to run, where a scenario runs on several "
			       "(default: the variant's; --list names each scenario's)" },
	[OPT_RANGE_FLUSH] = { "range-flush", 0, .field = F(range_flush),
			      CHOICES(range_flush_name, RANGE_FLUSH_WORKS, 2), .flags = CARRIED,
			      .help = "whether the arch's range flush succeeds or says "
				      "-EOPNOTSUPP, so callers fall back to a full flush "
				      "(default: the scenario's, usually works)" },
	[OPT_TLB_HUGE] = { "tlb-huge", 0, .field = F(tlb_huge),
			   CHOICES(tlb_huge_name_of, 0, NR_TLB_HUGE_MODES), .flags = CARRIED,
			   .help = "how TLBs cache a huge translation: one entry that a "
				   "flush of any address inside drops (default), or 4K "
				   "pieces, each dropped only by a flush covering it" },
	[OPT_LOG] = { "log", 0, .field = F(log_mode), CHOICES(log_name, 0, NR_LOG_MODES),
		      .flags = CARRIED,
		      .help = "how the dirty-log reaper harvests: get-dirty-log, "
			      "clear-dirty-log with manual protect, or the dirty ring and "
			      "its reset (default: the scenario's)" },
	[OPT_AD_BITS] = { "ad-bits", 0, .field = F(ad_bits), CHOICES(ad_bits_name, 0, 2),
			  .flags = CARRIED,
			  .help = "EPT Accessed/Dirty bits: on, the hardware sets A and D, "
				  "aging clears A and dirty logging is PML's (clear D); off "
				  "(default), access tracking and write-protection" },
	[OPT_CPU_FEATURES] = { "cpu-features", 0, .field = F(cpu_features),
			       CHOICES(cpu_features_name, 0, NR_CPU_FEATURE_SETS), .flags = CARRIED,
			       .help = "arm64's cache features: fwb (stage 2 forces "
				       "write-back: no clean to PoC; implies idc), dic (no "
				       "I-cache invalidation), idc (no clean to PoU for "
				       "instructions); none (default)" },
	[OPT_VCPUS] = { "vcpus", 0, OK_WHOLE, "N", 1, MAX_VCPUS, .field = F(vcpus),
			.flags = CARRIED, .help = "vCPU threads (default: the scenario's)" },
	[OPT_GFNS] = { "gfns", 0, OK_WHOLE, "N", MIN_GFNS, MAX_GFNS, .field = F(gfns),
		       .flags = CARRIED, .help = "guest pages modelled (default: the scenario's)" },
	[OPT_HOT_GFNS] = { "hot-gfns", 0, OK_WHOLE, "N", 1, MAX_GFNS, .field = F(hot_gfns),
			   .flags = CARRIED,
			   .help = "pages the guests and the notifier fight over, at most "
				   "--gfns (default: the scenario's)" },
	[OPT_TLB_ENTRIES] = { "tlb-entries", 0, OK_WHOLE, "N", 16, 65536, .field = F(tlb_entries),
			      .flags = CARRIED | OPTF_POW2,
			      .help = "entries per vCPU TLB (default 64)" },
	[OPT_EXPECT] = { "expect", 0, .field = F(expect),
			 CHOICES(expect_choice_name, EXPECT_CLEAN, 2),
			 .flags = OPTF_SHAPES_RUN | OPTF_WITH_REPLAY,
			 .help = "what counts as success (default: fixed variants clean, "
				 "buggy ones a violation)" },
	[OPT_PERTURB] = { "perturb", 0, OK_SPEC, "K=V,...", .spec = &perturb_spec,
			  .field = F(perturb), .flags = CARRIED,
			  .help = "schedule-point perturbation: spin=P, yield=P, sleep=P "
				  "(probabilities per point), spin-max=N iterations, "
				  "sleep-max-us=N, window-boost=N (default spin=0.02, "
				  "yield=0.002, sleep=0.0002, spin-max=2000, sleep-max-us=200, "
				  "window-boost=50); spin=0,yield=0,sleep=0 turns it off" },
	[OPT_WORKLOAD] = { "workload", 0, OK_SPEC, "K=V,...", .spec = &workload_spec,
			   .field = F(workload), .flags = CARRIED,
			   .help = "the workers' pace, over the scenario's defaults: "
				   "invlpg=P and write=P (per guest access), fetch=P (arm64: "
				   "of reads) and uncached=P (arm64: of reads and of writes, "
				   "caches off), ro-pfn=P (x86 TDP: of read faults, those whose "
				   "pfn comes back read-only), slice=N (accesses "
				   "per guest entry), unmap-pages=N, hot=N (as --hot-gfns), "
				   "invalidate-us=N, flusher-us=N, zapper-us=N, reaper-us=N, "
				   "tracker-us=N, ager-us=N, punch-us=N, slot-us=N (pauses "
				   "between a worker's steps, at most); controlled modes: "
				   "entries=N, invalidations=N, flushes=N, zaps=N, harvests=N, "
				   "tracks=N, agings=N, punches=N, slot-changes=N (each worker's "
				   "steps per execution)" },
	[OPT_ACTORS] = { "actors", 0, OK_SPEC, "ROLE=N,...", .spec = &actors_spec,
			 .field = F(actors), .flags = CARRIED,
			 .help = "workers of each role beside the vCPUs, over the scenario's "
				 "(--list shows them): invalidator=N, flusher=N, zapper=N, "
				 "tracker=N, ager=N, puncher=N, memslots=N (0 to 8; a puncher "
				 "needs guest_memfd memslots), reaper=N (0 to 2; two with --log "
				 "ring: one collects, the other resets); 0 takes a role out" },
	[OPT_KEEP_GOING] = { "keep-going", 0, OK_FLAG, .field = F(keep_going),
			     .flags = OPTF_SHAPES_RUN,
			     .help = "count every violation instead of stopping at the first" },
	[OPT_MAX_MEMORY] = { "max-memory", 0, OK_BYTES, "SIZE", MIN_MAX_MEMORY, MAX_MAX_MEMORY,
			     .field = F(max_memory), .flags = OPTF_WITH_REPLAY,
			     .help = "what the state search's archive, an execution's "
				     "decision log and a replayed schedule may hold together, "
				     "in bytes or with K, M, G or T (default: a quarter of "
				     "this machine's memory); a full archive keeps no more "
				     "states and the search goes on" },
	[OPT_REPORT] = { "report", 0, OK_TEXT, "FILE.json", .field = F(report_path),
			 .flags = OPTF_WITH_REPLAY,
			 .help = "write a JSON report: checked before the run, written "
				 "beside its target and renamed over it (a regular file or "
				 "nothing), so it is whole or absent" },
	[OPT_JUNIT] = { "junit", 0, OK_TEXT, "FILE.xml", .field = F(junit_path),
			.flags = OPTF_WITH_REPLAY,
			.help = "write JUnit XML, as CI systems ingest it: a test case per "
				"run, a failure's message its verdict and its text the "
				"violation and the rerun line, a run not judged skipped "
				"with its reason; written as --report is" },
	[OPT_KTAP] = { "ktap", 0, OK_TEXT, "FILE", .field = F(ktap_path), .flags = OPTF_WITH_REPLAY,
		       .help = "write KTAP, the kernel's test output (as kselftests print "
			       "it): a plan, ok or not ok per run, # SKIP and # "
			       "diagnostics; written as --report is" },
	[OPT_QUIET] = { "quiet", 'q', OK_FLAG, .field = F(quiet), .flags = OPTF_WITH_REPLAY,
			.help = "only violations and the final line" },
	[OPT_HELP] = { "help", 'h', OK_FLAG, .field = F(help), .help = "this text" },
	[OPT_VERSION] = { "version", 'V', OK_FLAG, .field = F(version), .help = "the version" },
};
