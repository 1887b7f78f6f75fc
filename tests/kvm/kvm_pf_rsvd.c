// SPDX-License-Identifier: MIT
/*
 * Reserved bits in paging-structure entries: a translation through a
 * present entry with a reserved bit set raises #PF with error code P=1
 * RSVD=1 (plus W/R for a write) and CR2 = the address.  Checked: a PTE
 * address bit at MAXPHYADDR, bits 20:13 of a 2-MByte PDE, PS in a PML4E,
 * and PS in a PDPTE where 1-GByte pages are not supported.
 *
 * Where it is written: Intel SDM Vol. 3A 4.5.4 "Linear-Address
 * Translation with 4-Level Paging" ("If the P flag is 1 ... and any
 * reserved bit is set, a page-fault exception occurs"; Table 4-15 PML4E
 * bit 7 reserved; Table 4-16 PDPTE bit 7 PS must be 0 without 1-GByte page
 * support; Table 4-18 2-MByte PDE bits 20:13 reserved; bits 51:M reserved,
 * M = MAXPHYADDR); 4.7 "Page-Fault Exceptions" (RSVD bit 3); CPUID
 * 80000008H:EAX[7:0] MAXPHYADDR and 80000001H:EDX[26] 1-GByte pages.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* PML4[1]: 512 GiB, unused by the identity map */
#define VA_PML4_1	0x0000008000000000ULL

void main(void)
{
	uint64_t *frame = suite_alloc_page(), *pdpt = suite_alloc_page();
	uint64_t *pml4 = suite_pml4(), val = 0;
	unsigned int maxphy = suite_maxphyaddr();
	uintptr_t va, va2m = SUITE_SCRATCH_VA + 0x200000;
	char what[96];

	suite_catch_all();

	if (maxphy < 52) {
		va = suite_map(0, (uintptr_t)frame,
			       SUITE_PTE_P | SUITE_PTE_W | 1ULL << maxphy);
		snprintf(what, sizeof(what), "read, PTE bit %u (MAXPHYADDR) set",
			 maxphy);
		suite_read(va + 8, &val);
		suite_expect_pf(what, PFERR_P | PFERR_RSVD, va + 8, SUITE_FAULT);
		snprintf(what, sizeof(what), "write, PTE bit %u (MAXPHYADDR) set",
			 maxphy);
		suite_write(va + 16, 1);
		suite_expect_pf(what, PFERR_P | PFERR_W | PFERR_RSVD, va + 16,
				SUITE_FAULT);
		suite_map(0, 0, 0);
	} else {
		tst_res(TCONF, "MAXPHYADDR is 52: no reserved address bits");
	}

	/* A 2 MiB page at PD[1] with bit 13 set */
	suite_scratch_pte(0);
	suite_scratch_pd[1] = 0x200000 | SUITE_PTE_P | SUITE_PTE_W |
			      SUITE_PTE_PS | 1ULL << 13;
	suite_invlpg(va2m);
	suite_read(va2m + 0x40, &val);
	suite_expect_pf("read, 2-MByte PDE bit 13 set", PFERR_P | PFERR_RSVD,
			va2m + 0x40, SUITE_FAULT);
	suite_scratch_pd[1] = 0x200000 | SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_PS;
	suite_invlpg(va2m);
	suite_read(va2m + 0x40, &val);
	suite_expect_none("read, 2-MByte PDE without reserved bits");
	suite_scratch_pd[1] = 0;
	suite_invlpg(va2m);

	if (pml4[1] & SUITE_PTE_P)
		tst_brk(TBROK, "PML4[1] is in use");
	pml4[1] = (uintptr_t)pdpt | SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_PS;
	suite_invlpg(VA_PML4_1);
	suite_read(VA_PML4_1 + 0x80, &val);
	suite_expect_pf("read, PML4E PS (bit 7) set", PFERR_P | PFERR_RSVD,
			VA_PML4_1 + 0x80, SUITE_FAULT);

	pml4[1] = (uintptr_t)pdpt | SUITE_PTE_P | SUITE_PTE_W;
	pdpt[0] = SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_PS;	/* 1 GiB at 0 */
	suite_invlpg(VA_PML4_1);
	suite_read(VA_PML4_1 + 0x1000, &val);
	if (suite_cpuid_ext1().edx & 1U << 26)
		suite_expect_none("read, 1-GByte PDPTE (1-GByte pages supported)");
	else
		suite_expect_pf("read, PDPTE PS set without 1-GByte page support",
				PFERR_P | PFERR_RSVD, VA_PML4_1 + 0x1000,
				SUITE_FAULT);
	pml4[1] = 0;
	suite_invlpg(VA_PML4_1);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Reserved bits in paging-structure entries",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
