// SPDX-License-Identifier: MIT
/*
 * Debug registers themselves: DR6 and DR7 hold their reset values
 * (FFFF0FF0H and 400H), DR0-DR3 are 0; DR0-DR3 keep any 64-bit value
 * written; writing a 1 to DR6[63:32] or DR7[63:32] raises #GP(0); with
 * CR4.DE = 0 DR4 and DR5 are aliases of DR6 and DR7, with CR4.DE = 1 a
 * reference to them raises #UD; with DR7.GD = 1 any MOV to or from a debug
 * register raises a fault-class #DB with DR6.BD = 1 and GD cleared on
 * entry to the handler.
 *
 * Where it is written: Intel SDM Vol. 3A Table 9-1 "IA-32 and Intel 64
 * Processor States Following Power-up, Reset, or INIT" (DR0-DR3 0, DR6
 * FFFF0FF0H, DR7 00000400H); Vol. 3B 17.2.2 "Debug Registers DR4 and DR5"
 * ("When debug extensions are enabled (when the DE flag is set), attempts
 * to reference DR4 and DR5 result in an invalid-opcode exception (#UD).
 * When debug extensions are not enabled ... aliased to DR6 and DR7");
 * 17.2.4 (GD "causes a debug exception prior to any MOV instruction that
 * accesses a debug register ... The processor clears the GD flag upon
 * entering to the debug exception handler"); Vol. 2B "MOV - Move to/from
 * Debug Registers" (#GP(0) "If an attempt is made to write a 1 to any of
 * bits 63:32 in DR6" / "in DR7").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define DR7_INIT	0x400UL
#define DR7_GD		(1UL << 13)

#define READ_DR(n) ({ unsigned long v_; \
	asm volatile("mov %%dr" #n ", %0" : "=r"(v_)); v_; })
#define WRITE_DR(n, v) asm volatile("mov %0, %%dr" #n : : "r"((unsigned long)(v)))

static int write_dr6_safe(unsigned long v)
{
	suite_begin();
	asm volatile(SUITE_TRY("mov %0, %%dr6") : : "r"(v) : "memory");
	return suite_end();
}

static int write_dr7_safe(unsigned long v)
{
	suite_begin();
	asm volatile(SUITE_TRY("mov %0, %%dr7") : : "r"(v) : "memory");
	return suite_end();
}

static void reset_values(void)
{
	unsigned long dr[4] = { READ_DR(0), READ_DR(1), READ_DR(2), READ_DR(3) };
	unsigned long dr6 = READ_DR(6), dr7 = READ_DR(7);

	if (dr6 == DR6_INIT && dr7 == DR7_INIT && !dr[0] && !dr[1] && !dr[2] &&
	    !dr[3])
		tst_res(TPASS, "reset: DR0-3 0, DR6 0x%lx, DR7 0x%lx", dr6, dr7);
	else
		tst_res(TFAIL, "reset: DR0-3 0x%lx 0x%lx 0x%lx 0x%lx, DR6 0x%lx, DR7 0x%lx; expected 0, 0xffff0ff0, 0x400",
			dr[0], dr[1], dr[2], dr[3], dr6, dr7);
}

static void address_registers(void)
{
	unsigned long v[4] = {
		0xffffffff80001000UL, 0x00007fffffffffffUL,
		0x0000123456789ab0UL, 0xffff800000000001UL,
	};

	WRITE_DR(0, v[0]);
	WRITE_DR(1, v[1]);
	WRITE_DR(2, v[2]);
	WRITE_DR(3, v[3]);
	if (READ_DR(0) == v[0] && READ_DR(1) == v[1] && READ_DR(2) == v[2] &&
	    READ_DR(3) == v[3])
		tst_res(TPASS, "DR0-DR3 keep 64-bit (canonical) values");
	else
		tst_res(TFAIL, "DR0-DR3 read 0x%lx 0x%lx 0x%lx 0x%lx after writing 0x%lx 0x%lx 0x%lx 0x%lx",
			READ_DR(0), READ_DR(1), READ_DR(2), READ_DR(3),
			v[0], v[1], v[2], v[3]);
	WRITE_DR(0, 0);
	WRITE_DR(1, 0);
	WRITE_DR(2, 0);
	WRITE_DR(3, 0);
}

static void high_bits(void)
{
	write_dr6_safe(DR6_INIT | 1UL << 32);
	suite_expect("DR6 bit 32 set", INTR_GPF, 0, SUITE_FAULT);
	write_dr7_safe(DR7_INIT | 1UL << 63);
	suite_expect("DR7 bit 63 set", INTR_GPF, 0, SUITE_FAULT);
	WRITE_DR(6, DR6_INIT);
	WRITE_DR(7, DR7_INIT);
}

static void dr4_dr5(void)
{
	unsigned long cr4 = kvm_read_cr4(), v = 0;

	/* Bytes: mov %dr4, %rax is 0f 21 e0; mov %dr5, %rax is 0f 21 e8 */
	kvm_set_cr4(cr4 & ~(unsigned long)CR4_DE);
	WRITE_DR(7, DR7_INIT | 0x1);	/* L0, harmless: DR0 = 0 is not executed */
	suite_begin();
	asm volatile(SUITE_TRY(".byte 0x0f, 0x21, 0xe8") : "=a"(v) : : "memory");
	suite_end();
	if (suite_expect_none("mov %dr5 with CR4.DE = 0") && v != (DR7_INIT | 1))
		tst_res(TFAIL, "mov %%dr5 with CR4.DE = 0 read 0x%lx, DR7 is 0x%lx",
			v, DR7_INIT | 1);
	WRITE_DR(7, DR7_INIT);
	suite_begin();
	asm volatile(SUITE_TRY(".byte 0x0f, 0x21, 0xe0") : "=a"(v) : : "memory");
	suite_end();
	if (suite_expect_none("mov %dr4 with CR4.DE = 0") && v != DR6_INIT)
		tst_res(TFAIL, "mov %%dr4 with CR4.DE = 0 read 0x%lx, DR6 is 0x%lx",
			v, DR6_INIT);

	kvm_set_cr4(cr4 | CR4_DE);
	suite_begin();
	asm volatile(SUITE_TRY(".byte 0x0f, 0x21, 0xe0") : "=a"(v) : : "memory");
	suite_end();
	suite_expect("mov %dr4 with CR4.DE = 1", INTR_BAD_OPCODE, 0, SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY(".byte 0x0f, 0x23, 0xe8") : : "a"(DR7_INIT) : "memory");
	suite_end();
	suite_expect("mov to %dr5 with CR4.DE = 1", INTR_BAD_OPCODE, 0, SUITE_FAULT);
	kvm_set_cr4(cr4);
}

static void general_detect(void)
{
	unsigned long v = 0;

	WRITE_DR(7, DR7_INIT | DR7_GD);
	suite_begin();
	asm volatile(SUITE_TRY("mov %%dr0, %0") : "+r"(v) : : "memory");
	suite_end();
	if (suite_expect("mov %dr0 with DR7.GD = 1", INTR_DEBUG, 0, SUITE_FAULT)) {
		if (suite_trap.dr6 & DR6_BD)
			tst_res(TPASS, "GD fault: DR6 0x%lx has BD", suite_trap.dr6);
		else
			tst_res(TFAIL, "GD fault: DR6 0x%lx without BD (bit 13)",
				suite_trap.dr6);
	}
	/* The handler read DR6 and DR7 did not fault again: GD was cleared */
	v = READ_DR(7);
	if (v & DR7_GD)
		tst_res(TFAIL, "DR7 0x%lx: GD not cleared by the #DB", v);
	else if (suite_trap.count == 1)
		tst_res(TPASS, "DR7.GD cleared on entry to the #DB handler");
	WRITE_DR(7, DR7_INIT);
}

void main(void)
{
	if (!(suite_cpuid(1, 0).edx & 1U << 2))
		tst_brk(TCONF, "CPUID.1:EDX.DE = 0");
	suite_catch_all();
	reset_values();
	address_registers();
	high_bits();
	dr4_dr5();
	general_detect();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "The debug registers themselves: DR6/DR7 fixed bits, GD",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "debug,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
