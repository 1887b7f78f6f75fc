// SPDX-License-Identifier: MIT
/* SAFE_*() for processes and signals */
#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

int safe_kill(const char *file, const int lineno, pid_t pid, int sig)
{
	int ret = kill(pid, sig);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "kill(%d, %s) failed",
			 (int)pid, tst_strsig(sig));
	return ret;
}

pid_t safe_waitpid(const char *file, const int lineno, pid_t pid,
		   int *status, int opts)
{
	pid_t ret = waitpid(pid, status, opts);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "waitpid(%d,%p,%d) failed",
			 (int)pid, (void *)status, opts);
	return ret;
}

pid_t safe_wait(const char *file, const int lineno, int *status)
{
	pid_t ret = wait(status);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "wait(%p) failed",
			 (void *)status);
	return ret;
}

int safe_sigaction(const char *file, const int lineno, int signum,
		   const struct sigaction *act, struct sigaction *oldact)
{
	int ret = sigaction(signum, act, oldact);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigaction(%s, %p, %p) failed",
			 tst_strsig(signum), (void *)act, (void *)oldact);
	return ret;
}

tst_sighandler_t safe_signal(const char *file, const int lineno, int signum,
			     tst_sighandler_t handler)
{
	tst_sighandler_t ret = signal(signum, handler);

	if (ret == SIG_ERR)
		tst_brk_(file, lineno, TBROK | TERRNO, "signal(%s) failed",
			 tst_strsig(signum));
	return ret;
}

int safe_sigprocmask(const char *file, const int lineno, int how,
		     const sigset_t *set, sigset_t *oldset)
{
	int ret = sigprocmask(how, set, oldset);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigprocmask(%d) failed", how);
	return ret;
}

int safe_sigemptyset(const char *file, const int lineno, sigset_t *sigs)
{
	int ret = sigemptyset(sigs);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigemptyset() failed");
	return ret;
}

int safe_sigfillset(const char *file, const int lineno, sigset_t *sigs)
{
	int ret = sigfillset(sigs);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigfillset() failed");
	return ret;
}

int safe_sigaddset(const char *file, const int lineno, sigset_t *sigs,
		   int signo)
{
	int ret = sigaddset(sigs, signo);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigaddset(%s) failed",
			 tst_strsig(signo));
	return ret;
}

int safe_sigdelset(const char *file, const int lineno, sigset_t *sigs,
		   int signo)
{
	int ret = sigdelset(sigs, signo);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "sigdelset(%s) failed",
			 tst_strsig(signo));
	return ret;
}
