/* SPDX-License-Identifier: MIT */
/* Which tests to run: executable regular files of a directory, sorted. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

static int push_path(struct test_list *l, char *path)
{
	char **p = realloc(l->paths, (l->npaths + 1) * sizeof(*p));

	if (!p) {
		free(path);
		return -ENOMEM;
	}
	l->paths = p;
	l->paths[l->npaths++] = path;
	return 0;
}

/* Takes ownership of path */
static int push_test(struct test_list *l, char *path)
{
	struct test *t;
	const char *slash;
	int ret = push_path(l, path);

	if (ret)
		return ret;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct test *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->path = path;
	slash = strrchr(path, '/');
	t->name = slash ? slash + 1 : path;
	t->out_fd = -1;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A test is an executable regular file; symlinks count by their target. */
static int is_test(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int tests_add_dir(struct test_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int ret = 0;

	if (!d)
		return -errno;
	while ((errno = 0, de = readdir(d))) {
		char *path, **tmp;

		/* hidden files are editor and build droppings, never tests */
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			ret = -ENOMEM;
			break;
		}
		if (!is_test(path)) {
			l->not_tests++;
			free(path);
			continue;
		}
		tmp = realloc(names, (n + 1) * sizeof(*tmp));
		if (!tmp) {
			free(path);
			ret = -ENOMEM;
			break;
		}
		names = tmp;
		names[n++] = path;
	}
	if (!ret && errno)
		ret = -errno;
	closedir(d);

	if (n)	/* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (ret)
			free(names[i]);
		else
			ret = push_test(l, names[i]);
	}
	free(names);
	return ret;
}

/* Given explicitly: run it even if it turns out not to be executable, so
 * that the mistake shows as a broken test instead of vanishing. */
int tests_add_file(struct test_list *l, const char *path)
{
	char *copy = strdup(path);
	int ret;

	if (!copy)
		return -ENOMEM;
	ret = push_test(l, copy);
	if (!ret)
		l->v[l->n - 1].explicit = 1;
	return ret;
}

void tests_free(struct test_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		output_free(&l->v[i].out);
		if (!l->v[i].rep || l->v[i].own_meta)	/* copies share it */
			meta_free(l->v[i].meta);
	}
	for (i = 0; i < l->npaths; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
