/* kvmkit-expect: exit=2 timeout=20 match=TBROK */
/* kvmkit-expect: match=([Ss]hutdown|[Tt]riple) */
/* kvmkit-expect: match=the runtime.s dispatcher saw no exception before it */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: with an IDT of limit 0, the #UD of ud2 cannot be
 * delivered (#GP), nor can that #GP (#DF), nor the #DF: a triple fault.  The host must see the shutdown and end the test with
 * TBROK, not hang or report a pass.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed))
		empty = { 0, 0 };

	asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
	tst_res(TFAIL, "ud2 with an empty IDT returned");
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
	.kvmkit_desc = "with an IDT of limit 0, the #UD of ud2 cannot be delivered (#GP), nor can that #GP (#DF), nor the #DF",
};

#endif /* COMPILE_PAYLOAD */
