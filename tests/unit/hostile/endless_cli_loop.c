/* kvmkit-expect: exit=2 timeout=15 arg=-T arg=1 match=TBROK */
/* kvmkit-expect: match=[Tt]ime(d)? ?out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: spin forever with interrupts disabled.  The host's
 * timeout must not depend on the guest taking interrupts; -T 1 (the
 * command-line form of KVMKIT_TIMEOUT) must end it with TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	asm volatile("cli\n1:\tjmp 1b" : : : "memory");
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
	.kvmkit_desc = "spin forever with interrupts disabled",
};

#endif /* COMPILE_PAYLOAD */
