/* SPDX-License-Identifier: MIT */
/*
 * KTAP version 1 (the kernel's and kselftest's TAP): results in completion
 * order, each test's output before its result line as "# " diagnostics,
 * no YAML blocks.
 */
#include <stdio.h>
#include "runner.h"

void ktap_begin(FILE *f, size_t n)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", n);
}

struct diag_ctx {
	FILE *f;
	int bol;
};

static void put_diag(void *ctx, const char *buf, size_t len)
{
	struct diag_ctx *dc = ctx;
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > start) {
			if (dc->bol)
				fputs("# ", dc->f);
			put_clean(dc->f, buf + start, i - start, 0);
			dc->bol = 0;
		}
		if (i < len) {
			/* an empty output line is a bare "#" */
			if (dc->bol)
				fputc('#', dc->f);
			fputc('\n', dc->f);
			dc->bol = 1;
		}
		start = i + 1;
	}
}

void ktap_test(FILE *f, const struct test *t, size_t number,
	       const struct options *opt)
{
	int ok = t->verdict == V_PASS || t->verdict == V_WARN ||
		 (t->verdict == V_CONF && !t->strict_skip);
	struct diag_ctx dc = { .f = f, .bol = 1 };

	if (t->verdict != V_PASS || opt->verbose) {
		output_foreach(&t->out, put_diag, &dc);
		if (!dc.bol)
			fputc('\n', f);
	}
	if (t->reason[0]) {
		fprintf(f, "# %s: ", t->name);
		put_clean_str(f, t->reason, 0);
		fputc('\n', f);
	}
	fprintf(f, "%s %zu ", ok ? "ok" : "not ok", number);
	put_clean_str(f, t->name, 0);
	if (t->verdict == V_CONF && !t->strict_skip) {
		fputs(" # SKIP ", f);
		put_clean_str(f, t->reason, 0);
	}
	fputc('\n', f);
}
