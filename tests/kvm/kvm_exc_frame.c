// SPDX-License-Identifier: MIT
/*
 * The 64-bit exception frame: on an exception at CPL 0 the processor
 * aligns RSP down to 16 bytes, then pushes SS, RSP, RFLAGS, CS and RIP
 * (and the error code), so the frame's SS slot ends on a 16-byte boundary
 * whatever RSP was; the saved RSP, RFLAGS, CS and SS are those of the
 * interrupted code; through an interrupt gate the handler runs with IF,
 * TF, NT and RF cleared (a trap gate keeps IF); with a non-zero IST field
 * in the gate the handler runs on the stack whose top is in the TSS's
 * IST entry, whatever RSP was.
 *
 * Where it is written: Intel SDM Vol. 3A 6.14.2 "64-Bit Mode Stack Frame"
 * ("the RSP is aligned to a 16-byte boundary before pushing the stack
 * frame", SS:RSP pushed unconditionally); 6.12.1.3 "Flag Usage By
 * Exception- or Interrupt-Handler Procedure" (TF, VM, RF, NT cleared; IF
 * cleared for an interrupt gate, unchanged for a trap gate); 6.14.5
 * "Interrupt Stack Table"; Figure 6-9 (gate type 1110b interrupt, 1111b
 * trap).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define X86_EFLAGS_NT	(1UL << 14)

static struct {
	int count;
	uintptr_t frame, handler_rsp;
	unsigned long handler_rflags;
	struct kvm_interrupt_frame saved;
} seen;
static uintptr_t resume;

static int on_ud(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	uintptr_t rsp;
	unsigned long rflags;

	(void)userdata;
	(void)errcode;
	asm volatile("mov %%rsp, %0\n\tpushf\n\tpop %1" : "=r"(rsp), "=r"(rflags));
	seen.count++;
	seen.frame = (uintptr_t)ifrm;
	seen.handler_rsp = rsp;
	seen.handler_rflags = rflags;
	seen.saved = *ifrm;
	ifrm->rip = resume;
	return 1;
}

/* ud2 with RSP = its value minus `skew`, CF set; returns RSP at the ud2 */
static uintptr_t ud2_at(unsigned int skew)
{
	uintptr_t rsp;

	seen.count = 0;
	asm volatile("lea 1f(%%rip), %%rax\n\t"
		     "mov %%rax, resume(%%rip)\n\t"
		     "sub %2, %%rsp\n\t"
		     "mov %%rsp, %0\n\t"
		     "stc\n\t"
		     "ud2\n"
		     "1:\tadd %2, %%rsp"
		     : "=&r"(rsp), "=m"(resume) : "r"((uintptr_t)skew)
		     : "rax", "memory", "cc");
	return rsp;
}

static void check_frame(const char *what, uintptr_t rsp, int ist,
			uintptr_t ist_lo, uintptr_t ist_hi)
{
	uint16_t cs, ss;
	uint8_t type = kvm_idt[INTR_BAD_OPCODE].flags & 0xf;
	int bad = 0;

	asm volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(cs), "=r"(ss));
	if (seen.count != 1) {
		tst_res(TFAIL, "%s: callback ran %d times", what, seen.count);
		return;
	}
	if ((seen.frame + 5 * 8) & 0xf) {
		tst_res(TFAIL, "%s: frame at 0x%lx, its SS slot ends off a 16-byte boundary",
			what, (unsigned long)seen.frame);
		bad = 1;
	}
	if (!ist && seen.frame + 5 * 8 != (rsp & ~0xfUL)) {
		tst_res(TFAIL, "%s: frame ends at 0x%lx, RSP was 0x%lx (aligned 0x%lx)",
			what, (unsigned long)seen.frame + 40, (unsigned long)rsp,
			(unsigned long)(rsp & ~0xfUL));
		bad = 1;
	}
	if (ist && (seen.handler_rsp < ist_lo || seen.handler_rsp >= ist_hi)) {
		tst_res(TFAIL, "%s: handler RSP 0x%lx outside the IST stack 0x%lx-0x%lx",
			what, (unsigned long)seen.handler_rsp,
			(unsigned long)ist_lo, (unsigned long)ist_hi);
		bad = 1;
	}
	if (seen.saved.rsp != rsp || seen.saved.cs != cs || seen.saved.ss != ss ||
	    !(seen.saved.rflags & X86_EFLAGS_CF)) {
		tst_res(TFAIL, "%s: saved RSP 0x%lx CS 0x%lx SS 0x%lx RFLAGS 0x%lx; expected 0x%lx 0x%x 0x%x with CF",
			what, (unsigned long)seen.saved.rsp,
			(unsigned long)seen.saved.cs, (unsigned long)seen.saved.ss,
			(unsigned long)seen.saved.rflags, (unsigned long)rsp, cs, ss);
		bad = 1;
	}
	if (seen.handler_rflags & (X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF) ||
	    (type == 0xe && seen.handler_rflags & X86_EFLAGS_IF) ||
	    (type == 0xf && (seen.handler_rflags ^ seen.saved.rflags) &
	     X86_EFLAGS_IF)) {
		tst_res(TFAIL, "%s: handler RFLAGS 0x%lx through gate type 0x%x (saved 0x%lx)",
			what, seen.handler_rflags, type,
			(unsigned long)seen.saved.rflags);
		bad = 1;
	}
	if (!bad)
		tst_res(TPASS, "%s: frame aligned, saved RSP/CS/SS/RFLAGS right, handler RFLAGS 0x%lx (gate type 0x%x)",
			what, seen.handler_rflags, type);
}

void main(void)
{
	uint8_t *stack = tst_heap_alloc_aligned(4096, 4096);
	uintptr_t top = (uintptr_t)stack + 4096, rsp;
	uint64_t old_ist2 = kvm_tss.ist[1];

	tst_set_interrupt_callback(INTR_BAD_OPCODE, on_ud, NULL);

	rsp = ud2_at(0);
	check_frame("#UD, RSP as main() has it", rsp, 0, 0, 0);
	rsp = ud2_at(8);
	check_frame("#UD, RSP 8 below", rsp, 0, 0, 0);
	rsp = ud2_at(24);
	check_frame("#UD, RSP 24 below", rsp, 0, 0, 0);

	kvm_tss.ist[1] = top;
	kvm_idt[INTR_BAD_OPCODE].ist = 2;
	rsp = ud2_at(8);
	kvm_idt[INTR_BAD_OPCODE].ist = 0;
	kvm_tss.ist[1] = old_ist2;
	check_frame("#UD through IST2", rsp, 1, (uintptr_t)stack, top);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "The 64-bit exception frame",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,interrupts" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
