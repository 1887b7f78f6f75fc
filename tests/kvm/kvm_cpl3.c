// SPDX-License-Identifier: MIT
/*
 * Protection at CPL 3 (user mode entered with IRETQ, left through an
 * exception): privileged instructions raise #GP(0) (HLT, CLI with IOPL 0,
 * MOV to/from CR0, MOV from DR7, RDMSR, WRMSR, LGDT, INVLPG, WBINVD, CLTS,
 * IN/OUT with IOPL 0 and no I/O permission bitmap), while with IOPL 3
 * CLI/STI are allowed and POPF at CPL 3 > IOPL changes neither IF nor
 * IOPL, silently; RDTSC raises #GP(0)
 * only with CR4.TSD = 1 and RDPMC with CR4.PCE = 0; SGDT/SMSW work unless
 * CR4.UMIP = 1, then #GP(0); a misaligned load raises #AC(0) with CR0.AM =
 * 1 and EFLAGS.AC = 1; a supervisor page raises #PF with U/S = 1 in the
 * error code; INT3 and INT n through a gate with DPL 0 raise #GP with
 * error code (vector << 3) | IDT.
 *
 * Where it is written: Intel SDM Vol. 3A 5.9 "Privileged Instructions"
 * (#GP(0) at CPL > 0); 19.5.1 / Vol. 1 18.5.1 "I/O Privilege Level" and
 * 18.5.2 "I/O Permission Bit Map" (IN/OUT need CPL <= IOPL or the bitmap);
 * Vol. 2B "POPF" (CPL > IOPL: "the IF flag ... is not changed", IOPL
 * changes only at CPL 0), "CLI" (allowed when CPL <= IOPL);
 * Vol. 2B "RDTSC" (#GP(0) "If the TSD flag in register CR4 is set and the
 * CPL is greater than 0"), "RDPMC" (#GP(0) "If the current privilege level
 * is not 0 and the PCE flag in the CR4 register is clear"); Vol. 3A 2.5
 * (CR4.UMIP); 6.15 "Interrupt 17 - Alignment Check Exception" (error code
 * 0); 4.6 and 4.7 (user-mode access to a supervisor-mode address, U/S bit
 * 2 of the error code); 6.12.1.1 (INT n / INT3 with gate DPL < CPL:
 * #GP with the gate's error code).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* pre runs at CPL 0; the general registers it sets reach CPL 3 */
#define USER_PRE(what, pre, insn, vector, errcode) do {			\
	suite_begin();							\
	asm volatile(pre "\n\t" SUITE_USER_TRY(insn)			\
		     : : : "rax", "rcx", "rdx", "memory", "cc");	\
	suite_end();							\
	suite_user_end();						\
	if ((vector) == NO_EXCEPTION)					\
		suite_expect_none(what);				\
	else								\
		suite_expect(what, vector, errcode, SUITE_FAULT);	\
} while (0)
#define USER(what, insn, vector, errcode) \
	USER_PRE(what, "", insn, vector, errcode)

static uint8_t buf[64] __attribute__((aligned(16)));
uint64_t cpl3_scratch SUITE_UNUSED;

void main(void)
{
	unsigned long cr0 = kvm_read_cr0(), cr4 = kvm_read_cr4();
	uint64_t *frame = suite_alloc_page(), val = 0;
	uintptr_t sup = suite_map(0, (uintptr_t)frame, SUITE_PTE_P | SUITE_PTE_W);
	uint16_t cs = 0;

	suite_catch_all();
	suite_user_setup();

	/* Can we get there at all? */
	suite_begin();
	asm volatile(SUITE_USER_TRY("mov %%cs, %%eax\n\tmov %%eax, cpl3_scratch(%%rip)")
		     : : : "rax", "memory");
	suite_end();
	suite_user_end();
	cs = cpl3_scratch;
	if (suite_trap.count || (cs & 3) != 3)
		tst_brk(TBROK, "could not run at CPL 3: %s, CS 0x%x",
			suite_vector_name(suite_trap.vector), cs);
	tst_res(TPASS, "IRETQ to CPL 3 and back: CS 0x%x in user mode", cs);

	USER("HLT at CPL 3", "hlt", INTR_GPF, 0);
	USER("CLI at CPL 3, IOPL 0", "cli", INTR_GPF, 0);
	USER("MOV %cr0, %rax at CPL 3", "mov %%cr0, %%rax", INTR_GPF, 0);
	USER("MOV %rax, %cr0 at CPL 3", "mov %%rax, %%cr0", INTR_GPF, 0);
	USER("MOV %dr7, %rax at CPL 3", "mov %%dr7, %%rax", INTR_GPF, 0);
	USER_PRE("RDMSR EFER at CPL 3", "mov $0xc0000080, %%ecx", "rdmsr",
		 INTR_GPF, 0);
	USER_PRE("WRMSR KERNEL_GS_BASE at CPL 3", "mov $0xc0000102, %%ecx\n\t"
		 "xor %%eax, %%eax\n\txor %%edx, %%edx", "wrmsr", INTR_GPF, 0);
	USER("LGDT at CPL 3", "lgdt (%%rsp)", INTR_GPF, 0);
	USER("INVLPG at CPL 3", "invlpg (%%rsp)", INTR_GPF, 0);
	USER("WBINVD at CPL 3", "wbinvd", INTR_GPF, 0);
	USER("CLTS at CPL 3", "clts", INTR_GPF, 0);
	USER("IN from port 0x80 at CPL 3, IOPL 0", "inb $0x80, %%al", INTR_GPF, 0);
	USER("OUT to port 0x80 at CPL 3, IOPL 0", "outb %%al, $0x80", INTR_GPF, 0);

	USER("RDTSC at CPL 3, CR4.TSD = 0", "rdtsc", NO_EXCEPTION, 0);
	kvm_set_cr4(cr4 | CR4_TSD);
	USER("RDTSC at CPL 3, CR4.TSD = 1", "rdtsc", INTR_GPF, 0);
	kvm_set_cr4(cr4 & ~(unsigned long)CR4_PCE);
	USER_PRE("RDPMC at CPL 3, CR4.PCE = 0", "xor %%ecx, %%ecx", "rdpmc",
		 INTR_GPF, 0);
	kvm_set_cr4(cr4);

	USER("SGDT and SMSW at CPL 3, CR4.UMIP = 0",
	     "sub $16, %%rsp\n\tsgdt (%%rsp)\n\tsmsw %%ax\n\tadd $16, %%rsp",
	     NO_EXCEPTION, 0);
	if (suite_cpuid7().ecx & 1U << 2) {
		kvm_set_cr4(cr4 | CR4_UMIP);
		USER("SGDT at CPL 3, CR4.UMIP = 1", "sgdt (%%rsp)", INTR_GPF, 0);
		USER("SMSW at CPL 3, CR4.UMIP = 1", "smsw %%ax", INTR_GPF, 0);
		kvm_set_cr4(cr4);
	} else {
		tst_res(TCONF, "CPUID.7.0:ECX.UMIP = 0");
	}

	/* #AC: AM in CR0, AC set by POPF in user mode, then a misaligned load */
	kvm_set_cr0(cr0 | CR0_AM);
	suite_begin();
	asm volatile(SUITE_USER_TRY("pushf\n\torq $0x40000, (%%rsp)\n\tpopf\n\t"
				    "mov 1(%0), %%eax")
		     : : "r"(buf) : "rax", "memory", "cc");
	suite_end();
	suite_user_end();
	kvm_set_cr0(cr0);
	/* the fault is on the load: four instructions after label 0 */
	if (suite_trap.vector == INTR_ALIGNMENT_ERROR && suite_trap.count == 1 &&
	    suite_trap.errcode == 0)
		tst_res(TPASS, "misaligned load at CPL 3, CR0.AM = 1, EFLAGS.AC = 1: #AC(0)");
	else
		tst_res(TFAIL, "misaligned load at CPL 3, CR0.AM = 1, EFLAGS.AC = 1: %s (%d), %u exceptions, error code 0x%lx; expected #AC(0)",
			suite_vector_name(suite_trap.vector), suite_trap.vector,
			suite_trap.count, suite_trap.errcode);

	suite_begin();
	asm volatile(SUITE_USER_TRY("mov (%0), %%rax")
		     : : "r"(sup + 8) : "rax", "memory");
	suite_end();
	suite_user_end();
	suite_expect_pf("read of a supervisor page at CPL 3", PFERR_P | PFERR_U,
			sup + 8, SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_USER_TRY("movq $1, (%0)")
		     : : "r"(sup + 16) : "memory");
	suite_end();
	suite_user_end();
	suite_expect_pf("write to a supervisor page at CPL 3",
			PFERR_P | PFERR_W | PFERR_U, sup + 16, SUITE_FAULT);
	(void)val;

	/* POPF at CPL 3 > IOPL: IF and IOPL are left alone, silently */
	cpl3_scratch = 0;
	suite_begin();
	asm volatile(SUITE_USER_TRY("pushf\n\t"
				    "andq $~0x3200, (%%rsp)\n\t"
				    "orq $0x3000, (%%rsp)\n\t"
				    "popf\n\t"
				    "pushf\n\t"
				    "pop cpl3_scratch(%%rip)")
		     : : : "memory", "cc");
	suite_end();
	suite_user_end();
	if (suite_trap.count)
		suite_expect_none("POPF clearing IF and raising IOPL at CPL 3");
	else if ((cpl3_scratch & 0x3200) == X86_EFLAGS_IF)
		tst_res(TPASS, "POPF at CPL 3: IF stays 1, IOPL stays 0 (RFLAGS 0x%llx)",
			(unsigned long long)cpl3_scratch);
	else
		tst_res(TFAIL, "POPF at CPL 3 changed IF/IOPL: RFLAGS 0x%llx",
			(unsigned long long)cpl3_scratch);

	/* IRETQ from CPL 0 loads IOPL 3; then CLI/STI are allowed at CPL 3 */
	suite_user_rflags |= 0x3000;
	cpl3_scratch = 0;
	suite_begin();
	asm volatile(SUITE_USER_TRY("pushf\n\tpop cpl3_scratch(%%rip)")
		     : : : "memory");
	suite_end();
	suite_user_end();
	if (suite_trap.count)
		suite_expect_none("PUSHF at CPL 3");
	else if ((cpl3_scratch & 0x3000) == 0x3000)
		tst_res(TPASS, "IRETQ to CPL 3 with IOPL 3: PUSHF shows IOPL 3");
	else
		tst_res(TFAIL, "IRETQ to CPL 3 with IOPL 3 in the frame: PUSHF at CPL 3 shows RFLAGS 0x%llx",
			(unsigned long long)cpl3_scratch);
	USER("CLI and STI at CPL 3 with IOPL 3", "cli\n\tsti", NO_EXCEPTION, 0);
	suite_user_rflags &= ~0x3000ULL;

	/* Vectors without an error code: a wrong delivery keeps the frame sane */
	if (((kvm_idt[INTR_BREAKPOINT].flags >> 5) & 3) == 0)
		USER("INT3 at CPL 3 through a DPL 0 gate", "int3", INTR_GPF,
		     INTR_BREAKPOINT << 3 | 2);
	else
		tst_res(TCONF, "the #BP gate has DPL %u",
			(kvm_idt[INTR_BREAKPOINT].flags >> 5) & 3);
	if (((kvm_idt[INTR_OVERFLOW].flags >> 5) & 3) == 0)
		USER("INT $4 at CPL 3 through a DPL 0 gate", "int $4", INTR_GPF,
		     INTR_OVERFLOW << 3 | 2);
	else
		tst_res(TCONF, "the #OF gate has DPL %u",
			(kvm_idt[INTR_OVERFLOW].flags >> 5) & 3);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Protection at CPL 3 (user mode entered with IRETQ, left through an exception)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,privilege" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
