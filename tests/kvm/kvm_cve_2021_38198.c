// SPDX-License-Identifier: MIT
/*
 * CVE-2021-38198: the shadow MMU must enforce the write protection of
 * every level of a guest translation.  One guest page table is reached
 * through two paging-structure entries, one writable and one read-only;
 * KVM used to reuse the shadow page built for the first path for the
 * second, carrying the first path's rights, so a write through the
 * read-only path did not fault.  With CR0.WP = 1 a supervisor write
 * through a translation with R/W = 0 at any level must raise #PF (P = 1,
 * W/R = 1, CR2 = the address) and leave memory alone, whichever path was
 * used first and however often; the writable path keeps working.
 * Checked with a shared page table under two PDEs (both orders) and with
 * a shared page directory under two PDPTEs.
 *
 * Where it is written: Intel SDM Vol. 3A 4.6.1 "Determination of Access
 * Rights" (R/W must be 1 "in every paging-structure entry controlling the
 * translation"), 4.7 "Page-Fault Exceptions"; CVE-2021-38198, fixed by
 * Linux commit b1bd5cba3306691c771d558e94baa73e8b0b96b7 ("KVM: X86: MMU:
 * Use the correct inherited permissions to get shadow page", v5.13).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define PW	(SUITE_PTE_P | SUITE_PTE_W)
#define GIB	0x40000000UL

static void pair(const char *what, uintptr_t rw, uintptr_t ro,
		 volatile uint64_t *frame, int ro_first)
{
	char buf[160];
	unsigned int round;

	frame[1] = 0x1111;
	if (ro_first) {
		uint64_t v = 0;

		if (suite_read(ro + 8, &v) != NO_EXCEPTION || v != 0x1111)
			tst_res(TFAIL, "%s: read through the read-only path: %s, 0x%llx",
				what, suite_vector_name(suite_trap.vector),
				(unsigned long long)v);
	}
	for (round = 0; round < 2; round++) {
		suite_write(rw + 8, 0x2222 + round);
		snprintf(buf, sizeof(buf), "%s, round %u: write through the writable path",
			 what, round + 1);
		if (suite_expect_none(buf) && frame[1] != 0x2222 + round)
			tst_res(TFAIL, "%s: the write left 0x%llx", buf,
				(unsigned long long)frame[1]);
		suite_write(ro + 8, 0xdead);
		snprintf(buf, sizeof(buf), "%s, round %u: write through the read-only path",
			 what, round + 1);
		suite_expect_pf(buf, PFERR_P | PFERR_W, ro + 8, SUITE_FAULT);
		if (frame[1] != 0x2222 + round)
			tst_res(TFAIL, "%s: the faulting write changed memory to 0x%llx",
				buf, (unsigned long long)frame[1]);
	}
}

void main(void)
{
	uint64_t *pml4 = suite_pml4();
	uint64_t *pt1 = suite_alloc_page(), *pt2 = suite_alloc_page();
	uint64_t *pd3 = suite_alloc_page(), *pt3 = suite_alloc_page();
	uint64_t *f1 = suite_alloc_page(), *f2 = suite_alloc_page();
	uint64_t *f3 = suite_alloc_page();
	unsigned long cr0 = kvm_read_cr0();

	suite_catch_all();
	suite_scratch_pte(0);		/* pdpt[2] -> the scratch PD */
	kvm_set_cr0(cr0 | CR0_WP);

	/* A PT shared by PDE 1 (writable) and PDE 2 (read-only) */
	pt1[0] = (uintptr_t)f1 | PW;
	suite_scratch_pd[1] = (uintptr_t)pt1 | PW;
	suite_scratch_pd[2] = (uintptr_t)pt1 | SUITE_PTE_P;
	/* Another, the read-only path used first */
	pt2[0] = (uintptr_t)f2 | PW;
	suite_scratch_pd[3] = (uintptr_t)pt2 | PW;
	suite_scratch_pd[4] = (uintptr_t)pt2 | SUITE_PTE_P;
	kvm_set_cr3(kvm_read_cr3());

	pair("PT under a R/W PDE and a read-only PDE, writable path first",
	     2 * GIB + 0x200000, 2 * GIB + 0x400000, f1, 0);
	pair("PT under a R/W PDE and a read-only PDE, read-only path first",
	     2 * GIB + 0x600000, 2 * GIB + 0x800000, f2, 1);

	/* A PD shared by two PDPTEs of a new PDPT at 512 GiB (PML4[1]) */
	if (pml4[1] & SUITE_PTE_P) {
		tst_res(TCONF, "PML4[1] is in use: no room for the shared PD");
	} else {
		uint64_t *pdpt1 = suite_alloc_page();

		pt3[0] = (uintptr_t)f3 | PW;
		pd3[0] = (uintptr_t)pt3 | PW;
		pdpt1[0] = (uintptr_t)pd3 | PW;
		pdpt1[1] = (uintptr_t)pd3 | SUITE_PTE_P;
		pml4[1] = (uintptr_t)pdpt1 | PW;
		kvm_set_cr3(kvm_read_cr3());
		pair("PD under a R/W PDPTE and a read-only PDPTE",
		     512 * GIB, 513 * GIB, f3, 0);
		pml4[1] = 0;
		kvm_set_cr3(kvm_read_cr3());
	}
	kvm_set_cr0(cr0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CVE-2021-38198: the shadow MMU enforces write protection at every level",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,mmu,cve" },
		{ "CVE", "2021-38198" },
		{ "linux-git", "b1bd5cba3306" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
