// SPDX-License-Identifier: MIT
/*
 * No kick is lost: 10,000 kvmkit_vcpu_kick()s from another thread, each
 * at a random moment, against a real-mode guest that spins on OUT (so
 * that KVM_RUN returns to the host all the time and a kick often lands
 * between KVM_RUN's return and the next entry, the window where a kick
 * made only of immediate_exit + signal was lost: the run cleared
 * immediate_exit after the signal had already been taken).  Each kick
 * must make a run return KVMKIT_EXIT_INTERRUPTED within KICK_BOUND_MS,
 * else the vCPU would spin forever.  kvm_pvm does the 10,000 in ~2 s;
 * under TCG (kvmkit-vm, ~90 kicks/s) the kicks stop after BUDGET_S.
 * Exit 77 without /dev/kvm.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define KICKS		10000
#define KICK_BOUND_MS	2000	/* generous: TCG inside the VM is slow */
#define BUDGET_S	20	/* under the runner's 60 s: fewer kicks in TCG */
#define CODE_GPA	0x1000
#define KICK_SIGNAL	SIGUSR1

static const uint8_t code[] = {
	0xe6, 0x80,		/* 0: out %al, $0x80 */
	0xeb, 0xfc,		/* 2: jmp 0 */
};

struct shared {
	struct kvmkit_vcpu *vcpu;
	unsigned long ended;	/* runs that ended INTERRUPTED (atomic) */
	int stop;		/* the kicker is done (atomic) */
	int ret;		/* a run's failure, or an unexpected exit */
	struct kvmkit_exit exit;
};

static void on_kick(int sig)
{
	(void)sig;
}

/* Run until told to stop, counting the runs a kick ended */
static void *run_vcpu(void *arg)
{
	struct shared *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
		s->ret = kvmkit_vcpu_run(s->vcpu, &s->exit);
		if (s->ret)
			break;
		if (s->exit.type == KVMKIT_EXIT_INTERRUPTED)
			__atomic_add_fetch(&s->ended, 1, __ATOMIC_SEQ_CST);
		else if (s->exit.type != KVMKIT_EXIT_IO_OUT) {
			s->ret = -EPROTO;
			break;
		}
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* Busy-wait up to 20 us: the kick lands anywhere in the exit/entry cycle */
static void random_pause(unsigned int *seed)
{
	uint64_t end = now_ns() + (uint64_t)(rand_r(seed) % 20000);

	while (now_ns() < end)
		;
}

static int setup(struct kvmkit_vm *vm, struct kvmkit_vcpu **vcpu)
{
	int ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);

	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, vcpu);
	return ret ?: unit_real_mode(*vcpu, CODE_GPA);
}

int main(void)
{
	static struct shared s;
	struct sigaction sa;
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	pthread_t thread;
	char err[KVMKIT_ERR_MAX];
	unsigned int seed = (unsigned int)now_ns(), i, lost = 0, failed = 0;
	uint64_t worst = 0, t0 = now_ns();
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	if (kvmkit_vm_create(kvm, &vm)) {
		CHECK(0, "VM: %s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigaction(KICK_SIGNAL, &sa, NULL);
	if (!CHECK_EQ(setup(vm, &s.vcpu), 0, "a vCPU spinning on OUT")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	if (!CHECK_EQ(pthread_create(&thread, NULL, run_vcpu, &s), 0,
		      "its own thread"))
		goto out;

	unit_diag("seed %u", seed);
	for (i = 0; i < KICKS && !failed &&
	     now_ns() - t0 < BUDGET_S * 1000000000ull; i++) {
		unsigned long before = __atomic_load_n(&s.ended, __ATOMIC_SEQ_CST);
		uint64_t start, took;

		random_pause(&seed);
		start = now_ns();
		if (kvmkit_vcpu_kick(s.vcpu, thread, KICK_SIGNAL)) {
			failed = 1;
			break;
		}
		/* the kick must end a run; one that is lost never does */
		while (__atomic_load_n(&s.ended, __ATOMIC_SEQ_CST) == before &&
		       now_ns() - start < KICK_BOUND_MS * 1000000ull &&
		       !s.ret)
			;
		took = now_ns() - start;
		if (__atomic_load_n(&s.ended, __ATOMIC_SEQ_CST) == before) {
			lost++;
			unit_diag("kick %u lost (no run ended in %d ms)", i,
				  KICK_BOUND_MS);
			break;
		}
		if (took > worst)
			worst = took;
	}
	CHECK(!failed, "every kick sent");
	CHECK_EQ(s.ret, 0, "the runs returned IO or INTERRUPTED only");
	CHECK(lost == 0 && i > 0,
	      "%u kicks at random moments, each ended a run (worst %llu us)",
	      i, (unsigned long long)(worst / 1000));
	if (i < KICKS && !lost)
		unit_diag("the %d s budget ran out before %d kicks", BUDGET_S, KICKS);

	__atomic_store_n(&s.stop, 1, __ATOMIC_SEQ_CST);
	/* the last kick: the loop may still be in a run that spins */
	kvmkit_vcpu_kick(s.vcpu, thread, KICK_SIGNAL);
	if (lost) {
		/* a lost kick leaves the vCPU spinning: stop it the hard way */
		struct timespec t = { 0, 10000000 };

		for (i = 0; i < 100 && pthread_tryjoin_np(thread, NULL); i++) {
			kvmkit_vcpu_kick(s.vcpu, thread, KICK_SIGNAL);
			nanosleep(&t, NULL);
		}
		if (i == 100)
			goto out_leak;	/* do not destroy a vCPU in use */
	} else {
		pthread_join(thread, NULL);
	}
out:
	kvmkit_vm_destroy(vm);
out_leak:
	kvmkit_kvm_close(kvm);
	return unit_done();
}
