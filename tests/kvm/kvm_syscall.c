// SPDX-License-Identifier: MIT
/*
 * SYSCALL in 64-bit mode: with EFER.SCE = 0 it raises #UD; with SCE = 1 it
 * saves the next RIP in RCX and RFLAGS in R11, masks RFLAGS with
 * IA32_FMASK (and clears RF), loads RIP from IA32_LSTAR, CS from
 * IA32_STAR[47:32] and SS from IA32_STAR[47:32] + 8.  The target runs at
 * CPL 0 here and returns with a plain jump.
 *
 * Where it is written: Intel SDM Vol. 2B "SYSCALL - Fast System Call"
 * (Operation: RCX := RIP; RIP := IA32_LSTAR; R11 := RFLAGS; RFLAGS :=
 * RFLAGS AND NOT(IA32_FMASK); CS.Selector := IA32_STAR[47:32] AND FFFCH;
 * SS.Selector := IA32_STAR[47:32] + 8; #UD "If ... IA32_EFER.SCE = 0");
 * AMD APM Vol. 3 "SYSCALL".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* Filled by syscall_target */
uint64_t sc_rcx, sc_r11, sc_rflags, sc_cs, sc_ss;

void syscall_target(void);
asm(".pushsection .text\n"
    ".globl syscall_target\n"
    "syscall_target:\n\t"
    "mov %rcx, sc_rcx(%rip)\n\t"
    "mov %r11, sc_r11(%rip)\n\t"
    "pushf\n\t"
    "pop sc_rflags(%rip)\n\t"
    "mov %cs, sc_cs(%rip)\n\t"
    "mov %ss, sc_ss(%rip)\n\t"
    "push %r11\n\t"
    "popf\n\t"
    "jmp *%rcx\n"
    ".popsection");

#define FMASK	(X86_EFLAGS_DF | X86_EFLAGS_AC | (1UL << 7) /* SF */)
/* CF PF AF ZF SF OF */
#define ARITH_FLAGS	0x8d5ULL

void main(void)
{
	uint64_t efer = kvm_rdmsr(MSR_EFER), rflags_before = 0;
	uint64_t star = kvm_rdmsr(MSR_STAR), lstar = kvm_rdmsr(MSR_LSTAR);
	uint64_t fmask = kvm_rdmsr(MSR_SFMASK);
	int bad = 0;

	if (!(suite_cpuid_ext1().edx & 1U << 11))
		tst_brk(TCONF, "CPUID.80000001H:EDX.SYSCALL = 0");
	suite_catch_all();

	kvm_wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_SCE);
	suite_begin();
	asm volatile(SUITE_TRY("syscall") : : : "rcx", "r11", "memory");
	suite_end();
	suite_expect("SYSCALL with EFER.SCE = 0", INTR_BAD_OPCODE, 0, SUITE_FAULT);

	kvm_wrmsr(MSR_EFER, efer | EFER_SCE);
	kvm_wrmsr(MSR_STAR, (uint64_t)KVMKIT_SEL_CODE64 << 32);
	kvm_wrmsr(MSR_LSTAR, (uintptr_t)syscall_target);
	kvm_wrmsr(MSR_SFMASK, FMASK);
	suite_begin();
	asm volatile("pushf\n\t"
		     "orq %1, (%%rsp)\n\t"
		     "popf\n\t"
		     "pushf\n\t"
		     "pop %0\n\t"
		     SUITE_TRY("syscall")
		     "cld\n\t"
		     "pushf\n\t"
		     "andq %2, (%%rsp)\n\t"
		     "popf"
		     : "=&r"(rflags_before)
		     : "i"(X86_EFLAGS_DF | X86_EFLAGS_AC), "i"(~X86_EFLAGS_AC)
		     : "rcx", "r11", "memory", "cc");
	suite_end();
	kvm_wrmsr(MSR_EFER, efer);
	kvm_wrmsr(MSR_STAR, star);
	kvm_wrmsr(MSR_LSTAR, lstar);
	kvm_wrmsr(MSR_SFMASK, fmask);

	if (!suite_expect_none("SYSCALL with EFER.SCE = 1")) {
		suite_finish();
		return;
	}
	if (sc_rcx != suite_after) {
		tst_res(TFAIL, "SYSCALL: RCX 0x%llx, expected the next RIP 0x%lx",
			(unsigned long long)sc_rcx, (unsigned long)suite_after);
		bad = 1;
	}
	if (sc_r11 != rflags_before) {
		tst_res(TFAIL, "SYSCALL: R11 0x%llx, RFLAGS before 0x%llx",
			(unsigned long long)sc_r11,
			(unsigned long long)rflags_before);
		bad = 1;
	}
	if (sc_rflags != (rflags_before & ~FMASK & ~X86_EFLAGS_RF)) {
		uint64_t want = rflags_before & ~FMASK & ~X86_EFLAGS_RF;
		uint64_t lost = want & ~sc_rflags & ARITH_FLAGS;

		tst_res(TFAIL, "SYSCALL: RFLAGS at the target 0x%llx, expected 0x%llx%s",
			(unsigned long long)sc_rflags,
			(unsigned long long)want,
			lost && (sc_rflags | lost) == want ?
			" (status flags that IA32_FMASK does not mask were cleared)" : "");
		bad = 1;
	}
	if (sc_cs != KVMKIT_SEL_CODE64 || sc_ss != KVMKIT_SEL_CODE64 + 8) {
		tst_res(TFAIL, "SYSCALL: CS 0x%llx SS 0x%llx, expected 0x%x 0x%x",
			(unsigned long long)sc_cs, (unsigned long long)sc_ss,
			KVMKIT_SEL_CODE64, KVMKIT_SEL_CODE64 + 8);
		bad = 1;
	}
	if (!bad)
		tst_res(TPASS, "SYSCALL: RCX = next RIP, R11 = RFLAGS, RFLAGS masked by FMASK, CS/SS from STAR");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "SYSCALL in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
