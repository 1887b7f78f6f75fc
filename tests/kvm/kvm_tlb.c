// SPDX-License-Identifier: MIT
/*
 * TLB invalidation: after a PTE is changed to point to another frame, the
 * new translation must be used once software has invalidated the old one
 * by INVLPG of the address, by MOV to CR3 (non-global pages), or, for a
 * global page (CR4.PGE = 1, G = 1), by clearing CR4.PGE, or by INVLPG.
 * A shadow-paging hypervisor must honour each of these.  (Stale
 * translations before the invalidation are allowed, so they are not
 * checked.)
 *
 * Where it is written: Intel SDM Vol. 3A 4.10.4.1 "Operations that
 * Invalidate TLBs and Paging-Structure Caches" (INVLPG "invalidates any
 * TLB entries for the page number of the linear address, including
 * global"; MOV to CR3 "invalidates all TLB entries associated with PCID
 * 000H except those for global pages"; MOV to CR4 that changes CR4.PGE
 * "invalidates all TLB entries (including global entries)"); 4.10.2.4
 * "Global Pages".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint64_t *frame_a, *frame_b;

static void expect_value(const char *what, uintptr_t va, uint64_t want)
{
	uint64_t val = 0;

	if (suite_read(va, &val) != NO_EXCEPTION)
		suite_expect_none(what);
	else if (val == want)
		tst_res(TPASS, "%s: reads frame %s", what,
			want == frame_a[0] ? "A" : "B");
	else
		tst_res(TFAIL, "%s: read 0x%llx, expected 0x%llx (frame %s)",
			what, (unsigned long long)val, (unsigned long long)want,
			want == frame_a[0] ? "A" : "B");
}

void main(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint64_t val = 0;
	uintptr_t va;

	suite_catch_all();
	frame_a = suite_alloc_page();
	frame_b = suite_alloc_page();
	frame_a[0] = 0xaaaaaaaaaaaaaaaaULL;
	frame_b[0] = 0xbbbbbbbbbbbbbbbbULL;

	va = suite_map(0, (uintptr_t)frame_a, SUITE_PTE_P | SUITE_PTE_W);
	expect_value("first access", va, frame_a[0]);

	*suite_scratch_pte(0) = (uintptr_t)frame_b | SUITE_PTE_P | SUITE_PTE_W;
	suite_invlpg(va);
	expect_value("PTE to frame B, INVLPG", va, frame_b[0]);

	*suite_scratch_pte(0) = (uintptr_t)frame_a | SUITE_PTE_P | SUITE_PTE_W;
	kvm_set_cr3(kvm_read_cr3());
	expect_value("PTE to frame A, MOV to CR3", va, frame_a[0]);

	*suite_scratch_pte(0) = 0;
	kvm_set_cr3(kvm_read_cr3());
	suite_read(va, &val);
	suite_expect_pf("PTE cleared, MOV to CR3", 0, va, SUITE_FAULT);

	if (!(suite_cpuid(1, 0).edx & 1U << 13)) {
		tst_res(TCONF, "CPUID.1:EDX.PGE = 0: no global pages");
		suite_finish();
		return;
	}
	kvm_set_cr4(cr4 | CR4_PGE);
	va = suite_map(1, (uintptr_t)frame_a,
		       SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_G);
	expect_value("global page, first access", va, frame_a[0]);
	*suite_scratch_pte(1) = (uintptr_t)frame_b | SUITE_PTE_P | SUITE_PTE_W |
				SUITE_PTE_G;
	kvm_set_cr4(cr4 & ~(unsigned long)CR4_PGE);
	kvm_set_cr4(cr4 | CR4_PGE);
	expect_value("global PTE to frame B, CR4.PGE cleared and set", va,
		     frame_b[0]);
	*suite_scratch_pte(1) = (uintptr_t)frame_a | SUITE_PTE_P | SUITE_PTE_W |
				SUITE_PTE_G;
	suite_invlpg(va);
	expect_value("global PTE to frame A, INVLPG", va, frame_a[0]);
	kvm_set_cr4(cr4);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "TLB invalidation",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,tlb" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
