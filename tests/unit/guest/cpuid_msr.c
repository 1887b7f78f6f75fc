// SPDX-License-Identifier: MIT
/*
 * Guest runtime and host CPU setup: kvm_get_cpuid() and kvm_rdmsr()/
 * kvm_wrmsr().  The host must have given the vCPU a CPUID table (without
 * one, leaf 0 reads as zeroes and long mode would not be advertised) and
 * entered long mode (EFER.LME and LMA).  An MSR write must stick.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static void cpuid_checks(void)
{
	struct kvm_cpuid id;
	char vendor[13];
	unsigned int max_ext;

	kvm_get_cpuid(0, 0, &id);
	memcpy(vendor, &id.ebx, 4);
	memcpy(vendor + 4, &id.edx, 4);
	memcpy(vendor + 8, &id.ecx, 4);
	vendor[12] = '\0';
	if (id.eax >= 1 && vendor[0])
		tst_res(TPASS, "CPUID 0: max leaf %u, vendor \"%s\"", id.eax,
			vendor);
	else
		tst_res(TFAIL, "CPUID 0: max leaf %u, vendor \"%s\"", id.eax,
			vendor);

	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &id);
	max_ext = id.eax;
	if (max_ext < CPUID_GET_EXT_FEATURES) {
		tst_res(TFAIL, "CPUID 0x80000000: max extended leaf 0x%x",
			max_ext);
		return;
	}
	kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &id);
	if (id.edx & (1U << 29))
		tst_res(TPASS, "CPUID 0x80000001: long mode (EDX bit 29) set");
	else
		tst_res(TFAIL, "CPUID 0x80000001: EDX 0x%x lacks long mode",
			id.edx);

	/* Subleaf selection: leaf 1 ignores ECX, so both must agree */
	{
		struct kvm_cpuid a, b;

		kvm_get_cpuid(1, 0, &a);
		kvm_get_cpuid(1, 7, &b);
		if (a.eax == b.eax && a.edx == b.edx && a.eax)
			tst_res(TPASS, "CPUID 1: signature 0x%x, stable across ECX",
				a.eax);
		else
			tst_res(TFAIL, "CPUID 1: EAX 0x%x/0x%x EDX 0x%x/0x%x",
				a.eax, b.eax, a.edx, b.edx);
	}
}

static void msr_checks(void)
{
	static const struct { unsigned int msr; const char *name; } rw[] = {
		{ MSR_KERNEL_GS_BASE, "MSR_KERNEL_GS_BASE" },
		{ MSR_STAR, "MSR_STAR" },
		{ MSR_LSTAR, "MSR_LSTAR" },
	};
	uint64_t efer = kvm_rdmsr(MSR_EFER);
	unsigned int i;

	if ((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA))
		tst_res(TPASS, "EFER 0x%llx: LME and LMA set",
			(unsigned long long)efer);
	else
		tst_res(TFAIL, "EFER 0x%llx: LME or LMA missing",
			(unsigned long long)efer);

	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		/* Canonical, and distinct per MSR */
		uint64_t val = 0x00007f0012345000ULL + i * 0x1000;
		uint64_t old = kvm_rdmsr(rw[i].msr), got;

		kvm_wrmsr(rw[i].msr, val);
		got = kvm_rdmsr(rw[i].msr);
		kvm_wrmsr(rw[i].msr, old);
		if (got == val)
			tst_res(TPASS, "%s: wrote and read back 0x%llx",
				rw[i].name, (unsigned long long)val);
		else
			tst_res(TFAIL, "%s: wrote 0x%llx, read 0x%llx",
				rw[i].name, (unsigned long long)val,
				(unsigned long long)got);
	}

	/* The high half travels in EDX: a value with both halves set */
	kvm_wrmsr(MSR_KERNEL_GS_BASE, 0xffff800000000000ULL | 0xabcdef00ULL);
	if (kvm_rdmsr(MSR_KERNEL_GS_BASE) == (0xffff800000000000ULL | 0xabcdef00ULL))
		tst_res(TPASS, "MSR_KERNEL_GS_BASE: both 32-bit halves round-trip");
	else
		tst_res(TFAIL, "MSR_KERNEL_GS_BASE: read 0x%llx",
			(unsigned long long)kvm_rdmsr(MSR_KERNEL_GS_BASE));
	kvm_wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void main(void)
{
	cpuid_checks();
	msr_checks();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "CPUID table and MSR reads/writes as the guest sees them",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
