/* SPDX-License-Identifier: MIT */
/*
 * --json FILE: the run's results for programs, one object per test run:
 * name, path, tags, verdict, exit status, time, output, and the first
 * failure's file:line as LTP prints it ("kvm_hello.c:14: TFAIL: ...").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "runner.h"

struct first_fail {
	char line[512];		/* the line being assembled */
	size_t len;
	int found;
	char file[256];
	unsigned long lineno;
	char type[8];
};

/* "file.c:123: TFAIL: ..." or TBROK: the LTP result line format */
static void check_line(struct first_fail *ff)
{
	char file[256], type[8];
	unsigned long lineno;

	ff->line[ff->len] = 0;
	if (sscanf(ff->line, "%255[^: \t]:%lu: %7[A-Z]:", file, &lineno, type) != 3)
		return;
	if (strcmp(type, "TFAIL") && strcmp(type, "TBROK"))
		return;
	ff->found = 1;
	snprintf(ff->file, sizeof(ff->file), "%s", file);
	ff->lineno = lineno;
	snprintf(ff->type, sizeof(ff->type), "%s", type);
}

static void scan(void *ctx, const char *buf, size_t len)
{
	struct first_fail *ff = ctx;
	size_t i;

	for (i = 0; i < len && !ff->found; i++) {
		if (buf[i] == '\n') {
			check_line(ff);
			ff->len = 0;
		} else if (ff->len < sizeof(ff->line) - 1) {
			ff->line[ff->len++] = buf[i];
		}
	}
}

static void put_output(void *ctx, const char *buf, size_t len)
{
	json_put_bytes(ctx, buf, len);
}

static void put_tags(FILE *f, const struct meta *m)
{
	size_t i;

	fputc('[', f);
	for (i = 0; m && i < m->ntags; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_put_str(f, m->tags[i].name);
		fputs(",\"value\":", f);
		json_put_str(f, m->tags[i].value);
		fputc('}', f);
	}
	fputc(']', f);
}

static void put_test(FILE *f, const struct test *t)
{
	struct first_fail ff = { .found = 0 };

	fputs("{\"name\":", f);
	json_put_str(f, t->name);
	fputs(",\"path\":", f);
	json_put_str(f, t->path);
	fprintf(f, ",\"run\":%u,\"tags\":", t->rep + 1);
	put_tags(f, t->meta);
	if (!t->finished) {
		fputs(",\"verdict\":\"NOTRUN\"}", f);
		return;
	}
	fprintf(f, ",\"verdict\":\"%s\",\"reason\":", verdict_tag(t->verdict));
	json_put_str(f, t->reason[0] ? t->reason : NULL);
	/* --known's reason: a listed non-pass, which --rerun-failed leaves out */
	fputs(",\"known\":", f);
	json_put_str(f, t->known);
	if (t->exited && WIFEXITED(t->status) && !t->timed_out && !t->interrupted)
		fprintf(f, ",\"exit_status\":%d,\"signal\":null", WEXITSTATUS(t->status));
	else if (t->exited && WIFSIGNALED(t->status) && !t->timed_out && !t->interrupted)
		fprintf(f, ",\"exit_status\":null,\"signal\":%d", WTERMSIG(t->status));
	else
		fputs(",\"exit_status\":null,\"signal\":null", f);
	fprintf(f, ",\"timed_out\":%s,\"strict_skip\":%s,\"time_s\":%.3f",
		t->timed_out ? "true" : "false", t->strict_skip ? "true" : "false",
		ts_diff(&t->end, &t->start));
	/* the wall-clock limit it ran under (limit.c), null: none */
	if (t->limit > 0)
		fprintf(f, ",\"timeout_s\":%.3f", t->limit);
	else
		fputs(",\"timeout_s\":null", f);
	output_foreach(&t->out, scan, &ff);
	if (!ff.found && ff.len)
		check_line(&ff);	/* the last line had no newline */
	if (ff.found) {
		fputs(",\"first_failure\":{\"file\":", f);
		json_put_str(f, ff.file);
		fprintf(f, ",\"line\":%lu,\"type\":\"%s\"}", ff.lineno, ff.type);
	} else {
		fputs(",\"first_failure\":null", f);
	}
	fputs(",\"output\":\"", f);
	output_foreach(&t->out, put_output, f);
	fputs("\"}", f);
}

int json_write(FILE *f, const struct test_list *l, double elapsed,
	       const struct options *opt)
{
	size_t i;

	fprintf(f, "{\"format\":\"kvmkit-run-results-1\",\"time_s\":%.3f,"
		"\"passed\":%s,\"tests\":[", elapsed,
		run_failed(l) ? "false" : "true");
	(void)opt;
	for (i = 0; i < l->n; i++) {
		fputs(i ? ",\n" : "\n", f);
		put_test(f, &l->v[i]);
	}
	fputs("\n]}\n", f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}
