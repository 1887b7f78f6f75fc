// SPDX-License-Identifier: MIT
/*
 * SSE state and exceptions at CPL 0: MXCSR holds 1F80H after reset (seen
 * through FXSAVE, offset 24); LDMXCSR and FXRSTOR of an MXCSR with a bit
 * outside MXCSR_MASK raise #GP(0); MOVAPS from an address that is not
 * 16-byte aligned raises #GP(0) while MOVUPS does not; an unmasked SIMD
 * floating-point exception (divide by zero, MXCSR.ZM = 0) raises a fault-
 * class #XM (vector 19) with CR4.OSXMMEXCPT = 1 and #UD with it clear; any
 * SSE instruction raises #UD while CR4.OSFXSR = 0.
 *
 * Where it is written: Intel SDM Vol. 3A Table 9-1 (MXCSR 1F80H after
 * power-up or reset); Vol. 1 11.6.6 and Vol. 2A "FXSAVE" (MXCSR at byte
 * 24, MXCSR_MASK at 28, 0 meaning FFBFH); Vol. 2B "LDMXCSR" (#GP(0) "For
 * an attempt to set reserved bits in MXCSR") and "FXRSTOR" (#GP(0) "If
 * ... trying to set reserved bits in MXCSR"); Vol. 2B "MOVAPS" (#GP(0)
 * "If a memory operand is not aligned on a 16-byte boundary"); Vol. 3A
 * 6.15 "Interrupt 19 - SIMD Floating-Point Exception (#XM)" ("If the
 * OSXMMEXCPT flag is clear ..., the processor generates an invalid-opcode
 * exception (#UD)"); Vol. 3A 13.1.3 (CR4.OSFXSR = 0: SSE raises #UD).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint8_t fx[512 + 16] __attribute__((aligned(16)));
static uint8_t buf[64] __attribute__((aligned(16)));
/* Named by the asm below: global, and as bit patterns (no SSE in C here) */
volatile uint32_t mxcsr_val;
const uint32_t f_one __attribute__((used)) = 0x3f800000;	/* 1.0f */
const uint32_t f_zero __attribute__((used));		/* 0.0f */

static int fxsave_ok(void)
{
	suite_begin();
	asm volatile(SUITE_TRY("fxsave (%0)") : : "r"(fx) : "memory");
	return suite_end() == NO_EXCEPTION;
}

static int ldmxcsr_safe(uint32_t v)
{
	mxcsr_val = v;
	suite_begin();
	asm volatile(SUITE_TRY("ldmxcsr mxcsr_val(%%rip)") : : : "memory");
	return suite_end();
}

/* MXCSR through FXRSTOR: LDMXCSR is not emulated everywhere */
static int set_mxcsr(uint32_t v)
{
	memcpy(fx + 24, &v, 4);
	suite_begin();
	asm volatile(SUITE_TRY("fxrstor (%0)") : : "r"(fx) : "memory");
	return suite_end();
}

static int divss_zero(void)
{
	/* Its own probe: an emulator may fail on MOVSS already */
	suite_begin();
	asm volatile(SUITE_TRY("movss f_one(%%rip), %%xmm0") : : : "memory");
	if (suite_end() != NO_EXCEPTION)
		return suite_trap.vector;
	suite_begin();
	asm volatile(SUITE_TRY("divss f_zero(%%rip), %%xmm0") : : : "memory");
	return suite_end();
}

void main(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint32_t mxcsr, mask;

	suite_catch_all();
	if (!(suite_cpuid(1, 0).edx & 1U << 25))
		tst_brk(TCONF, "CPUID.1:EDX.SSE = 0");

	if (!fxsave_ok()) {
		suite_expect_none("FXSAVE");
		suite_finish();
		return;
	}
	memcpy(&mxcsr, fx + 24, 4);
	memcpy(&mask, fx + 28, 4);
	if (!mask)
		mask = 0xffbf;
	if (mxcsr == 0x1f80)
		tst_res(TPASS, "MXCSR after reset 0x1f80 (MXCSR_MASK 0x%x)", mask);
	else
		tst_res(TFAIL, "MXCSR after reset 0x%x, expected 0x1f80", mxcsr);

	ldmxcsr_safe(0x1f80 | ~mask);
	suite_expect("LDMXCSR with a bit outside MXCSR_MASK", INTR_GPF, 0,
		     SUITE_FAULT);
	mxcsr = 0x1f80 | ~mask;
	memcpy(fx + 24, &mxcsr, 4);
	suite_begin();
	asm volatile(SUITE_TRY("fxrstor (%0)") : : "r"(fx) : "memory");
	suite_end();
	suite_expect("FXRSTOR with an MXCSR bit outside MXCSR_MASK", INTR_GPF, 0,
		     SUITE_FAULT);

	suite_begin();
	asm volatile(SUITE_TRY("movaps (%0), %%xmm1") : : "r"(buf + 8) : "memory");
	suite_end();
	suite_expect("MOVAPS from an address 8 mod 16", INTR_GPF, 0, SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY("movups (%0), %%xmm1") : : "r"(buf + 8) : "memory");
	suite_end();
	suite_expect_none("MOVUPS from an address 8 mod 16");

	/* ZM (bit 9) clear: divide by zero unmasked */
	if (set_mxcsr(0x1f80 & ~(1U << 9)) == NO_EXCEPTION) {
		divss_zero();
		suite_expect("DIVSS by 0, ZM = 0, CR4.OSXMMEXCPT = 1",
			     INTR_SIMD_ERROR, 0, SUITE_FAULT);
		kvm_set_cr4(cr4 & ~(unsigned long)CR4_OSXMMEXCPT);
		divss_zero();
		kvm_set_cr4(cr4);
		suite_expect("DIVSS by 0, ZM = 0, CR4.OSXMMEXCPT = 0",
			     INTR_BAD_OPCODE, 0, SUITE_FAULT);
		set_mxcsr(0x1f80);
	} else {
		suite_expect_none("FXRSTOR with MXCSR 0x1d80");
	}

	kvm_set_cr4(cr4 & ~(unsigned long)CR4_OSFXSR);
	suite_begin();
	asm volatile(SUITE_TRY("xorps %%xmm1, %%xmm1") : : : "memory");
	suite_end();
	kvm_set_cr4(cr4);
	suite_expect("XORPS with CR4.OSFXSR = 0", INTR_BAD_OPCODE, 0, SUITE_FAULT);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "SSE state and exceptions at CPL 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "fpu,sse,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
