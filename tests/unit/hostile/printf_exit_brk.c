/* kvmkit-expect: exit=2 count=1 match=^printf_exit_brk\.c:905: TBROK: exit with brk 1 2$ */
/* kvmkit-expect: match=^broken +1$ */
/* kvmkit-expect: nomatch=after the exit|TPASS|TFAIL|TWARN */
// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF_EXIT with TBROK (what tst_brk() sends): the test
 * ends broken with the message, and the code after the OUT never runs.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	pf_raw(KVMKIT_HC_PRINTF_EXIT, (uintptr_t)__FILE__, 905, TBROK,
	       (uintptr_t)"exit with brk %d %d", 1, 2);
	tst_res(TPASS, "after the exit");
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF_EXIT with TBROK (what tst_brk() sends)",
};

#endif /* COMPILE_PAYLOAD */
