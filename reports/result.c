// SPDX-License-Identifier: GPL-2.0
/* What a run result owns. */
#include <stdlib.h>

#include "report.h"

void report_kv_free(struct report_kv *kv, int n)
{
	for (int i = 0; kv && i < n; i++)
		free(kv[i].value);
	free(kv);
}

void run_result_free(struct run_result *r)
{
	free((void *)r->schedule);
	free((void *)r->minimized);
	report_kv_free(r->options, r->nr_options);
	report_kv_free(r->replay, r->nr_replay);
	free(r->rerun);
	r->schedule = r->minimized = NULL;
	r->options = r->replay = NULL;
	r->rerun = NULL;
}
