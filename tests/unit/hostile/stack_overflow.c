/* kvmkit-expect: exit=2 timeout=20 match=TBROK */
/* kvmkit-expect: nomatch=TFAIL|TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: recurse through twice the 8 KiB stack.  Whatever lies
 * below the stack gets overwritten; the overflow must end the test with
 * TBROK (ideally a fault on a guard page, at worst the triple fault of
 * the tables it destroyed), never unwind quietly into a result.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static int __attribute__((noinline)) deep(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	if (n > 0)
		return deep(n - 1) + frame[0];
	return frame[sizeof(frame) - 1];
}

void main(void)
{
	int r = deep(2 * KVMKIT_STACK_SIZE / 512);

	tst_res(TFAIL, "recursed through twice the stack and came back (%d)", r);
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
	.kvmkit_desc = "recurse through twice the 8 KiB stack",
};

#endif /* COMPILE_PAYLOAD */
