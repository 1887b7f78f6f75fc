/* kvmkit-expect: exit=2 timeout=15 env=KVMKIT_TIMEOUT=1 match=TBROK */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: cli; hlt can never wake up.  The host must end the test
 * with TBROK (at the latest by the timeout), never hang and never count
 * the HLT as a result.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("cli\n\thlt" : : : "memory");
	tst_res(TFAIL, "cli; hlt returned");
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
	.kvmkit_desc = "cli; hlt can never wake up",
};

#endif /* COMPILE_PAYLOAD */
