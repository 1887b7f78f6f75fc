// SPDX-License-Identifier: MIT
/*
 * vCPU timeouts: a POSIX timer per vCPU, aimed at the thread that runs it
 * (SIGEV_THREAD_ID), whose signal carries the vCPU in sival_ptr.  The
 * handler only sets kvm_run->immediate_exit, which makes the current or
 * the next KVM_RUN return EINTR; kvmkit_vcpu_run() then compares the
 * clock with the deadline, which also covers a signal that lands between
 * KVM_RUN's return and the clearing of immediate_exit.  The handler finds
 * everything through siginfo, so there is no global state.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "timeout.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define NSEC_PER_SEC	1000000000ULL

static void timeout_handler(int sig, siginfo_t *si, void *uc)
{
	struct kvmkit_vcpu *vcpu;

	(void)sig;
	(void)uc;
	/* sigqueue() and kill() can send this signal too; only timers count */
	if (si->si_code != SI_TIMER)
		return;
	vcpu = si->si_value.sival_ptr;
	if (vcpu)
		*(volatile __u8 *)&vcpu->run->immediate_exit = 1;
}

/*
 * Install the handler unless it is there already.  Two threads racing
 * here install the same thing, so no lock (and no once-flag) is needed.
 */
static int install_handler(struct kvmkit_vcpu *vcpu)
{
	struct sigaction sa, old;

	if (sigaction(KVMKIT_TIMEOUT_SIGNAL, NULL, &old))
		return kvmkit_vcpu_fail(vcpu, errno, "sigaction");
	if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction == timeout_handler)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = timeout_handler;
	/* SA_RESTART: a timer that fires outside KVM_RUN must not break the
	 * caller's other system calls; KVM_RUN itself is never restarted. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(KVMKIT_TIMEOUT_SIGNAL, &sa, NULL))
		return kvmkit_vcpu_fail(vcpu, errno, "sigaction");
	return 0;
}

int kvmkit_timeout_expired(const struct kvmkit_vcpu *vcpu)
{
	struct timespec now;

	if (!vcpu->timer_armed)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > vcpu->deadline.tv_sec ||
	       (now.tv_sec == vcpu->deadline.tv_sec &&
		now.tv_nsec >= vcpu->deadline.tv_nsec);
}

/*
 * The clock can pass the deadline before the timer's signal arrives (a
 * host's timer interrupts lag its clock, badly so in a nested VM under
 * TCG): a run that ends in TIMEOUT without that signal would otherwise
 * get it later, and leave immediate_exit set for whoever runs next.
 * Disarming is a system call, so a signal already queued for this thread
 * is delivered on its way back, before immediate_exit is cleared.
 */
void kvmkit_timeout_settle(struct kvmkit_vcpu *vcpu)
{
	static const struct itimerspec off;
	int saved = errno;

	if (vcpu->timer_created)
		timer_settime(vcpu->timer, 0, &off, NULL);
	*(volatile __u8 *)&vcpu->run->immediate_exit = 0;
	errno = saved;
}

/*
 * A timer signal that was generated but is still pending (the thread
 * blocks it) would reach the handler after vcpu is freed.  Pending
 * signals of the calling thread are drained; those of other vCPUs are
 * replayed by hand, other senders' are queued again.  A signal pending
 * on another thread cannot be reached: destroy a vCPU from the thread
 * that set its timeout.
 */
static void drain_pending(struct kvmkit_vcpu *vcpu)
{
	const struct timespec zero = { 0, 0 };
	union sigval requeue[8];
	unsigned int nrequeue = 0, i;
	sigset_t set, pending;
	siginfo_t si;

	if (sigpending(&pending) || !sigismember(&pending, KVMKIT_TIMEOUT_SIGNAL))
		return;
	sigemptyset(&set);
	sigaddset(&set, KVMKIT_TIMEOUT_SIGNAL);
	while (sigtimedwait(&set, &si, &zero) == KVMKIT_TIMEOUT_SIGNAL) {
		struct kvmkit_vcpu *other = si.si_value.sival_ptr;

		if (si.si_code != SI_TIMER) {
			if (nrequeue < sizeof(requeue) / sizeof(requeue[0]))
				requeue[nrequeue++] = si.si_value;
		} else if (other && other != vcpu) {
			*(volatile __u8 *)&other->run->immediate_exit = 1;
		}
	}
	for (i = 0; i < nrequeue; i++)
		pthread_sigqueue(pthread_self(), KVMKIT_TIMEOUT_SIGNAL, requeue[i]);
}

void kvmkit_timeout_release(struct kvmkit_vcpu *vcpu)
{
	int saved = errno;

	if (!vcpu->timer_created)
		return;
	timer_delete(vcpu->timer);
	vcpu->timer_created = 0;
	vcpu->timer_armed = 0;
	drain_pending(vcpu);
	errno = saved;
}

/* Aim a new timer at the calling thread */
static int create_timer(struct kvmkit_vcpu *vcpu, pid_t tid)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = KVMKIT_TIMEOUT_SIGNAL;
	sev.sigev_notify_thread_id = tid;
	sev.sigev_value.sival_ptr = vcpu;
	if (timer_create(CLOCK_MONOTONIC, &sev, &vcpu->timer))
		return kvmkit_vcpu_fail(vcpu, errno, "timer_create");
	vcpu->timer_created = 1;
	vcpu->timer_tid = tid;
	return 0;
}

int kvmkit_vcpu_set_timeout(struct kvmkit_vcpu *vcpu, uint64_t timeout_ns)
{
	static const struct itimerspec off;
	struct itimerspec its = { 0 };
	struct timespec now;
	sigset_t set;
	pid_t tid;
	int ret;

	/* Pending signals of an old timer land now, before the reset below */
	sigemptyset(&set);
	sigaddset(&set, KVMKIT_TIMEOUT_SIGNAL);
	ret = pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (ret)
		return kvmkit_vcpu_fail(vcpu, ret, "pthread_sigmask");

	/*
	 * The timer lives as long as the vCPU and is only re-armed, which
	 * saves a timer_create() and its sigaction() check per run.  Its
	 * target thread is fixed at creation, though: a call from another
	 * thread than the one it aims at deletes it (draining its signals)
	 * and creates a new one below.
	 */
	tid = gettid();
	if (vcpu->timer_created && vcpu->timer_tid != tid)
		kvmkit_timeout_release(vcpu);
	/* An old deadline must not fire once immediate_exit is reset */
	if (vcpu->timer_armed) {
		vcpu->timer_armed = 0;
		if (timer_settime(vcpu->timer, 0, &off, NULL)) {
			ret = kvmkit_vcpu_fail(vcpu, errno, "timer_settime");
			kvmkit_timeout_release(vcpu);
			return ret;
		}
	}
	vcpu->run->immediate_exit = 0;
	if (!timeout_ns)
		return 0;

	if (!vcpu->timer_created) {
		ret = install_handler(vcpu);
		if (!ret)
			ret = create_timer(vcpu, tid);
		if (ret)
			return ret;
	}

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Far-future deadlines saturate instead of wrapping into the past */
	if (timeout_ns / NSEC_PER_SEC > (uint64_t)(INT64_MAX / 2 - now.tv_sec))
		timeout_ns = (uint64_t)(INT64_MAX / 2 - now.tv_sec) * NSEC_PER_SEC;
	now.tv_sec += timeout_ns / NSEC_PER_SEC;
	now.tv_nsec += timeout_ns % NSEC_PER_SEC;
	if (now.tv_nsec >= (long)NSEC_PER_SEC) {
		now.tv_sec++;
		now.tv_nsec -= NSEC_PER_SEC;
	}
	vcpu->deadline = now;
	its.it_value = now;
	if (timer_settime(vcpu->timer, TIMER_ABSTIME, &its, NULL)) {
		ret = kvmkit_vcpu_fail(vcpu, errno, "timer_settime");
		kvmkit_timeout_release(vcpu);
		return ret;
	}
	vcpu->timer_armed = 1;
	return 0;
}
