// SPDX-License-Identifier: MIT
/*
 * The stack on memory-mapped I/O: with RSP pointing into MMIO, PUSH r64,
 * PUSH imm8 (sign-extended to 64 bits), PUSH r16 (66H), CALL, POP r16,
 * POP r64 are each one MMIO access of the operand size (8, or 2 with the
 * operand-size prefix) at the new RSP (push: RSP - size, written) or the
 * old one (pop: read), and RSP moves by that size; PUSH m64 from MMIO
 * reads the device and writes the stack, POP m64 to MMIO reads the stack
 * and writes the device.
 *
 * Where it is written: Intel SDM Vol. 2B "PUSH" (64-bit mode: the operand
 * size is 64 bits or, with 66H, 16 bits; an imm8 is sign-extended; RSP is
 * decremented first), "POP", Vol. 2A "CALL" (pushes the return address,
 * the next instruction's RIP); Vol. 1 6.2 "Stacks"; Linux
 * Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x33

void main(void)
{
	uintptr_t d = suite_dev_map();
	uint64_t v1 = 0xfedcba9876543210ULL, w16 = 0xbeef, p16 = 0, p64 = 0;
	uint64_t ra = 0, popped_ra = 0, p1 = 0, rsp_after = 0;
	struct suite_mmio_want w[10];

	suite_catch_all();

	suite_dev_reset(SEED);
	asm volatile("mov %%rsp, %%r12\n\t"
		     "mov %[top], %%rsp\n\t"
		     "pushq %[v1]\n\t"
		     "pushq $-5\n\t"
		     "pushw %w[w16]\n\t"
		     "popw %w[p16]\n\t"
		     "popq %[p64]\n\t"
		     "lea 3f(%%rip), %[ra]\n\t"
		     "call 3f\n"
		     "3:\tpopq %[pra]\n\t"
		     "popq %[p1]\n\t"
		     "mov %%rsp, %[after]\n\t"
		     "mov %%r12, %%rsp"
		     : [p16] "+&r"(p16), [p64] "=&r"(p64), [ra] "=&r"(ra),
		       [pra] "=&r"(popped_ra), [p1] "=&r"(p1),
		       [after] "=&r"(rsp_after)
		     : [top] "r"(d + 0x800), [v1] "r"(v1), [w16] "r"(w16)
		     : "r12", "memory");
	suite_check_value("POP r16 after PUSH r16 (66H) on an MMIO stack", p16 & 0xffff, 0xbeef);
	suite_check_value("POP r64 after PUSH imm8 -5 on an MMIO stack", p64, 0xfffffffffffffffbULL);
	suite_check_value("POP r64 after CALL on an MMIO stack: the return address", popped_ra, ra);
	suite_check_value("POP r64 after PUSH r64 on an MMIO stack", p1, v1);
	suite_check_value("RSP back at the top of the MMIO stack", rsp_after, d + 0x800);
	w[0] = (struct suite_mmio_want){ d + 0x7f8, 8, 1, v1 };
	w[1] = (struct suite_mmio_want){ d + 0x7f0, 8, 1, 0xfffffffffffffffbULL };
	w[2] = (struct suite_mmio_want){ d + 0x7ee, 2, 1, 0xbeef };
	w[3] = (struct suite_mmio_want){ d + 0x7ee, 2, 0, 0xbeef };
	w[4] = (struct suite_mmio_want){ d + 0x7f0, 8, 0, 0xfffffffffffffffbULL };
	w[5] = (struct suite_mmio_want){ d + 0x7f0, 8, 1, ra };
	w[6] = (struct suite_mmio_want){ d + 0x7f0, 8, 0, ra };
	w[7] = (struct suite_mmio_want){ d + 0x7f8, 8, 0, v1 };
	suite_dev_expect("PUSH/POP/CALL with RSP in MMIO", w, 8);

	/* PUSH m64 from MMIO, POP m64 to MMIO, the stack in RAM */
	suite_dev_reset(SEED);
	asm volatile("sub $128, %%rsp\n\t"
		     "pushq 0x900(%0)\n\t"
		     "popq 0x908(%0)\n\t"
		     "add $128, %%rsp"
		     : : "r"(d) : "memory");
	w[0] = (struct suite_mmio_want){ d + 0x900, 8, 0, suite_dev_value(SEED, 0x900, 8) };
	w[1] = (struct suite_mmio_want){ d + 0x908, 8, 1, suite_dev_value(SEED, 0x900, 8) };
	suite_dev_expect("PUSH m64 from MMIO, POP m64 to MMIO", w, 2);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "The stack on memory-mapped I/O",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator,stack" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
