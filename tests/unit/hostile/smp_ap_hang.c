/* kvmkit-expect: exit=2 timeout=15 env=KVMKIT_TIMEOUT=1 match=TBROK */
/* kvmkit-expect: match=[Tt]imed out */
/* kvmkit-expect: match=^CPU 1:|TBROK: CPU 1: */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: CPU 1 never returns from its kvm_smp_call() function,
 * so CPU 0 waits for it forever.  Both are bounded by the guest timeout;
 * the TBROK must come with CPU 1's registers, not just CPU 0's.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(2);

static void hang(void *arg)
{
	(void)arg;
	if (kvm_cpu_id())
		asm volatile("cli\n1:\tjmp 1b" : : : "memory");
}

void main(void)
{
	kvm_smp_call(hang, NULL);
	tst_res(TFAIL, "kvm_smp_call() returned while CPU 1 hangs");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "CPU 1 spins forever while CPU 0 waits: the guest timeout ends it as TBROK",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
