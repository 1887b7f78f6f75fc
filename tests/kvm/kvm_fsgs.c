// SPDX-License-Identifier: MIT
/*
 * FS and GS bases in 64-bit mode: an FS:/GS: access adds IA32_FS_BASE /
 * IA32_GS_BASE to the offset; SWAPGS exchanges IA32_GS_BASE with
 * IA32_KERNEL_GS_BASE (twice restores both); RDFSBASE/WRFSBASE/RDGSBASE/
 * WRGSBASE raise #UD while CR4.FSGSBASE = 0 and, with it set, read and
 * write the same bases as the MSRs (WRFSBASE of a non-canonical value:
 * #GP(0)).
 *
 * Where it is written: Intel SDM Vol. 3A 3.4.4 "Segment Loading
 * Instructions in IA-32e Mode" (FS/GS base via MSRs); Vol. 2B "SWAPGS"
 * ("Exchanges the current GS base register value with the value contained
 * in MSR address C0000102H"); Vol. 2B "RDFSBASE/RDGSBASE" and
 * "WRFSBASE/WRGSBASE" (#UD "If CR4.FSGSBASE[bit 16] = 0"; #GP(0) "If the
 * source register contains a non-canonical address").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint64_t cells[4] = {
	0x1111111111111111ULL, 0x2222222222222222ULL,
	0x3333333333333333ULL, 0x4444444444444444ULL,
};

static void segment_access(void)
{
	uint64_t fs, gs;

	kvm_wrmsr(MSR_FS_BASE, (uintptr_t)&cells[0]);
	kvm_wrmsr(MSR_GS_BASE, (uintptr_t)&cells[1]);
	asm volatile("mov %%fs:16, %0\n\tmov %%gs:16, %1"
		     : "=r"(fs), "=r"(gs) : : "memory");
	if (fs == cells[2] && gs == cells[3])
		tst_res(TPASS, "FS:16 and GS:16 read through IA32_FS_BASE and IA32_GS_BASE");
	else
		tst_res(TFAIL, "FS:16 = 0x%llx, GS:16 = 0x%llx, expected 0x%llx, 0x%llx",
			(unsigned long long)fs, (unsigned long long)gs,
			(unsigned long long)cells[2], (unsigned long long)cells[3]);
}

static void swapgs(void)
{
	uint64_t a = 0x00007f0000001000ULL, b = 0xffff800000002000ULL;
	uint64_t gs1, kgs1, gs2, kgs2, val;

	kvm_wrmsr(MSR_GS_BASE, a);
	kvm_wrmsr(MSR_KERNEL_GS_BASE, b);
	asm volatile("swapgs" : : : "memory");
	gs1 = kvm_rdmsr(MSR_GS_BASE);
	kgs1 = kvm_rdmsr(MSR_KERNEL_GS_BASE);
	asm volatile("swapgs" : : : "memory");
	gs2 = kvm_rdmsr(MSR_GS_BASE);
	kgs2 = kvm_rdmsr(MSR_KERNEL_GS_BASE);
	if (gs1 == b && kgs1 == a && gs2 == a && kgs2 == b)
		tst_res(TPASS, "SWAPGS exchanges GS_BASE and KERNEL_GS_BASE, twice restores");
	else
		tst_res(TFAIL, "SWAPGS: GS/KGS 0x%llx/0x%llx, then 0x%llx/0x%llx; started 0x%llx/0x%llx",
			(unsigned long long)gs1, (unsigned long long)kgs1,
			(unsigned long long)gs2, (unsigned long long)kgs2,
			(unsigned long long)a, (unsigned long long)b);

	/* The swapped-in base is the one GS: accesses use */
	kvm_wrmsr(MSR_GS_BASE, 0);
	kvm_wrmsr(MSR_KERNEL_GS_BASE, (uintptr_t)&cells[0]);
	asm volatile("swapgs\n\tmov %%gs:24, %0\n\tswapgs"
		     : "=r"(val) : : "memory");
	if (val == cells[3])
		tst_res(TPASS, "GS: access after SWAPGS uses the old KERNEL_GS_BASE");
	else
		tst_res(TFAIL, "GS:24 after SWAPGS read 0x%llx, expected 0x%llx",
			(unsigned long long)val, (unsigned long long)cells[3]);
}

static void fsgsbase(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint64_t v = 0;

	suite_begin();
	asm volatile(SUITE_TRY("rdfsbase %0") : "+r"(v) : : "memory");
	suite_end();
	suite_expect("RDFSBASE with CR4.FSGSBASE = 0", INTR_BAD_OPCODE, 0,
		     SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY("wrgsbase %0") : : "r"(v) : "memory");
	suite_end();
	suite_expect("WRGSBASE with CR4.FSGSBASE = 0", INTR_BAD_OPCODE, 0,
		     SUITE_FAULT);

	if (!(suite_cpuid7().ebx & 1U << 0)) {
		tst_res(TCONF, "CPUID.7.0:EBX.FSGSBASE = 0");
		return;
	}
	kvm_set_cr4(cr4 | CR4_FSGSBASE);
	kvm_wrmsr(MSR_FS_BASE, 0x00007f0000003000ULL);
	asm volatile("rdfsbase %0" : "=r"(v));
	if (v == 0x00007f0000003000ULL)
		tst_res(TPASS, "RDFSBASE reads IA32_FS_BASE");
	else
		tst_res(TFAIL, "RDFSBASE 0x%llx, IA32_FS_BASE 0x7f0000003000",
			(unsigned long long)v);
	v = 0xffff800000004000ULL;
	asm volatile("wrgsbase %0" : : "r"(v) : "memory");
	if (kvm_rdmsr(MSR_GS_BASE) == v)
		tst_res(TPASS, "WRGSBASE writes IA32_GS_BASE");
	else
		tst_res(TFAIL, "WRGSBASE 0x%llx, IA32_GS_BASE reads 0x%llx",
			(unsigned long long)v,
			(unsigned long long)kvm_rdmsr(MSR_GS_BASE));
	v = 0x0000800000000000ULL;
	suite_begin();
	asm volatile(SUITE_TRY("wrfsbase %0") : : "r"(v) : "memory");
	suite_end();
	suite_expect("WRFSBASE 0x800000000000 (non-canonical)", INTR_GPF, 0,
		     SUITE_FAULT);
	kvm_set_cr4(cr4);
}

void main(void)
{
	suite_catch_all();
	segment_access();
	swapgs();
	fsgsbase();
	kvm_wrmsr(MSR_FS_BASE, 0);
	kvm_wrmsr(MSR_GS_BASE, 0);
	kvm_wrmsr(MSR_KERNEL_GS_BASE, 0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "FS and GS bases in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,segments" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
