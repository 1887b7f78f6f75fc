/* kvmkit-expect: exit=2 timeout=15 env=KVMKIT_TIMEOUT=1 match=TBROK */
/* kvmkit-expect: match=[Tt]ime(d)? ?out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: spin forever without a single exit.  With KVMKIT_TIMEOUT=1
 * the host must stop the vCPU after about a second and report TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	for (;;)
		asm volatile("" : : : "memory");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "spin forever without a single exit",
};

#endif /* COMPILE_PAYLOAD */
