/* kvmkit-expect: exit=2,32 match=(TBROK: .*Page fault \(#PF, vector 14\), error code 0x2 at EIP 0x[0-9a-f]+, CR2 0x80000004|TCONF: this KVM does not run 32-bit protected mode) */
/* kvmkit-expect: match=(EAX 0x[0-9a-f]{8}  EBX 0x[0-9a-f]{8}  ECX 0x[0-9a-f]{8}  EDX 0x[0-9a-f]{8}|TCONF) */
/* kvmkit-expect: match=(CS 0x0008  SS 0x0010  EFLAGS 0x[0-9a-f]{8}  ESP 0x[0-9a-f]{8}|TCONF) */
/* kvmkit-expect: nomatch=R8 |RIP|TPASS|TFAIL */
// SPDX-License-Identifier: MIT
/*
 * Hostile 32-bit guest (KVMKIT_GUEST_MODE(32pae)): a write to the unmapped
 * 2 GiB with no handler.  The runtime's default handler sends its state,
 * and the host reports it as TBROK in 32-bit form: EIP, CR2, CS, SS,
 * EFLAGS, ESP and EAX-EBP as 8 digits, no RIP and no R8-R15.
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32pae);

#ifdef COMPILE_PAYLOAD

void main(void)
{
	*(volatile uint32_t *)0x80000004u = 1;
	tst_res(TPASS, "the write to 2 GiB did not fault");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK,TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "an unhandled #PF in a 32-bit guest is TBROK with EIP and CR2",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
