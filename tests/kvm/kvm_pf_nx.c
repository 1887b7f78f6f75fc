// SPDX-License-Identifier: MIT
/*
 * Execute-disable: with EFER.NXE = 1, an instruction fetch through a
 * translation whose XD flag (bit 63) is 1 at any level raises #PF with
 * error code P=1 I/D=1 and CR2 = the fetched address (the saved RIP), while
 * data reads of the page succeed and an XD=0 page runs.  With EFER.NXE = 0
 * bit 63 is reserved: any access through such an entry raises #PF with
 * P=1 RSVD=1.
 *
 * Where it is written: Intel SDM Vol. 3A 4.6.1 "Determination of Access
 * Rights" ("Instruction fetches from supervisor-mode addresses ... If
 * IA32_EFER.NXE = 1, instructions may be fetched from any supervisor-mode
 * address with a translation for which the XD flag (bit 63) is 0 in every
 * paging-structure entry controlling the translation"); 4.5.4 Table 4-20
 * (bit 63 "If IA32_EFER.NXE = 1, execute-disable ...; otherwise, reserved
 * (must be 0)"); 4.7 "Page-Fault Exceptions" (RSVD bit 3, I/D bit 4).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	uint8_t *code = suite_alloc_page();
	uint64_t efer = kvm_rdmsr(MSR_EFER), val = 0;
	uintptr_t va;

	if (!(suite_cpuid_ext1().edx & 1U << 20))
		tst_brk(TCONF, "CPUID.80000001H:EDX.NX = 0");
	suite_catch_all();
	suite_exec_stub(code);

	kvm_wrmsr(MSR_EFER, efer | EFER_NXE);
	va = suite_map(0, (uintptr_t)code, SUITE_PTE_P);
	suite_exec(va);
	suite_expect_none("fetch, XD = 0, EFER.NXE = 1");

	va = suite_map(0, (uintptr_t)code, SUITE_PTE_P | SUITE_PTE_NX);
	suite_exec(va);
	suite_expect_pf("fetch, PTE XD = 1, EFER.NXE = 1", PFERR_P | PFERR_I, va,
			va);
	if (suite_read(va, &val) == NO_EXCEPTION && (val & 0xffff) == 0xe1ff)
		tst_res(TPASS, "data read of an XD = 1 page");
	else
		tst_res(TFAIL, "data read of an XD = 1 page: %s, 0x%llx",
			suite_vector_name(suite_trap.vector),
			(unsigned long long)val);

	va = suite_map(0, (uintptr_t)code, SUITE_PTE_P);
	suite_scratch_pd[0] |= SUITE_PTE_NX;
	suite_invlpg(va);
	suite_exec(va);
	suite_expect_pf("fetch, PTE XD = 0 under PDE XD = 1, EFER.NXE = 1",
			PFERR_P | PFERR_I, va, va);
	suite_scratch_pd[0] &= ~SUITE_PTE_NX;
	suite_invlpg(va);

	kvm_wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_NXE);
	va = suite_map(0, (uintptr_t)code, SUITE_PTE_P | SUITE_PTE_NX);
	suite_read(va, &val);
	suite_expect_pf("read, PTE bit 63 = 1, EFER.NXE = 0 (reserved)",
			PFERR_P | PFERR_RSVD, va, SUITE_FAULT);
	suite_map(0, 0, 0);
	kvm_wrmsr(MSR_EFER, efer);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Execute-disable",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
