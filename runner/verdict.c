/* SPDX-License-Identifier: MIT */
/* From a test's wait status to a verdict and a one-line reason. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

/* LTP's exit bits (tst_res.h): combined with OR by the test library */
#define LTP_TFAIL	1
#define LTP_TBROK	2
#define LTP_TWARN	4
#define LTP_TCONF	32
#define LTP_ALL		(LTP_TFAIL | LTP_TBROK | LTP_TWARN | LTP_TCONF)

/* kvm-unit-tests' and automake's "skipped" */
#define UNIT_SKIP	77

static const char *const tags[V_COUNT] = {
	[V_PASS] = "PASS",
	[V_CONF] = "CONF",
	[V_WARN] = "WARN",
	[V_FAIL] = "FAIL",
	[V_BROK] = "BROK",
};

const char *verdict_tag(enum verdict v)
{
	return v < V_COUNT ? tags[v] : "????";
}

double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) + (a->tv_nsec - b->tv_nsec) / 1e9;
}

static void judge_ltp(struct test *t, int code)
{
	char bits[64] = "";

	if (code & ~LTP_ALL) {
		/* not an LTP result at all: 126/127 from a shell, exit(-1)... */
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason),
			 "exit status %d (not an LTP result)", code);
		return;
	}
	if (code & LTP_TBROK)
		t->verdict = V_BROK;
	else if (code & LTP_TFAIL)
		t->verdict = V_FAIL;
	else if (code & LTP_TWARN)
		t->verdict = V_WARN;
	else if (code & LTP_TCONF)
		t->verdict = V_CONF;
	else
		t->verdict = V_PASS;
	if (!code)
		return;
	snprintf(bits, sizeof(bits), "%s%s%s%s",
		 code & LTP_TFAIL ? "|TFAIL" : "",
		 code & LTP_TBROK ? "|TBROK" : "",
		 code & LTP_TWARN ? "|TWARN" : "",
		 code & LTP_TCONF ? "|TCONF" : "");
	snprintf(t->reason, sizeof(t->reason), "exit status %d (%s)", code,
		 bits + 1);
}

static void judge_unit(struct test *t, int code)
{
	if (!code) {
		t->verdict = V_PASS;
	} else if (code == UNIT_SKIP) {
		t->verdict = V_CONF;
		snprintf(t->reason, sizeof(t->reason), "exit status 77 (skipped)");
	} else {
		t->verdict = V_FAIL;
		snprintf(t->reason, sizeof(t->reason), "exit status %d", code);
	}
}

/*
 * "kvm_x.c:12: TCONF: needs 8 vCPUs" -> "needs 8 vCPUs": the first such
 * line; 1 when found.  How a skip explains itself in one line.
 */
int tconf_message(const char *buf, size_t len, char *out, size_t outlen)
{
	static const char key[] = "TCONF: ";
	const char *end = buf + len, *p = buf;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *k = memmem(p, eol - p, key, sizeof(key) - 1);

		if (k) {
			k += sizeof(key) - 1;
			snprintf(out, outlen, "%.*s", (int)(eol - k), k);
			return 1;
		}
		p = eol + 1;
	}
	return 0;
}

/* A skip names its reason on the result line, as --info does */
static void add_tconf_reason(struct test *t)
{
	char msg[256];
	size_t n = strlen(t->reason);

	if (t->verdict != V_CONF || !t->out.head ||
	    !tconf_message(t->out.head, t->out.head_len, msg, sizeof(msg)))
		return;
	snprintf(t->reason + n, sizeof(t->reason) - n, ": %s", msg);
}

void test_judge(struct test *t, const struct options *opt)
{
	t->reason[0] = 0;
	t->strict_skip = 0;
	if (t->spawn_errno == EISDIR) {
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason),
			 "cannot execute: is a directory (--dir runs the tests in it)");
	} else if (t->spawn_errno == EACCES && access(t->path, X_OK)) {
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason), "cannot execute: not an "
			 "executable file (a test is a program, e.g. built by kvmkit-cc)");
	} else if (t->spawn_errno == ENOEXEC) {
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason), "cannot execute: %s (not a "
			 "program this machine runs)", strerror(t->spawn_errno));
	} else if (t->spawn_errno) {
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason), "cannot execute: %s",
			 strerror(t->spawn_errno));
	} else if (t->timed_out) {
		/* checked before the status: the test died of our SIGKILL */
		t->verdict = V_BROK;
		limit_describe(t, opt, t->reason, sizeof(t->reason));
	} else if (t->interrupted) {
		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason), "interrupted");
	} else if (WIFSIGNALED(t->status)) {
		int sig = WTERMSIG(t->status);

		t->verdict = V_BROK;
		snprintf(t->reason, sizeof(t->reason), "killed by signal %d (%s%s)",
			 sig, sigabbrev_np(sig) ? "SIG" : "",
			 sigabbrev_np(sig) ? sigabbrev_np(sig) : "unknown");
	} else if (opt->unit) {
		judge_unit(t, WEXITSTATUS(t->status));
	} else {
		judge_ltp(t, WEXITSTATUS(t->status));
		add_tconf_reason(t);
	}
	if (t->verdict == V_CONF && opt->strict && opt->kvm_present)
		t->strict_skip = 1;
	known_apply(opt->known, t);
}
