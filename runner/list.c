/* SPDX-License-Identifier: MIT */
/* --list: the selected tests with their tags and description, run none. */
#include <stdio.h>
#include <string.h>
#include "runner.h"

/* "linux-git=6f0a8c3e,CVE=2021-22543": what --tag NAME=VALUE selects by */
static void put_tags(FILE *f, const struct meta *m)
{
	size_t i;

	if (!m || !m->ntags) {
		fputc('-', f);
		return;
	}
	for (i = 0; i < m->ntags; i++) {
		fprintf(f, "%s%s", i ? "," : "", m->tags[i].name);
		if (m->tags[i].value)
			fprintf(f, "=%s", m->tags[i].value);
	}
}

static int tags_width(const struct meta *m)
{
	size_t i;
	int w = 0;

	if (!m || !m->ntags)
		return 1;
	for (i = 0; i < m->ntags; i++) {
		w += (i ? 1 : 0) + strlen(m->tags[i].name);
		if (m->tags[i].value)
			w += 1 + strlen(m->tags[i].value);
	}
	return w;
}

static const char *describe(const struct meta *m)
{
	if (!m || !m->known)
		return "(does not answer --meta)";
	return m->desc && *m->desc ? m->desc : "-";
}

static void list_table(FILE *f, const struct test_list *l)
{
	int wname = 4, wtags = 4;
	size_t i;

	for (i = 0; i < l->n; i++) {
		int n = strlen(l->v[i].name), t = tags_width(l->v[i].meta);

		wname = n > wname ? n : wname;
		wtags = t > wtags ? t : wtags;
	}
	fprintf(f, "%-*s  %-*s  %s\n", wname, "NAME", wtags, "TAGS", "DESCRIPTION");
	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (t->rep)
			continue;
		fprintf(f, "%-*s  ", wname, t->name);
		put_tags(f, t->meta);
		fprintf(f, "%*s  %s\n", wtags - tags_width(t->meta), "",
			describe(t->meta));
	}
}

/* One test per line: {"path", "name", "meta": what it printed, or null} */
static void list_json(FILE *f, const struct test_list *l)
{
	size_t i, n = 0;

	fputs("[", f);
	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (t->rep)
			continue;
		fputs(n++ ? ",\n" : "\n", f);
		fputs("{\"path\":", f);
		json_put_str(f, t->path);
		fputs(",\"name\":", f);
		json_put_str(f, t->name);
		fputs(",\"meta\":", f);
		fputs(t->meta && t->meta->known ? t->meta->json : "null", f);
		fputc('}', f);
	}
	fputs("\n]\n", f);
}

void list_tests(FILE *f, const struct test_list *l, int json)
{
	if (json)
		list_json(f, l);
	else
		list_table(f, l);
}
