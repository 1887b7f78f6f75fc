/* kvmkit-expect: exit=2,32 match=(^mode32_brk\.c:[0-9]+: TBROK: m32 brk 123456789abcdef0 -7 str end$|TCONF: this KVM does not run 32-bit protected mode) */
/* kvmkit-expect: nomatch=TPASS|TFAIL|after tst_brk */
// SPDX-License-Identifier: MIT
/*
 * A 32-bit guest (KVMKIT_GUEST_MODE(32pae)) ends with tst_brk(): the host
 * formats its message from the i386 stack (KVMKIT_HC_PRINTF_EXIT), the
 * iteration ends there, and nothing after it runs.
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32pae);

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_brk(TBROK, "m32 brk %llx %d %s end", 0x123456789abcdef0ULL, -7,
		"str");
	tst_res(TFAIL, "after tst_brk");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK,TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "tst_brk() from a 32-bit guest with 64-bit and string arguments",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
