// SPDX-License-Identifier: MIT
/*
 * Canonical addresses in 64-bit mode (4-level paging: bits 63:47 equal):
 * a data access to a non-canonical linear address raises #GP(0), or
 * #SS(0) when the access references SS (RBP or RSP as the base), and the
 * check applies to the linear address, i.e. after adding an FS/GS base.
 * The first canonical addresses on either side of the hole do not raise
 * #GP: unmapped there, they raise #PF with CR2 = the address.
 *
 * Where it is written: Intel SDM Vol. 1 3.3.7.1 "Canonical Addressing";
 * Vol. 3A 6.15 "Interrupt 13 - General Protection Exception" ("Loading a
 * non-canonical address ... or accessing memory through one", error code
 * 0) and "Interrupt 12 - Stack Fault Exception" ("A memory operand using
 * the SS segment has a non-canonical address", error code 0); Vol. 2A
 * 2.3.1 (RBP/RSP as a base default to SS).  AMD APM Vol. 2 5.3.1.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static void load(const char *what, uint64_t addr, int vector,
		 unsigned long errcode)
{
	uint64_t val = 0;

	suite_begin();
	asm volatile(SUITE_TRY("mov (%1), %0")
		     : "+r"(val) : "r"(addr) : "memory");
	suite_end();
	suite_expect(what, vector, errcode, SUITE_FAULT);
}

static void store(const char *what, uint64_t addr)
{
	suite_begin();
	asm volatile(SUITE_TRY("movq $1, (%0)") : : "r"(addr) : "memory");
	suite_end();
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
}

/* RBP as the base: the access references SS */
static void load_rbp(const char *what, uint64_t addr)
{
	uint64_t val = 0;

	suite_begin();
	asm volatile("push %%rbp\n\t"
		     "mov %1, %%rbp\n\t"
		     SUITE_TRY("mov (%%rbp), %0")
		     "pop %%rbp"
		     : "+a"(val) : "c"(addr) : "memory");
	suite_end();
	suite_expect(what, INTR_STACK_FAULT, 0, SUITE_FAULT);
}

/* FS base + offset crosses into the hole */
static void load_fs(void)
{
	uint64_t old = kvm_rdmsr(MSR_FS_BASE), val = 0;

	kvm_wrmsr(MSR_FS_BASE, 0x00007ffffffffff0ULL);
	suite_begin();
	asm volatile(SUITE_TRY("mov %%fs:0x20, %0") : "+r"(val) : : "memory");
	suite_end();
	kvm_wrmsr(MSR_FS_BASE, old);
	suite_expect("load %fs:0x20 with FS base 0x7ffffffffff0 (linear 0x800000000010)",
		     INTR_GPF, 0, SUITE_FAULT);
}

static void canonical_unmapped(const char *what, uint64_t addr)
{
	uint64_t val = 0;

	suite_begin();
	asm volatile(SUITE_TRY("mov (%1), %0")
		     : "+r"(val) : "r"(addr) : "memory");
	suite_end();
	if (suite_expect(what, INTR_PAGE_FAULT, 0, SUITE_FAULT) &&
	    suite_trap.cr2 != addr)
		tst_res(TFAIL, "%s: CR2 0x%lx, expected 0x%llx", what,
			(unsigned long)suite_trap.cr2, (unsigned long long)addr);
}

void main(void)
{
	if (kvm_read_cr4() & CR4_LA57)
		tst_brk(TCONF, "5-level paging is on: the canonical hole differs");
	suite_catch_all();

	load("load from 0x0000800000000000", 0x0000800000000000ULL, INTR_GPF, 0);
	load("load from 0x8000000000000000", 0x8000000000000000ULL, INTR_GPF, 0);
	load("load from 0xffff7fffffffffff", 0xffff7fffffffffffULL, INTR_GPF, 0);
	store("store to 0x0000800000000000", 0x0000800000000000ULL);
	store("store to 0xffff7ffffffff000", 0xffff7ffffffff000ULL);
	load_rbp("load (%rbp) from 0x0000800000000000", 0x0000800000000000ULL);
	load_rbp("load (%rbp) from 0xffff000000000000", 0xffff000000000000ULL);
	load_fs();
	canonical_unmapped("load from 0x00007ffffffff000 (canonical, unmapped)",
			   0x00007ffffffff000ULL);
	canonical_unmapped("load from 0xffff800000000000 (canonical, unmapped)",
			   0xffff800000000000ULL);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Non-canonical addresses in 64-bit mode raise #GP(0), or #SS(0) through SS",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,paging" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
