// SPDX-License-Identifier: MIT
/*
 * Result reporting: tst_res(), tst_brk() and the one way out of a test
 * (cleanup once, summary, LTP's exit code).  Every entry point may be
 * called from any thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define LINE_MAX_LEN	8192	/* a guest message and a register dump fit */

struct tst_test *tst_test;
struct tst_results *tst_results;
pid_t tst_main_pid;
int tst_tdebug;

long TST_RET;
int TST_ERR;
int TST_PASS;
void *TST_RET_PTR;

/* Used until tst_results_init() maps the shared page (and if that fails) */
static struct tst_results early_results;

static int setup_started;		/* cleanup() is owed */
static pthread_t exit_thread;		/* the thread in tst_do_exit() */
static int exit_claimed;		/* atomic: somebody is exiting */
static int exit_ready;			/* atomic: exit_thread is valid */
static __thread int in_cleanup;		/* this thread runs cleanup() */

void tst_results_init(void)
{
	void *p = mmap(NULL, sizeof(struct tst_results),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	tst_results = p == MAP_FAILED ? &early_results : p;
	tst_main_pid = getpid();
}

static struct tst_results *results(void)
{
	return tst_results ? tst_results : &early_results;
}

static const char *ttype_name(int ttype)
{
	switch (TTYPE_RESULT(ttype)) {
	case TPASS: return "TPASS";
	case TFAIL: return "TFAIL";
	case TBROK: return "TBROK";
	case TWARN: return "TWARN";
	case TDEBUG: return "TDEBUG";
	case TINFO: return "TINFO";
	case TCONF: return "TCONF";
	}
	return NULL;
}

static void count_result(int ttype)
{
	struct tst_results *r = results();

	switch (TTYPE_RESULT(ttype)) {
	case TPASS: tst_atomic_inc(&r->passed); break;
	case TFAIL: tst_atomic_inc(&r->failed); break;
	case TBROK: tst_atomic_inc(&r->broken); break;
	case TWARN: tst_atomic_inc(&r->warnings); break;
	case TCONF: tst_atomic_inc(&r->skipped); break;
	}
}

/* LTP builds tests in their own directory: print file names alike */
static const char *base_name(const char *file)
{
	const char *slash;

	if (!file)
		return "<unknown>";
	slash = strrchr(file, '/');
	return slash ? slash + 1 : file;
}

static int is_exit_thread(void)
{
	return __atomic_load_n(&exit_ready, __ATOMIC_ACQUIRE) &&
	       pthread_equal(exit_thread, pthread_self());
}

/* Format and write one report with a single write() so lines never mix */
static void print_result(const char *file, int lineno, int ttype,
			 const char *fmt, va_list va)
{
	char buf[LINE_MAX_LEN];
	int saved_errno = errno, err = 0, has_err = 0;
	size_t len, room;
	int ret;

	if (ttype & TERRNO) {
		err = saved_errno;
		has_err = 1;
	}
	if (ttype & TTERRNO) {
		err = TST_ERR;
		has_err = 1;
	}
	if (ttype & TRERRNO) {
		err = TST_RET < 0 ? -(int)TST_RET : (int)TST_RET;
		has_err = 1;
	}

	len = snprintf(buf, sizeof(buf), "%s:%i: %s: ", base_name(file),
		       lineno, ttype_name(ttype));
	room = sizeof(buf) - len - 1;	/* keep a byte for '\n' */
	ret = vsnprintf(buf + len, room + 1, fmt, va);
	if (ret < 0)
		ret = 0;
	if ((size_t)ret > room) {
		len += room;
		dprintf(STDERR_FILENO, "%s:%i: TWARN: Next message is too long and truncated:\n",
			base_name(file), lineno);
		count_result(TWARN);
	} else {
		len += ret;
		if (has_err) {
			ret = snprintf(buf + len, sizeof(buf) - len - 1,
				       ": %s (%d)", tst_strerrno(err), err);
			if (ret > 0)
				len += (size_t)ret < sizeof(buf) - len - 1 ?
				       (size_t)ret : sizeof(buf) - len - 2;
		}
	}
	buf[len++] = '\n';
	tst_write_all(STDERR_FILENO, buf, len);
	errno = saved_errno;
}

void tst_vres_(const char *file, int lineno, int ttype, const char *fmt,
	       va_list va)
{
	if (!ttype_name(ttype)) {
		tst_brk_(TST_LIB_FILE, __LINE__, TBROK,
			 "Invalid ttype value %i", ttype);
		return;
	}
	if (TTYPE_RESULT(ttype) == TDEBUG && !tst_tdebug)
		return;
	print_result(file, lineno, ttype, fmt, va);
	count_result(ttype);
}

void tst_res_(const char *file, const int lineno, int ttype,
	      const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	tst_vres_(file, lineno, ttype, fmt, va);
	va_end(va);
}

void tst_resm_hexd_(const char *file, const int lineno, int ttype,
		    const void *buf, size_t size, const char *arg_fmt, ...)
{
	const unsigned char *p = buf;
	char line[80];
	size_t i, len = 0;
	va_list va;

	va_start(va, arg_fmt);
	tst_vres_(file, lineno, ttype, arg_fmt, va);
	va_end(va);
	if (TTYPE_RESULT(ttype) == TDEBUG && !tst_tdebug)
		return;

	for (i = 0; i < size; i++) {
		len += snprintf(line + len, sizeof(line) - len, "%02x ", p[i]);
		if (i % 16 == 15 || i + 1 == size) {
			line[len - 1] = '\n';
			tst_write_all(STDERR_FILENO, line, len);
			len = 0;
		}
	}
}

void tst_printf(const char *const fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	vdprintf(STDERR_FILENO, fmt, va);
	va_end(va);
}

void tst_flush(void)
{
	if (fflush(stderr))
		tst_lib_brk(TBROK | TERRNO, "fflush(stderr) failed");
	if (fflush(stdout))
		tst_lib_brk(TBROK | TERRNO, "fflush(stdout) failed");
}

int tst_exit_code(void)
{
	struct tst_results *r = results();
	int ret = 0;

	if (tst_atomic_load(&r->failed))
		ret |= TFAIL;
	if (tst_atomic_load(&r->skipped) && !tst_atomic_load(&r->passed))
		ret |= TCONF;
	if (tst_atomic_load(&r->warnings))
		ret |= TWARN;
	if (tst_atomic_load(&r->broken))
		ret |= TBROK;
	return ret;
}

static size_t summary_line(char *buf, const char *name, int value)
{
	size_t len = strlen(name);

	memcpy(buf, name, len);
	len += tst_fmt_uint(buf + len, value < 0 ? 0 : value);
	buf[len++] = '\n';
	return len;
}

/* One write(), async-signal-safe: the fatal path prints it too */
void tst_print_summary(void)
{
	struct tst_results *r = results();
	char buf[256] = "\nSummary:\n";
	size_t len = strlen(buf);

	len += summary_line(buf + len, "passed   ", tst_atomic_load(&r->passed));
	len += summary_line(buf + len, "failed   ", tst_atomic_load(&r->failed));
	len += summary_line(buf + len, "broken   ", tst_atomic_load(&r->broken));
	len += summary_line(buf + len, "skipped  ", tst_atomic_load(&r->skipped));
	len += summary_line(buf + len, "warnings ", tst_atomic_load(&r->warnings));
	tst_write_all(STDERR_FILENO, buf, len);
}

void tst_mark_setup_started(void)
{
	__atomic_store_n(&setup_started, 1, __ATOMIC_RELEASE);
}

void tst_run_cleanup(void)
{
	int outer = in_cleanup;

	in_cleanup = 1;
	if (__atomic_exchange_n(&setup_started, 0, __ATOMIC_ACQ_REL) &&
	    tst_test && tst_test->cleanup)
		tst_test->cleanup();
	tst_free_all();
	in_cleanup = outer;
}

static void print_failure_hints(void)
{
	const struct tst_tag *tags = tst_test ? tst_test->tags : NULL;
	int printed = 0;

	if (!tags || !(tst_exit_code() & (TFAIL | TBROK)))
		return;
	for (; tags->name; tags++) {
		const char *url = NULL;

		if (!strcmp(tags->name, "linux-git"))
			url = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=";
		else if (!strcmp(tags->name, "CVE"))
			url = "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-";
		else if (strcmp(tags->name, "known-fail"))
			continue;
		if (!printed++)
			dprintf(STDERR_FILENO, "\nHINT: You _MAY_ be missing kernel fixes or vulnerable to CVE(s):\n\n");
		dprintf(STDERR_FILENO, "%s%s\n", url ? url : "", tags->value);
	}
}

/*
 * Claim the way out.  The loser of a race is a thread whose work no
 * longer matters: it ends itself so that a cleanup() joining it cannot
 * dead-lock, and the winner's exit() ends the process.
 */
static void claim_exit(void)
{
	int expected = 0;

	if (is_exit_thread())
		return;
	if (!__atomic_compare_exchange_n(&exit_claimed, &expected, 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		for (;;)
			pthread_exit(NULL);
	}
	exit_thread = pthread_self();
	__atomic_store_n(&exit_ready, 1, __ATOMIC_RELEASE);
}

void tst_do_exit(void)
{
	claim_exit();
	tst_watchdog_arm(0);

	tst_run_cleanup();
	tst_sys_conf_restore(0);
	tst_tmpdir_remove();
	print_failure_hints();
	tst_print_summary();
	exit(tst_exit_code());
}

void tst_brk_(const char *file, const int lineno, int ttype,
	      const char *fmt, ...)
{
	va_list va;

	/* In cleanup (or the rest of the way out): report and go on */
	if (in_cleanup || is_exit_thread()) {
		if (TTYPE_RESULT(ttype) == TBROK)
			ttype = (ttype & ~TTYPE_MASK) | TWARN;
		va_start(va, fmt);
		tst_vres_(file, lineno, ttype, fmt, va);
		va_end(va);
		return;
	}

	va_start(va, fmt);
	tst_vres_(file, lineno, ttype, fmt, va);
	va_end(va);

	/* A helper called outside a test (no harness): just exit */
	if (!tst_results)
		exit(TTYPE_RESULT(ttype));

	/* A forked child: its result is counted, the parent goes on */
	if (tst_main_pid && getpid() != tst_main_pid) {
		if (TTYPE_RESULT(ttype) == TBROK)
			tst_atomic_inc(&results()->abort_flag);
		exit(0);
	}
	tst_do_exit();
}

void tst_reinit(void)
{
	tst_lib_brk(TBROK, "tst_reinit() is not supported by kvmkit");
}
