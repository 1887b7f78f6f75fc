/* kvmkit-expect: exit=32 match=TCONF: not on this machine$ */
// SPDX-License-Identifier: MIT
/*
 * TST_TEST_TCONF: a payload that only reports TCONF ends with exit
 * status 32, LTP's skip.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

TST_TEST_TCONF("not on this machine")

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "TST_TEST_TCONF: a payload that only reports TCONF exits 32",
};

#endif /* COMPILE_PAYLOAD */
