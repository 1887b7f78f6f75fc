// SPDX-License-Identifier: MIT
/*
 * RDMSR and WRMSR of an MSR index that no processor implements raise
 * #GP(0) and leave EDX:EAX alone; WRMSR of a non-canonical address to an
 * MSR that holds a linear address (FS_BASE, GS_BASE, KERNEL_GS_BASE,
 * LSTAR, and on Intel SYSENTER_EIP/ESP) raises #GP(0) and leaves the MSR
 * unchanged, while the canonical neighbours are accepted.
 *
 * Where it is written: Intel SDM Vol. 2B "RDMSR" and "WRMSR", Protected
 * Mode Exceptions (#GP(0) "If the value in ECX specifies a reserved or
 * unimplemented MSR address"; WRMSR: "If the source register contains a
 * non-canonical address and ECX specifies one of the following MSRs:
 * IA32_DS_AREA, IA32_FS_BASE, IA32_GS_BASE, IA32_KERNEL_GS_BASE,
 * IA32_LSTAR, IA32_SYSENTER_EIP, IA32_SYSENTER_ESP"); Vol. 4 ch. 2 for
 * the index ranges.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static void unknown(uint32_t msr)
{
	char what[64];
	uint64_t val = 0x1122334455667788ULL;

	snprintf(what, sizeof(what), "rdmsr 0x%08x (unimplemented)", msr);
	rdmsr_safe(msr, &val);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
	snprintf(what, sizeof(what), "wrmsr 0x%08x (unimplemented)", msr);
	wrmsr_safe(msr, 0);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
}

static void address_msr(uint32_t msr, const char *name)
{
	static const uint64_t bad[] = {
		0x0000800000000000ULL, 0x8000000000000000ULL,
		0xffff7fffffffffffULL,
	};
	static const uint64_t good[] = {
		0x00007ffffffff000ULL, 0xffff800000000000ULL,
	};
	uint64_t old = kvm_rdmsr(msr), now;
	char what[96];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "wrmsr %s = 0x%llx (non-canonical)",
			 name, (unsigned long long)bad[i]);
		wrmsr_safe(msr, bad[i]);
		now = kvm_rdmsr(msr);
		if (suite_expect(what, INTR_GPF, 0, SUITE_FAULT) && now != old)
			tst_res(TFAIL, "%s: MSR changed to 0x%llx", what,
				(unsigned long long)now);
		kvm_wrmsr(msr, old);
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(what, sizeof(what), "wrmsr %s = 0x%llx (canonical)",
			 name, (unsigned long long)good[i]);
		wrmsr_safe(msr, good[i]);
		now = kvm_rdmsr(msr);
		kvm_wrmsr(msr, old);
		if (suite_expect_none(what) && now != good[i])
			tst_res(TFAIL, "%s: reads back 0x%llx", what,
				(unsigned long long)now);
	}
}

void main(void)
{
	suite_catch_all();

	unknown(0x0badc0de);
	unknown(0x00001fff);
	unknown(0x7fffffff);
	unknown(0xc0003fff);
	unknown(0xffffffff);

	address_msr(MSR_FS_BASE, "FS_BASE");
	address_msr(MSR_GS_BASE, "GS_BASE");
	address_msr(MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE");
	address_msr(MSR_LSTAR, "LSTAR");
	if (suite_vendor_is("GenuineIntel")) {
		address_msr(MSR_SYSENTER_EIP, "SYSENTER_EIP");
		address_msr(MSR_SYSENTER_ESP, "SYSENTER_ESP");
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "RDMSR and WRMSR of an unimplemented MSR raise #GP(0)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
