// SPDX-License-Identifier: MIT
/*
 * Write protection at CPL 0: with CR0.WP = 1 a write through a translation
 * whose R/W flag is 0 at any level (PTE or PDE) raises #PF with error code
 * P=1 W/R=1, CR2 = the address, and the memory is not written; reads are
 * allowed; with CR0.WP = 0 a supervisor write to the same page succeeds.
 *
 * Where it is written: Intel SDM Vol. 3A 4.6.1 "Determination of Access
 * Rights" ("Data writes to supervisor-mode addresses: If CR0.WP = 0, data
 * may be written to any supervisor-mode address. If CR0.WP = 1, data may
 * be written to any supervisor-mode address with a translation for which
 * the R/W flag (bit 1) is 1 in every paging-structure entry controlling
 * the translation"); 4.7 "Page-Fault Exceptions" (P and W/R bits, CR2).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	uint64_t *frame = suite_alloc_page(), val = 0;
	unsigned long cr0 = kvm_read_cr0();
	uintptr_t va;

	suite_catch_all();
	frame[3] = 0x1234;
	va = suite_map(0, (uintptr_t)frame, SUITE_PTE_P);

	if (suite_read(va + 24, &val) == NO_EXCEPTION && val == 0x1234)
		tst_res(TPASS, "read through a read-only PTE: 0x%llx",
			(unsigned long long)val);
	else
		tst_res(TFAIL, "read through a read-only PTE: %s, 0x%llx",
			suite_vector_name(suite_trap.vector),
			(unsigned long long)val);

	kvm_set_cr0(cr0 | CR0_WP);
	suite_write(va + 24, 0x5678);
	suite_expect_pf("write, PTE R/W = 0, CR0.WP = 1", PFERR_P | PFERR_W,
			va + 24, SUITE_FAULT);
	if (frame[3] != 0x1234)
		tst_res(TFAIL, "faulting write changed memory to 0x%llx",
			(unsigned long long)frame[3]);

	/* Writable PTE under a read-only PDE */
	va = suite_map(1, (uintptr_t)frame, SUITE_PTE_P | SUITE_PTE_W);
	suite_scratch_pd[0] &= ~SUITE_PTE_W;
	suite_invlpg(va);
	suite_write(va + 32, 0x9abc);
	suite_expect_pf("write, PTE R/W = 1 under PDE R/W = 0, CR0.WP = 1",
			PFERR_P | PFERR_W, va + 32, SUITE_FAULT);
	suite_scratch_pd[0] |= SUITE_PTE_W;
	suite_invlpg(va);

	va = suite_map(0, (uintptr_t)frame, SUITE_PTE_P);
	kvm_set_cr0(cr0 & ~(unsigned long)CR0_WP);
	suite_write(va + 24, 0x5678);
	kvm_set_cr0(cr0);
	if (suite_expect_none("supervisor write, PTE R/W = 0, CR0.WP = 0") &&
	    frame[3] != 0x5678)
		tst_res(TFAIL, "write with CR0.WP = 0 left 0x%llx in memory",
			(unsigned long long)frame[3]);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Write protection at CPL 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
