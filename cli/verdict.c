// SPDX-License-Identifier: GPL-2.0
#include "verdict.h"

#include "../engine/check.h"
#include "../engine/tsan_report.h"

bool bug_can_show(const struct config *cfg, const struct scenario_variant *v)
{
	if (v->claims.shows_with_tlb_huge &&
	    !(v->claims.shows_with_tlb_huge & (1U << cfg->vm.kvm.tlb_huge)))
		return false;
	if (v->claims.shows_with_log && !(v->claims.shows_with_log & (1U << cfg->vm.kvm.log_mode)))
		return false;
	if (v->claims.shows_with_ad_bits &&
	    !(v->claims.shows_with_ad_bits & (1U << cfg->vm.kvm.ad_bits)))
		return false;
	if (v->claims.shows_with_cpu_features &&
	    !(v->claims.shows_with_cpu_features & (1U << cpu_features_bits(cfg->vm.kvm.cpu))))
		return false;
	if (v->claims.needs_huge_leaves && !kvm_can_map_huge(&cfg->vm.kvm))
		return false;
	if (v->claims.shows_with_range_flush == RANGE_FLUSH_WORKS)
		return cfg->vm.kvm.arch_range_flush;
	if (v->claims.shows_with_range_flush == RANGE_FLUSH_UNSUPPORTED)
		return !cfg->vm.kvm.arch_range_flush;
	return true;
}

/* A buggy variant's expectation under a controlled scheduler: what its
 * descriptor says that scheduler catches. */
static enum verdict_expect
controlled_expectation(const struct config *cfg, const struct scenario_variant *v, const char **why)
{
	unsigned want = cfg->run.sched == SCHED_RANDOM	? DETECT_RANDOM
			: cfg->run.sched == SCHED_COVER ? DETECT_COVER
			: cfg->run.sched == SCHED_PCT	? DETECT_PCT
							: 0;

	/* A model stronger than the bug needs: it cannot happen. */
	if (cfg->run.memory < v->claims.shows_from)
		return VERDICT_EXPECT_CLEAN;
	if (cfg->run.sched == SCHED_PCT && (v->claims.caught_by & want) &&
	    cfg->run.pct_depth < v->claims.pct_depth) {
		*why = "stated caught only from a deeper pct (--list says which)";
		return VERDICT_NOT_JUDGED;
	}
	if (cfg->run.sched == SCHED_PCT && (v->claims.caught_by & want) && v->claims.pct_sc_only &&
	    cfg->run.memory != MEM_SC) {
		*why = "stated caught by pct under --memory sc only (--list says why)";
		return VERDICT_NOT_JUDGED;
	}
	if (cfg->run.sched == SCHED_COVER && (v->claims.caught_by & want) &&
	    v->claims.cover_sc_only && cfg->run.memory != MEM_SC) {
		*why = "stated caught by cover under --memory sc only (--list says why)";
		return VERDICT_NOT_JUDGED;
	}
	if (v->claims.caught_by & want)
		return VERDICT_EXPECT_VIOLATION;
	*why = "not stated as caught under this scheduler (--list says where it is)";
	return VERDICT_NOT_JUDGED;
}

enum verdict_expect run_expectation(enum expectation forced, bool guided, const struct config *cfg,
				    const struct scenario_variant *v, const char **why)
{
	*why = NULL;
	if (forced == EXPECT_CLEAN)
		return VERDICT_EXPECT_CLEAN;
	if (forced == EXPECT_VIOLATION)
		return VERDICT_EXPECT_VIOLATION;
	if (!v->buggy || !bug_can_show(cfg, v))
		return VERDICT_EXPECT_CLEAN;
	/* A given schedule is the claim: it was kept, or written, because it
	 * fails. */
	if (guided)
		return VERDICT_EXPECT_VIOLATION;
	if (cfg->run.sched != SCHED_FREE)
		return controlled_expectation(cfg, v, why);
	if (v->claims.rare_in_free_mode) {
		*why = "caught by the oracle, but too rarely in free mode to judge a run";
		return VERDICT_NOT_JUDGED;
	}
	if (v->claims.caught_by & DETECT_ORACLE)
		return VERDICT_EXPECT_VIOLATION;
	/* ./stress-tsan: TSan's report is a finding of the run. */
	if ((v->claims.caught_by & DETECT_TSAN) && tsan_watching())
		return VERDICT_EXPECT_VIOLATION;
	*why = v->claims.caught_by & DETECT_STORE_BUFFERS
		       ? "needs modelled store buffers, which free mode does not have"
		       : "only ThreadSanitizer (./stress-tsan) can catch it";
	return VERDICT_NOT_JUDGED;
}

enum verdict run_verdict(enum verdict_expect expected, enum outcome outcome, bool interrupted)
{
	if (expected == VERDICT_NOT_JUDGED)
		return VERDICT_UNJUDGED;
	if (outcome == OUTCOME_VIOLATION)
		return expected == VERDICT_EXPECT_VIOLATION ? VERDICT_AS_EXPECTED
							    : VERDICT_NOT_AS_EXPECTED;
	/* Clean so far. */
	if (interrupted)
		return VERDICT_UNJUDGED;
	return expected == VERDICT_EXPECT_CLEAN ? VERDICT_AS_EXPECTED : VERDICT_NOT_AS_EXPECTED;
}

struct final_verdict final_verdict(const struct run_result *results, int done, int signo,
				   bool report_failed)
{
	bool failed = false;

	for (int i = 0; i < done; i++)
		failed |= results[i].verdict == VERDICT_NOT_AS_EXPECTED;
	if (failed)
		return (struct final_verdict){ EXIT_NOT_AS_EXPECTED, "FAILURE" };
	if (signo)
		return (struct final_verdict){ 128 + signo, "INTERRUPTED" };
	/* The runs met their expectations; where they were to be written
	 * did not take them: the machine lacks disk, not a race found. */
	if (report_failed)
		return (struct final_verdict){ EXIT_SKIPPED, "REPORT NOT WRITTEN" };
	return (struct final_verdict){ EXIT_AS_EXPECTED, "SUCCESS" };
}
