// SPDX-License-Identifier: MIT
/*
 * Single-step: with EFLAGS.TF = 1 the processor raises a trap-class #DB
 * after each instruction, with DR6.BS = 1 and the saved RIP at the next
 * instruction; an instruction that sets TF (POPF) is not itself stepped;
 * MOV SS and POP SS hold debug exceptions until the instruction after
 * them has run, so the step trap comes after that instruction instead.
 *
 * Where it is written: Intel SDM Vol. 3B 17.3.1.4 "Single-Step Exception
 * Condition" ("The processor generates a single-step debug exception if
 * (while an instruction is being executed) it detects that the TF flag in
 * the EFLAGS register is set. The exception is a trap-class exception";
 * "the processor will not generate this exception after the instruction
 * that sets the TF flag"); 17.2.3 (DR6.BS, bit 14); Vol. 3A 6.8.3
 * "Masking Exceptions and Interrupts When Switching Stacks" (MOV SS/POP SS
 * inhibit debug exceptions until the next instruction completes).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static void expect_step(const char *what)
{
	if (!suite_expect(what, INTR_DEBUG, 0, SUITE_TRAP))
		return;
	if (suite_trap.dr6 & DR6_BS)
		tst_res(TPASS, "%s: DR6 0x%lx has BS", what, suite_trap.dr6);
	else
		tst_res(TFAIL, "%s: DR6 0x%lx without BS (bit 14)", what,
			suite_trap.dr6);
}

void main(void)
{
	unsigned long rflags;

	suite_catch_all();
	suite_rflags_clear = X86_EFLAGS_TF;
	asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));

	/* POPF sets TF: the NOP after it is the first stepped instruction */
	suite_begin();
	asm volatile("pushf\n\t"
		     "orq %0, (%%rsp)\n\t"
		     SUITE_TRY("popf\n\tnop")
		     : : "i"(X86_EFLAGS_TF) : "memory", "cc");
	suite_end();
	expect_step("TF set by POPF, NOP stepped");

	/* A stepped instruction that changes RIP: the trap sees the target */
	suite_begin();
	asm volatile("pushf\n\t"
		     "orq %0, (%%rsp)\n\t"
		     SUITE_TRY("popf\n\tjmp 1f\n\tud2")
		     : : "i"(X86_EFLAGS_TF) : "memory", "cc");
	suite_end();
	expect_step("TF set by POPF, JMP stepped");

	/* MOV SS: no trap after it, one after the NOP that follows */
	suite_begin();
	asm volatile("mov %%ss, %%eax\n\t"
		     "pushf\n\t"
		     "orq %0, (%%rsp)\n\t"
		     SUITE_TRY("popf\n\tmov %%eax, %%ss\n\tnop")
		     : : "i"(X86_EFLAGS_TF) : "rax", "memory", "cc");
	suite_end();
	expect_step("TF with MOV SS: trap after the next instruction");

	/* POP SS is invalid in 64-bit mode; MOV SS from memory is the same */
	suite_begin();
	asm volatile("pushq %%rax\n\t"
		     "mov %%ss, %%eax\n\t"
		     "mov %%rax, (%%rsp)\n\t"
		     "pushf\n\t"
		     "orq %0, (%%rsp)\n\t"
		     SUITE_TRY("popf\n\tmov (%%rsp), %%ss\n\tnop")
		     "add $8, %%rsp"
		     : : "i"(X86_EFLAGS_TF) : "rax", "memory", "cc");
	suite_end();
	expect_step("TF with MOV SS from memory: trap after the next instruction");

	asm volatile("pushf\n\tpop %0" : "=r"(rflags));
	if (rflags & X86_EFLAGS_TF)
		tst_res(TFAIL, "TF still set after the tests");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Single-step",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "debug,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
