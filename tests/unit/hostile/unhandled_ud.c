/* kvmkit-expect: exit=2 match=TBROK.*(#UD|[Ii]nvalid opcode|[Ii]llegal instruction) */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The default handler: ud2 without a callback is a TBROK naming #UD and
 * the RIP.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("ud2" : : : "memory");
	tst_res(TFAIL, "ud2 returned");
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
	.kvmkit_desc = "ud2 without a callback: TBROK naming #UD and the RIP",
};

#endif /* COMPILE_PAYLOAD */
