/* kvmkit-expect: exit=0 timeout=60 count=100000 match=TINFO: flood [0-9]+$ */
/* kvmkit-expect: match=TINFO: flood 99999$ */
/* kvmkit-expect: match=TPASS: flood done */
// SPDX-License-Identifier: MIT
/*
 * 100000 tst_res(TINFO) lines: every one must be printed, in order up to
 * the last, and the whole run must stay well inside the timeout (one
 * exit each, about 10 us apiece here).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	int i;

	for (i = 0; i < 100000; i++)
		tst_res(TINFO, "flood %d", i);
	tst_res(TPASS, "flood done");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
