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

#define LAST_EXITS	16	/* of a broken test, shown under its report */
#define KINDS		32	/* exit kinds counted apart; the rest as "other" */

struct kind {
	char name[32];
	unsigned long count;
	double after;	/* seconds from these exits to the next one */
};

struct trace_sum {
	unsigned long lines;
	struct kind kinds[KINDS + 1];
	size_t nkinds;
	char last[LAST_EXITS][256];
	double prev_time;
	struct kind *prev;
};

/* "0.000090 pid 30999 IO_OUT port 0x9e ...": the time and the exit kind */
static void trace_line(struct trace_sum *s, const char *line)
{
	char name[32];
	double when;
	size_t i;

	snprintf(s->last[s->lines % LAST_EXITS], sizeof(s->last[0]), "%.255s", line);
	s->lines++;
	if (sscanf(line, "%lf pid %*d %31s", &when, name) != 2)
		return;
	if (s->prev)
		s->prev->after += when - s->prev_time;
	for (i = 0; i < s->nkinds && strcmp(s->kinds[i].name, name); i++)
		;
	if (i == s->nkinds) {
		if (s->nkinds == KINDS)
			i = KINDS;	/* "other" */
		else
			s->nkinds++;
		snprintf(s->kinds[i].name, sizeof(s->kinds[i].name), "%s",
			 i == KINDS ? "other" : name);
	}
	s->kinds[i].count++;
	s->prev = &s->kinds[i];
	s->prev_time = when;
}

/*
 * Under the report of a test that did not pass: "exit trace: FILE (N
 * exits)", the exits by kind with their counts and the time from them to
 * the next exit (the guest's run plus the host's handling), and for a
 * broken test its last 16 exits.
 */
void trace_report(FILE *f, const struct test *t, const struct options *opt)
{
	struct trace_sum *s;
	char path[4096], line[512];
	unsigned long i, first;
	FILE *in;

	if (!opt->trace_dir || trace_path(t, opt, path, sizeof(path)))
		return;
	in = fopen(path, "re");
	s = in ? calloc(1, sizeof(*s)) : NULL;
	if (!s) {
		if (in)
			fclose(in);
		return;
	}
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = 0;
		/* "# pid N summary: ..." lines: the test's own totals, no exit */
		if (line[0] != '#')
			trace_line(s, line);
	}
	fclose(in);
	if (s->lines)
		fprintf(f, "    exit trace: %s (%lu exit%s)\n", path, s->lines,
			s->lines == 1 ? "" : "s");
	for (i = 0; i < s->nkinds + (s->kinds[KINDS].count > 0); i++) {
		const struct kind *k = &s->kinds[i < s->nkinds ? i : KINDS];

		fprintf(f, "      %-16s %8lu  %10.6f s to the next exit\n", k->name,
			k->count, k->after);
	}
	if (t->verdict == V_BROK && s->lines) {
		first = s->lines > LAST_EXITS ? s->lines - LAST_EXITS : 0;
		fprintf(f, "    last %lu exits:\n", s->lines - first);
		for (i = first; i < s->lines; i++)
			fprintf(f, "      %s\n", s->last[i % LAST_EXITS]);
	}
	free(s);
}
