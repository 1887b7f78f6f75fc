/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: match=(0x1234|4660) */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a doorbell write with a hypercall number the ABI does not
 * define.  The host must refuse it with a TBROK naming the number.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "hypercall.h"

void main(void)
{
	hypercall(0x1234);
	tst_res(TFAIL, "hypercall 0x1234 returned");
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
	.kvmkit_desc = "a doorbell write with a hypercall number the ABI does not define",
};

#endif /* COMPILE_PAYLOAD */
