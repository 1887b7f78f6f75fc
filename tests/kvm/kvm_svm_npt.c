// SPDX-License-Identifier: MIT
/*
 * Nested paging (nested SVM with NPT; TCONF without SVM or without
 * CPUID 8000_000Ah:EDX.NP): a nested guest runs under a nested page table
 * its host built (identity map of the first GiB, U/S set, some pages
 * edited).  A read of a page whose nested entry is not present exits with
 * #VMEXIT(NPF) (400h) at the instruction, EXITINFO1 = P 0, R/W 0, U/S 1,
 * bit 32 (fault at the final guest-physical access) and EXITINFO2 = the
 * guest-physical address read; a write to a page whose nested entry is
 * read-only gives P 1, R/W 1, U/S 1, bit 32; a guest page-table page
 * whose nested entry is not present faults during the guest's own walk:
 * bit 33 set, bit 32 clear, P 0, U/S 1, EXITINFO2 within that page (R/W
 * is not judged: whether a guest table read counts as a write, for its
 * A/D bits, the APM does not pin down; KVM reports 1); a nested PML4
 * entry with the MBZ bit 7 set gives RSVD (bit 3) with P 1.  After the
 * host repairs the entry (and flushes with TLB_CONTROL) the same
 * instruction completes, and the guest returns to HLT with its value.
 *
 * Where it is written: AMD APM Vol. 2 15.25.5 "Nested Table Walk" (nested
 * accesses are user accesses), 15.25.6 "Nested versus Guest Page Faults,
 * Fault Ordering" (#VMEXIT(NPF): EXITINFO1 = the page-fault error code
 * with bit 32 "the fault occurred during the final guest physical
 * address translation" and bit 33 "during a guest page table access",
 * EXITINFO2 = the faulting guest physical address), 5.4.1 and Figure 5-18
 * (PML4E bit 7 MBZ), 8.4.2 (#PF error code: P, R/W, U/S, RSVD), 15.16
 * "TLB Control".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define PF_P		(1ULL << 0)
#define PF_W		(1ULL << 1)
#define PF_U		(1ULL << 2)
#define PF_RSVD		(1ULL << 3)
#define SCRATCH_VA	0x80000000UL	/* 2 GiB: left unmapped (abi.h) */

static volatile uint32_t *page_np, *page_ro;
static uint8_t *page_walk;		/* the 4 KiB guest page table of SCRATCH_VA */
uintptr_t l2_rip[3] SUITE_UNUSED;

static int l2_main(void)
{
	uint32_t v;

	asm volatile("lea 1f(%%rip), %%rcx\n\tmov %%rcx, l2_rip+0(%%rip)\n"
		     "1:\tmovl (%1), %0\n\t"
		     "lea 2f(%%rip), %%rcx\n\tmov %%rcx, l2_rip+8(%%rip)\n"
		     "2:\tmovl $0x5a5a, (%2)\n\t"
		     "lea 3f(%%rip), %%rcx\n\tmov %%rcx, l2_rip+16(%%rip)\n"
		     "3:\tmovl (%3), %0\n\t"
		     : "=&r"(v)
		     : "r"(page_np), "r"(page_ro), "r"(SCRATCH_VA)
		     : "rcx", "memory");
	return v == 0xc0ffee ? 0x55 : 0x66;
}

/* The 4 KiB page-table page that maps va in the current tables */
static uint8_t *pt_page_of(uintptr_t va)
{
	uint64_t *t = (uint64_t *)(kvm_read_cr3() & KVM_NPT_ADDR_MASK);
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & 1) || (shift < 39 && (e & KVM_NPT_LARGE)))
			return NULL;
		if (shift == 21)
			return (uint8_t *)(uintptr_t)(e & KVM_NPT_ADDR_MASK);
		t = (uint64_t *)(uintptr_t)(e & KVM_NPT_ADDR_MASK);
	}
	return NULL;
}

/* l2_rip[i]: stored by the guest just before the instruction */
/* page_only: a guest page-table access, whose R/W bit is not judged */
static int run_expect_npf(struct kvm_svm_vcpu *cpu, const char *what,
			  unsigned int i, uint64_t info1, uint64_t gpa,
			  int page_only)
{
	struct kvm_vmcb *v = cpu->vmcb;
	uint64_t info2, got1;
	uintptr_t rip;

	kvm_svm_vmrun(cpu);
	rip = l2_rip[i];
	v->tlb_control = 0;
	info2 = page_only ? v->exitinfo2 & ~0xfffULL : v->exitinfo2;
	got1 = page_only ? v->exitinfo1 & ~PF_W : v->exitinfo1;
	if (v->exitcode == SVM_EXIT_NPF && v->rip == rip &&
	    got1 == info1 && info2 == gpa) {
		tst_res(TPASS, "%s: #VMEXIT(NPF) at the instruction, EXITINFO1 0x%llx, EXITINFO2 0x%llx",
			what, (unsigned long long)v->exitinfo1,
			(unsigned long long)v->exitinfo2);
		return 1;
	}
	tst_res(TFAIL, "%s: #VMEXIT 0x%llx at RIP 0x%llx, EXITINFO1 0x%llx, EXITINFO2 0x%llx; expected 400h at 0x%llx, 0x%llx, 0x%llx%s",
		what, (unsigned long long)v->exitcode,
		(unsigned long long)v->rip, (unsigned long long)v->exitinfo1,
		(unsigned long long)v->exitinfo2, (unsigned long long)rip,
		(unsigned long long)info1, (unsigned long long)gpa,
		page_only ? " (its page; R/W not judged)" : "");
	return v->exitcode == SVM_EXIT_NPF;
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;
	uint64_t *npt, *pte_np, *pte_ro, *pte_walk, pml4e;
	uint8_t *data;

	if (!kvm_is_svm_supported())
		tst_brk(TCONF, "CPU does not support SVM");
	if (suite_max_ext_leaf() < 0x8000000a ||
	    !(suite_cpuid(0x8000000a, 0).edx & SVM_CPUID_NESTED_PAGING))
		tst_brk(TCONF, "SVM without nested paging (CPUID 8000_000Ah:EDX.NP = 0)");
	kvm_init_svm();
	suite_catch_all();

	page_np = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);
	page_ro = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);
	data = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);
	*page_np = 0x1234;
	*page_ro = 0;
	*(volatile uint32_t *)data = 0xc0ffee;
	if (kvm_map_page(SCRATCH_VA, (uintptr_t)data, KVM_PAGE_WRITE))
		tst_brk(TBROK, "kvm_map_page(0x%lx) failed", SCRATCH_VA);
	/*
	 * Read it once: the walk sets the accessed bits now, so the nested
	 * guest's walk only reads its page table (R/W 0 in EXITINFO1)
	 */
	(void)*(volatile uint32_t *)SCRATCH_VA;
	page_walk = pt_page_of(SCRATCH_VA);
	if (!page_walk)
		tst_brk(TBROK, "no 4 KiB page table maps 0x%lx", SCRATCH_VA);

	npt = kvm_svm_npt_create(1ULL << 30);
	pte_np = kvm_svm_npt_pte(npt, (uintptr_t)page_np);
	pte_ro = kvm_svm_npt_pte(npt, (uintptr_t)page_ro);
	pte_walk = kvm_svm_npt_pte(npt, (uintptr_t)page_walk);
	if (!pte_np || !pte_ro || !pte_walk)
		tst_brk(TBROK, "nested page table does not map the test pages");
	*pte_np &= ~KVM_NPT_PRESENT;
	*pte_ro &= ~KVM_NPT_WRITE;
	*pte_walk &= ~KVM_NPT_PRESENT;

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	v = cpu->vmcb;
	kvm_svm_enable_npt(v, npt);

	/* A nested PML4E with MBZ bit 7: RSVD, at whatever access is first */
	pml4e = npt[0];
	npt[0] |= KVM_NPT_LARGE;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_NPF &&
	    (v->exitinfo1 & (PF_P | PF_RSVD)) == (PF_P | PF_RSVD))
		tst_res(TPASS, "nested PML4E with MBZ bit 7: #VMEXIT(NPF), EXITINFO1 0x%llx (P, RSVD), EXITINFO2 0x%llx",
			(unsigned long long)v->exitinfo1,
			(unsigned long long)v->exitinfo2);
	else
		tst_res(TFAIL, "nested PML4E with MBZ bit 7: #VMEXIT 0x%llx, EXITINFO1 0x%llx; expected 400h with P and RSVD (bits 0, 3)",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->exitinfo1);
	npt[0] = pml4e;
	v->tlb_control = SVM_TLB_FLUSH_ALL;
	if (v->exitcode != SVM_EXIT_NPF && v->exitcode != SVM_EXIT_HLT) {
		/* Not where the guest started: give up on the rest */
		suite_finish();
		return;
	}
	if (v->exitcode == SVM_EXIT_HLT) {
		tst_res(TFAIL, "the guest ran to its end through the reserved entry: nothing else to check");
		suite_finish();
		return;
	}

	if (run_expect_npf(cpu, "read of a page whose nested entry is not present",
			   0, PF_U | SVM_NPF_FINAL_GPA,
			   (uintptr_t)page_np, 0)) {
		*pte_np |= KVM_NPT_PRESENT;
		v->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	if (run_expect_npf(cpu, "write to a page whose nested entry is read-only",
			   1, PF_P | PF_W | PF_U | SVM_NPF_FINAL_GPA,
			   (uintptr_t)page_ro, 0)) {
		*pte_ro |= KVM_NPT_WRITE;
		v->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	if (run_expect_npf(cpu, "guest page-table page whose nested entry is not present",
			   2, PF_U | SVM_NPF_GUEST_PT,
			   (uintptr_t)page_walk, 1)) {
		*pte_walk |= KVM_NPT_PRESENT;
		v->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_HLT && (uint32_t)v->rax == 0x55 &&
	    *page_ro == 0x5a5a)
		tst_res(TPASS, "after each repair the instruction completed: the write landed, the read through the walked table gave the data, HLT with 0x55");
	else
		tst_res(TFAIL, "after the repairs: #VMEXIT 0x%llx, RAX 0x%llx (expected 78h, 0x55), the write left 0x%x",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->rax, *page_ro);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Nested paging (nested SVM with NPT): nested page faults and EXITINFO",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,paging" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
