// SPDX-License-Identifier: MIT
/*
 * The smallest KVM test: the example of the LTP KVM Test API's section 1,
 * unchanged.  It proves the whole chain works: both compilation passes,
 * payload embedding, long-mode entry, one REPORT, one EXIT.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_res(TPASS, "Hello, world!");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
