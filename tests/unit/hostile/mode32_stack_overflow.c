/* kvmkit-expect: exit=2,32 timeout=30 match=(TBROK: .*Double fault \(#DF, vector 8\), error code 0x0 at EIP 0x[0-9a-f]+|TCONF: this KVM does not run 32-bit protected mode) */
/* kvmkit-expect: match=(CS 0x0008  SS 0x0010  EFLAGS 0x[0-9a-f]{8}  ESP 0x0000[0-9a-f]{4}|TCONF) */
/* kvmkit-expect: nomatch=TFAIL|TPASS|triple fault */
// SPDX-License-Identifier: MIT
/*
 * Hostile 32-bit guest (KVMKIT_GUEST_MODE(32)): recurse through twice the
 * 8 KiB stack.  The overflow reaches the unmapped guard page; the #PF
 * frame cannot be pushed there, and without an IST in 32-bit mode the #DF
 * goes through the task gate boot32.c installs: the runtime's #DF task
 * reports the state the task switch saved (ESP just above the guard
 * page), a TBROK naming #DF, never a triple fault or a quiet return.
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32);

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
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK,TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a 32-bit guest overflowing its stack: #DF through a task gate, TBROK",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
