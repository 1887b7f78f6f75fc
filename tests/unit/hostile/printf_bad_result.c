/* kvmkit-expect: exit=2 match=^printf_bad_result\.c:901: TBROK: KVM test returned invalid result value 119: bogus result 1$ */
/* kvmkit-expect: match=^broken +1$ */
/* kvmkit-expect: count=1 match=bogus result */
/* kvmkit-expect: nomatch=after the report|TPASS|TFAIL|TWARN */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF whose result (%edx) is none of LTP's
 * (0x77).  The host validates it and stops the test with TBROK naming
 * the value, at the guest's file:line and with the guest's message (the
 * only line that says where it broke); nothing after the report runs,
 * nothing counts as a pass.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	raw_printf((uintptr_t)__FILE__, 901, 0x77,
		   (uintptr_t)"bogus result %d", 1, 2);
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF whose result (%edx) is none of LTP's (0x77)",
};

#endif /* COMPILE_PAYLOAD */
