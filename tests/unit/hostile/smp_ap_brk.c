/* kvmkit-expect: exit=1 timeout=10 env=KVMKIT_TIMEOUT=30 match=TFAIL: CPU 1: broke off */
/* kvmkit-expect: nomatch=TPASS|[Tt]imed out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: tst_brk(TFAIL) on CPU 1 while CPU 0 spins forever.  As
 * exit() in any thread ends a process, tst_brk() on any CPU ends the
 * test: at once, with the TFAIL, CPU 0 stopped by the host.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(2);

static void brk(void *arg)
{
	(void)arg;
	tst_brk(TFAIL, "broke off");
}

void main(void)
{
	kvm_smp_call_async(brk, NULL);
	asm volatile("cli\n1:\tjmp 1b" : : : "memory");
	tst_res(TPASS, "CPU 0 left its loop");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TFAIL" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "tst_brk(TFAIL) on CPU 1 ends the whole test, reported with its CPU number",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
