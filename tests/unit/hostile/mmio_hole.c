/* kvmkit-expect: exit=2 timeout=20 match=TBROK */
/* kvmkit-expect: match=(MMIO|mmio) */
/* kvmkit-expect: match=0x0*40000000\b */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a read at 1 GiB, inside the identity map but outside the
 * 16 MiB of RAM.  KVM turns it into an MMIO exit; the host has no device
 * there and must stop with a TBROK naming MMIO and the address, not hang
 * or feed the guest a value.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	uint32_t v = *(volatile uint32_t *)0x40000000UL;

	tst_res(TFAIL, "read 0x%x from unbacked 0x40000000", v);
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
	.kvmkit_desc = "a read at 1 GiB, inside the identity map but outside the 16 MiB of RAM",
};

#endif /* COMPILE_PAYLOAD */
