/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: match=(vector|[Ii]nterrupt) 200\b */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The default handler beyond the 32 exceptions: int $200 without a
 * callback is a TBROK naming vector 200.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("int $200" : : : "memory");
	tst_res(TFAIL, "int $200 returned");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
