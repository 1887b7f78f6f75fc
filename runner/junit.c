/* SPDX-License-Identifier: MIT */
/* JUnit XML, the format CI systems import: written once, at the end. */
#include <errno.h>
#include <stdio.h>
#include "runner.h"

struct xml_ctx {
	FILE *f;
};

static void put_xml(void *ctx, const char *buf, size_t len)
{
	put_clean(((struct xml_ctx *)ctx)->f, buf, len, 1);
}

static void put_case(FILE *f, const struct test *t)
{
	struct xml_ctx xc = { f };
	const char *elem = NULL;

	fputs("    <testcase classname=\"kvmkit\" name=\"", f);
	put_clean_str(f, t->name, 1);
	if (!t->finished) {
		fputs("\" time=\"0\">\n"
		      "      <skipped message=\"not run (interrupted or --fail-fast)\"/>\n"
		      "    </testcase>\n", f);
		return;
	}
	fprintf(f, "\" time=\"%.3f\">\n", ts_diff(&t->end, &t->start));
	if (t->verdict == V_BROK)
		elem = "error";
	else if (t->verdict == V_FAIL || t->strict_skip)
		elem = "failure";
	else if (t->verdict == V_CONF)
		elem = "skipped";
	if (elem) {
		fprintf(f, "      <%s type=\"%s\" message=\"", elem,
			verdict_tag(t->verdict));
		put_clean_str(f, t->reason, 1);
		if (t->strict_skip)
			fputs(" (skips fail under --strict on a KVM host)", f);
		fputs("\"/>\n", f);
	}
	if (!output_empty(&t->out)) {
		fputs("      <system-out>", f);
		output_foreach(&t->out, put_xml, &xc);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

int junit_write(FILE *f, const struct test_list *l, double elapsed)
{
	size_t i, fail = 0, err = 0, skip = 0;

	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (!t->finished)
			skip++;
		else if (t->verdict == V_BROK)
			err++;
		else if (t->verdict == V_FAIL || t->strict_skip)
			fail++;
		else if (t->verdict == V_CONF)
			skip++;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"%.3f\">\n"
		"  <testsuite name=\"kvmkit\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
		l->n, fail, err, skip, elapsed, l->n, fail, err, skip, elapsed);
	for (i = 0; i < l->n; i++)
		put_case(f, &l->v[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}
