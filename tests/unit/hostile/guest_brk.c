/* kvmkit-expect: exit=2 match=TBROK: guest broke 42$ */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * tst_brk(TBROK) from the guest ends the test with exit status 2 and the
 * formatted message; nothing after it runs.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_brk(TBROK, "guest broke %d", 42);
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
	.kvmkit_desc = "tst_brk(TBROK) from the guest ends the test with exit status 2 and the formatted message; nothing after it...",
};

#endif /* COMPILE_PAYLOAD */
