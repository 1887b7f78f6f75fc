/* SPDX-License-Identifier: MIT */
/*
 * The event loop: keep up to -j tests running, collect their output,
 * enforce the deadlines, reap them, report each one whole as it finishes.
 * One poll() covers the output pipes and a signalfd for SIGCHLD and the
 * termination signals, so there is no signal handler and no global state.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

/* Output still arriving from a finished test's killed stragglers */
#define DRAIN_GRACE	2.0

/*
 * A test still running after this long is asked for its declared timeout
 * (--meta); until then it runs under the default limit.  Most tests end
 * sooner, and a --meta costs one more exec: on kvmkit-vm's 9p root about
 * 0.2 s per test, as much as the test itself.
 */
#define LAZY_META	1.0

struct loop {
	struct test_list *l;
	const struct options *opt;
	FILE *human, *tap;
	size_t next;		/* first test not started */
	size_t running;
	size_t reported;
	int interrupted;
	int stopped;		/* --fail-fast: something failed, start no more */
	struct pollfd *pfd;
	struct test **pfd_test;
	struct progress progress;	/* on stdout, with the human report */
};

static void ts_add(struct timespec *ts, const struct timespec *base,
		   double sec)
{
	long long ns = base->tv_nsec + (long long)(sec * 1e9);

	ts->tv_sec = base->tv_sec + ns / 1000000000LL;
	ts->tv_nsec = ns % 1000000000LL;
}

static void finish(struct loop *lp, struct test *t)
{
	test_judge(t, lp->opt);
	t->finished = 1;
	lp->reported++;
	if (lp->opt->fail_fast && !t->known && (t->verdict == V_FAIL ||
				   t->verdict == V_BROK || t->strict_skip))
		lp->stopped = 1;
	if (lp->human) {
		progress_erase(&lp->progress, lp->human);
		report_test(lp->human, t, lp->opt);
		fflush(lp->human);
	}
	if (lp->tap) {
		if (lp->opt->ktap)
			ktap_test(lp->tap, t, lp->reported, lp->opt);
		else
			tap_test(lp->tap, t, lp->reported);
		fflush(lp->tap);
	}
}

static void start_more(struct loop *lp)
{
	while (!lp->interrupted && !lp->stopped &&
	       lp->running < (size_t)lp->opt->jobs &&
	       lp->next < lp->l->n) {
		struct test *t = &lp->l->v[lp->next++];
		int ret = test_spawn(t, lp->opt);

		if (ret) {
			t->spawn_errno = -ret;
			t->end = t->start;
			finish(lp, t);
			continue;
		}
		limit_set(t, lp->opt);
		ts_add(&t->deadline, &t->start, t->limit);
		lp->running++;
	}
}

static struct test *find_pid(struct loop *lp, pid_t pid)
{
	size_t i;

	for (i = 0; i < lp->next; i++)
		if (lp->l->v[i].running && lp->l->v[i].pid == pid)
			return &lp->l->v[i];
	return NULL;
}

/*
 * Reap every exited child.  WNOWAIT first, so that the zombie still holds
 * its pid while we SIGKILL the rest of its process group: whatever it
 * left behind would otherwise keep the output pipe open, and the group id
 * cannot be recycled before the reap.
 */
static void reap(struct loop *lp)
{
	for (;;) {
		siginfo_t si;
		struct test *t;
		int status;

		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    !si.si_pid)
			return;
		t = find_pid(lp, si.si_pid);
		if (t)
			kill(-t->pid, SIGKILL);
		if (waitpid(si.si_pid, &status, 0) < 0 || !t)
			continue;
		t->status = status;
		t->exited = 1;
		if (!t->timed_out && !t->interrupted)
			clock_gettime(CLOCK_MONOTONIC, &t->end);
		ts_add(&t->drain_deadline, &t->end, DRAIN_GRACE);
	}
}

static void kill_all(struct loop *lp)
{
	size_t i;

	for (i = 0; i < lp->next; i++) {
		struct test *t = &lp->l->v[i];

		if (t->running && !t->exited) {
			t->interrupted = 1;
			clock_gettime(CLOCK_MONOTONIC, &t->end);
			kill(-t->pid, SIGKILL);
		}
	}
}

static void read_signals(struct loop *lp, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (!lp->interrupted)
			kill_all(lp);
		lp->interrupted = 1;
	}
	reap(lp);
}

static void read_output(struct test *t)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(t->out_fd, buf, sizeof(buf));

		if (n > 0) {
			output_append(&t->out, buf, n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(t->out_fd);	/* EOF, or an error that will not heal */
		t->out_fd = -1;
		return;
	}
}

/* Its declared limit, now that it has run for LAZY_META seconds */
static void late_limit(struct test *t, const struct options *opt,
		       const struct timespec *now)
{
	if (t->meta || t->limit_src != LIMIT_DEFAULT || ts_diff(now, &t->start) < LAZY_META)
		return;
	if (meta_fetch(t))
		return;		/* out of memory: keep the default */
	t->own_meta = t->rep != 0;
	limit_set(t, opt);
	ts_add(&t->deadline, &t->start, t->limit);
}

/* Deadlines that passed; returns the poll timeout (ms) to the next one */
static int check_time(struct loop *lp)
{
	struct timespec now;
	double next = -1;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < lp->next; i++) {
		struct test *t = &lp->l->v[i];
		const struct timespec *when;
		double left;

		if (!t->running)
			continue;
		if (!t->exited && !t->timed_out && !t->interrupted) {
			late_limit(t, lp->opt, &now);
			if (!t->meta && t->limit_src == LIMIT_DEFAULT &&
			    ts_diff(&now, &t->start) < LAZY_META &&
			    (next < 0 || LAZY_META - ts_diff(&now, &t->start) < next))
				next = LAZY_META - ts_diff(&now, &t->start);
		}
		if (!t->exited && !t->timed_out && !t->interrupted && t->limit > 0)
			when = &t->deadline;
		else if (t->exited && t->out_fd >= 0)
			when = &t->drain_deadline;
		else
			continue;
		left = ts_diff(when, &now);
		if (left <= 0) {
			if (t->exited) {
				close(t->out_fd);
				t->out_fd = -1;
				continue;
			}
			t->timed_out = 1;
			t->end = now;
			kill(-t->pid, SIGKILL);
			continue;
		}
		if (next < 0 || left < next)
			next = left;
	}
	return next < 0 ? -1 : (int)(next * 1000) + 1;
}

static void collect_finished(struct loop *lp)
{
	size_t i;

	for (i = 0; i < lp->next; i++) {
		struct test *t = &lp->l->v[i];

		if (t->running && t->exited && t->out_fd < 0) {
			t->running = 0;
			lp->running--;
			finish(lp, t);
		}
	}
}

static int poll_once(struct loop *lp, int sfd)
{
	size_t i, n = 1;
	int timeout, ret;

	timeout = check_time(lp);
	lp->pfd[0].fd = sfd;
	lp->pfd[0].events = POLLIN;
	for (i = 0; i < lp->next; i++) {
		struct test *t = &lp->l->v[i];

		if (!t->running || t->out_fd < 0)
			continue;
		lp->pfd[n].fd = t->out_fd;
		lp->pfd[n].events = POLLIN;
		lp->pfd_test[n++] = t;
	}
	/* the running times on the progress line tick */
	if (lp->progress.on && (timeout < 0 || timeout > 1000))
		timeout = 1000;
	ret = poll(lp->pfd, n, timeout);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 1; i < n; i++)
		if (lp->pfd[i].revents)
			read_output(lp->pfd_test[i]);
	if (lp->pfd[0].revents)
		read_signals(lp, sfd);
	check_time(lp);
	return 0;
}

int run_all(struct test_list *l, const struct options *opt,
	    FILE *human, FILE *tap)
{
	struct loop lp = { .l = l, .opt = opt, .human = human, .tap = tap };
	size_t seen = (size_t)-1;
	sigset_t mask, old;
	int sfd, err, ret = 0;

	lp.pfd = calloc(l->n + 1, sizeof(*lp.pfd));
	lp.pfd_test = calloc(l->n + 1, sizeof(*lp.pfd_test));
	if (!lp.pfd || !lp.pfd_test) {
		ret = -ENOMEM;
		goto out_free;
	}

	/*
	 * Become the reaper of what the tests leave behind, so orphans are
	 * reaped here (a container's PID 1 may never do it) instead of
	 * lingering as zombies; reap() takes any pid.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	/* SIGPIPE too: a closed stdout must not kill us with tests running */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGPIPE);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigdelset(&mask, SIGPIPE);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		ret = -errno;
		goto out_mask;
	}

	lp.progress.on = human && progress_wanted(opt);
	for (;;) {
		start_more(&lp);
		if (!lp.running)
			break;
		/* at once when a test ended, else at the redraw pace */
		progress_draw(&lp.progress, human, l, seen != lp.reported);
		seen = lp.reported;
		err = poll_once(&lp, sfd);
		if (err && !lp.interrupted) {
			/* cannot watch the tests any more: stop them */
			kill_all(&lp);
			lp.interrupted = 1;
			ret = err;
		}
		reap(&lp);
		collect_finished(&lp);
	}
	if (human)
		progress_erase(&lp.progress, human);
	close(sfd);
	if (!ret && lp.interrupted)
		ret = 130;
out_mask:
	sigprocmask(SIG_SETMASK, &old, NULL);
out_free:
	free(lp.pfd);
	free(lp.pfd_test);
	return ret;
}
