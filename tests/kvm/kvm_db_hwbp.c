// SPDX-License-Identifier: MIT
/*
 * Hardware breakpoints: an instruction breakpoint (DR7 R/W = 00, LEN = 00)
 * on an instruction raises a fault-class #DB before it runs, saved RIP =
 * the instruction, DR6.Bn set for the matching DRn; resuming with
 * EFLAGS.RF = 1 in the frame runs the instruction without a second #DB.
 * A data write breakpoint (R/W = 01) raises a trap-class #DB after the
 * writing instruction, and is not hit by a read; a read/write breakpoint
 * (R/W = 11) is hit by a read; a disabled breakpoint (L/G = 0) is never
 * hit.
 *
 * Where it is written: Intel SDM Vol. 3B 17.2.4 "Debug Control Register
 * (DR7)" (L0-L3, R/W0-R/W3, LEN0-LEN3 encodings); 17.2.3 "Debug Status
 * Register (DR6)" (B0-B3); 17.3.1.1 "Instruction-Breakpoint Exception
 * Condition" (fault; "the RF flag ... to be set to 1 ... to prevent
 * repeated debug exceptions"); 17.3.1.2 "Data Memory and I/O Breakpoint
 * Exception Conditions" (trap, "after the instruction that accessed the
 * memory location").
 *
 * Only the Bn flag of the enabled breakpoint is judged: 17.2.3 says B0-B3
 * "may or may not be set if the breakpoint is not enabled by the Ln or the
 * Gn flags ... a debug handler should check only those B0-B3 bits which
 * correspond to an enabled breakpoint" (a disabled DRn still holding an
 * address that matches may set its Bn too).  Each check also clears the
 * address register it used.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define DR7_L(n)	(1UL << (2 * (n)))
#define DR7_RW(n, rw)	((unsigned long)(rw) << (16 + 4 * (n)))
#define DR7_LEN(n, l)	((unsigned long)(l) << (18 + 4 * (n)))
#define RW_EXEC		0
#define RW_WRITE	1
#define RW_RW		3
#define LEN_8		2

static volatile uint64_t watched __attribute__((aligned(8)));
static volatile unsigned int ran, db_count;
static volatile uintptr_t db_rip;
static volatile unsigned long db_dr6;

/* A #DB callback that lets the instruction run: RF for faults */
static int on_db(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	unsigned long dr6;

	(void)userdata;
	(void)errcode;
	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));
	if (++db_count > 4) {
		asm volatile("mov %0, %%dr7" : : "r"(0x400UL));
		tst_brk(TFAIL, "#DB repeats at 0x%lx: RF=1 in the frame ignored?",
			(unsigned long)ifrm->rip);
	}
	db_rip = ifrm->rip;
	db_dr6 = dr6;
	ifrm->rflags |= X86_EFLAGS_RF;
	return 1;
}

/* bp_target: "incl ran(%rip); ret" at a known address */
void bp_target(void);
asm(".pushsection .text\n"
    ".globl bp_target\n"
    "bp_target:\n\t"
    "incl ran(%rip)\n\t"
    "ret\n"
    ".popsection");

static void exec_bp(unsigned int n, void (*set)(unsigned long))
{
	char what[64];

	snprintf(what, sizeof(what), "instruction breakpoint in DR%u", n);
	set((uintptr_t)bp_target);
	db_count = 0;
	ran = 0;
	asm volatile("mov %0, %%dr7" : : "r"(0x400UL | DR7_L(n) |
		     DR7_RW(n, RW_EXEC)));
	bp_target();
	asm volatile("mov %0, %%dr7" : : "r"(0x400UL));
	set(0);
	if (db_count == 1 && db_rip == (uintptr_t)bp_target &&
	    (db_dr6 & DR6_B(n)) && ran == 1)
		tst_res(TPASS, "%s: one #DB at the instruction, DR6 0x%lx, ran once with RF",
			what, db_dr6);
	else
		tst_res(TFAIL, "%s: %u #DB, RIP 0x%lx (target 0x%lx), DR6 0x%lx, instruction ran %u times",
			what, db_count, (unsigned long)db_rip,
			(unsigned long)(uintptr_t)bp_target, db_dr6, ran);
}

static void set_dr0(unsigned long v) { asm volatile("mov %0, %%dr0" : : "r"(v)); }
static void set_dr1(unsigned long v) { asm volatile("mov %0, %%dr1" : : "r"(v)); }
static void set_dr2(unsigned long v) { asm volatile("mov %0, %%dr2" : : "r"(v)); }
static void set_dr3(unsigned long v) { asm volatile("mov %0, %%dr3" : : "r"(v)); }

static void data_bp(void)
{
	uint64_t v = 0;

	asm volatile("mov %0, %%dr1" : : "r"((uintptr_t)&watched));
	asm volatile("mov %0, %%dr7" : : "r"(0x400UL | DR7_L(1) |
		     DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN_8)));

	suite_begin();
	asm volatile(SUITE_TRY("movq $5, watched(%%rip)") : : : "memory");
	suite_end();
	if (suite_expect("write to a write-watched quadword", INTR_DEBUG, 0,
			 SUITE_TRAP) && !(suite_trap.dr6 & DR6_B(1)))
		tst_res(TFAIL, "write watchpoint: DR6 0x%lx, expected B1",
			suite_trap.dr6);
	if (watched != 5)
		tst_res(TFAIL, "write watchpoint: the write did not happen");

	suite_begin();
	asm volatile(SUITE_TRY("mov watched(%%rip), %0") : "+r"(v) : : "memory");
	suite_end();
	suite_expect_none("read of a write-watched quadword");

	asm volatile("mov %0, %%dr7" : : "r"(0x400UL | DR7_L(1) |
		     DR7_RW(1, RW_RW) | DR7_LEN(1, LEN_8)));
	suite_begin();
	asm volatile(SUITE_TRY("mov watched(%%rip), %0") : "+r"(v) : : "memory");
	suite_end();
	if (suite_expect("read of a read/write-watched quadword", INTR_DEBUG, 0,
			 SUITE_TRAP) && !(suite_trap.dr6 & DR6_B(1)))
		tst_res(TFAIL, "read/write watchpoint: DR6 0x%lx, expected B1",
			suite_trap.dr6);

	asm volatile("mov %0, %%dr7" : : "r"(0x400UL | DR7_RW(1, RW_RW) |
		     DR7_LEN(1, LEN_8)));
	suite_begin();
	asm volatile(SUITE_TRY("movq $6, watched(%%rip)") : : : "memory");
	suite_end();
	suite_expect_none("write with L1 = G1 = 0 (breakpoint disabled)");
	asm volatile("mov %0, %%dr7" : : "r"(0x400UL));
}

void main(void)
{
	suite_catch_all();
	asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));
	tst_set_interrupt_callback(INTR_DEBUG, on_db, NULL);
	exec_bp(0, set_dr0);
	exec_bp(1, set_dr1);
	exec_bp(2, set_dr2);
	exec_bp(3, set_dr3);
	suite_catch(INTR_DEBUG);
	data_bp();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Hardware breakpoints",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "debug,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
