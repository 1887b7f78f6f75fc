/* SPDX-License-Identifier: MIT */
/*
 * Which of the found tests run, and how often: PATTERN globs on names
 * (tests given as BINARY always stay), --exclude globs, --tag (asks each
 * remaining test for its --meta), then --repeat copies.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

#define AREA_TAG	"kvmkit-area"

static int any_match(const char **globs, const char *name)
{
	for (; globs && *globs; globs++)
		if (!fnmatch(*globs, name, 0))
			return 1;
	return 0;
}

/* value is want, or holds it as one of its comma-separated items */
static int value_has(const char *value, const char *want)
{
	size_t n = strlen(want);
	const char *p = value;

	if (!value)
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, want, n))
			return 1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/*
 * --tag NAME matches a tag NAME (any value) or, the suite's convention,
 * an area: one of the comma-separated items of the tag "kvmkit-area"
 * ({"kvmkit-area", "svm,nested"} is selected by --tag svm).  --tag
 * NAME=VALUE matches tag NAME whose value is VALUE or holds it as an item.
 */
static int tag_match(const struct meta *m, const char *want)
{
	const char *eq = strchr(want, '=');
	size_t n = eq ? (size_t)(eq - want) : strlen(want);
	size_t i;

	for (i = 0; m && i < m->ntags; i++) {
		const struct tag *t = &m->tags[i];

		if (!eq && !strcmp(t->name, AREA_TAG) && value_has(t->value, want))
			return 1;
		if (strlen(t->name) != n || strncmp(t->name, want, n))
			continue;
		if (!eq || value_has(t->value, eq + 1))
			return 1;
	}
	return 0;
}

static int any_tag(const struct meta *m, const char **tags)
{
	for (; tags && *tags; tags++)
		if (tag_match(m, *tags))
			return 1;
	return 0;
}

static int in_list(char **v, const char *name)
{
	for (; v && *v; v++)
		if (!strcmp(*v, name))
			return 1;
	return 0;
}

static int wanted(struct test *t, const struct options *opt)
{
	if (opt->rerun && !in_list(opt->rerun, t->name))
		return 0;
	if (!t->explicit && opt->patterns && *opt->patterns &&
	    !any_match(opt->patterns, t->name))
		return 0;
	return !any_match(opt->excludes, t->name);
}

static int repeat(struct test_list *l, unsigned int times)
{
	struct test *v;
	size_t i, n = l->n;
	unsigned int r;

	if (times <= 1 || !n)
		return 0;
	if (n > (size_t)-1 / sizeof(*v) / times)
		return -ENOMEM;
	v = malloc(n * times * sizeof(*v));
	if (!v)
		return -ENOMEM;
	/* each test's runs next to each other, in the order found */
	for (i = 0; i < n; i++) {
		for (r = 0; r < times; r++) {
			v[i * times + r] = l->v[i];
			v[i * times + r].rep = r;
		}
	}
	free(l->v);
	l->v = v;
	l->n = l->cap = n * times;
	return 0;
}

/* Every kept test asks --meta, -j of them at a time */
static int fetch_all(struct test_list *l, const struct options *opt)
{
	struct test **v = calloc(l->n ? l->n : 1, sizeof(*v));
	size_t i;
	int ret;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	ret = meta_fetch_many(v, l->n, opt->jobs > 0 ? opt->jobs : 1);
	free(v);
	return ret;
}

int tests_select(struct test_list *l, const struct options *opt)
{
	/* a run alone asks only its slow tests, see loop.c's check_time() */
	int need_meta = opt->list || opt->info || opt->json || (opt->tags && *opt->tags);
	size_t i, kept = 0;
	int ret;

	for (i = 0; i < l->n; i++)
		if (wanted(&l->v[i], opt))
			l->v[kept++] = l->v[i];
	l->n = kept;
	if (need_meta) {
		ret = fetch_all(l, opt);
		if (ret)
			return ret;
	}
	for (i = 0, kept = 0; i < l->n; i++) {
		struct test *t = &l->v[i];

		if (opt->tags && *opt->tags && !any_tag(t->meta, opt->tags)) {
			meta_free(t->meta);
			t->meta = NULL;
			continue;
		}
		l->v[kept++] = *t;
	}
	l->n = kept;
	return repeat(l, opt->repeat);
}
