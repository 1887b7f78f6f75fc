// SPDX-License-Identifier: MIT
/*
 * SMEP and SMAP at CPL 0 on a user-mode page (U/S = 1 at every level):
 * with CR4.SMEP = 1 an instruction fetch from it raises #PF with error
 * code P=1 I/D=1 (U/S=0: the access is a supervisor one); with CR4.SMEP =
 * 0 it runs.  With CR4.SMAP = 1 and EFLAGS.AC = 0 a data read or write
 * raises #PF (P=1, W/R for the write); after STAC (AC = 1) both succeed;
 * STAC/CLAC raise #UD where CPUID does not offer SMAP.
 *
 * Where it is written: Intel SDM Vol. 3A 4.6.1 "Determination of Access
 * Rights" (supervisor-mode fetches from user-mode addresses are not
 * allowed if CR4.SMEP = 1; supervisor-mode data accesses to user-mode
 * addresses are not allowed if CR4.SMAP = 1 and EFLAGS.AC = 0 for
 * explicit accesses); 4.7 "Page-Fault Exceptions" (U/S bit 2 is 0 for
 * supervisor-mode accesses); Vol. 2B "STAC", "CLAC" (#UD "If
 * CPUID.(EAX=07H, ECX=0H):EBX.SMAP[bit 20] = 0").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static int stac_safe(void)
{
	suite_begin();
	asm volatile(SUITE_TRY("stac") : : : "memory");
	return suite_end();
}

static void clac(void)
{
	asm volatile("clac" : : : "memory");
}

void main(void)
{
	struct kvm_cpuid l7 = suite_cpuid7();
	unsigned long cr4 = kvm_read_cr4();
	uint64_t *pml4 = suite_pml4(), *page = suite_alloc_page(), val = 0;
	uintptr_t va;

	suite_catch_all();
	suite_exec_stub(page);
	page[1] = 0x600d;
	/* U/S in PML4[0] alone makes nothing else user: PDPT[0..1] are not */
	pml4[0] |= SUITE_PTE_U;
	va = suite_map(0, (uintptr_t)page, SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_U);

	suite_exec(va);
	suite_expect_none("fetch from a user page, CR4.SMEP = 0");

	if (l7.ebx & 1U << 7) {
		kvm_set_cr4(cr4 | CR4_SMEP);
		suite_exec(va);
		kvm_set_cr4(cr4);
		suite_expect_pf("fetch from a user page, CR4.SMEP = 1",
				PFERR_P | PFERR_I, va, va);
	} else {
		tst_res(TCONF, "CPUID.7.0:EBX.SMEP = 0");
	}

	if (!(l7.ebx & 1U << 20)) {
		stac_safe();
		suite_expect("STAC with CPUID SMAP = 0", INTR_BAD_OPCODE, 0,
			     SUITE_FAULT);
		tst_res(TCONF, "CPUID.7.0:EBX.SMAP = 0");
		goto out;
	}
	kvm_set_cr4(cr4 | CR4_SMAP);
	suite_read(va + 8, &val);
	suite_expect_pf("read of a user page, CR4.SMAP = 1, AC = 0", PFERR_P,
			va + 8, SUITE_FAULT);
	suite_write(va + 16, 1);
	suite_expect_pf("write to a user page, CR4.SMAP = 1, AC = 0",
			PFERR_P | PFERR_W, va + 16, SUITE_FAULT);
	if (stac_safe() != NO_EXCEPTION) {
		suite_expect_none("STAC");
	} else {
		suite_read(va + 8, &val);
		clac();
		if (suite_expect_none("read of a user page, CR4.SMAP = 1, AC = 1") &&
		    val != 0x600d)
			tst_res(TFAIL, "read 0x%llx, expected 0x600d",
				(unsigned long long)val);
	}
	/* The same through POPF, which sets EFLAGS.AC at CPL 0 as well */
	val = 0;
	suite_begin();
	asm volatile("pushf\n\t"
		     "orq %2, (%%rsp)\n\t"
		     "popf\n\t"
		     SUITE_TRY("mov (%1), %0")
		     "pushf\n\t"
		     "andq %3, (%%rsp)\n\t"
		     "popf"
		     : "+r"(val) : "r"(va + 8), "i"(X86_EFLAGS_AC),
		       "i"(~X86_EFLAGS_AC) : "memory", "cc");
	suite_end();
	if (suite_expect_none("read of a user page, CR4.SMAP = 1, AC = 1 by POPF") &&
	    val != 0x600d)
		tst_res(TFAIL, "read 0x%llx, expected 0x600d",
			(unsigned long long)val);
	kvm_set_cr4(cr4);
out:
	suite_map(0, 0, 0);
	pml4[0] &= ~SUITE_PTE_U;
	kvm_set_cr3(kvm_read_cr3());
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "SMEP and SMAP at CPL 0 on a user-mode page (U/S = 1 at every level)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
