/* kvmkit-expect: exit=2 match=TINFO: callback saw the #UD */
/* kvmkit-expect: match=TBROK.*(#UD|[Ii]nvalid opcode|[Ii]llegal instruction) */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * LTP's current callback convention: a callback that returns 0 has not
 * handled the interrupt, and the default handler must then end the test
 * with TBROK.  (Treating 0 as "handled", the older convention, would
 * loop on the ud2 or resume past it.)
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static int decline(void *userdata, struct kvm_interrupt_frame *ifrm,
		   unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	tst_res(TINFO, "callback saw the #UD");
	return 0;
}

void main(void)
{
	tst_set_interrupt_callback(6, decline, NULL);
	asm volatile("ud2" : : : "memory");
	tst_res(TFAIL, "ud2 with a declining callback returned");
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
	.kvmkit_desc = "a callback that returns 0 has not handled the interrupt: the default handler's TBROK",
};

#endif /* COMPILE_PAYLOAD */
