/* kvmkit-expect: exit=5 count=1 match=^printf_exit_fail\.c:906: TFAIL: \(tst_res format at 0x7ff000000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^failed +1$ */
/* kvmkit-expect: count=1 match=^printf_exit_fail\.c:906: TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=1 match=TWARN */
/* kvmkit-expect: nomatch=after the exit|TPASS|TBROK */
// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF_EXIT with TFAIL and a format outside RAM: the failure
 * is printed under the host's placeholder and counted, and the iteration
 * still ends at the OUT; the code after it never runs.  The bad format
 * adds a TWARN at the guest's line: exit status 1 | 4.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	pf_raw(KVMKIT_HC_PRINTF_EXIT, (uintptr_t)__FILE__, 906, TFAIL,
	       0x7ff000000000ULL, 1, 2);
	tst_res(TPASS, "after the exit");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TFAIL|TWARN" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "KVMKIT_HC_PRINTF_EXIT with TFAIL and a format outside RAM",
};

#endif /* COMPILE_PAYLOAD */
