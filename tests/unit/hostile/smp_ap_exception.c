/* kvmkit-expect: exit=2 timeout=20 env=KVMKIT_TIMEOUT=30 match=TBROK: CPU 1: Unhandled exception.*(#UD|[Ii]nvalid opcode|[Ii]llegal instruction) */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
/* kvmkit-expect: nomatch=TPASS|TFAIL|[Tt]imed out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: ud2 on CPU 1 without a callback.  The exception report
 * must be CPU 1's (its own result page, its registers), prefixed with
 * its number, and end the test while CPU 0 waits.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(2);

static void fault(void *arg)
{
	(void)arg;
	if (kvm_cpu_id())
		asm volatile("ud2" : : : "memory");
}

void main(void)
{
	kvm_smp_call(fault, NULL);
	tst_res(TFAIL, "kvm_smp_call() returned after ud2 on CPU 1");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "an unhandled #UD on CPU 1 is a TBROK naming CPU 1",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
