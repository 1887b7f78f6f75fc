/* SPDX-License-Identifier: MIT */
/*
 * --rerun-failed FILE: the tests that made an earlier run fail, read from
 * its --json FILE (FAIL, BROK, not run, a --strict skip; not those that
 * --known listed).  They are selected by name among the tests found; with
 * no --dir and no binary given, the paths the file records are run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

#define RESULTS_MAX	(256 * 1024 * 1024)

struct rerun_ctx {
	struct options *opt;
	struct test_list *l;
	int add_paths;
	size_t n;
};

static int seen(char **v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return 1;
	return 0;
}

static int one_failed(void *p, const char *name, const char *path)
{
	struct rerun_ctx *c = p;
	char **v;

	if (c->opt->rerun && seen(c->opt->rerun, c->n, name))
		return 0;	/* --repeat wrote it several times */
	v = realloc(c->opt->rerun, (c->n + 2) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->opt->rerun = v;
	v[c->n] = strdup(name);
	v[c->n + 1] = NULL;
	if (!v[c->n])
		return -ENOMEM;
	c->n++;
	if (c->add_paths && path && !access(path, F_OK))
		return tests_add_file(c->l, path);
	return 0;
}

static char *slurp(const char *file, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size > RESULTS_MAX) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	n = buf ? read(fd, buf, st.st_size) : -1;
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int rerun_load(const char *file, struct options *opt, struct test_list *l,
	       int add_paths)
{
	struct rerun_ctx c = { .opt = opt, .l = l, .add_paths = add_paths };
	size_t len = 0;
	char *buf = slurp(file, &len);
	int ret;

	if (!buf) {
		fprintf(stderr, "kvmkit-run: --rerun-failed %s: %s\n", file, strerror(errno));
		return RUN_USAGE;
	}
	ret = json_parse_results(buf, len, one_failed, &c);
	free(buf);
	if (ret == -ENOMEM) {
		fprintf(stderr, "kvmkit-run: %s\n", strerror(ENOMEM));
		return RUN_FAILED;
	}
	if (ret) {
		fprintf(stderr, "kvmkit-run: --rerun-failed %s: not a results file of "
			"kvmkit-run --json FILE\n", file);
		return RUN_USAGE;
	}
	if (!c.n) {
		printf("kvmkit-run: nothing to rerun: no test failed in %s\n", file);
		opt->rerun_none = 1;
	}
	return 0;
}
