// SPDX-License-Identifier: MIT
/*
 * Crash-proofing without a library process.  LTP forks the test so that
 * its parent can still report a crash or a hang; kvmkit saves that fork
 * (it would double a KVM test's start-up cost) and instead catches fatal
 * signals and runs an overall watchdog timer.  Both end the same way,
 * with async-signal-safe calls only: a TBROK line, save_restore values
 * written back, the summary, and LTP's exit code.  cleanup() cannot run
 * from a signal handler; the kernel releases the VM's fds and memory.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#if defined(__SANITIZE_ADDRESS__)
# define TST_UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TST_UNDER_ASAN 1
# endif
#endif

#define WATCHDOG_SIGNAL	(SIGRTMIN + 6)	/* kvmkit's vCPU timeout is +7 */

static int fatal_once;
static unsigned int watchdog_seconds;
static timer_t watchdog;
static int watchdog_created;
static char altstack[64 * 1024];

size_t tst_fmt_uint(char *buf, unsigned long long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

void tst_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t ret = write(fd, buf, len);

		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			return;
		buf += ret;
		len -= ret;
	}
}

static size_t append(char *buf, size_t len, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n > size - len)
		n = size - len;
	memcpy(buf + len, s, n);
	return len + n;
}

/* The last words of the process: one TBROK line, restore, summary */
static void fatal_exit(const char *what, const char *detail,
		       const char *suffix)
{
	char line[256];
	size_t len = 0;

	if (__atomic_exchange_n(&fatal_once, 1, __ATOMIC_ACQ_REL)) {
		for (;;)
			pause();	/* another thread is ending the process */
	}
	len = append(line, len, sizeof(line) - 1, TST_LIB_FILE ":0: TBROK: ");
	len = append(line, len, sizeof(line) - 1, what);
	len = append(line, len, sizeof(line) - 1, detail);
	len = append(line, len, sizeof(line) - 1, suffix);
	line[len++] = '\n';
	tst_write_all(STDERR_FILENO, line, len);
	if (tst_results)
		tst_atomic_inc(&tst_results->broken);
	tst_sys_conf_restore_unsafe_exit();
	tst_print_summary();
	_exit(tst_exit_code());
}

static void fatal_handler(int sig)
{
	const char *name = tst_strsig(sig);

	if (sig == WATCHDOG_SIGNAL) {
		char detail[64] = " (no result within ";
		size_t len = strlen(detail);

		len += tst_fmt_uint(detail + len, watchdog_seconds);
		memcpy(detail + len, " s)", 4);
		fatal_exit("Test killed! (timeout?)", detail, "");
	}
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
		fatal_exit("Test interrupted by ", name, "!");
	fatal_exit("Test killed by ", name, "!");
}

static void catch(int sig, int flags)
{
	struct sigaction sa = {
		.sa_handler = fatal_handler,
		.sa_flags = flags,
	};

	sigfillset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void tst_fatal_init(void)
{
	static const int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE,
				       SIGABRT, SIGSYS };
	stack_t ss = {
		.ss_sp = altstack,
		.ss_size = sizeof(altstack),
	};
	size_t i;

	/* A stack overflow must still be reported */
	sigaltstack(&ss, NULL);
#ifndef TST_UNDER_ASAN
	for (i = 0; i < ARRAY_SIZE(crashes); i++)
		catch(crashes[i], SA_ONSTACK | SA_RESETHAND);
#else
	(void)crashes;
	(void)i;
#endif
	catch(SIGINT, SA_RESETHAND);
	catch(SIGTERM, SA_RESETHAND);
	catch(SIGHUP, SA_RESETHAND);
}

/* Restart the watchdog, like LTP's heartbeat before each test run */
void tst_watchdog_arm(unsigned int seconds)
{
	struct itimerspec its = { .it_value.tv_sec = seconds };

	if (!watchdog_created) {
		struct sigevent sev = {
			.sigev_notify = SIGEV_SIGNAL,
			.sigev_signo = WATCHDOG_SIGNAL,
		};

		if (!seconds)
			return;
		catch(WATCHDOG_SIGNAL, 0);
		if (timer_create(CLOCK_MONOTONIC, &sev, &watchdog)) {
			tst_lib_res(TWARN | TERRNO, "timer_create() failed, no watchdog");
			return;
		}
		watchdog_created = 1;
	}
	watchdog_seconds = seconds;
	timer_settime(watchdog, 0, &its, NULL);
}
