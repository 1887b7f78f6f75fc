/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a read (IN) from the doorbell port, and a 1-byte write
 * to it.  Only 32-bit OUTs are hypercalls; either of these must be a
 * TBROK, never a hypercall.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	uint32_t v;

	asm volatile("inl %w1, %0" : "=a"(v) : "Nd"((uint16_t)KVMKIT_HC_PORT)
		     : "memory");
	asm volatile("outb %b0, %w1" : : "a"(KVMKIT_HC_REPORT),
		     "Nd"((uint16_t)KVMKIT_HC_PORT) : "memory");
	tst_res(TPASS, "IN from the doorbell returned 0x%x", v);
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
	.kvmkit_desc = "a read (IN) from the doorbell port, and a 1-byte write to it",
};

#endif /* COMPILE_PAYLOAD */
