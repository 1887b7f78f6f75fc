// SPDX-License-Identifier: MIT
/*
 * Getting a vCPU out of KVM_RUN: with kvm_run->immediate_exit = 1,
 * KVM_RUN returns -1/EINTR at once without running the guest (RIP
 * unchanged, the guest's first instruction, an OUT, not executed); with
 * immediate_exit = 0 the same guest runs.  A signal sent to the vCPU's thread while the guest spins
 * in a loop makes KVM_RUN return -1/EINTR with KVM_EXIT_INTR, the guest
 * still in its loop; kvmkit_vcpu_kick() (immediate_exit + a signal) does
 * the same for kvmkit_vcpu_run() (KVMKIT_EXIT_INTERRUPTED).
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, 5. "The
 * kvm_run structure": immediate_exit ("polled once when KVM_RUN starts;
 * if non-zero, KVM_RUN exits immediately, returning -EINTR.  In the
 * common scenario where a signal is used to 'kick' a VCPU out of
 * KVM_RUN, this field can be used to avoid usage of KVM_SET_SIGNAL_MASK")
 * and KVM_EXIT_INTR; 4.10 KVM_RUN ("EINTR: an unmasked signal is
 * pending").
 */
#include "kvm_test.h"
#include "kvm_hostside.h"

#ifndef COMPILE_PAYLOAD

#include <pthread.h>
#include <signal.h>
#include <time.h>

#define KICK_SIG	SIGUSR1

static const uint8_t code[] = {
	0xe6, 0x10,		/* 0x1000: out %al, $0x10 */
	0xeb, 0xfe,		/* 0x1002: jmp . */
};

static volatile int stop_kicking, kicks;
static pthread_t vcpu_thread;

static void on_sig(int sig)
{
	(void)sig;
}

/* Signal the vCPU's thread every 20 ms until it is out (at most 5 s) */
static void *kicker(void *arg)
{
	struct timespec ts = { 0, 20000000 };
	int i;

	(void)arg;
	for (i = 0; i < 250 && !stop_kicking; i++) {
		nanosleep(&ts, NULL);
		if (stop_kicking)
			break;
		pthread_kill(vcpu_thread, KICK_SIG);
		kicks++;
	}
	return NULL;
}

static struct kvmkit_vcpu *kick_vcpu;

static void *kvmkit_kicker(void *arg)
{
	struct timespec ts = { 0, 50000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	kvmkit_vcpu_kick(kick_vcpu, vcpu_thread, KICK_SIG);
	return NULL;
}

static uint64_t rip_of(struct kvmkit_vcpu *vcpu)
{
	struct kvm_regs regs;

	if (kvmkit_vcpu_get_regs(vcpu, &regs))
		tst_brk(TBROK, "KVM_GET_REGS: %s", kvmkit_vcpu_error(vcpu));
	return regs.rip;
}

static void run(void)
{
	struct sigaction sa;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	struct kvm_run *kr;
	pthread_t t;
	char line[160];
	int ret, err, fd;
	uint64_t rip;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIG, &sa, NULL))
		tst_brk(TBROK | TERRNO, "sigaction");
	vcpu = hk_setup(0x10000, code, sizeof(code));
	kvmkit_vcpu_set_timeout(vcpu, 0);
	kr = kvmkit_vcpu_kvm_run(vcpu);
	fd = kvmkit_vcpu_fd(vcpu);
	vcpu_thread = pthread_self();

	kr->immediate_exit = 1;
	ret = ioctl(fd, KVM_RUN, 0);
	err = errno;
	rip = rip_of(vcpu);
	if (ret == -1 && err == EINTR)
		tst_res(TPASS, "immediate_exit = 1: KVM_RUN returned -1/EINTR");
	else
		tst_res(TFAIL, "immediate_exit = 1: KVM_RUN returned %d (errno %d), expected -1/EINTR",
			ret, ret ? err : 0);
	/* api.rst promises only -EINTR here, no exit_reason: not checked */
	tst_res(TINFO, "immediate_exit = 1: exit_reason %u", kr->exit_reason);
	if (rip == CODE_GPA)
		tst_res(TPASS, "immediate_exit = 1: the guest did not run (RIP 0x%llx)",
			(unsigned long long)rip);
	else
		tst_res(TFAIL, "immediate_exit = 1: the guest ran to RIP 0x%llx",
			(unsigned long long)rip);
	kr->immediate_exit = 0;

	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.port == 0x10)
		tst_res(TPASS, "immediate_exit = 0: the guest ran its OUT");
	else
		tst_res(TFAIL, "immediate_exit = 0: %s, expected IO_OUT port 0x10", line);

	/* complete the OUT, then the guest spins in jmp . */
	if (kvmkit_vcpu_complete_pending(vcpu))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	stop_kicking = 0;
	kicks = 0;
	if (pthread_create(&t, NULL, kicker, NULL))
		tst_brk(TBROK, "pthread_create");
	kr->exit_reason = KVM_EXIT_UNKNOWN;
	ret = ioctl(fd, KVM_RUN, 0);
	err = errno;
	stop_kicking = 1;
	pthread_join(t, NULL);
	rip = rip_of(vcpu);
	if (ret == -1 && err == EINTR && kr->exit_reason == KVM_EXIT_INTR)
		tst_res(TPASS, "a signal during the spinning guest: KVM_RUN -1/EINTR, KVM_EXIT_INTR (after %d signal%s)",
			kicks, kicks == 1 ? "" : "s");
	else
		tst_res(TFAIL, "a signal during the spinning guest: KVM_RUN returned %d (errno %d), exit_reason %u, expected -1/EINTR, KVM_EXIT_INTR (%u)",
			ret, ret ? err : 0, kr->exit_reason, KVM_EXIT_INTR);
	if (rip == CODE_GPA + 2)
		tst_res(TPASS, "the guest was stopped in its loop (RIP 0x%llx)",
			(unsigned long long)rip);
	else
		tst_res(TFAIL, "the guest was stopped at RIP 0x%llx, expected 0x%x",
			(unsigned long long)rip, CODE_GPA + 2);

	kick_vcpu = vcpu;
	if (pthread_create(&t, NULL, kvmkit_kicker, NULL))
		tst_brk(TBROK, "pthread_create");
	kvmkit_vcpu_set_timeout(vcpu, 5000000000ULL);
	ret = hk_run(vcpu, &e, line, sizeof(line));
	kvmkit_vcpu_set_timeout(vcpu, 0);
	pthread_join(t, NULL);
	if (!ret && e.type == KVMKIT_EXIT_INTERRUPTED)
		tst_res(TPASS, "kvmkit_vcpu_kick(): the spinning guest's kvmkit_vcpu_run() returned INTERRUPTED");
	else
		tst_res(TFAIL, "kvmkit_vcpu_kick(): %s, expected INTERRUPTED", line);
	if (kr->immediate_exit == 0)
		tst_res(TPASS, "immediate_exit is clear again after the kick");
	else
		tst_res(TFAIL, "immediate_exit is still %u after the kick",
			kr->immediate_exit);
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static struct tst_test test = {
	.kvmkit_desc = "Getting a vCPU out of KVM_RUN",
	.test_all = run,
	.cleanup = hk_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
