// SPDX-License-Identifier: MIT
/*
 * CVE-2018-1087 (and the OS side, CVE-2018-8897): a data breakpoint hit
 * by MOV SS.  MOV SS holds back debug exceptions until the end of the
 * next instruction; when that instruction is INT3 or INT n, the #DB is
 * delivered after the transfer, i.e. at the first instruction of the
 * #BP / INT n handler, before it runs: the #DB frame's RIP is the
 * handler's entry point (from the IDT), DR6.B0 = 1.  After MOV SS and a
 * NOP, the #DB's RIP is the instruction after the NOP.  KVM took such a
 * #DB for one raised by ICEBP and delivered it with the wrong RIP on the
 * stack; fixed by Linux commit 32d43cd391bacb5f0814c2624399a5dad3501d09
 * ("kvm/x86: fix icebp instruction handling", v4.16).
 *
 * Where it is written: Intel SDM Vol. 3A 6.8.3 "Masking Exceptions and
 * Interrupts When Switching Stacks" (MOV SS / POP SS inhibit debug
 * exceptions until the instruction boundary following the next
 * instruction), Vol. 2B "MOV" (Operation note on MOV SS and the
 * following instruction: if it is an INT n / INT3 / SYSCALL the #DB is
 * delivered after it, at the target); Vol. 3B 18.2.4 / 18.2.5 (a data
 * breakpoint is a trap, DR6.Bn); CVE-2018-1087, CVE-2018-8897.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define DR7_BP0_RW2	(1UL | 3UL << 16 | 1UL << 18)	/* L0, R/W, 2 bytes */

uint16_t ss_sel __attribute__((aligned(8)));
uint64_t movss_rsp SUITE_UNUSED;
extern const char movss_nop_end[];

static uintptr_t gate(unsigned int vector)
{
	return kvm_idt[vector].offset_lo |
	       (uintptr_t)kvm_idt[vector].offset_hi << 16;
}

static void judge(const char *what, uintptr_t want_rip)
{
	if (suite_trap.count >= 1 && suite_trap.vector == INTR_DEBUG &&
	    suite_trap.rip == want_rip && (suite_trap.dr6 & DR6_B(0)))
		tst_res(TPASS, "%s: #DB (DR6 0x%lx) at RIP 0x%lx", what,
			suite_trap.dr6, (unsigned long)suite_trap.rip);
	else
		tst_res(TFAIL, "%s: %s (%u exception%s), RIP 0x%lx, DR6 0x%lx; expected #DB with DR6.B0 at RIP 0x%lx",
			what, suite_vector_name(suite_trap.vector),
			suite_trap.count, suite_trap.count == 1 ? "" : "s",
			(unsigned long)suite_trap.rip, suite_trap.dr6,
			(unsigned long)want_rip);
}

static void set_bp(void)
{
	asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));
	asm volatile("mov %0, %%dr0" : : "r"(&ss_sel));
	asm volatile("mov %0, %%dr7" : : "r"(DR7_BP0_RW2));
}

static void clear_bp(void)
{
	asm volatile("mov %0, %%dr7" : : "r"(0x400UL));
}

void main(void)
{
	uint16_t ss;

	suite_catch_all();
	asm volatile("mov %%ss, %0" : "=r"(ss));
	ss_sel = ss;

	/* MOV SS; NOP: the #DB comes after the NOP */
	set_bp();
	suite_begin();
	asm volatile(SUITE_TRY("mov (%0), %%ss\n\tnop\n"
			       ".globl movss_nop_end\nmovss_nop_end:\n\tnop")
		     : : "r"(&ss_sel) : "memory");
	suite_end();
	clear_bp();
	judge("data breakpoint on MOV SS's operand, next instruction NOP",
	      (uintptr_t)movss_nop_end);

	/* MOV SS; INT $4: the #DB is taken at the #OF handler's entry */
	set_bp();
	suite_begin();
	asm volatile("mov %%rsp, movss_rsp(%%rip)\n\t"
		     SUITE_TRY("mov (%0), %%ss\n\tint $4")
		     "mov movss_rsp(%%rip), %%rsp"
		     : : "r"(&ss_sel) : "memory");
	suite_end();
	clear_bp();
	judge("data breakpoint on MOV SS's operand, next instruction INT $4",
	      gate(INTR_OVERFLOW));

	/* MOV SS; INT3: at the #BP handler's entry */
	set_bp();
	suite_begin();
	asm volatile("mov %%rsp, movss_rsp(%%rip)\n\t"
		     SUITE_TRY("mov (%0), %%ss\n\tint3")
		     "mov movss_rsp(%%rip), %%rsp"
		     : : "r"(&ss_sel) : "memory");
	suite_end();
	clear_bp();
	judge("data breakpoint on MOV SS's operand, next instruction INT3",
	      gate(INTR_BREAKPOINT));
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CVE-2018-1087/CVE-2018-8897: a data breakpoint hit by MOV SS, then INT3 or INT n",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "debug,exceptions,cve" },
		{ "CVE", "2018-1087" },
		{ "CVE", "2018-8897" },
		{ "linux-git", "32d43cd391ba" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
