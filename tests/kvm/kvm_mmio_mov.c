// SPDX-License-Identifier: MIT
/*
 * MOV to and from memory-mapped I/O, every operand size: a load or store
 * of 1, 2, 4 or 8 bytes to a guest-physical address that no memory slot
 * backs is one MMIO access of exactly that size and address, served by the
 * host (KVM_EXIT_MMIO, len 1/2/4/8); a load returns what the device gave
 * (zero- or sign-extended by MOVZX/MOVSX, a 32-bit load zeroing 63:32),
 * a store hands the device exactly the register's low bytes, and a
 * MOV of a sign-extended imm32 writes the extended value.
 *
 * Where it is written: Intel SDM Vol. 2B "MOV", "MOVZX", "MOVSX/MOVSXD"
 * (operand sizes; Vol. 1 3.4.1.1: a 32-bit result is zero-extended to
 * 64 bits); Linux Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO ("len"
 * bytes at "phys_addr"; for a read the VMM fills "data" and KVM completes
 * the instruction on the next KVM_RUN).
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x40

void main(void)
{
	uintptr_t d = suite_dev_map();
	uint64_t r1 = ~0ULL, r2 = ~0ULL, r4 = ~0ULL, r8 = 0, zx = 0, sx = 0;
	struct suite_mmio_want w[8];

	suite_catch_all();

	/* Loads: the upper bytes of a 1/2-byte load stay, a 4-byte one clears */
	suite_dev_reset(SEED);
	asm volatile("movb 0x11(%4), %b0\n\t"
		     "movw 0x22(%4), %w1\n\t"
		     "movl 0x44(%4), %k2\n\t"
		     "movq 0x88(%4), %3"
		     : "+r"(r1), "+r"(r2), "+r"(r4), "=r"(r8)
		     : "r"(d) : "memory");
	suite_check_value("MOV r8, m8 from MMIO", r1, (~0ULL << 8) | suite_dev_value(SEED, 0x11, 1));
	suite_check_value("MOV r16, m16 from MMIO", r2, (~0ULL << 16) | suite_dev_value(SEED, 0x22, 2));
	suite_check_value("MOV r32, m32 from MMIO (63:32 cleared)", r4, suite_dev_value(SEED, 0x44, 4));
	suite_check_value("MOV r64, m64 from MMIO", r8, suite_dev_value(SEED, 0x88, 8));
	w[0] = (struct suite_mmio_want){ d + 0x11, 1, 0, suite_dev_value(SEED, 0x11, 1) };
	w[1] = (struct suite_mmio_want){ d + 0x22, 2, 0, suite_dev_value(SEED, 0x22, 2) };
	w[2] = (struct suite_mmio_want){ d + 0x44, 4, 0, suite_dev_value(SEED, 0x44, 4) };
	w[3] = (struct suite_mmio_want){ d + 0x88, 8, 0, suite_dev_value(SEED, 0x88, 8) };
	suite_dev_expect("MOV loads of 1, 2, 4, 8 bytes", w, 4);

	/* Stores of every size, and a sign-extended imm32 */
	suite_dev_reset(SEED);
	asm volatile("movb %b0, 0x101(%1)\n\t"
		     "movw %w0, 0x202(%1)\n\t"
		     "movl %k0, 0x304(%1)\n\t"
		     "movq %0, 0x408(%1)\n\t"
		     "movq $-2, 0x510(%1)"
		     : : "r"(0x8877665544332211ULL), "r"(d) : "memory");
	w[0] = (struct suite_mmio_want){ d + 0x101, 1, 1, 0x11 };
	w[1] = (struct suite_mmio_want){ d + 0x202, 2, 1, 0x2211 };
	w[2] = (struct suite_mmio_want){ d + 0x304, 4, 1, 0x44332211 };
	w[3] = (struct suite_mmio_want){ d + 0x408, 8, 1, 0x8877665544332211ULL };
	w[4] = (struct suite_mmio_want){ d + 0x510, 8, 1, 0xfffffffffffffffeULL };
	suite_dev_expect("MOV stores of 1, 2, 4, 8 bytes and MOV m64, imm32", w, 5);

	/* MOVZX / MOVSX from a byte with bit 7 set */
	suite_dev_reset(SEED);
	*(volatile uint8_t *)(d + 0x600) = 0x85;
	asm volatile("movzbq 0x600(%2), %0\n\t"
		     "movsbq 0x600(%2), %1"
		     : "=r"(zx), "=r"(sx) : "r"(d) : "memory");
	suite_check_value("MOVZX r64, m8 (0x85) from MMIO", zx, 0x85);
	suite_check_value("MOVSX r64, m8 (0x85) from MMIO", sx, 0xffffffffffffff85ULL);
	w[0] = (struct suite_mmio_want){ d + 0x600, 1, 1, 0x85 };
	w[1] = (struct suite_mmio_want){ d + 0x600, 1, 0, 0x85 };
	w[2] = (struct suite_mmio_want){ d + 0x600, 1, 0, 0x85 };
	suite_dev_expect("MOV m8 store, MOVZX and MOVSX loads", w, 3);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "MOV to and from memory-mapped I/O, every operand size",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
