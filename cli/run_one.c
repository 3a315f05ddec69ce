// SPDX-License-Identifier: GPL-2.0
#include "run_one.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../engine/budget.h"
#include "../engine/check.h"
#include "../engine/interrupt.h"
#include "../engine/minimize.h"
#include "../engine/trace.h"
#include "../engine/tsan_report.h"
#include "../real/kvm_vm.h"
#include "../workers/registry.h"
#include "../workers/workers.h"
#include "config.h"
#include "verdict.h"

#define TRACE_DUMP_EVENTS 24	 /* per thread */
#define TIMELINE_ROWS 60	 /* events of a controlled execution shown */
#define TIMELINE_ALL_ROWS 100000 /* --timeline: all of them */
#define MINIMIZE_TRIES 4000	 /* replays a minimization may spend */

static const char *sched_name(const struct run_config *cfg)
{
	static char buf[24];

	if (cfg->sched == SCHED_FREE)
		return "free";
	if (cfg->sched == SCHED_RANDOM)
		return "random";
	if (cfg->sched == SCHED_COVER)
		return "cover";
	if (cfg->sched == SCHED_POS)
		return "pos";
	if (cfg->sched == SCHED_SURW)
		return "surw";
	if (cfg->sched == SCHED_BOUNDED && cfg->bound == BOUNDED_NONE)
		return "bounded";
	if (cfg->sched == SCHED_BOUNDED) {
		snprintf(buf, sizeof(buf), "bounded:%d", cfg->bound);
		return buf;
	}
	snprintf(buf, sizeof(buf), "pct:%d", cfg->pct_depth);
	return buf;
}

static uint64_t peak_rss_bytes(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss * 1024;
}

static void set(struct options *r, enum option_id id)
{
	r->given[id] = true;
}

/* The run's options as it ran: the scenario's and variant's settings
 * resolved, every one marked given. Shares o's strings: never freed. */
static struct options as_run(const struct options *o, const struct run *run,
			     const struct scenario *s, const struct scenario_variant *v)
{
	const struct run_config *cfg = &run->cfg;
	const struct vm_config *vc = &run_vm(run)->cfg;
	struct options r = *o;

	r.owned = NULL;
	r.nr_owned = 0;
	r.guide = NULL;
	r.scenario = s->name;
	r.variant = v->name;
	r.seed = cfg->seed;
	r.duration_ns = cfg->duration_ns;
	r.vcpus = (uint64_t)vc->kvm.nr_vcpus;
	r.gfns = vc->kvm.nr_gfns;
	r.hot_gfns = vc->work.hot_gfns;
	r.tlb_entries = vc->kvm.tlb_entries;
	r.range_flush = vc->kvm.arch_range_flush ? RANGE_FLUSH_WORKS : RANGE_FLUSH_UNSUPPORTED;
	r.tlb_huge = vc->kvm.tlb_huge;
	r.log_mode = vc->kvm.log_mode;
	r.ad_bits = vc->kvm.ad_bits;
	r.memory = cfg->memory;
	r.arch = vc->kvm.arch->name;
	for (enum option_id id = OPT_SCENARIO; id < NR_OPTIONS; id++)
		if (option_table[id].flags & OPTF_SHAPES_RUN &&
		    !(option_table[id].kind == OK_SPEC || option_table[id].kind == OK_FLAG ||
		      id == OPT_EXECUTIONS || id == OPT_EXECUTION || id == OPT_EXPECT))
			set(&r, id);
	if (cfg->sched == SCHED_FREE)
		r.given[OPT_MEMORY] = false;
	return r;
}

/* What --replay reads back: the carried options, the failing execution,
 * and the scheduler that replays it (PCT's k included). */
static void fill_replay(struct run_result *r, const struct options *o, const struct run *run,
			const struct scenario *s, const struct scenario_variant *v)
{
	struct options rp = as_run(o, run, s, v);

	if (run->cfg.sched == SCHED_PCT)
		rp.pct_steps = run->failing_pct_steps;
	rp.first_execution = r->replay_execution;
	set(&rp, OPT_EXECUTION);
	r->replay = options_report_kv(&rp, OPTF_CARRIED, &r->nr_replay);
}

/* The line that runs it again: a replay's own file; a search's seed for
 * as many executions; one controlled execution; or free mode's seed for
 * the same time. Each with the options the user gave that shape the run. */
static char *rerun_line(const struct options *o, const struct run *run, const struct run_result *r,
			const struct scenario *s, const struct scenario_variant *v)
{
	struct options rr = *o;

	rr.scenario = s->name;
	rr.variant = v->name;
	rr.seed = run->cfg.seed;
	set(&rr, OPT_SCENARIO);
	set(&rr, OPT_VARIANT);
	set(&rr, OPT_SEED);
	rr.given[OPT_EXECUTIONS] = rr.given[OPT_EXECUTION] = rr.given[OPT_DURATION] = false;
	if (o->guide) {
		memset(rr.given, 0, sizeof(rr.given));
		set(&rr, OPT_REPLAY);
		set(&rr, OPT_VARIANT);
		return options_command_line(&rr, OPTF_SHAPES_RUN | OPTF_WITH_REPLAY);
	}
	if (run->cfg.sched == SCHED_COVER || run->cfg.sched == SCHED_BOUNDED ||
	    run->cfg.sched == SCHED_SURW) {
		/* Execution i of a search depends on all before it: the same
		 * seed, stopped after the failing one, runs them again. */
		rr.executions = run->executions_run;
		set(&rr, OPT_EXECUTIONS);
	} else if (run->cfg.sched != SCHED_FREE) {
		rr.first_execution = r->failing_execution;
		if (run->cfg.sched == SCHED_PCT)
			rr.pct_steps = run->failing_pct_steps;
		set(&rr, OPT_EXECUTION);
	} else {
		rr.duration_ns = run->cfg.duration_ns;
		set(&rr, OPT_DURATION);
	}
	return options_command_line(&rr, OPTF_SHAPES_RUN);
}

static void fill_identity(struct run_result *r, const struct run *run, const struct scenario *s,
			  const struct scenario_variant *v)
{
	r->scenario = s->name;
	r->variant = v->name;
	snprintf(r->sched_buf, sizeof(r->sched_buf), "%s", sched_name(&run->cfg));
	r->sched = r->sched_buf;
	r->memory = mem_model_name(run->cfg.memory);
	r->seed = run->cfg.seed;
	r->duration_ns = run->cfg.duration_ns;
	r->vcpus = run_vm(run)->cfg.kvm.nr_vcpus;
	r->gfns = run_vm(run)->cfg.kvm.nr_gfns;
	r->hot_gfns = run_vm(run)->cfg.work.hot_gfns;
	r->tlb_entries = run_vm(run)->cfg.kvm.tlb_entries;
	r->nr_threads = run->nr_workers;
	for (int i = 0; i < run->nr_workers; i++)
		snprintf(r->thread_names[i], sizeof(r->thread_names[i]), "%s",
			 run->workers[i].ctx->name);
}

static void fill_executions(struct run_result *r, const struct options *o, const struct run *run)
{
	r->executions_run = run->executions_run;
	r->failing_execution = run->failing_execution;
	r->replay_execution = run->failing_execution;
	r->cover_states = run->cover_states;
	r->archive_full = run->cover_archive_full;
	r->archive_bytes = run->cover_archive_bytes;
	/* A search's failing execution is its last; its workers drew from
	 * the seeds of the execution that found the prefix it replayed. */
	r->searched = run->cfg.sched == SCHED_COVER && !o->guide;
	if (r->searched)
		r->failing_execution = run->executions_run - 1;
	/* Every schedule of a bounded search draws from execution 0's
	 * seeds. */
	r->bounded = run->cfg.sched == SCHED_BOUNDED && !o->guide;
	if (r->bounded) {
		r->failing_execution = run->executions_run - 1;
		r->replay_execution = 0;
		r->bound = run->cfg.bound == BOUNDED_NONE ? -1 : run->cfg.bound;
		r->bound_complete = run->bound_complete == BOUNDED_NONE ? -1 : run->bound_complete;
		r->bound_reached = run->bound_reached == BOUNDED_NONE ? -1 : run->bound_reached;
		r->bound_schedules = run->bound_schedules;
		r->bound_exhaustive = run->bound_exhaustive;
		r->bug_depth = run->bug_depth;
	}
	/* SURW's weights come from the run's first execution. */
	r->replay_by_schedule =
		r->searched || r->bounded || (run->cfg.sched == SCHED_SURW && !o->guide);
	r->failing_steps = run->failing_steps;
	r->failing_trace_hash = run->failing_trace_hash;
	r->decisions = run->decisions;
	r->guided = o->guide != NULL;
}

static void fill_outcome(struct run_result *r, const struct options *o, const struct run *run,
			 const struct scenario_variant *v)
{
	const struct oracle *oracle = &run_vm(run)->oracle;
	const struct config cfg = { run->cfg, run_vm(run)->cfg };

	r->elapsed_ns = run->elapsed_ns;
	r->interrupted = run->interrupted;
	r->expected = run_expectation((enum expectation)o->expect, o->guide != NULL, &cfg, v,
				      &r->not_judged_reason);
	r->nr_violations = atomic_load(&oracle->nr_violations);
	r->outcome = r->nr_violations ? OUTCOME_VIOLATION : OUTCOME_CLEAN;
	r->verdict = run_verdict(r->expected, r->outcome, r->interrupted);
	r->as_expected = r->verdict != VERDICT_NOT_AS_EXPECTED;
	if (r->interrupted && r->verdict == VERDICT_UNJUDGED && !r->not_judged_reason)
		r->not_judged_reason = "interrupted before it was decided";
	/* --duration ended inside the first controlled execution: a cut
	 * execution judges nothing and is not counted, so the run has seen
	 * nothing to call clean. */
	if (run->cfg.sched != SCHED_FREE && !run->executions_run && !r->nr_violations &&
	    r->verdict != VERDICT_UNJUDGED) {
		r->verdict = VERDICT_UNJUDGED;
		r->as_expected = true;
		r->not_judged_reason = "no execution completed within --duration";
	}
	r->nr_kept = oracle->nr_kept;
	memcpy(r->kept, oracle->kept, sizeof(r->kept));
	if (oracle->nr_kept) {
		r->first_violation_ns = oracle->kept[0].t_ns;
		r->accesses_to_first_violation = oracle->kept[0].accesses;
	}
	memcpy(r->counters, run->totals, sizeof(r->counters));
	r->peak_rss_bytes = peak_rss_bytes();
	r->max_memory = o->max_memory;
}

static void fill_result(struct run_result *r, struct run *run, const struct options *o,
			const struct scenario *s, const struct scenario_variant *v)
{
	struct options ran;

	memset(r, 0, sizeof(*r));
	fill_identity(r, run, s, v);
	fill_executions(r, o, run);
	fill_outcome(r, o, run, v);
	snprintf(r->replay_sched, sizeof(r->replay_sched), "%s", sched_name(&run->cfg));
	if (run->cfg.sched == SCHED_PCT)
		snprintf(r->replay_sched, sizeof(r->replay_sched), "pct:%d:%llu",
			 run->cfg.pct_depth, (unsigned long long)run->failing_pct_steps);
	ran = as_run(o, run, s, v);
	r->options = options_report_kv(&ran, OPTF_SHAPES_RUN, &r->nr_options);
	if (r->nr_violations && run->cfg.sched != SCHED_FREE)
		fill_replay(r, o, run, s, v);
	r->rerun = rerun_line(o, run, r, s, v);
	HARNESS_NEED(r->options && r->rerun &&
			     (r->replay || !r->nr_violations || run->cfg.sched == SCHED_FREE),
		     "memory", "the report of a run");
}

static void print_header(const struct config *c, const struct scenario *s,
			 const struct scenario_variant *v)
{
	const struct run_config *cfg = &c->run;
	const struct vm_config *vc = &c->vm;

	printf("lostflush %s: %s/%s seed=%#llx duration=%.1fs vcpus=%d gfns=%llu hot=%u "
	       "sched=%s%s%s\n",
	       LOSTFLUSH_VERSION, s->name, v->name, (unsigned long long)cfg->seed,
	       (double)cfg->duration_ns / 1e9, vc->kvm.nr_vcpus,
	       (unsigned long long)vc->kvm.nr_gfns, vc->work.hot_gfns, sched_name(cfg),
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

static void minimize(struct run *run, struct run_result *result, struct minimize_result *min)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	minimize_schedule(run, MINIMIZE_TRIES, min);
	result->minimized = min->schedule;
	result->minimized_len = min->len;
	result->minimize_interrupted = min->interrupted;
	if (min->interrupted) {
		if (min->schedule)
			printf("!!! minimizing stopped by a signal after %llu replays: the best "
			       "schedule so far has %llu context switches (from %llu); it is in "
			       "the report\n",
			       (unsigned long long)min->tries,
			       (unsigned long long)ctl_count_switches(min->schedule, min->len),
			       (unsigned long long)min->switches_before);
		return;
	}
	result->minimized_trace_hash = trace_hash(threads, nr);
	printf("!!! minimized in %llu replays: %llu -> %llu context switches, "
	       "%zu -> %zu decisions, %d -> %d threads before the violation; "
	       "trace hash %016llx\n",
	       (unsigned long long)min->tries, (unsigned long long)min->switches_before,
	       (unsigned long long)min->switches_after, min->len_before, min->len,
	       min->threads_before, min->threads_after,
	       (unsigned long long)result->minimized_trace_hash);
}

/* What led to the violation: the events of every thread, as a timeline of
 * one column per thread in controlled modes (after --minimize, of the
 * minimized schedule). */
static void print_interleaving(struct run *run, const struct options *o, struct run_result *result,
			       struct minimize_result *min)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	if (run->cfg.sched == SCHED_FREE) {
		printf("!!! last %d events of every thread up to the first violation "
		       "(ms since start):\n",
		       TRACE_DUMP_EVENTS);
		trace_dump(stdout, threads, nr, TRACE_DUMP_EVENTS, run->t0_ns,
			   run->t0_ns + result->first_violation_ns);
		return;
	}
	/* A signal before the search kept its failing schedule: the
	 * violation stands, with nothing to shrink. */
	if (o->minimize && run->schedule && !interrupt_requested())
		minimize(run, result, min);
	if (min->interrupted)
		return;
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

/* ThreadSanitizer reported a race (engine/tsan_report.h): a finding of the
 * run, recorded as the oracle records its own. */
static void report_data_race(const struct tsan_race *race, void *arg)
{
	struct vm *vm = arg;
	struct violation v = {
		.kind = VIOL_DATA_RACE,
		.vcpu_id = -1,
		.t_ns = race->at_ns > vm->oracle.t0_ns ? race->at_ns - vm->oracle.t0_ns : 0,
		.entry_epoch = race->reports,
		.tsan_what = race->what,
	};

	snprintf(v.walker, sizeof(v.walker), "%s",
		 current_thread ? current_thread->name : "the end check");
	oracle_report(&vm->oracle, &v);
}

/* A host whose /dev/kvm cannot run the guest skips the running kernel's
 * scenarios before any work starts. */
static void need_usable_kvm(const struct scenario *s)
{
	char why[256];

	if (!real_kvm_usable(why, sizeof(why)))
		return;
	fflush(stdout);
	fprintf(stderr, "stress: %s runs on the running kernel's KVM, and this host cannot: %s\n",
		s->name, why);
	fprintf(stderr, "  Skipped: the host lacks /dev/kvm or its permission; not a race, not a "
			"bug in lostflush.\n");
	exit(EXIT_SKIPPED);
}

/* Every hook the run's workers call, its arch provides: checked before
 * they start, not found NULL in the middle of a race. */
static void check_hooks(const struct run *run, const struct scenario *s,
			const struct scenario_variant *v)
{
	const char *hook, *worker;

	HARNESS_ASSERT(!vm_missing_hook(run, &hook, &worker),
		       "%s/%s runs on %s, which has no %s, and its worker %s calls it", s->name,
		       v->name, run_vm(run)->kvm.arch->name, hook, worker);
}

void run_one(const struct options *o, const struct scenario *s, const struct scenario_variant *v,
	     uint64_t seed, struct run_result *result)
{
	struct config cfg;
	struct run *run;
	struct vm *vm;
	struct minimize_result min = { 0 };

	build_config(&cfg, o, s, v, seed);
	if (s->real_kernel)
		need_usable_kvm(s);
	run = calloc(1, sizeof(*run));
	vm = calloc(1, sizeof(*vm));
	HARNESS_NEED(run && vm, "memory", "a run (%zu bytes)", sizeof(*run) + sizeof(*vm));
	vm->cfg = cfg.vm;
	HARNESS_NEED(!run_init(run, &cfg.run, vm, &vm_subject_ops), "memory",
		     "the VM model of %llu gfns and %d vCPUs (--gfns, --vcpus, --tlb-entries)",
		     (unsigned long long)cfg.vm.kvm.nr_gfns, cfg.vm.kvm.nr_vcpus);
	if (!o->quiet)
		print_header(&cfg, s, v);
	add_vcpu_workers(run);
	if (scenario_workers(s, cfg.run.sched))
		HARNESS_ASSERT(!run_add_named_workers(run, scenario_workers(s, cfg.run.sched)),
			       "%s names workers '%s' it cannot", s->name,
			       scenario_workers(s, cfg.run.sched));
	if (s->add_workers)
		s->add_workers(run, v);
	if (v->extra_workers)
		HARNESS_ASSERT(!run_add_named_workers(run, v->extra_workers),
			       "%s/%s adds workers '%s' it cannot", s->name, v->name,
			       v->extra_workers);
	run_set_actor_counts(run, &cfg.vm.actors);
	check_hooks(run, s, v);
	tsan_report_handler(report_data_race, vm);
	run_execute(run);
	/* A report made after the last schedule point (the end check's). */
	tsan_report_poll();
	tsan_report_handler(NULL, NULL);
	fill_result(result, run, o, s, v);
	report_text_violations(stdout, result);
	if (result->nr_violations)
		print_interleaving(run, o, result, &min);
	else if (o->timeline && cfg.run.sched != SCHED_FREE && !run->interrupted)
		print_clean_timeline(run);
	report_text_summary(stdout, result, o->quiet);
	keep_schedule(result, run);
	run_destroy(run);
	free(run);
	free(vm);
}
