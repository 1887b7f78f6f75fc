/* kvmkit-expect: exit=2 timeout=20 env=KVMKIT_TIMEOUT=30 match=TBROK: CPU 2: Unhandled exception.*(#DF|[Dd]ouble fault|#PF|[Pp]age fault) */
/* kvmkit-expect: nomatch=TFAIL|TPASS|[Tt]riple|[Tt]imed out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: CPU 2 recurses through twice its 8 KiB stack.  Below an
 * AP's stack lies its guard page (abi.h), unmapped by the host: the
 * overflow must fault there (#PF, then #DF on CPU 2's own IST1 stack)
 * and end the test with a TBROK naming CPU 2, not run on into CPU 1's
 * area (its result page and page-table page lie right below) or triple
 * fault.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(3);

static int __attribute__((noinline)) deep(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	if (n > 0)
		return deep(n - 1) + frame[0];
	return frame[sizeof(frame) - 1];
}

static volatile int r;

static void overflow(void *arg)
{
	(void)arg;
	if (kvm_cpu_id() == 2)
		r = deep(2 * KVMKIT_STACK_SIZE / 512);
}

void main(void)
{
	kvm_smp_call(overflow, NULL);
	tst_res(TFAIL, "CPU 2 recursed through twice its stack and came back (%d)",
		r);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "CPU 2 overflows its own stack: #DF on its IST1 stack, TBROK naming CPU 2",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
