// SPDX-License-Identifier: MIT
/*
 * XCR0 and XSAVE: XGETBV/XSETBV raise #UD while CR4.OSXSAVE = 0; XCR0 is 1
 * (x87 only) after reset; XSETBV raises #GP(0) for XCR0[0] = 0, for AVX
 * without SSE, for a bit the CPU does not support (CPUID.(EAX=0DH,ECX=0)
 * EDX:EAX), for AVX-512 state bits 7:5 set partly or without AVX, and for
 * an XCR other than 0; XGETBV of a nonexistent XCR raises #GP(0); a valid
 * XCR0 reads back; XSAVE to a memory operand not 64-byte aligned raises
 * #GP(0); XRSTOR of a header whose reserved bytes are set raises #GP(0).
 *
 * Where it is written: Intel SDM Vol. 2C "XSETBV" (#GP(0) "If an invalid
 * XCR is specified in ECX", "If the value in EDX:EAX sets bits that are
 * reserved in the XCR specified by ECX", "If an attempt is made to clear
 * bit 0 of XCR0", "If an attempt is made to set XCR0[2:1] to 10b"; #UD "If
 * CR4.OSXSAVE[bit 18] = 0"); Vol. 1 13.3 "Enabling the XSAVE Feature Set"
 * (XCR0 initial value 1; XCR0[7:5] must be 000b or 111b with XCR0[2:1] =
 * 11b); Vol. 2C "XGETBV", "XSAVE" (#GP(0) "If a memory operand is not
 * aligned on a 64-byte boundary") and "XRSTOR" (standard form: #GP(0)
 * if bytes 23:8 of the XSAVE header are not all zero; the test sets byte
 * 16, reserved in either form).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint8_t area[4096 + 64] __attribute__((aligned(64)));
static int xgetbv_works;

static void xsetbv_gp(const char *what, uint32_t xcr, uint64_t val)
{
	uint64_t now = 1;

	xsetbv_safe(xcr, val);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
	if (xgetbv_works)
		xgetbv_safe(0, &now);
	if (now != 1) {
		tst_res(TFAIL, "%s: XCR0 reads 0x%llx afterwards", what,
			(unsigned long long)now);
		xsetbv_safe(0, 1);
	}
}

static int xsave_at(void *p, uint64_t rfbm)
{
	suite_begin();
	asm volatile(SUITE_TRY("xsave (%0)")
		     : : "r"(p), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
		     : "memory");
	return suite_end();
}

static int xrstor_at(void *p, uint64_t rfbm)
{
	suite_begin();
	asm volatile(SUITE_TRY("xrstor (%0)")
		     : : "r"(p), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
		     : "memory");
	return suite_end();
}

void main(void)
{
	unsigned long cr4 = kvm_read_cr4();
	struct kvm_cpuid d0;
	uint64_t supported, val = 0;
	unsigned int bit;
	char what[80];

	if (!(suite_cpuid(1, 0).ecx & 1U << 26) || suite_max_leaf() < 0xd)
		tst_brk(TCONF, "CPUID.1:ECX.XSAVE = 0");
	d0 = suite_cpuid(0xd, 0);
	supported = (uint64_t)d0.edx << 32 | d0.eax;
	suite_catch_all();

	kvm_set_cr4(cr4 & ~(unsigned long)CR4_OSXSAVE);
	xgetbv_safe(0, &val);
	suite_expect("XGETBV with CR4.OSXSAVE = 0", INTR_BAD_OPCODE, 0, SUITE_FAULT);
	xsetbv_safe(0, 1);
	suite_expect("XSETBV with CR4.OSXSAVE = 0", INTR_BAD_OPCODE, 0, SUITE_FAULT);

	kvm_set_cr4(cr4 | CR4_OSXSAVE);
	val = 0;
	xgetbv_works = xgetbv_safe(0, &val) == NO_EXCEPTION;
	if (xgetbv_works && val == 1)
		tst_res(TPASS, "XCR0 is 1 (x87) after reset");
	else
		tst_res(TFAIL, "XCR0 after reset: %s, 0x%llx",
			suite_vector_name(suite_trap.vector),
			(unsigned long long)val);
	if (!xgetbv_works)
		tst_res(TINFO, "XGETBV does not work here: XCR0 is not read back below");

	xsetbv_gp("XSETBV XCR0 = 0 (x87 bit clear)", 0, 0);
	xsetbv_gp("XSETBV XCR0 = 2 (x87 bit clear)", 0, 2);
	xsetbv_gp("XSETBV XCR0 = 5 (AVX without SSE)", 0, 5);
	for (bit = 2; bit < 63 && (supported & 1ULL << bit); bit++)
		;
	snprintf(what, sizeof(what), "XSETBV XCR0 bit %u (unsupported)", bit);
	xsetbv_gp(what, 0, 3 | 1ULL << bit);
	xsetbv_gp("XSETBV XCR0 bit 63 (reserved)", 0, 3 | 1ULL << 63);
	if ((supported & 0xe4) == 0xe4) {
		xsetbv_gp("XSETBV XCR0 = 0x27 (opmask without ZMM state)", 0, 0x27);
		xsetbv_gp("XSETBV XCR0 = 0xe3 (AVX-512 without AVX)", 0, 0xe3);
	}
	xsetbv_gp("XSETBV ECX = 1 (XCR1 not writable)", 1, 1);
	xsetbv_gp("XSETBV ECX = 0x10 (no such XCR)", 0x10, 1);
	if (xgetbv_works) {
		xgetbv_safe(0x10, &val);
		suite_expect("XGETBV ECX = 0x10 (no such XCR)", INTR_GPF, 0,
			     SUITE_FAULT);
	}

	val = 0;
	if (xsetbv_safe(0, 3) != NO_EXCEPTION)
		suite_expect_none("XSETBV XCR0 = 3");
	else if (xgetbv_works && (xgetbv_safe(0, &val) != NO_EXCEPTION || val != 3))
		tst_res(TFAIL, "XSETBV XCR0 = 3: reads back 0x%llx",
			(unsigned long long)val);
	else
		tst_res(TPASS, "XSETBV XCR0 = 3 accepted%s",
			xgetbv_works ? " and reads back 3" : "");

	memset(area, 0, sizeof(area));
	xsave_at(area + 16, 3);
	suite_expect("XSAVE to an address 16 mod 64", INTR_GPF, 0, SUITE_FAULT);
	if (xsave_at(area, 3) == NO_EXCEPTION) {
		suite_expect_none("XSAVE to a 64-byte aligned area");
		memset(area + 512, 0, 64);
		area[512 + 16] = 1;	/* header bytes 23:16 must be zero */
		xrstor_at(area, 3);
		suite_expect("XRSTOR with header byte 16 set", INTR_GPF, 0,
			     SUITE_FAULT);
		area[512 + 16] = 0;
		xrstor_at(area, 3);
		suite_expect_none("XRSTOR of what XSAVE wrote");
	} else {
		suite_expect_none("XSAVE to a 64-byte aligned area");
	}

	xsetbv_safe(0, 1);
	kvm_set_cr4(cr4);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "XCR0 and XSAVE: XSETBV and XGETBV rules",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "xsave,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
