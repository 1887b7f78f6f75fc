/* kvmkit-expect: exit=2 match=TBROK.*(#PF|[Pp]age fault) */
/* kvmkit-expect: match=[Ee]rror code:? 0x0*2\b */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
/* kvmkit-expect: match=CR2:? 0x0*90000008\b */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The default handler: an unhandled write into the 2-3 GiB hole ends the
 * test with TBROK naming #PF, error code 2 (write, not present), the RIP
 * and CR2.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	*(volatile int *)0x90000008UL = 1;
	tst_res(TFAIL, "write to 0x90000008 returned");
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
	.kvmkit_desc = "an unhandled write fault in the 2-3 GiB hole: TBROK naming #PF, error code, RIP, CR2",
};

#endif /* COMPILE_PAYLOAD */
