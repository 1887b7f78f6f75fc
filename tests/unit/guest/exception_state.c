// SPDX-License-Identifier: MIT
/*
 * Guest runtime: a handled exception is invisible to the interrupted code.
 * Every general-purpose register, RSP and the arithmetic and direction
 * flags must hold what they held before a #UD that a callback stepped
 * over, and the callback itself must run with DF clear as the C ABI
 * demands (an entry stub that forgets CLD breaks memcpy in callbacks).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define RFLAGS_CF	(1UL << 0)
#define RFLAGS_ZF	(1UL << 6)
#define RFLAGS_DF	(1UL << 10)

static int calls;
static unsigned long callback_rflags;

static int skip_ud2(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	asm volatile("pushf\n\tpop %0" : "=r"(callback_rflags));
	/* A runtime that ignores the new RIP would fault here forever */
	if (++calls > 3)
		tst_brk(TFAIL, "#UD callback entered %d times, RIP change ignored?",
			calls);
	kvm_set_interrupt_ip(ifrm, kvm_get_interrupt_ip(ifrm) + 2);
	return 1;
}

struct gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rsp, rflags;
};

/*
 * Load distinct values into every GPR (RBP and RSP included), set CF, ZF
 * and DF, hit ud2, then store all of it.  Everything is saved to and
 * reloaded from memory at [rdi] so that no register is left to the
 * compiler's allocator.
 */
static void run_ud2(struct gprs *out)
{
	asm volatile(
		"push %%rbp\n\t"
		"push %%rdi\n\t"
		"mov %%rsp, %%r8\n\t"
		"mov %%r8, 15*8(%%rdi)\n\t"	/* rsp as the ud2 will see it */
		"movabs $0x1111111111111111, %%rax\n\t"
		"movabs $0x2222222222222222, %%rbx\n\t"
		"movabs $0x3333333333333333, %%rcx\n\t"
		"movabs $0x4444444444444444, %%rdx\n\t"
		"movabs $0x5555555555555555, %%rsi\n\t"
		"movabs $0x7777777777777777, %%rbp\n\t"
		"movabs $0x8888888888888888, %%r8\n\t"
		"movabs $0x9999999999999999, %%r9\n\t"
		"movabs $0xaaaaaaaaaaaaaaaa, %%r10\n\t"
		"movabs $0xbbbbbbbbbbbbbbbb, %%r11\n\t"
		"movabs $0xcccccccccccccccc, %%r12\n\t"
		"movabs $0xdddddddddddddddd, %%r13\n\t"
		"movabs $0xeeeeeeeeeeeeeeee, %%r14\n\t"
		"movabs $0xffffffffffffffff, %%r15\n\t"
		"movabs $0x6666666666666666, %%rdi\n\t"
		"cmp %%r8, %%r8\n\t"		/* ZF = 1 */
		"stc\n\t"			/* CF = 1 */
		"std\n\t"			/* DF = 1 */
		"ud2\n\t"
		"pushf\n\t"
		"cld\n\t"
		"xchg %%rdi, 8(%%rsp)\n\t"	/* rdi = out, saved slot = guest rdi */
		"pop 16*8(%%rdi)\n\t"		/* rflags */
		"mov %%rax, 0*8(%%rdi)\n\t"
		"mov %%rbx, 1*8(%%rdi)\n\t"
		"mov %%rcx, 2*8(%%rdi)\n\t"
		"mov %%rdx, 3*8(%%rdi)\n\t"
		"mov %%rsi, 4*8(%%rdi)\n\t"
		"mov %%rbp, 6*8(%%rdi)\n\t"
		"mov %%r8, 7*8(%%rdi)\n\t"
		"mov %%r9, 8*8(%%rdi)\n\t"
		"mov %%r10, 9*8(%%rdi)\n\t"
		"mov %%r11, 10*8(%%rdi)\n\t"
		"mov %%r12, 11*8(%%rdi)\n\t"
		"mov %%r13, 12*8(%%rdi)\n\t"
		"mov %%r14, 13*8(%%rdi)\n\t"
		"mov %%r15, 14*8(%%rdi)\n\t"
		"pop %%rax\n\t"			/* the guest rdi */
		"mov %%rax, 5*8(%%rdi)\n\t"
		/* rsp is now one slot above where it was at the ud2 */
		"mov 15*8(%%rdi), %%rax\n\t"
		"add $8, %%rax\n\t"
		"sub %%rsp, %%rax\n\t"		/* 0 if rsp was restored */
		"mov %%rax, 15*8(%%rdi)\n\t"
		"pop %%rbp\n\t"
		: : "D"(out)
		: "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11",
		  "r12", "r13", "r14", "r15", "memory", "cc");
}

static void check(const char *name, uint64_t got, uint64_t want, int *bad)
{
	if (got == want)
		return;
	tst_res(TFAIL, "%s after a handled #UD: 0x%llx, expected 0x%llx", name,
		(unsigned long long)got, (unsigned long long)want);
	*bad = 1;
}

void main(void)
{
	struct gprs g = { 0 };
	int bad = 0;

	tst_set_interrupt_callback(6, skip_ud2, NULL);
	run_ud2(&g);

	if (calls != 1) {
		tst_res(TFAIL, "#UD callback ran %d times, expected once", calls);
		bad = 1;
	}
	check("rax", g.rax, 0x1111111111111111ULL, &bad);
	check("rbx", g.rbx, 0x2222222222222222ULL, &bad);
	check("rcx", g.rcx, 0x3333333333333333ULL, &bad);
	check("rdx", g.rdx, 0x4444444444444444ULL, &bad);
	check("rsi", g.rsi, 0x5555555555555555ULL, &bad);
	check("rdi", g.rdi, 0x6666666666666666ULL, &bad);
	check("rbp", g.rbp, 0x7777777777777777ULL, &bad);
	check("r8", g.r8, 0x8888888888888888ULL, &bad);
	check("r9", g.r9, 0x9999999999999999ULL, &bad);
	check("r10", g.r10, 0xaaaaaaaaaaaaaaaaULL, &bad);
	check("r11", g.r11, 0xbbbbbbbbbbbbbbbbULL, &bad);
	check("r12", g.r12, 0xccccccccccccccccULL, &bad);
	check("r13", g.r13, 0xddddddddddddddddULL, &bad);
	check("r14", g.r14, 0xeeeeeeeeeeeeeeeeULL, &bad);
	check("r15", g.r15, 0xffffffffffffffffULL, &bad);
	check("rsp - rsp at ud2", g.rsp, 0, &bad);
	check("rflags CF|ZF|DF", g.rflags & (RFLAGS_CF | RFLAGS_ZF | RFLAGS_DF),
	      RFLAGS_CF | RFLAGS_ZF | RFLAGS_DF, &bad);
	if (!bad)
		tst_res(TPASS, "all GPRs, RSP, CF, ZF and DF survive a handled #UD");

	if (calls && (callback_rflags & RFLAGS_DF))
		tst_res(TFAIL, "callback entered with DF set (entry stub lacks cld)");
	else if (calls)
		tst_res(TPASS, "callback entered with DF clear");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "a handled exception leaves registers and flags untouched",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
