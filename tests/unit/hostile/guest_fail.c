/* kvmkit-expect: exit=1 match=TFAIL: expected failure$ */
/* kvmkit-expect: match=TPASS: a pass does not hide it */
// SPDX-License-Identifier: MIT
/*
 * A TFAIL from the guest must make the test fail (exit status 1) even
 * when a TPASS follows: the runtime checks in tests/unit/guest rely on it.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_res(TFAIL, "expected failure");
	tst_res(TPASS, "a pass does not hide it");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TFAIL" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "A TFAIL from the guest must make the test fail (exit status 1) even when a TPASS follows",
};

#endif /* COMPILE_PAYLOAD */
