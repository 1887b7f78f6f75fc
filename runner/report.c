/* SPDX-License-Identifier: MIT */
/* The human-readable report: one line per test, its output, a summary. */
#include <stdio.h>
#include <stdlib.h>
#include "runner.h"

#define SLOWEST	3	/* the slowest tests named after every run */

#define INDENT	"    "

struct indent_ctx {
	FILE *f;
	int bol;	/* at the beginning of a line */
};

static void put_indented(void *ctx, const char *buf, size_t len)
{
	struct indent_ctx *ic = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		/* no trailing blanks on the output's empty lines */
		if (ic->bol && buf[i] != '\n')
			fputs(INDENT, ic->f);
		fputc(buf[i], ic->f);
		ic->bol = buf[i] == '\n';
	}
}

void report_test(FILE *f, const struct test *t, const struct options *opt)
{
	struct indent_ctx ic = { .f = f, .bol = 1 };

	fprintf(f, "%s %s", verdict_tag(t->verdict), t->name);
	if (opt->repeat > 1)
		fprintf(f, " [%u/%u]", t->rep + 1, opt->repeat);
	fprintf(f, " (%.3f s)", ts_diff(&t->end, &t->start));
	if (t->reason[0])
		fprintf(f, ": %s", t->reason);
	if (t->strict_skip)
		fputs(" [skips fail under --strict on a KVM host]", f);
	if (t->known)
		fprintf(f, " [known on %s: %s]", opt->known->platform, t->known);
	if (t->known_passed)
		fprintf(f, " [listed as known on %s but passed: update the --known list]",
			opt->known->platform);
	fputc('\n', f);
	if (t->verdict == V_PASS && !opt->verbose)
		return;
	output_foreach(&t->out, put_indented, &ic);
	if (!ic.bol)
		fputc('\n', f);
	trace_report(f, t, opt);
}

/* Did the run fail: anything failed or broke, or a --strict skip */
int run_failed(const struct test_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (t->known)
			continue;
		if (!t->finished || t->verdict == V_FAIL ||
		    t->verdict == V_BROK || t->strict_skip)
			return 1;
	}
	return 0;
}

static double wall(const struct test *t)
{
	return ts_diff(&t->end, &t->start);
}

static int cmp_time(const void *a, const void *b)
{
	double x = wall(*(const struct test *const *)a);
	double y = wall(*(const struct test *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Worst verdict first, then the slowest */
static int cmp_tests(const void *a, const void *b)
{
	const struct test *x = *(const struct test *const *)a;
	const struct test *y = *(const struct test *const *)b;

	if (x->verdict != y->verdict)
		return x->verdict < y->verdict ? 1 : -1;
	return wall(x) < wall(y) ? 1 : wall(x) > wall(y) ? -1 : 0;
}

/*
 * The table before the summary line: one row per test with its verdict
 * and wall time, the ones that did not pass (all of them with -v) worst
 * first, so that after a long run the failures sit together at the end;
 * then the slowest tests, named on one line.
 */
void report_table(FILE *f, const struct test_list *l,
			  const struct options *opt)
{
	const struct test **v = calloc(l->n, sizeof(*v));
	size_t i, n = 0, rows = 0;

	if (!v)
		return;
	for (i = 0; i < l->n; i++)
		if (l->v[i].finished)
			v[n++] = &l->v[i];
	qsort(v, n, sizeof(*v), cmp_tests);
	for (i = 0; i < n; i++) {
		const struct test *t = v[i];

		if (t->verdict == V_PASS && !opt->verbose && !t->strict_skip)
			continue;
		if (!rows++)
			fprintf(f, "%-4s %9s  %s\n", "", "TIME", "TEST");
		fprintf(f, "%-4s %7.3f s  %s", verdict_tag(t->verdict), wall(t), t->name);
		if (opt->repeat > 1)
			fprintf(f, " [%u/%u]", t->rep + 1, opt->repeat);
		if (t->reason[0])
			fprintf(f, ": %.120s", t->reason);
		fputs(t->known ? " [known]\n" : "\n", f);
	}
	qsort(v, n, sizeof(*v), cmp_time);	/* now by time alone */
	if (n > 1) {
		fputs("Slowest:", f);
		for (i = 0; i < n && i < SLOWEST; i++) {
			fprintf(f, "%s %s", i ? "," : "", v[i]->name);
			if (opt->repeat > 1)
				fprintf(f, " [%u/%u]", v[i]->rep + 1, opt->repeat);
			fprintf(f, " %.3f s", wall(v[i]));
		}
		fputc('\n', f);
	}
	free(v);
}

void report_summary(FILE *f, const struct test_list *l, double elapsed,
		    const struct options *opt, int interrupted)
{
	size_t count[V_COUNT] = { 0 }, timeouts = 0, strict = 0, notrun = 0;
	size_t known = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (!t->finished) {
			notrun++;
			continue;
		}
		count[t->verdict]++;
		timeouts += t->timed_out;
		strict += t->strict_skip;
		known += t->known != NULL;
	}
	fprintf(f, "Summary: %zu tests, %zu passed, %zu failed, %zu broken",
		l->n, count[V_PASS], count[V_FAIL], count[V_BROK]);
	if (timeouts)
		fprintf(f, " (%zu timed out)", timeouts);
	fprintf(f, ", %zu skipped", count[V_CONF]);
	if (strict)
		fprintf(f, " (%zu counted as failed: --strict)", strict);
	fprintf(f, ", %zu warned", count[V_WARN]);
	if (notrun)
		fprintf(f, ", %zu not run", notrun);
	if (known)
		fprintf(f, ", %zu of them known on %s", known, opt->known->platform);
	fprintf(f, " in %.3f s%s: %s\n", elapsed,
		interrupted ? ", interrupted" : "",
		run_failed(l) ? "FAILED" : "OK");
}
