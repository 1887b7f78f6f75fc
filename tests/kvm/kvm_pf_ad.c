// SPDX-License-Identifier: MIT
/*
 * Accessed and dirty flags: the processor sets the A flag of every
 * paging-structure entry it uses for a translation and the D flag of the
 * entry that maps the page (PTE or 2-MByte PDE) on the first write; a read
 * never sets D.  A shadow-paging hypervisor has to emulate all of this.
 *
 * Where it is written: Intel SDM Vol. 3A 4.8 "Accessed and Dirty Flags"
 * ("Whenever the processor uses a paging-structure entry as part of
 * linear-address translation, it sets the accessed flag in that entry";
 * "Whenever there is a write to a linear address, the processor sets the
 * dirty flag (if it is not already set) in the paging-structure entry that
 * identifies the final physical address").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static void flags(const char *what, uint64_t entry, int want_a, int want_d)
{
	int a = !!(entry & SUITE_PTE_A), d = !!(entry & SUITE_PTE_D);

	if (a == want_a && d == want_d)
		tst_res(TPASS, "%s: A=%d D=%d", what, a, d);
	else
		tst_res(TFAIL, "%s: A=%d D=%d, expected A=%d D=%d (entry 0x%llx)",
			what, a, d, want_a, want_d, (unsigned long long)entry);
}

void main(void)
{
	uint64_t *frame = suite_alloc_page(), val = 0;
	uintptr_t va, va2m = SUITE_SCRATCH_VA + 0x200000;

	suite_catch_all();
	va = suite_map(0, (uintptr_t)frame, SUITE_PTE_P | SUITE_PTE_W);
	suite_scratch_pd[0] &= ~SUITE_PTE_A;
	suite_invlpg(va);
	flags("PTE before any access", *suite_scratch_pte(0), 0, 0);

	if (suite_read(va, &val) != NO_EXCEPTION)
		suite_expect_none("read of the page");
	flags("PTE after a read", *suite_scratch_pte(0), 1, 0);
	flags("PDE after a read", suite_scratch_pd[0], 1, 0);

	if (suite_write(va + 8, 7) != NO_EXCEPTION)
		suite_expect_none("write to the page");
	flags("PTE after a write", *suite_scratch_pte(0), 1, 1);

	/* A write as the first access sets both */
	va = suite_map(1, (uintptr_t)frame, SUITE_PTE_P | SUITE_PTE_W);
	if (suite_write(va + 16, 9) != NO_EXCEPTION)
		suite_expect_none("write to a fresh page");
	flags("PTE after a first write", *suite_scratch_pte(1), 1, 1);

	/* 2 MiB page: the PDE is the leaf */
	suite_scratch_pd[1] = 0x400000 | SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_PS;
	suite_invlpg(va2m);
	if (suite_read(va2m + 0x100, &val) != NO_EXCEPTION)
		suite_expect_none("read of a 2-MByte page");
	flags("2-MByte PDE after a read", suite_scratch_pd[1], 1, 0);
	if (suite_write(va2m + 0x100, val) != NO_EXCEPTION)
		suite_expect_none("write to a 2-MByte page");
	flags("2-MByte PDE after a write", suite_scratch_pd[1], 1, 1);
	suite_scratch_pd[1] = 0;
	suite_invlpg(va2m);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Accessed and dirty flags",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
