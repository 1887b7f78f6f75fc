/* kvmkit-expect: exit=2 timeout=20 match=TBROK */
/* kvmkit-expect: nomatch=TPASS|TFAIL */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: overwrite every IDT gate with 0xff bytes (present gates
 * with a selector far past the GDT), then fault.  Delivery fails, the
 * #GP and #DF it raises fail too: a triple fault the host reports as TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

void main(void)
{
	memset(kvm_idt, 0xff, sizeof(kvm_idt));
	asm volatile("ud2" : : : "memory");
	tst_res(TFAIL, "ud2 with a garbage IDT returned");
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
	.kvmkit_desc = "overwrite every IDT gate with 0xff bytes (present gates with a selector far past the GDT), then fault",
};

#endif /* COMPILE_PAYLOAD */
