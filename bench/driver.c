/* SPDX-License-Identifier: MIT */
/*
 * bench-driver: run commands alternately, N times each, and compare their
 * medians against the first command (the raw baseline).  The machine is
 * noisy, so the order rotates every round, samples are kept whole, and
 * the report carries N and the spread (quartiles) with the medians.
 *
 *   bench-driver MODE N TARGET TITLE NAME CMD [NAME CMD]...
 *
 * MODE first-result: a sample is the time from fork() to the arrival, on
 *      the pipe holding the command's stdout and stderr, of the first
 *      result line (one containing TPASS/TFAIL/TBROK/TCONF/TWARN).
 * MODE value: a sample is the number (nanoseconds) the command writes to
 *      its file descriptor 3, announced to it as BENCH_RESULT_FD=3; its
 *      stdout and stderr go to /dev/null.
 * CMD is split at spaces; leading VAR=VALUE words go to the environment.
 * TARGET bounds the ratio of the second command to the first; the result
 * line says MISSED when the median ratio exceeds it.  Exit status 0
 * unless a command failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS	8
#define MAX_ARGS	32
#define WARMUP		2

struct cmd {
	const char *name;
	char *argv[MAX_ARGS];
	char *env[MAX_ARGS];
	int nenv;
	double *samples;
	int n;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void parse_cmd(struct cmd *c, const char *name, const char *line)
{
	char *copy = strdup(line), *tok, *save = NULL;
	int argc = 0;

	c->name = name;
	for (tok = strtok_r(copy, " ", &save); tok && argc < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save)) {
		if (!argc && strchr(tok, '=') && c->nenv < MAX_ARGS - 1)
			c->env[c->nenv++] = tok;
		else
			c->argv[argc++] = tok;
	}
	if (!argc) {
		fprintf(stderr, "bench-driver: empty command for %s\n", name);
		exit(2);
	}
}

static int is_result_line(const char *s, size_t len)
{
	static const char *const tags[] = {
		"TPASS", "TFAIL", "TBROK", "TCONF", "TWARN",
	};
	size_t i, j;

	for (i = 0; i + 5 <= len; i++)
		for (j = 0; j < sizeof(tags) / sizeof(tags[0]); j++)
			if (!memcmp(s + i, tags[j], 5))
				return 1;
	return 0;
}

static pid_t spawn(const struct cmd *c, int out, int val)
{
	pid_t pid = fork();
	int i, null;

	if (pid)
		return pid;
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	if (val >= 0) {
		dup2(null, 1);
		dup2(null, 2);
		if (val == 3)	/* dup2() onto itself would keep O_CLOEXEC */
			fcntl(3, F_SETFD, 0);
		else
			dup2(val, 3);
		setenv("BENCH_RESULT_FD", "3", 1);
	} else {
		dup2(out, 1);
		dup2(out, 2);
	}
	for (i = 0; i < c->nenv; i++)
		putenv(c->env[i]);
	execvp(c->argv[0], c->argv);
	dprintf(2, "bench-driver: %s: %s\n", c->argv[0], strerror(errno));
	_exit(127);
}

static void failed(const struct cmd *c, int status, const char *out,
		   int value_mode)
{
	int i;

	fprintf(stderr, "bench-driver: %s failed (wait status %#x); run by hand:\n   ",
		c->name, status);
	for (i = 0; i < c->nenv; i++)
		fprintf(stderr, " %s", c->env[i]);
	for (i = 0; c->argv[i]; i++)
		fprintf(stderr, " %s", c->argv[i]);
	fputc('\n', stderr);
	if (!value_mode && out[0])
		fprintf(stderr, "%s", out);
	exit(1);
}

/* One run; returns the sample in nanoseconds */
static double run_once(const struct cmd *c, int value_mode)
{
	char buf[65536] = "";
	size_t len = 0;
	double t0, first = -1;
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC))
		exit(2);
	t0 = now_ns();
	pid = spawn(c, fd[1], value_mode ? fd[1] : -1);
	close(fd[1]);
	/* line-at-a-time scanning is cheap: the output is a few lines */
	while ((n = read(fd[0], buf + len, sizeof(buf) - 1 - len)) > 0) {
		size_t start = len;

		len += n;
		buf[len] = 0;
		if (!value_mode && first < 0 && memchr(buf + start, '\n', n)) {
			char *nl, *line = buf;

			while ((nl = memchr(line, '\n', buf + len - line))) {
				if (is_result_line(line, nl - line)) {
					first = now_ns() - t0;
					break;
				}
				line = nl + 1;
			}
		}
		if (len == sizeof(buf) - 1)
			len = 0;	/* only the first line matters */
	}
	close(fd[0]);
	waitpid(pid, &status, 0);
	if (status)
		failed(c, status, buf, value_mode);
	if (value_mode) {
		char *end;
		double v = strtod(buf, &end);

		if (end == buf || !(v > 0))
			failed(c, status, buf, value_mode);
		return v;
	}
	if (first < 0)
		failed(c, status, buf, value_mode);
	return first;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile by linear interpolation on sorted samples */
static double quantile(const double *s, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return s[n - 1];
	return s[i] + (pos - i) * (s[i + 1] - s[i]);
}

static void fmt_time(char *buf, size_t len, double ns, int ms)
{
	if (ms)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f us", ns / 1e3);
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	int value_mode, n, ncmds, i, r, ms;
	double target, med[MAX_CMDS];
	const char *title;
	char a[32], b[32], lo[32], hi[32];

	if (argc < 9 || (argc - 5) % 2 || (argc - 5) / 2 > MAX_CMDS) {
		fprintf(stderr, "usage: bench-driver first-result|value N TARGET "
			"TITLE NAME CMD NAME CMD [NAME CMD]...\n");
		return 2;
	}
	value_mode = !strcmp(argv[1], "value");
	n = atoi(argv[2]);
	target = atof(argv[3]);
	title = argv[4];
	ncmds = (argc - 5) / 2;
	if (n < 1)
		return 2;
	memset(cmds, 0, sizeof(cmds));
	for (i = 0; i < ncmds; i++) {
		parse_cmd(&cmds[i], argv[5 + 2 * i], argv[6 + 2 * i]);
		cmds[i].samples = calloc(n, sizeof(double));
	}

	/* warm the page cache and the kernel's caches for every command */
	for (r = 0; r < WARMUP; r++)
		for (i = 0; i < ncmds; i++)
			run_once(&cmds[i], value_mode);
	for (r = 0; r < n; r++)
		for (i = 0; i < ncmds; i++) {
			struct cmd *c = &cmds[(r + i) % ncmds];

			c->samples[c->n++] = run_once(c, value_mode);
		}

	for (i = 0; i < ncmds; i++) {
		qsort(cmds[i].samples, n, sizeof(double), cmp_double);
		med[i] = quantile(cmds[i].samples, n, 0.5);
	}
	ms = med[0] >= 1e6;
	fmt_time(a, sizeof(a), med[1], ms);
	fmt_time(b, sizeof(b), med[0], ms);
	printf("%s: %s %s, %s %s, ratio %.2f (target <= %.2f)%s\n", title,
	       cmds[1].name, a, cmds[0].name, b, med[1] / med[0], target,
	       med[1] / med[0] > target ? " MISSED" : "");
	for (i = 0; i < ncmds; i++) {
		fmt_time(a, sizeof(a), med[i], ms);
		fmt_time(lo, sizeof(lo), quantile(cmds[i].samples, n, 0.25), ms);
		fmt_time(hi, sizeof(hi), quantile(cmds[i].samples, n, 0.75), ms);
		fmt_time(b, sizeof(b), cmds[i].samples[0], ms);
		printf("    %-16s median %s  p25..p75 %s .. %s  min %s  (N=%d",
		       cmds[i].name, a, lo, hi, b, n);
		if (i)
			printf(", ratio %.2f", med[i] / med[0]);
		printf(")\n");
	}
	return 0;
}
