/* SPDX-License-Identifier: MIT */
/*
 * --trace DIR: each test runs with KVMKIT_TRACE=DIR/NAME.trace (NAME.N.trace
 * under --repeat), where kvmkit's LTP face appends one line per VM exit
 * (lib/ltp/kvm_trace.c); the report names the file of each test that did
 * not pass.  Tests on the native API alone write no trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

extern char **environ;

#define TRACE_VAR	"KVMKIT_TRACE="

/* Creates DIR when missing; 0 or -errno */
int trace_dir_check(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return -errno;
	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return access(dir, W_OK | X_OK) ? -errno : 0;
}

int trace_path(const struct test *t, const struct options *opt, char *buf,
	       size_t len)
{
	int n;

	if (opt->repeat > 1)
		n = snprintf(buf, len, "%s/%s.%u.trace", opt->trace_dir, t->name, t->rep + 1);
	else
		n = snprintf(buf, len, "%s/%s.trace", opt->trace_dir, t->name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * The environment of test t: ours, with KVMKIT_TRACE set to its (emptied)
 * trace file; free with trace_env_free().  NULL on error.
 */
char **trace_env(const struct test *t, const struct options *opt)
{
	char path[4096], **env;
	size_t n = 0, i, k = 0;
	int fd;

	if (trace_path(t, opt, path, sizeof(path)))
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	close(fd);
	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], TRACE_VAR, strlen(TRACE_VAR)))
			env[k++] = environ[i];
	env[k] = malloc(strlen(TRACE_VAR) + strlen(path) + 1);
	if (!env[k]) {
		free(env);
		return NULL;
	}
	strcpy(stpcpy(env[k], TRACE_VAR), path);
	return env;
}

void trace_env_free(char **env)
{
	size_t i = 0;

	if (!env)
		return;
	while (env[i] && env[i + 1])
		i++;
	if (env[i])
		free(env[i]);	/* ours is the last one */
	free(env);
}

/* "    exit trace: FILE (N exits)" under a report, when it holds any */
void trace_report(FILE *f, const struct test *t, const struct options *opt)
{
	char path[4096], buf[4096];
	unsigned long lines = 0;
	ssize_t n;
	int fd;

	if (!opt->trace_dir || trace_path(t, opt, path, sizeof(path)))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	if (lines)
		fprintf(f, "    exit trace: %s (%lu exit%s)\n", path, lines,
			lines == 1 ? "" : "s");
}
