// SPDX-License-Identifier: MIT
/*
 * LAR, LSL, VERR and VERW on the GDT the host built: for the 64-bit code
 * (0x08), data (0x10) and TSS (0x18) selectors LAR sets ZF and returns the
 * descriptor's second doubleword masked with 00FxFF00H (bits 19:16 are
 * not checked: the SDM leaves them undefined), LSL sets ZF and
 * returns the byte-granular limit (limit << 12 | FFFH with G = 1); the null
 * selector and a selector beyond the GDT limit clear ZF and leave the
 * destination alone; VERR is true for readable code and data, VERW only
 * for writable data.
 *
 * Where it is written: Intel SDM Vol. 2A "LAR - Load Access Rights Byte"
 * ("the access rights ... second doubleword ... masked by 00FXFF00H";
 * valid types in IA-32e mode include the available and busy 64-bit TSS;
 * "If the segment selector is NULL or ... outside the limit, ZF is
 * cleared"), Vol. 2A "LSL - Load Segment Limit" (limit scaled when G = 1),
 * Vol. 2B "VERR/VERW - Verify a Segment for Reading or Writing".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint32_t hi_dword(unsigned int sel)
{
	return ((const uint32_t *)kvm_gdt)[(sel >> 3) * 2 + 1];
}

static uint32_t byte_limit(unsigned int sel)
{
	uint32_t hi = hi_dword(sel), lo = ((const uint32_t *)kvm_gdt)[(sel >> 3) * 2];
	uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000);

	return hi & (1U << 23) ? limit << 12 | 0xfff : limit;
}

#define ZF_OP(insn, sel, out, zf) do {					\
	uint8_t z_ = 0;							\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn " %2, %0") "setz %1"		\
		     : "+r"(out), "+q"(z_) : "r"((uint32_t)(sel))	\
		     : "memory", "cc");					\
	suite_end();							\
	(zf) = z_;							\
} while (0)

#define VER_OP(insn, sel, zf) do {					\
	uint8_t z_ = 0;							\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn " %w1") "setz %0"			\
		     : "+q"(z_) : "r"((uint32_t)(sel)) : "memory", "cc");	\
	suite_end();							\
	(zf) = z_;							\
} while (0)

static void lar_lsl(unsigned int sel, const char *name)
{
	uint32_t ar = 0xdead, limit = 0xdead;
	int zf;

	ZF_OP("lar", sel, ar, zf);
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none("LAR");
	else if (zf && (ar & ~0x000f0000U) == (hi_dword(sel) & 0x00f0ff00))
		tst_res(TPASS, "LAR %s 0x%x: ZF=1, 0x%08x", name, sel, ar);
	else
		tst_res(TFAIL, "LAR %s 0x%x: ZF=%d, 0x%08x, expected ZF=1, 0x%08x",
			name, sel, zf, ar, hi_dword(sel) & 0x00f0ff00);

	ZF_OP("lsl", sel, limit, zf);
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none("LSL");
	else if (zf && limit == byte_limit(sel))
		tst_res(TPASS, "LSL %s 0x%x: ZF=1, 0x%x", name, sel, limit);
	else
		tst_res(TFAIL, "LSL %s 0x%x: ZF=%d, 0x%x, expected ZF=1, 0x%x",
			name, sel, zf, limit, byte_limit(sel));
}

static void invalid(unsigned int sel, const char *name)
{
	uint32_t ar = 0xdead, limit = 0xbeef;
	int zf1, zf2;

	ZF_OP("lar", sel, ar, zf1);
	if (suite_trap.vector != NO_EXCEPTION) {
		suite_expect_none("LAR");
		return;
	}
	ZF_OP("lsl", sel, limit, zf2);
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none("LSL");
	else if (!zf1 && !zf2 && ar == 0xdead && limit == 0xbeef)
		tst_res(TPASS, "LAR/LSL %s 0x%x: ZF=0, destinations unchanged",
			name, sel);
	else
		tst_res(TFAIL, "LAR/LSL %s 0x%x: ZF=%d/%d, 0x%x/0x%x",
			name, sel, zf1, zf2, ar, limit);
}

static void verify(const char *insn, unsigned int sel, int want)
{
	int zf;

	if (!strcmp(insn, "verr"))
		VER_OP("verr", sel, zf);
	else
		VER_OP("verw", sel, zf);
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none(insn);
	else if (zf == want)
		tst_res(TPASS, "%s 0x%x: ZF=%d", insn, sel, zf);
	else
		tst_res(TFAIL, "%s 0x%x: ZF=%d, expected %d", insn, sel, zf, want);
}

void main(void)
{
	suite_catch_all();
	lar_lsl(KVMKIT_SEL_CODE64, "64-bit code");
	lar_lsl(KVMKIT_SEL_DATA, "data");
	lar_lsl(KVMKIT_SEL_TSS, "64-bit TSS");
	invalid(0, "null");
	invalid(KVM_GDT_SIZE * 8, "past the GDT limit");
	verify("verr", KVMKIT_SEL_CODE64, 1);
	verify("verw", KVMKIT_SEL_CODE64, 0);
	verify("verr", KVMKIT_SEL_DATA, 1);
	verify("verw", KVMKIT_SEL_DATA, 1);
	verify("verr", 0, 0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "LAR, LSL, VERR and VERW on the GDT the host built",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "segments,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
