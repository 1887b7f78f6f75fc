/* kvmkit-expect: exit=0 count=1 match=^printf_exit_pass\.c:904: TPASS: exit with pass 1 2$ */
/* kvmkit-expect: match=^passed +1$ */
/* kvmkit-expect: nomatch=after the exit|TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF_EXIT with TPASS: the report is printed and counted
 * once and the iteration ends there, a pass; the code after the OUT
 * never runs (it would report a TFAIL).
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	pf_raw(KVMKIT_HC_PRINTF_EXIT, (uintptr_t)__FILE__, 904, TPASS,
	       (uintptr_t)"exit with pass %d %d", 1, 2);
	tst_res(TFAIL, "after the exit");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "KVMKIT_HC_PRINTF_EXIT with TPASS",
};

#endif /* COMPILE_PAYLOAD */
