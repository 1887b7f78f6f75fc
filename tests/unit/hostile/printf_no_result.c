/* kvmkit-expect: exit=2 match=^printf_no_result\.c:902: TBROK: KVM test did not return any result: no result yet 1$ */
/* kvmkit-expect: match=^broken +1$ */
/* kvmkit-expect: count=1 match=no result yet */
/* kvmkit-expect: nomatch=after the report|TPASS|TFAIL|TWARN */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF whose result is KVM_TNONE (-1, the
 * "no result yet" marker), given as 0xffffffff with a clean upper half
 * of %rdx: only %edx counts, so it is -1.  The host stops with TBROK at
 * the guest's file:line, the guest's message included.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	raw_printf((uintptr_t)__FILE__, 902, 0xffffffffULL,
		   (uintptr_t)"no result yet %d", 1, 2);
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF whose result is KVM_TNONE (-1, the \"no result yet\" marker), given as 0xffffffff with a...",
};

#endif /* COMPILE_PAYLOAD */
