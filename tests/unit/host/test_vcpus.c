// SPDX-License-Identifier: MIT
/*
 * Several vCPUs against the real /dev/kvm: as many as a test can afford
 * (at most 4, at most what KVM_CAP_MAX_VCPUS allows), each in real mode
 * on its own stack (a CALL/RET loop counting into its own word), each
 * run by its own thread.  One is kicked out of KVM_RUN
 * (kvmkit_vcpu_kick(): immediate_exit and a signal) while the others go
 * on counting, then all are stopped and joined.  The payload boot
 * (kvmkit_payload_boot()) keeps one stack and one TSS in the image's
 * header, so several payload vCPUs are not offered yet.  Exit 77 without
 * /dev/kvm.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define NVCPUS		4
#define CODE_GPA	0x1000
#define COUNT_GPA	0x3000		/* one 16-bit counter per vCPU */
#define STACK_TOP	0x8000		/* vCPU i: STACK_TOP - i * 0x400 */
#define KICK_SIGNAL	SIGUSR1

static const uint8_t code[] = {
	0xe8, 0x02, 0x00,	/* 0: call 5 */
	0xeb, 0xfb,		/* 3: jmp 0 */
	0xff, 0x07,		/* 5: incw (%bx) */
	0xc3,			/* 7: ret */
};

struct runner {
	struct kvmkit_vcpu *vcpu;
	pthread_t thread;
	struct kvmkit_exit exit;
	int ret;
	volatile int done;
};

static void on_kick(int sig)
{
	(void)sig;
}

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	do
		r->ret = kvmkit_vcpu_run(r->vcpu, &r->exit);
	while (!r->ret && r->exit.type != KVMKIT_EXIT_INTERRUPTED &&
	       r->exit.type != KVMKIT_EXIT_SHUTDOWN);
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int setup_vcpu(struct kvmkit_vm *vm, unsigned int i,
		      struct kvmkit_vcpu **vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret = kvmkit_vcpu_create(vm, i, vcpu);

	if (!ret)
		ret = kvmkit_vcpu_get_sregs(*vcpu, &sregs);
	if (ret)
		return ret;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rflags = 0x2;
	regs.rsp = STACK_TOP - i * 0x400;
	regs.rbx = COUNT_GPA + 2 * i;
	ret = kvmkit_vcpu_set_sregs(*vcpu, &sregs);
	if (!ret)
		ret = kvmkit_vcpu_set_regs(*vcpu, &regs);
	return ret;
}

static uint16_t counter(struct kvmkit_vm *vm, unsigned int i)
{
	volatile uint16_t *p = kvmkit_gpa_to_hva(vm, COUNT_GPA + 2 * i, 2);

	return p ? *p : 0;
}

static void nap(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

/* Wait up to tries * 10 ms for a counter to move past what it read */
static int moves(struct kvmkit_vm *vm, unsigned int i, int tries)
{
	uint16_t c0 = counter(vm, i);
	int n;

	for (n = 0; n < tries; n++) {
		nap(10);
		if (counter(vm, i) != c0)
			return 1;
	}
	return 0;
}

int main(void)
{
	struct sigaction sa;
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct runner r[NVCPUS];
	char err[KVMKIT_ERR_MAX];
	unsigned int i, n = NVCPUS, started = 0;
	int ret, others;

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
	CHECK_EQ(kvmkit_vm_max_vcpus(vm),
		 kvmkit_vm_check_extension(vm, KVM_CAP_MAX_VCPUS),
		 "the VM takes KVM_CAP_MAX_VCPUS vCPUs");
	unit_diag("KVM_CAP_MAX_VCPUS %u", kvmkit_vm_max_vcpus(vm));
	if (n > kvmkit_vm_max_vcpus(vm))
		n = kvmkit_vm_max_vcpus(vm);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigaction(KICK_SIGNAL, &sa, NULL);
	memset(r, 0, sizeof(r));
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	for (i = 0; !ret && i < n; i++)
		ret = setup_vcpu(vm, i, &r[i].vcpu);
	if (!CHECK_EQ(ret, 0, "vCPUs created, each with its own stack")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&r[i].thread, NULL, run_vcpu, &r[i]))
			break;
		started++;
	}
	if (!CHECK_EQ(started, n, "one thread per vCPU"))
		goto stop;
	for (i = 0; i < n; i++)
		CHECK(moves(vm, i, 500), "vCPU %u counts on its own stack", i);

	/* the last one out alone */
	CHECK_EQ(kvmkit_vcpu_kick(r[n - 1].vcpu, r[n - 1].thread, KICK_SIGNAL), 0,
		 "kick the last vCPU");
	pthread_join(r[n - 1].thread, NULL);
	started--;
	CHECK(r[n - 1].ret == 0 && r[n - 1].exit.type == KVMKIT_EXIT_INTERRUPTED,
	      "its KVM_RUN returned INTERRUPTED");
	CHECK_EQ(kvmkit_vcpu_kvm_run(r[n - 1].vcpu)->immediate_exit, 0,
		 "and immediate_exit is cleared");
	for (i = 0, others = 0; i + 1 < n; i++)
		others += !r[i].done && moves(vm, i, 500);
	CHECK_EQ(others, n - 1, "the others still run");
	CHECK(!moves(vm, n - 1, 30), "the kicked one stopped counting");
stop:
	for (i = 0; i < started; i++)
		kvmkit_vcpu_kick(r[i].vcpu, r[i].thread, KICK_SIGNAL);
	for (i = 0; i < started; i++)
		pthread_join(r[i].thread, NULL);
	for (i = 0, others = 0; i < started; i++)
		others += r[i].ret == 0 && r[i].exit.type == KVMKIT_EXIT_INTERRUPTED;
	CHECK_EQ(others, started, "all stopped cleanly");
out:
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
