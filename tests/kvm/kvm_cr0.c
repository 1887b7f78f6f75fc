// SPDX-License-Identifier: MIT
/*
 * MOV to CR0 in 64-bit mode: a 1 in CR0[63:32], clearing PG while in
 * 64-bit mode, PG=1 with PE=0, and NW=1 with CD=0 each raise #GP(0) and
 * leave CR0 unchanged; ET (bit 4) is hard-wired to 1, so writing it as 0
 * is ignored; the valid combinations (CD=1 NW=1, CD=1 NW=0, WP, TS, EM,
 * MP, AM toggles) are accepted and read back.
 *
 * Where it is written: Intel SDM Vol. 2B "MOV - Move to/from Control
 * Registers", Protected Mode and 64-Bit Mode Exceptions (#GP(0) "If an
 * attempt is made to write invalid bit combinations in CR0 (such as
 * setting the PG flag to 1 when the PE flag is set to 0, or setting the CD
 * flag to 0 when the NW flag is set to 1)", "If an attempt is made to write
 * a 1 to any reserved bit in CR0[63:32]", "If an attempt is made to clear
 * CR0.PG[bit 31]" in 64-bit mode); Vol. 3A 2.5 "Control Registers" (ET is
 * hardcoded to 1) and Table 11-5 (CD/NW combinations).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static unsigned long cr0;

static void bad(const char *what, unsigned long val)
{
	int v = write_cr0_safe(val);
	unsigned long now = kvm_read_cr0();

	if (v == NO_EXCEPTION)
		kvm_set_cr0(cr0);	/* it took: undo before judging */
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
	if (v == NO_EXCEPTION && val >> 32 && !(now >> 32) &&
	    (uint32_t)now == (uint32_t)val)
		tst_res(TINFO, "%s: write of 0x%lx accepted, CR0 read back 0x%lx: bits 63:32 dropped, as by KVM's instruction emulator (emulator_set_cr() hands kvm_set_cr0() mk_cr_64(old, (u32)val))",
			what, val, now);
	else if (v == NO_EXCEPTION)
		tst_res(TINFO, "%s: write of 0x%lx accepted, CR0 read back 0x%lx",
			what, val, now);
	else if (now != cr0)
		tst_res(TFAIL, "%s: CR0 changed to 0x%lx after #GP", what, now);
}

static void good(const char *what, unsigned long val, unsigned long want)
{
	unsigned long now;

	write_cr0_safe(val);
	now = kvm_read_cr0();
	kvm_set_cr0(cr0);
	if (suite_expect_none(what) && now != want)
		tst_res(TFAIL, "%s: CR0 reads 0x%lx, expected 0x%lx", what, now,
			want);
}

void main(void)
{
	unsigned int bit;
	char what[64];

	suite_catch_all();
	cr0 = kvm_read_cr0();

	for (bit = 32; bit < 64; bit += 31) {
		snprintf(what, sizeof(what), "CR0 bit %u (reserved) set", bit);
		bad(what, cr0 | 1UL << bit);
	}
	bad("CR0.PG cleared in 64-bit mode", cr0 & ~CR0_PG);
	bad("CR0.PG=1 with CR0.PE=0", cr0 & ~CR0_PE);
	bad("CR0.NW=1 with CR0.CD=0", (cr0 & ~CR0_CD) | CR0_NW);

	good("CR0.ET written as 0 (hard-wired 1)", cr0 & ~CR0_ET, cr0);
	good("CR0.CD=1 NW=1", cr0 | CR0_CD | CR0_NW, cr0 | CR0_CD | CR0_NW);
	good("CR0.CD=1 NW=0", cr0 | CR0_CD, cr0 | CR0_CD);
	good("CR0.WP toggled", cr0 ^ CR0_WP, cr0 ^ CR0_WP);
	good("CR0.TS set", cr0 | CR0_TS, cr0 | CR0_TS);
	good("CR0.EM set", cr0 | CR0_EM, cr0 | CR0_EM);
	good("CR0.MP toggled", cr0 ^ CR0_MP, cr0 ^ CR0_MP);
	good("CR0.AM toggled", cr0 ^ CR0_AM, cr0 ^ CR0_AM);

	if (kvm_read_cr0() != cr0)
		tst_res(TFAIL, "CR0 0x%lx at the end, 0x%lx at the start",
			kvm_read_cr0(), cr0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "MOV to CR0 in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "control-registers,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
