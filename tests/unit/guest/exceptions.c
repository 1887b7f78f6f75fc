// SPDX-License-Identifier: MIT
/*
 * Guest runtime: exceptions reach interrupt callbacks with the right
 * vector, error code and RIP, and a callback that returns non-zero (LTP's
 * current "handled" convention) resumes the guest where the frame says.
 *
 * Each probe runs one instruction between two local labels; the callback
 * records what it saw and moves the saved RIP to the second label, so a
 * fault-type exception is stepped over and a trap-type one resumes where
 * it would anyway.  A probe passes only if the callback ran exactly once,
 * for the right vector, with the right error code and RIP (the
 * instruction for faults, the next one for traps), and the code after
 * the instruction ran.  Software interrupts (int3, INT n) are in
 * soft_int.c: not every host can run them.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

struct seen {
	int count;
	unsigned long vector;
	unsigned long errcode;
	uintptr_t ip;
	uintptr_t cr2;
};

static struct seen seen;
static uintptr_t resume_ip;

static int record(void *userdata, struct kvm_interrupt_frame *ifrm,
		  unsigned long errcode)
{
	uintptr_t cr2;

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	seen.count++;
	seen.vector = (uintptr_t)userdata;
	seen.errcode = errcode;
	seen.ip = kvm_get_interrupt_ip(ifrm);
	seen.cr2 = cr2;

	/* A runtime that ignores the new RIP would fault here forever */
	if (seen.count > 3)
		tst_brk(TFAIL, "vector %lu: callback entered %d times, RIP change ignored?",
			seen.vector, seen.count);

	kvm_set_interrupt_ip(ifrm, resume_ip);
	return 1;
}

/*
 * Run SETUP, then INSN with label 1 on it and label 2 after it (both may
 * use the clobbered registers, AT&T syntax); at and after get the two
 * addresses, and resume_ip is label 2 before anything runs.
 */
#define PROBE(setup, insn, at, after, ...)				\
	asm volatile("lea 1f(%%rip), %0\n\t"				\
		     "lea 2f(%%rip), %1\n\t"				\
		     "mov %1, %2\n\t"					\
		     setup "\n"					\
		     "1: " insn "\n"					\
		     "2:\n\t"						\
		     : "=&r"(at), "=&r"(after), "=m"(resume_ip)		\
		     : : "memory", ##__VA_ARGS__)

enum { IP_AT, IP_AFTER };

static void expect(const char *what, unsigned long vector, unsigned long errcode,
		   int ip_kind, uintptr_t at, uintptr_t after, int resumed,
		   uintptr_t cr2)
{
	uintptr_t want_ip = ip_kind == IP_AT ? at : after;
	int bad = 0;

	if (seen.count != 1) {
		tst_res(TFAIL, "%s: callback ran %d times, expected once", what,
			seen.count);
		bad = 1;
	}
	if (seen.count && seen.vector != vector) {
		tst_res(TFAIL, "%s: callback of vector %lu ran, expected %lu",
			what, seen.vector, vector);
		bad = 1;
	}
	if (seen.count && seen.errcode != errcode) {
		tst_res(TFAIL, "%s: error code 0x%lx, expected 0x%lx", what,
			seen.errcode, errcode);
		bad = 1;
	}
	if (seen.count && seen.ip != want_ip) {
		tst_res(TFAIL, "%s: frame RIP 0x%lx, expected 0x%lx (%s)", what,
			(unsigned long)seen.ip, (unsigned long)want_ip,
			ip_kind == IP_AT ? "the instruction" : "the next one");
		bad = 1;
	}
	if (cr2 && seen.cr2 != cr2) {
		tst_res(TFAIL, "%s: CR2 0x%lx, expected 0x%lx", what,
			(unsigned long)seen.cr2, (unsigned long)cr2);
		bad = 1;
	}
	if (!resumed) {
		tst_res(TFAIL, "%s: execution did not resume after the instruction",
			what);
		bad = 1;
	}
	if (!bad)
		tst_res(TPASS, "%s: vector %lu, error code 0x%lx, RIP ok, resumed",
			what, vector, errcode);
	seen = (struct seen){ 0 };
}

static void catch(unsigned int vector)
{
	tst_set_interrupt_callback(vector, record, (void *)(uintptr_t)vector);
}

void main(void)
{
	uintptr_t at, after;
	volatile int resumed;
	unsigned int v;

	for (v = 0; v < 32; v++)
		catch(v);

	resumed = 0;
	PROBE("xor %%edx, %%edx\n\tmov $1, %%eax\n\txor %%ecx, %%ecx",
	      "divl %%ecx", at, after, "rax", "rcx", "rdx");
	resumed = 1;
	expect("#DE (div by zero)", 0, 0, IP_AT, at, after, resumed, 0);

	resumed = 0;
	PROBE("", "ud2", at, after);
	resumed = 1;
	expect("#UD (ud2)", 6, 0, IP_AT, at, after, resumed, 0);

	resumed = 0;
	PROBE("movabs $0x8000000000000000, %%rax", "mov (%%rax), %%rax",
	      at, after, "rax");
	resumed = 1;
	expect("#GP (non-canonical load)", 13, 0, IP_AT, at, after, resumed, 0);

	/* Index 0x246 is past the 32-entry GDT: #GP with the selector */
	resumed = 0;
	PROBE("mov $0x1230, %%eax", "mov %%eax, %%ds", at, after, "rax");
	resumed = 1;
	expect("#GP (selector past GDT limit)", 13, 0x1230, IP_AT, at, after,
	       resumed, 0);

	resumed = 0;
	PROBE("mov $0x0badc0de, %%ecx\n\txor %%eax, %%eax\n\txor %%edx, %%edx",
	      "wrmsr", at, after, "rax", "rcx", "rdx");
	resumed = 1;
	expect("#GP (wrmsr to a bogus MSR)", 13, 0, IP_AT, at, after, resumed, 0);

	/* 2-3 GiB is the identity map's hole: not present, supervisor */
	resumed = 0;
	PROBE("mov $0x90000000, %%eax", "mov (%%rax), %%ecx", at, after,
	      "rax", "rcx");
	resumed = 1;
	expect("#PF (read in the 2-3 GiB hole)", 14, 0, IP_AT, at, after,
	       resumed, 0x90000000);

	resumed = 0;
	PROBE("mov $0xa0000008, %%eax", "movl $1, (%%rax)", at, after, "rax");
	resumed = 1;
	expect("#PF (write in the 2-3 GiB hole)", 14, 2, IP_AT, at, after,
	       resumed, 0xa0000008);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "exceptions reach callbacks with vector, error code and RIP",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
