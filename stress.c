// SPDX-License-Identifier: GPL-2.0
/*
 * ./stress: pick a scenario and variant, build the run, let the workers race,
 * judge the outcome against what the variant is expected to do, report.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/check.h"
#include "core/minimize.h"
#include "core/trace.h"
#include "options.h"
#include "reports/report.h"
#include "scenarios/list.h"

#define TRACE_DUMP_EVENTS 24 /* per thread */
#define TIMELINE_ROWS 60     /* events of a controlled execution shown */
#define TIMELINE_ALL_ROWS 100000 /* --timeline: all of them */
#define MINIMIZE_TRIES 4000  /* replays a minimization may spend */

/* What a variant changes in free mode and in controlled modes. */
static void list_variant_shapes(const struct scenario_variant *v)
{
	if (v->caught_by & DETECT_PCT)
		printf("    %-22s         pct: stated caught from --sched pct:%d on\n", "",
		       v->pct_depth ? v->pct_depth : CTL_DEFAULT_DEPTH);
	if (v->workload || v->perturb)
		printf("    %-22s         free mode runs with%s%s%s%s\n", "",
		       v->workload ? " --workload " : "", v->workload ? v->workload : "",
		       v->perturb ? " --perturb " : "", v->perturb ? v->perturb : "");
	if (v->cover_sc_only)
		printf("    %-22s         cover: stated caught under --memory sc only (under "
		       "tso and weak, commits and stale reads dilute its search)\n", "");
	if (v->cover_follows_reorderings)
		printf("    %-22s         cover: follows store reorderings (goes on from passed "
		       "stores)\n", "");
	if (v->controlled_vcpus || v->controlled_workload) {
		char vcpus[32] = "";

		if (v->controlled_vcpus)
			snprintf(vcpus, sizeof(vcpus), " --vcpus %d", v->controlled_vcpus);
		printf("    %-22s         controlled modes run with%s%s%s\n", "", vcpus,
		       v->controlled_workload ? " --workload " : "",
		       v->controlled_workload ? v->controlled_workload : "");
	}
}

static const char *ad_bits_name_of(int m) { return m ? "on" : "off"; }
static const char *tlb_huge_name_of(int m) { return tlb_huge_name((enum tlb_huge_mode)m); }
static const char *dirty_log_mode_name_of(int m)
{
	return dirty_log_mode_name((enum dirty_log_mode)m);
}

/* "log: shows only with --log bitmap or clear (runs with bitmap unless
 * told); expected clean with the other". */
static void list_mode_mask(const char *option, unsigned mask, int nr, const char *(*name)(int))
{
	int shown = 0, total = __builtin_popcount(mask);

	if (!mask)
		return;
	printf("    %-22s         %s: shows only with %s", "", option + 2, option);
	for (int m = 0; m < nr; m++)
		if (mask & (1U << m))
			printf("%s%s", shown++ ? (shown == total ? " or " : ", ") : " ", name(m));
	printf(" (runs with %s unless told); expected clean with the other%s\n",
	       name(__builtin_ctz(mask)), nr - total > 1 ? "s" : "");
}

static void list_scenarios(void)
{
	for (int i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = all_scenarios[i];

		printf("%s  [%s] %s\n  from: %s\n", s->name, s->arch->name, s->summary, s->origin);
		for (int j = 0; j < s->nr_variants; j++) {
			const struct scenario_variant *v = &s->variants[j];

			printf("    %-22s %-7s %s\n", v->name, v->buggy ? "buggy" : "fixed", v->summary);
			printf("    %-22s         %s\n", "", v->note);
			if (v->buggy)
				printf("    %-22s         caught by:%s%s%s%s%s%s\n", "",
				       v->caught_by & DETECT_ORACLE ?
					       (v->rare_in_free_mode ? " free (rarely)" : " free") : "",
				       v->caught_by & DETECT_RANDOM ? " random" : "",
				       v->caught_by & DETECT_PCT ? " pct" : "",
				       v->caught_by & DETECT_COVER ? " cover" : "",
				       v->caught_by & DETECT_TSAN ? " tsan" : "",
				       v->caught_by & DETECT_STORE_BUFFERS ? " store-buffers" : "");
			if (v->shows_with_range_flush)
				printf("    %-22s         range flush: shows only with --range-flush %s; "
				       "expected clean with the other\n", "",
				       v->shows_with_range_flush == RANGE_FLUSH_WORKS ? "works"
										 : "unsupported");
			list_mode_mask("--tlb-huge", v->shows_with_tlb_huge,
				       NR_TLB_HUGE_MODES, tlb_huge_name_of);
			list_mode_mask("--log", v->shows_with_log, NR_LOG_MODES,
				       dirty_log_mode_name_of);
			list_mode_mask("--ad-bits", v->shows_with_ad_bits, 2, ad_bits_name_of);
			if (v->needs_huge_leaves)
				printf("    %-22s         huge pages: shows only where a memslot holds a "
				       "whole huge page; expected clean below\n", "");
			if (v->buggy && v->shows_from != MEM_SC)
				printf("    %-22s         memory: can show from --memory %s on; "
				       "expected clean under a stronger model\n", "",
				       mem_model_name(v->shows_from));
			list_variant_shapes(v);
		}
	}
}

/* A buggy variant's expectation under a controlled scheduler: what its
 * descriptor says that scheduler catches. */
static enum verdict_expect controlled_expectation(const struct options *o,
						  const struct scenario_variant *v,
						  const char **why)
{
	unsigned want = o->sched == SCHED_RANDOM ? DETECT_RANDOM
			: o->sched == SCHED_COVER ? DETECT_COVER
						  : DETECT_PCT;

	/* A model stronger than the bug needs: it cannot happen. */
	if (o->memory < v->shows_from)
		return VERDICT_EXPECT_CLEAN;
	if (o->sched == SCHED_PCT && (v->caught_by & want) && o->pct_depth < v->pct_depth) {
		*why = "stated caught only from a deeper pct (--list says which)";
		return VERDICT_NOT_JUDGED;
	}
	if (o->sched == SCHED_COVER && (v->caught_by & want) && v->cover_sc_only &&
	    o->memory != MEM_SC) {
		*why = "stated caught by cover under --memory sc only (--list says why)";
		return VERDICT_NOT_JUDGED;
	}
	if (v->caught_by & want)
		return VERDICT_EXPECT_VIOLATION;
	*why = "not stated as caught under this scheduler (--list says where it is)";
	return VERDICT_NOT_JUDGED;
}

/* Does the run's configuration let the variant's bug show at all? */
static bool bug_can_show(const struct run_config *cfg, const struct scenario_variant *v)
{
	if (v->shows_with_tlb_huge && !(v->shows_with_tlb_huge & (1U << cfg->kvm.tlb_huge)))
		return false;
	if (v->shows_with_log && !(v->shows_with_log & (1U << cfg->kvm.log_mode)))
		return false;
	if (v->shows_with_ad_bits && !(v->shows_with_ad_bits & (1U << cfg->kvm.ad_bits)))
		return false;
	if (v->needs_huge_leaves && !kvm_can_map_huge(&cfg->kvm))
		return false;
	if (v->shows_with_range_flush == RANGE_FLUSH_WORKS)
		return cfg->kvm.arch_range_flush;
	if (v->shows_with_range_flush == RANGE_FLUSH_UNSUPPORTED)
		return !cfg->kvm.arch_range_flush;
	return true;
}

static enum verdict_expect expectation(const struct options *o, const struct run_config *cfg,
				       const struct scenario_variant *v,
				       const char **why)
{
	*why = NULL;
	if (o->expect == EXPECT_CLEAN)
		return VERDICT_EXPECT_CLEAN;
	if (o->expect == EXPECT_VIOLATION)
		return VERDICT_EXPECT_VIOLATION;
	if (!v->buggy || !bug_can_show(cfg, v))
		return VERDICT_EXPECT_CLEAN;
	/* A given schedule is the claim: it was kept, or written, because it
	 * fails. */
	if (o->guide)
		return VERDICT_EXPECT_VIOLATION;
	if (o->sched != SCHED_FREE)
		return controlled_expectation(o, v, why);
	if (v->rare_in_free_mode) {
		*why = "caught by the oracle, but too rarely in free mode to judge a run";
		return VERDICT_NOT_JUDGED;
	}
	if (v->caught_by & DETECT_ORACLE)
		return VERDICT_EXPECT_VIOLATION;
	*why = v->caught_by & DETECT_STORE_BUFFERS ?
		       "needs modelled store buffers, which free mode does not have" :
		       "only ThreadSanitizer (./stress-tsan) can catch it";
	return VERDICT_NOT_JUDGED;
}

/* The variant's own workload: free mode's pace, or a controlled
 * execution's shape. */
/* The first mode in a descriptor's mask, if `mode` is not in it: a run of
 * the variant shows its bug unless the user chose otherwise. */
static int mode_the_bug_needs(unsigned mask, int mode)
{
	if (!mask || (mask & (1U << mode)))
		return mode;
	return __builtin_ctz(mask);
}

static void apply_variant_shape(struct run_config *cfg, const struct scenario_variant *v)
{
	const char *w = cfg->sched == SCHED_FREE ? v->workload : v->controlled_workload;

	cfg->kvm.tlb_huge = (enum tlb_huge_mode)mode_the_bug_needs(v->shows_with_tlb_huge,
								   cfg->kvm.tlb_huge);
	cfg->kvm.log_mode = (enum dirty_log_mode)mode_the_bug_needs(v->shows_with_log,
								    cfg->kvm.log_mode);
	cfg->kvm.ad_bits = mode_the_bug_needs(v->shows_with_ad_bits, cfg->kvm.ad_bits);
	if (cfg->sched != SCHED_FREE && v->controlled_vcpus)
		cfg->kvm.nr_vcpus = v->controlled_vcpus;
	cfg->cover_reorderings = v->cover_follows_reorderings;
	if (w)
		HARNESS_ASSERT(!workload_apply(&cfg->work, w),
			       "variant %s has a bad workload '%s'", v->name, w);
}

static void build_config(struct run_config *cfg, const struct options *o,
			 const struct scenario *s, const struct scenario_variant *v,
			 uint64_t seed)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kvm.nr_memslots = 1;
	cfg->kvm.tlb_entries = 64;
	cfg->kvm.tlb_huge = TLB_HUGE_ENTRY;
	cfg->kvm.arch_range_flush = true;
	/* The scheduler first: scenarios size their work by it. */
	cfg->sched = o->sched;
	cfg->pct_depth = o->pct_depth;
	cfg->pct_steps = o->pct_steps;
	cfg->executions = o->executions;
	cfg->first_execution = o->first_execution;
	cfg->memory = o->memory;
	cfg->guide = o->guide;
	cfg->guide_len = o->guide_len;
	s->defaults(cfg, v);
	apply_variant_shape(cfg, v);
	if (o->vcpus)
		cfg->kvm.nr_vcpus = (int)o->vcpus;
	if (o->gfns)
		cfg->kvm.nr_gfns = o->gfns;
	if (o->hot_gfns)
		cfg->work.hot_gfns = (uint32_t)o->hot_gfns;
	if (o->range_flush)
		cfg->kvm.arch_range_flush = o->range_flush == RANGE_FLUSH_WORKS;
	if (o->tlb_huge_given)
		cfg->kvm.tlb_huge = o->tlb_huge;
	if (o->log_given)
		cfg->kvm.log_mode = o->log_mode;
	if (o->ad_bits_given)
		cfg->kvm.ad_bits = o->ad_bits;
	if (o->tlb_entries)
		cfg->kvm.tlb_entries = (uint32_t)o->tlb_entries;
	if (o->workload[0])
		HARNESS_ASSERT(!workload_apply(&cfg->work, o->workload),
			       "--workload passed parsing but not application");
	cfg->perturb = perturb_defaults;
	if (v->perturb)
		HARNESS_ASSERT(!perturb_apply(&cfg->perturb, v->perturb),
			       "variant %s has a bad perturbation '%s'", v->name, v->perturb);
	if (o->perturb_spec[0])
		HARNESS_ASSERT(!perturb_apply(&cfg->perturb, o->perturb_spec),
			       "--perturb passed parsing but not application");

	cfg->seed = seed;
	cfg->duration_ns = o->duration_ns;
	cfg->keep_going = o->keep_going;
	cfg->progress = !o->quiet && isatty(STDERR_FILENO);
}

static int check_config(const struct run_config *cfg)
{
	if (cfg->work.hot_gfns > cfg->kvm.nr_gfns) {
		fprintf(stderr, "stress: --hot-gfns %u is not allowed: at most --gfns (%llu)\n",
			cfg->work.hot_gfns, (unsigned long long)cfg->kvm.nr_gfns);
		return -1;
	}
	return 0;
}

static void format_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns % 1000000000ULL == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / 1000000000ULL));
	else
		snprintf(buf, len, "%llums", (unsigned long long)(ns / 1000000ULL));
}

static const char *sched_name(const struct run_config *cfg);
static const char *replay_sched_name(const struct run *run);

static uint64_t peak_rss_bytes(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss * 1024;
}

static void fill_result(struct run_result *r, struct run *run, const struct options *o,
			const struct scenario *s, const struct scenario_variant *v)
{
	char dur[32];

	memset(r, 0, sizeof(*r));
	r->scenario = s->name;
	r->variant = v->name;
	snprintf(r->sched_buf, sizeof(r->sched_buf), "%s", sched_name(&run->cfg));
	r->sched = r->sched_buf;
	snprintf(r->replay_sched, sizeof(r->replay_sched), "%s", replay_sched_name(run));
	r->executions_run = run->executions_run;
	r->failing_execution = run->failing_execution;
	r->replay_execution = run->failing_execution;
	r->cover_states = run->cover_states;
	/* A search's failing execution is its last; its workers drew from
	 * the seeds of the execution that found the prefix it replayed. */
	r->searched = run->cfg.sched == SCHED_COVER && !o->guide;
	if (r->searched)
		r->failing_execution = run->executions_run - 1;
	r->failing_steps = run->failing_steps;
	r->failing_trace_hash = run->failing_trace_hash;
	r->memory = mem_model_name(run->cfg.memory);
	r->range_flush = run->cfg.kvm.arch_range_flush ? "works" : "unsupported";
	r->tlb_huge = tlb_huge_name(run->cfg.kvm.tlb_huge);
	r->log_mode = dirty_log_mode_name(run->cfg.kvm.log_mode);
	r->ad_bits = run->cfg.kvm.ad_bits ? "on" : "off";
	r->decisions = run->decisions;
	r->peak_rss_bytes = peak_rss_bytes();
	r->nr_threads = run->nr_workers;
	for (int i = 0; i < run->nr_workers; i++)
		snprintf(r->thread_names[i], sizeof(r->thread_names[i]), "%s",
			 run->workers[i].ctx->name);
	r->workload_spec = o->workload;
	r->guided = o->guide != NULL;
	r->perturb_spec = o->perturb_spec;
	r->seed = run->cfg.seed;
	r->duration_ns = run->cfg.duration_ns;
	r->elapsed_ns = run->elapsed_ns;
	r->interrupted = run->interrupted;
	r->expected = expectation(o, &run->cfg, v, &r->not_judged_reason);
	r->nr_violations = atomic_load(&run->oracle.nr_violations);
	r->outcome = r->nr_violations ? OUTCOME_VIOLATION : OUTCOME_CLEAN;
	r->as_expected = r->expected == VERDICT_NOT_JUDGED ||
			 (r->expected == VERDICT_EXPECT_VIOLATION) == (r->outcome == OUTCOME_VIOLATION);
	r->nr_kept = run->oracle.nr_kept;
	memcpy(r->kept, run->oracle.kept, sizeof(r->kept));
	r->first_violation_ns = run->first_violation_ns;
	r->accesses_to_first_violation = run->accesses_to_first_violation;
	memcpy(r->counters, run->totals, sizeof(r->counters));
	r->vcpus = run->cfg.kvm.nr_vcpus;
	r->gfns = run->cfg.kvm.nr_gfns;
	r->hot_gfns = run->cfg.work.hot_gfns;
	r->tlb_entries = run->cfg.kvm.tlb_entries;
	format_duration(dur, sizeof(dur), run->cfg.duration_ns);
	if (o->guide)
		/* The decisions are in the file, not derivable from the seed. */
		snprintf(r->replay, sizeof(r->replay), "%s --replay %s --variant %s", o->argv0,
			 o->replay_path, v->name);
	else if (run->cfg.sched == SCHED_COVER)
		/* Execution i of a search depends on all before it: the same
		 * seed, stopped after the failing one, runs them again. */
		snprintf(r->replay, sizeof(r->replay),
			 "%s --scenario %s --variant %s --sched cover --seed %#llx --executions %llu%s",
			 o->argv0, s->name, v->name, (unsigned long long)run->cfg.seed,
			 (unsigned long long)run->executions_run, o->replay_extra);
	else if (run->cfg.sched == SCHED_FREE)
		snprintf(r->replay, sizeof(r->replay),
			 "%s --scenario %s --variant %s --seed %#llx --duration %s%s", o->argv0,
			 s->name, v->name, (unsigned long long)run->cfg.seed, dur, o->replay_extra);
	else
		snprintf(r->replay, sizeof(r->replay),
			 "%s --scenario %s --variant %s --sched %s --seed %#llx --execution %llu%s",
			 o->argv0, s->name, v->name, r->replay_sched, (unsigned long long)run->cfg.seed,
			 (unsigned long long)run->failing_execution, o->replay_extra);
}

static const char *sched_name(const struct run_config *cfg)
{
	static char buf[16];

	if (cfg->sched == SCHED_FREE)
		return "free";
	if (cfg->sched == SCHED_RANDOM)
		return "random";
	if (cfg->sched == SCHED_COVER)
		return "cover";
	snprintf(buf, sizeof(buf), "pct:%d", cfg->pct_depth);
	return buf;
}

/* The scheduler that replays one execution: PCT's k included. */
static const char *replay_sched_name(const struct run *run)
{
	static char buf[48];

	if (run->cfg.sched != SCHED_PCT)
		return sched_name(&run->cfg);
	snprintf(buf, sizeof(buf), "pct:%d:%llu", run->cfg.pct_depth,
		 (unsigned long long)run->failing_pct_steps);
	return buf;
}

static void print_header(const struct run_config *cfg, const struct scenario *s,
			 const struct scenario_variant *v)
{
	printf("lostflush %s: %s/%s seed=%#llx duration=%.1fs vcpus=%d gfns=%llu hot=%u sched=%s%s%s\n",
	       LOSTFLUSH_VERSION, s->name, v->name, (unsigned long long)cfg->seed,
	       (double)cfg->duration_ns / 1e9, cfg->kvm.nr_vcpus,
	       (unsigned long long)cfg->kvm.nr_gfns, cfg->work.hot_gfns, sched_name(cfg),
	       cfg->sched == SCHED_FREE ? "" : " memory=", 
	       cfg->sched == SCHED_FREE ? "" : mem_model_name(cfg->memory));
	fflush(stdout);
}

/* The result outlives the run: it takes the failing schedule (up to the
 * violation) with it. A search's execution keeps every decision: past its
 * violation it went on at random, where a replay of the decisions before
 * the violation alone would go on its own way, and under store buffers
 * make other stores visible, another trace and another hash. */
static void keep_schedule(struct run_result *r, struct run *run)
{
	if (!run->schedule || !r->nr_kept)
		return;
	r->schedule = run->schedule;
	r->schedule_len = run->schedule_len;
	if (!r->searched && r->kept[0].decision < r->schedule_len)
		r->schedule_len = r->kept[0].decision;
	run->schedule = NULL;
}

static void free_schedules(struct run_result *r)
{
	free((void *)r->schedule);
	free((void *)r->minimized);
}

/* What led to the violation: the events of every thread, as a timeline of
 * one column per thread in controlled modes (after --minimize, of the
 * minimized schedule). */
static void print_interleaving(struct run *run, const struct options *o,
			       struct run_result *result, struct minimize_result *min)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	if (run->cfg.sched == SCHED_FREE) {
		printf("!!! last %d events of every thread up to the first violation "
		       "(ms since start):\n", TRACE_DUMP_EVENTS);
		trace_dump(stdout, threads, nr, TRACE_DUMP_EVENTS, run->t0_ns,
			   run->t0_ns + run->first_violation_ns);
		return;
	}
	if (o->minimize && run->schedule) {
		minimize_schedule(run, MINIMIZE_TRIES, min);
		result->minimized = min->schedule;
		result->minimized_len = min->len;
		result->minimized_trace_hash = trace_hash(threads, nr);
		printf("!!! minimized in %llu replays: %llu -> %llu context switches, "
		       "%zu -> %zu decisions, %d -> %d threads before the violation; "
		       "trace hash %016llx\n",
		       (unsigned long long)min->tries, (unsigned long long)min->switches_before,
		       (unsigned long long)min->switches_after, min->len_before, min->len,
		       min->threads_before, min->threads_after,
		       (unsigned long long)result->minimized_trace_hash);
	}
	printf("!!! the %sinterleaving, one column per thread, in the order it ran:\n",
	       min->schedule ? "minimized " : "");
	trace_timeline(stdout, threads, nr, o->timeline ? TIMELINE_ALL_ROWS : TIMELINE_ROWS);
}

/* --timeline on a clean run: what the last execution did, every event of
 * it, so a schedule can be read and written by hand. */
static void print_clean_timeline(struct run *run)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	printf("!!! the last execution (%llu), one column per thread, in the order it ran:\n",
	       (unsigned long long)(run->cfg.first_execution + run->executions_run - 1));
	trace_timeline(stdout, threads, nr, TIMELINE_ALL_ROWS);
}

/* One scenario x variant. Returns -1 on bad configuration (exit 2). */
static int run_one(const struct options *o, const struct scenario *s,
		   const struct scenario_variant *v, uint64_t seed, struct run_result *result)
{
	struct run_config cfg;
	struct run *run;
	struct minimize_result min = { 0 };

	build_config(&cfg, o, s, v, seed);
	if (check_config(&cfg))
		return -1;
	run = calloc(1, sizeof(*run));
	HARNESS_ASSERT(run, "out of memory");
	HARNESS_ASSERT(!run_init(run, &cfg), "cannot build the VM model (%llu gfns)",
		       (unsigned long long)cfg.kvm.nr_gfns);
	run->kvm.arch = v->arch ? v->arch : s->arch;
	run->kvm.policy = v->policy;
	if (!o->quiet)
		print_header(&cfg, s, v);
	s->add_workers(run, v);
	run_execute(run);
	fill_result(result, run, o, s, v);
	report_text_violations(stdout, result);
	if (result->nr_violations)
		print_interleaving(run, o, result, &min);
	else if (o->timeline && cfg.sched != SCHED_FREE)
		print_clean_timeline(run);
	report_text_summary(stdout, result, o->quiet);
	keep_schedule(result, run);
	run_destroy(run);
	free(run);
	return 0;
}

static uint64_t default_seed(void)
{
	uint64_t x = trace_now_ns() ^ ((uint64_t)getpid() << 32);

	return splitmix64(&x);
}

struct selection {
	const struct scenario *scenario;
	const struct scenario_variant *variant;
};

static void print_names(const struct scenario *s)
{
	if (!s) {
		fputs("  scenarios: all", stderr);
		for (int i = 0; i < nr_scenarios; i++)
			fprintf(stderr, ", %s", all_scenarios[i]->name);
	} else {
		fputs("  variants: all", stderr);
		for (int i = 0; i < s->nr_variants; i++)
			fprintf(stderr, ", %s", s->variants[i].name);
	}
	fputs("\n", stderr);
}

/* Expand --scenario/--variant into runs; -1 on an unknown name. */
static int select_runs(const struct options *o, struct selection *sel, int max, int *n)
{
	bool all_scenarios_wanted = !strcmp(o->scenario, "all");
	const struct scenario *only = all_scenarios_wanted ? NULL : scenario_find(o->scenario);

	*n = 0;
	if (!all_scenarios_wanted && !only) {
		fprintf(stderr, "stress: --scenario '%s' is unknown\n", o->scenario);
		print_names(NULL);
		return -1;
	}
	if (all_scenarios_wanted && o->variant && strcmp(o->variant, "all")) {
		fprintf(stderr, "stress: --variant '%s' needs one --scenario, not all\n", o->variant);
		return -1;
	}
	for (int i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = all_scenarios[i];
		bool every = all_scenarios_wanted || (o->variant && !strcmp(o->variant, "all"));

		if (only && s != only)
			continue;
		if (!every) {
			const struct scenario_variant *v =
				o->variant ? variant_find(s, o->variant) : &s->variants[0];

			if (!v) {
				fprintf(stderr, "stress: --variant '%s' is unknown for %s\n",
					o->variant, s->name);
				print_names(s);
				return -1;
			}
			sel[(*n)++] = (struct selection){ s, v };
			continue;
		}
		for (int j = 0; j < s->nr_variants && *n < max; j++)
			sel[(*n)++] = (struct selection){ s, &s->variants[j] };
	}
	return 0;
}

static int run_selection(const struct options *o, const struct selection *sel, int n,
			 uint64_t seed)
{
	struct run_result *results = calloc((size_t)n, sizeof(*results));
	int done = 0, failed = 0;

	HARNESS_ASSERT(results, "out of memory");
	for (; done < n && !run_sigint_seen(); done++) {
		if (run_one(o, sel[done].scenario, sel[done].variant, seed, &results[done])) {
			free(results);
			return EXIT_USAGE;
		}
		failed += !results[done].as_expected;
	}
	if (n > 1) {
		printf("\nSummary (%d of %d runs):\n", done, n);
		for (int i = 0; i < done; i++)
			printf("  %-5s %s/%s: %s, expected %s\n", results[i].as_expected ? "ok" : "FAIL",
			       results[i].scenario, results[i].variant, outcome_name(results[i].outcome),
			       expect_name(results[i].expected));
	}
	if (o->report_path && report_json_write(o->report_path, results, done))
		failed++;
	for (int i = 0; i < done; i++)
		free_schedules(&results[i]);
	free(results);
	printf("End of test: %s\n", failed ? "FAILURE" : "SUCCESS");
	return failed ? EXIT_NOT_AS_EXPECTED : EXIT_AS_EXPECTED;
}

/* --replay FILE: the report's run replaces the command line, but for what
 * concerns output (-q, --report). */
static int load_replay(struct options *o)
{
	struct options given = *o;

	if (given.scenario) {
		fprintf(stderr, "stress: --replay takes the scenario from the report; give no "
			"--scenario with it (--variant V replays the interleaving against V)\n");
		return -1;
	}
	if (report_json_load_replay(given.replay_path, o))
		return -1;
	/* Another variant of the same scenario under the same decisions: where
	 * the schedule asks for something that variant cannot do (a store its
	 * barrier holds back), the decision is skipped, as in any guided run. */
	if (given.variant) {
		o->variant = given.variant;
		o->expect = EXPECT_FROM_VARIANT;
	}
	if (given.expect != EXPECT_FROM_VARIANT)
		o->expect = given.expect;
	o->timeline = given.timeline;
	o->minimize = given.minimize;
	o->quiet = given.quiet;
	o->report_path = given.report_path;
	o->replay_path = given.replay_path;
	o->argv0 = given.argv0;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct selection sel[256];
	int n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (options_parse(&o, argc, argv))
		return EXIT_USAGE;
	if (o.help) {
		options_usage(stdout, argv[0]);
		return 0;
	}
	if (o.version) {
		printf("lostflush %s\n", LOSTFLUSH_VERSION);
		return 0;
	}
	if (o.list) {
		list_scenarios();
		return 0;
	}
	if (o.replay_path && load_replay(&o))
		return EXIT_USAGE;
	if (o.sched == SCHED_COVER && o.one_execution && !o.guide) {
		fprintf(stderr, "stress: --execution cannot pick one execution of --sched cover out: "
			"each depends on every one before it; run the same --seed with "
			"--executions N+1, or --replay its report\n");
		return EXIT_USAGE;
	}
	if (!o.scenario) {
		fprintf(stderr, "stress: no --scenario given\n");
		print_names(NULL);
		fprintf(stderr, "  (--list describes them; --help lists every option)\n");
		return EXIT_USAGE;
	}
	if (select_runs(&o, sel, (int)(sizeof(sel) / sizeof(sel[0])), &n))
		return EXIT_USAGE;
	if (o.report_path && report_json_check_path(o.report_path))
		return EXIT_USAGE;
	run_install_sigint();
	return run_selection(&o, sel, n, o.seed_given ? o.seed : default_seed());
}
