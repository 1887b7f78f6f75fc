// SPDX-License-Identifier: MIT
/*
 * IRETQ at CPL 0 to CPL 0: it pops RIP, CS, RFLAGS, RSP and SS (64-bit
 * mode always pops SS:RSP, so RSP may move anywhere), loads every RFLAGS
 * bit CPL 0 may change (CF, PF, AF, ZF, SF, DF, OF, AC, IF) while bit 1
 * stays 1 and reserved bits stay 0; a non-canonical return RIP raises
 * #GP(0) at the IRETQ, leaving RSP at the frame.
 *
 * Where it is written: Intel SDM Vol. 2A "IRET/IRETD/IRETQ" (IA-32e mode
 * operation: "RIP := Pop(); CS := Pop(); tempRFLAGS := Pop(); tempRSP :=
 * Pop(); tempSS := Pop()"; 64-Bit Mode Exceptions: #GP(0) "If the return
 * instruction pointer is non-canonical"); Vol. 1 3.4.3 (EFLAGS bit 1 is
 * always 1, bits 3, 5, 15, 22-63 reserved).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define WANT_FLAGS	(X86_EFLAGS_CF | 0x4 | 0x10 | X86_EFLAGS_ZF | 0x80 | \
			 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_AC | \
			 X86_EFLAGS_IF)

uint64_t iret_frame[5] __attribute__((aligned(16)));
uint64_t iret_rsp, iret_rflags;
static uint8_t alt_stack[256] __attribute__((aligned(16)));

void main(void)
{
	uint64_t rsp_before;

	suite_catch_all();

	/* IRETQ to label 1 with a new RSP and every writable flag set */
	suite_begin();
	asm volatile("mov %%rsp, %%r12\n\t"
		     "mov %%ss, %%eax\n\t"
		     "push %%rax\n\t"			/* SS */
		     "push %1\n\t"			/* RSP */
		     "push %2\n\t"			/* RFLAGS */
		     "mov %%cs, %%eax\n\t"
		     "push %%rax\n\t"			/* CS */
		     "lea 1f(%%rip), %%rax\n\t"
		     "push %%rax\n\t"			/* RIP */
		     SUITE_TRY("iretq")
		     "pushf\n\t"
		     "pop iret_rflags(%%rip)\n\t"
		     "mov %%rsp, iret_rsp(%%rip)\n\t"
		     "cld\n\t"
		     "push %3\n\t"
		     "popf\n\t"
		     "mov %%r12, %%rsp\n\t"
		     "mov %%r12, %0"
		     : "=r"(rsp_before)
		     : "r"((uintptr_t)alt_stack + 128), "r"(WANT_FLAGS | 0x2),
		       "i"(X86_EFLAGS_IF | 0x2)
		     : "rax", "r12", "memory", "cc");
	suite_end();
	if (suite_expect_none("IRETQ to CPL 0")) {
		if (iret_rsp == (uintptr_t)alt_stack + 128)
			tst_res(TPASS, "IRETQ loaded RSP from the frame");
		else
			tst_res(TFAIL, "IRETQ: RSP 0x%llx, frame had 0x%lx",
				(unsigned long long)iret_rsp,
				(unsigned long)(uintptr_t)alt_stack + 128);
		if ((iret_rflags & 0x3fffff) == (WANT_FLAGS | 0x2))
			tst_res(TPASS, "IRETQ loaded RFLAGS 0x%llx",
				(unsigned long long)iret_rflags);
		else
			tst_res(TFAIL, "IRETQ: RFLAGS 0x%llx, frame had 0x%lx",
				(unsigned long long)iret_rflags,
				(unsigned long)(WANT_FLAGS | 0x2));
	}

	/* Non-canonical RIP: #GP(0) at the IRETQ, RSP at the frame */
	suite_begin();
	asm volatile("mov %%rsp, %%r12\n\t"
		     "mov %%ss, %%eax\n\t"
		     "push %%rax\n\t"
		     "push %%r12\n\t"
		     "pushf\n\t"
		     "mov %%cs, %%eax\n\t"
		     "push %%rax\n\t"
		     "movabs $0x0000800000001000, %%rax\n\t"
		     "push %%rax\n\t"
		     SUITE_TRY("iretq")
		     "mov %%r12, %%rsp"
		     : : : "rax", "r12", "memory", "cc");
	suite_end();
	if (!suite_expect("IRETQ to RIP 0x800000001000 (non-canonical)",
			  INTR_GPF, 0, SUITE_FAULT) &&
	    suite_trap.rip == 0x0000800000001000ULL)
		tst_res(TINFO, "the #GP was taken at the fetch from the non-canonical target, after IRETQ completed");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "IRETQ at CPL 0 to CPL 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "instructions,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
