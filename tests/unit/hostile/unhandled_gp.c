/* kvmkit-expect: exit=2 match=TBROK.*(#GP|[Gg]eneral protection) */
/* kvmkit-expect: match=[Ee]rror code:? 0x0*1230\b */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The default handler: loading DS with a selector past the GDT's limit
 * raises #GP with the selector as error code; the TBROK must name both.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("mov %0, %%ds" : : "r"(0x1230) : "memory");
	tst_res(TFAIL, "loading selector 0x1230 returned");
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
	.kvmkit_desc = "an unhandled #GP from a selector past the GDT: TBROK naming the vector and the selector",
};

#endif /* COMPILE_PAYLOAD */
