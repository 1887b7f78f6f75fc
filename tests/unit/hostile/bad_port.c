/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: match=(0x0*80\b|[Pp]ort 128\b) */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a write to a port nobody handles (0x80).  The host must
 * report an unexpected I/O exit as TBROK naming the port, not ignore it
 * or hang.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("outb %b0, $0x80" : : "a"(0x42) : "memory");
	tst_res(TFAIL, "out to port 0x80 returned");
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
	.kvmkit_desc = "a write to a port nobody handles (0x80)",
};

#endif /* COMPILE_PAYLOAD */
