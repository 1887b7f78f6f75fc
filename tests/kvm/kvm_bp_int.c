// SPDX-License-Identifier: MIT
/*
 * Software interrupts to exception vectors in 64-bit mode: INT3 (CC)
 * raises #BP and INT 3 (CD 03) does too, INT1/ICEBP (F1) raises #DB,
 * all as traps: no error code and the saved RIP is the next instruction.
 * INT n to vector 4 (#OF) likewise lands on vector 4 with the next RIP.
 *
 * Where it is written: Intel SDM Vol. 2A "INT n/INTO/INT3/INT1 - Call to
 * Interrupt Procedure" (INT3 generates a breakpoint exception, vector 3;
 * INT1 a debug exception, vector 1; in 64-bit mode the interrupt is
 * delivered through a 64-bit gate with RIP of the next instruction pushed);
 * Vol. 3A 6.15 "Interrupt 3 - Breakpoint Exception (#BP)": class Trap,
 * "saved contents of CS and EIP registers point to the instruction
 * following the INT3 instruction", no error code.
 *
 * A KVM whose instruction emulator runs guest kernel code (kvm_pvm) cannot
 * emulate INT n outside real mode (KVM's emulate_int()): under
 * suite_kvm_run() each such emulation failure is a TFAIL with the bytes.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SOFT(what, bytes, vector) do {					\
	suite_begin();							\
	asm volatile(SUITE_TRY(bytes) : : : "memory");			\
	suite_end();							\
	suite_expect(what, vector, 0, SUITE_TRAP);			\
} while (0)

void main(void)
{
	suite_catch_all();
	asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));

	SOFT("int3 (cc)", ".byte 0xcc", INTR_BREAKPOINT);
	SOFT("int $3 (cd 03)", ".byte 0xcd, 0x03", INTR_BREAKPOINT);
	SOFT("int1 (f1)", ".byte 0xf1", INTR_DEBUG);
	SOFT("int $4 (cd 04)", ".byte 0xcd, 0x04", INTR_OVERFLOW);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Software interrupts to exception vectors in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,debug" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
