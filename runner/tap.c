/* SPDX-License-Identifier: MIT */
/* TAP version 13: results in completion order, details as YAML blocks. */
#include <stdio.h>
#include "runner.h"

void tap_begin(FILE *f, size_t n)
{
	fprintf(f, "TAP version 13\n1..%zu\n", n);
}

struct yaml_ctx {
	FILE *f;
	int bol;
};

/* A YAML literal block: every non-empty line indented, nothing quoted */
static void put_block(void *ctx, const char *buf, size_t len)
{
	struct yaml_ctx *yc = ctx;
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > start) {
			if (yc->bol)
				fputs("    ", yc->f);
			put_clean(yc->f, buf + start, i - start, 0);
			yc->bol = 0;
		}
		if (i < len) {
			fputc('\n', yc->f);
			yc->bol = 1;
		}
		start = i + 1;
	}
}

void tap_test(FILE *f, const struct test *t, size_t number)
{
	int ok = t->verdict == V_PASS || t->verdict == V_WARN ||
		 (t->verdict == V_CONF && !t->strict_skip);
	struct yaml_ctx yc = { .f = f, .bol = 1 };

	fprintf(f, "%s %zu - ", ok ? "ok" : "not ok", number);
	put_clean_str(f, t->name, 0);
	if (t->known) {
		/* TAP's TODO: an expected failure, which does not fail the plan */
		fputs(" # TODO known: ", f);
		put_clean_str(f, t->known, 0);
	} else if (t->verdict == V_CONF && !t->strict_skip) {
		fputs(" # SKIP ", f);
		put_clean_str(f, t->reason, 0);
	}
	fputc('\n', f);
	fprintf(f, "  ---\n  result: %s\n", verdict_tag(t->verdict));
	if (t->reason[0]) {
		/* a literal block: no quoting rules to get wrong */
		fputs("  reason: |\n    ", f);
		put_clean_str(f, t->reason, 0);
		fputc('\n', f);
	}
	if (t->strict_skip)
		fputs("  strict: skipped on a KVM host under --strict\n", f);
	fprintf(f, "  duration_ms: %.3f\n", 1e3 * ts_diff(&t->end, &t->start));
	if (!output_empty(&t->out)) {
		fputs("  output: |\n", f);
		output_foreach(&t->out, put_block, &yc);
		if (!yc.bol)
			fputc('\n', f);
	}
	fputs("  ...\n", f);
}

/* A plan with results missing needs a reason: TAP consumers want one */
void tap_end(FILE *f, const struct test_list *l, int interrupted)
{
	size_t i, notrun = 0;

	for (i = 0; i < l->n; i++)
		notrun += !l->v[i].finished;
	if (interrupted)
		fputs("Bail out! interrupted\n", f);
	else if (notrun)
		fprintf(f, "Bail out! --fail-fast: %zu not run\n", notrun);
}
