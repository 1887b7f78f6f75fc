/* kvmkit-expect: exit=2 match=^printf_res_brk\.c:903: TBROK: broke by res 1 2$ */
/* kvmkit-expect: match=^broken +1$ */
/* kvmkit-expect: nomatch=after the report|TPASS|TFAIL */
// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF (not _EXIT) with TBROK, as tst_res(TBROK, ...) would
 * send: a TBROK ends the test all the same, so the host prints it and
 * the guest never runs again.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	raw_printf((uintptr_t)__FILE__, 903, TBROK,
		   (uintptr_t)"broke by res %d %d", 1, 2);
	tst_res(TPASS, "after the report");
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF (not _EXIT) with TBROK, as tst_res(TBROK, ...) would send",
};

#endif /* COMPILE_PAYLOAD */
