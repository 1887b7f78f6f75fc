// SPDX-License-Identifier: MIT
/*
 * #PF on not-present translations: a read, a write and an instruction
 * fetch through a PTE or a PDE whose P flag is 0 raise #PF with CR2 = the
 * linear address and error code P=0, W/R = 1 only for the write, and I/D =
 * 1 only for the fetch and only while EFER.NXE = 1 (or CR4.SMEP = 1); the
 * saved RIP is the faulting instruction, for a fetch the fetched address.
 * The stack guard page below kvmkit's stack is one such hole.
 *
 * Where it is written: Intel SDM Vol. 3A 4.7 "Page-Fault Exceptions"
 * (Figure 4-12: P bit 0 "The fault was caused by a non-present page", W/R
 * bit 1, I/D bit 4 "This flag is 1 if (1) the access causing the
 * page-fault exception was an instruction fetch; and (2) either (a)
 * CR4.SMEP = 1; or (b) both (i) CR4.PAE = 1 ... and (ii) IA32_EFER.NXE =
 * 1"; CR2 holds the linear address); Vol. 3A 6.15 "Interrupt 14": class
 * Fault.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define GUARD	((uintptr_t)kvm_stack_bottom - KVMKIT_PAGE_SIZE)

void main(void)
{
	uintptr_t va = suite_map(0, 0, 0);	/* PTE not present */
	uintptr_t va2m = SUITE_SCRATCH_VA + 0x200000;	/* PDE 1 not present */
	uint64_t val = 0, efer = kvm_rdmsr(MSR_EFER);
	int nx = !!(suite_cpuid_ext1().edx & 1U << 20);

	suite_catch_all();

	suite_read(GUARD + 8, &val);
	suite_expect_pf("read of the stack guard page", 0, GUARD + 8, SUITE_FAULT);
	suite_write(GUARD + 0xff8, 1);
	suite_expect_pf("write to the stack guard page", PFERR_W, GUARD + 0xff8,
			SUITE_FAULT);

	suite_read(va + 0x10, &val);
	suite_expect_pf("read, PTE not present", 0, va + 0x10, SUITE_FAULT);
	suite_write(va + 0x18, 1);
	suite_expect_pf("write, PTE not present", PFERR_W, va + 0x18, SUITE_FAULT);
	suite_read(va2m, &val);
	suite_expect_pf("read, PDE not present", 0, va2m, SUITE_FAULT);
	suite_write(va2m + 0x1000, 1);
	suite_expect_pf("write, PDE not present", PFERR_W, va2m + 0x1000,
			SUITE_FAULT);

	kvm_wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_NXE);
	suite_exec(va + 0x20);
	suite_expect_pf("fetch, PTE not present, EFER.NXE = 0 (I/D = 0)", 0,
			va + 0x20, va + 0x20);
	if (nx) {
		kvm_wrmsr(MSR_EFER, efer | EFER_NXE);
		suite_exec(va + 0x30);
		suite_expect_pf("fetch, PTE not present, EFER.NXE = 1 (I/D = 1)",
				PFERR_I, va + 0x30, va + 0x30);
		suite_exec(va2m + 0x40);
		suite_expect_pf("fetch, PDE not present, EFER.NXE = 1 (I/D = 1)",
				PFERR_I, va2m + 0x40, va2m + 0x40);
	} else {
		tst_res(TCONF, "CPUID.80000001H:EDX.NX = 0: no I/D check with NXE");
	}
	kvm_wrmsr(MSR_EFER, efer);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "#PF on not-present translations",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
