// SPDX-License-Identifier: MIT
/*
 * Guest runtime: kvm_call_user() runs a function at CPL 3 (CS.RPL = 3
 * inside), passes its argument, comes back to CPL 0 when it returns, and
 * ends it at its first exception: HLT and MOV to CR3 are #GP(0) at the
 * instruction, a read of a page whose U bit kvm_set_page_flags() cleared
 * is #PF with P|U (5) and CR2 = the address; kvm_call_safe() inside fn
 * catches a #GP and leaves fn at CPL 3.  Afterwards the CPU is back as
 * the test left it: CS, SS, DS, ES, FS, GS, TSS.RSP0 and IA32_LSTAR.
 *
 * Where it is written: Intel SDM Vol. 3A 5.9 "Privileged Instructions"
 * (#GP(0) at CPL > 0), 4.6 and 4.7 (a user-mode access to a supervisor
 * page; U/S is bit 2 of the error code).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static volatile uint64_t seen_cs, seen_arg, seen_depth;
static uint8_t sup_page[PAGESIZE] __attribute__((aligned(PAGESIZE)));

static unsigned int depth(unsigned int n)
{
	volatile char buf[256];

	buf[n & 255] = (char)n;
	return n ? depth(n - 1) + buf[n & 255] - (char)n + 1 : 0;
}

static void whoami(void *arg)
{
	uint16_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	seen_cs = cs;
	seen_arg = (uintptr_t)arg;
	seen_depth = depth(20);	/* the user stack works */
}

void user_hlt(void *arg);
void user_mov_cr3(void *arg);
extern char user_hlt_insn[], user_cr3_insn[];
asm(".pushsection .text\n"
    "user_hlt:\n\t"
    "nop\n"
    "user_hlt_insn:\n\t"
    "hlt\n\t"
    "ret\n"
    "user_mov_cr3:\n\t"
    "xor %eax, %eax\n"
    "user_cr3_insn:\n\t"
    "mov %rax, %cr3\n\t"
    "ret\n"
    ".popsection");

static void read_sup(void *arg)
{
	(void)arg;
	seen_arg = *(volatile uint8_t *)sup_page;
}

static volatile int nested_vec = -1;
static volatile uint64_t nested_cs;

/* At CPL 3: an expected fault there, and still CPL 3 after it */
static void safe_inside(void *arg)
{
	struct kvm_fault f;
	uint16_t cs;

	(void)arg;
	nested_vec = kvm_call_safe(user_hlt, NULL, &f);
	asm volatile("mov %%cs, %0" : "=r"(cs));
	nested_cs = cs;
}

static void expect_gp(const char *what, void (*fn)(void *), uintptr_t at)
{
	struct kvm_fault f = { -1, 0, 0, 0 };
	int vec = kvm_call_user(fn, NULL, &f);

	if (vec == INTR_GPF && f.vector == INTR_GPF && f.error_code == 0 &&
	    f.ip == at)
		tst_res(TPASS, "%s at CPL 3: #GP(0) at 0x%lx", what,
			(unsigned long)at);
	else
		tst_res(TFAIL, "%s at CPL 3: vector %d, error code 0x%x, RIP 0x%lx (expected 13, 0, 0x%lx)",
			what, vec, f.error_code, (unsigned long)f.ip,
			(unsigned long)at);
}

void main(void)
{
	struct kvm_fault f = { -1, 0, 0, 0 };
	uint64_t lstar = kvm_rdmsr(MSR_LSTAR), rsp0 = kvm_tss.rsp[0];
	struct kvm_sregs s;
	int vec, i;

	for (i = 0; i < 2; i++) {
		seen_cs = 0;
		vec = kvm_call_user(whoami, (void *)(uintptr_t)(0x1234 + i), &f);
		if (!vec && (seen_cs & 3) == 3 && seen_arg == 0x1234U + i &&
		    seen_depth == 20)
			tst_res(TPASS, "call %d: fn ran at CPL 3 (CS 0x%llx) with its argument and returned 0",
				i, (unsigned long long)seen_cs);
		else
			tst_res(TFAIL, "call %d: %d, CS 0x%llx, arg 0x%llx, depth %llu",
				i, vec, (unsigned long long)seen_cs,
				(unsigned long long)seen_arg,
				(unsigned long long)seen_depth);
	}

	kvm_read_sregs(&s);
	if (s.cs == KVMKIT_SEL_CODE64 && s.ss == KVMKIT_SEL_DATA &&
	    s.ds == KVMKIT_SEL_DATA && s.es == KVMKIT_SEL_DATA &&
	    s.fs == KVMKIT_SEL_DATA && s.gs == KVMKIT_SEL_DATA &&
	    kvm_rdmsr(MSR_LSTAR) == lstar && kvm_tss.rsp[0] == rsp0)
		tst_res(TPASS, "back at CPL 0 with CS, SS, DS, ES, FS, GS, LSTAR and TSS.RSP0 as before");
	else
		tst_res(TFAIL, "after kvm_call_user: CS 0x%x SS 0x%x DS 0x%x ES 0x%x FS 0x%x GS 0x%x, LSTAR 0x%llx (was 0x%llx), RSP0 0x%llx (was 0x%llx)",
			s.cs, s.ss, s.ds, s.es, s.fs, s.gs,
			(unsigned long long)kvm_rdmsr(MSR_LSTAR),
			(unsigned long long)lstar,
			(unsigned long long)kvm_tss.rsp[0],
			(unsigned long long)rsp0);

	expect_gp("HLT", user_hlt, (uintptr_t)user_hlt_insn);
	expect_gp("MOV to CR3", user_mov_cr3, (uintptr_t)user_cr3_insn);

	vec = kvm_call_user(read_sup, NULL, &f);
	if (vec)
		tst_res(TFAIL, "read of a user page at CPL 3: vector %d", vec);
	if (kvm_set_page_flags((uintptr_t)sup_page, 0, KVM_PAGE_USER))
		tst_res(TFAIL, "kvm_set_page_flags(KVM_PAGE_USER clear) failed");
	vec = kvm_call_user(read_sup, NULL, &f);
	if (vec == INTR_PAGE_FAULT && f.cr2 == (uintptr_t)sup_page &&
	    f.error_code == 5)
		tst_res(TPASS, "read of a supervisor page at CPL 3: #PF, error code 5 (P|U), CR2 at the page");
	else
		tst_res(TFAIL, "read of a supervisor page at CPL 3: vector %d, error code 0x%x, CR2 0x%llx (expected 14, 5, 0x%lx)",
			vec, f.error_code, (unsigned long long)f.cr2,
			(unsigned long)sup_page);
	kvm_set_page_flags((uintptr_t)sup_page, KVM_PAGE_USER, 0);
	vec = kvm_call_user(read_sup, NULL, &f);
	if (vec)
		tst_res(TFAIL, "read after KVM_PAGE_USER is set again: vector %d", vec);

	vec = kvm_call_user(safe_inside, NULL, &f);
	if (!vec && nested_vec == INTR_GPF && (nested_cs & 3) == 3)
		tst_res(TPASS, "kvm_call_safe inside a CPL 3 function: #GP caught, still at CPL 3 (CS 0x%llx)",
			(unsigned long long)nested_cs);
	else
		tst_res(TFAIL, "kvm_call_safe at CPL 3: outer %d, inner %d, CS after 0x%llx",
			vec, nested_vec, (unsigned long long)nested_cs);

	/* kvm_call_safe() still runs fn at CPL 0 after all that */
	vec = kvm_call_safe(whoami, NULL, &f);
	if (!vec && seen_cs == KVMKIT_SEL_CODE64)
		tst_res(TPASS, "kvm_call_safe afterwards: fn at CPL 0 (CS 0x%llx)",
			(unsigned long long)seen_cs);
	else
		tst_res(TFAIL, "kvm_call_safe afterwards: %d, CS 0x%llx", vec,
			(unsigned long long)seen_cs);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "kvm_call_user: a function at CPL 3, its faults, the way back",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
