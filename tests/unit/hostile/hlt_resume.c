/* kvmkit-expect: exit=0 timeout=15 env=KVMKIT_TIMEOUT=2 match=TPASS: resumed after hlt */
/* kvmkit-expect: nomatch=TBROK|TFAIL */
// SPDX-License-Identifier: MIT
/*
 * HLT is not a kvmkit doorbell (LTP used it for reports; kvmkit uses a
 * port): a plain hlt with interrupts enabled must be resumed by the host
 * and must not be mistaken for a result, so the TPASS after it arrives.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("hlt" : : : "memory");
	tst_res(TPASS, "resumed after hlt");
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
	.kvmkit_desc = "a plain hlt with interrupts enabled is resumed by the host, not taken for a report",
};

#endif /* COMPILE_PAYLOAD */
