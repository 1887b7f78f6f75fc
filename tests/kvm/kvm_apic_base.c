// SPDX-License-Identifier: MIT
/*
 * IA32_APIC_BASE (MSR 1BH) of vCPU 0: after reset the base is FEE00000H,
 * the APIC is enabled (bit 11) and the BSP flag (bit 8) is set; WRMSR that
 * sets a reserved bit (7:0, 9, or an address bit at or above MAXPHYADDR)
 * raises #GP(0) and leaves the MSR alone; where CPUID offers x2APIC, the
 * invalid state EXTD = 1 with EN = 0 is refused with #GP(0), and where it
 * does not, bit 10 (EXTD) is reserved.
 *
 * Where it is written: Intel SDM Vol. 3A 11.4.4 "Local APIC Status and
 * Location" (Figure 11-5: BSP bit 8, APIC global enable bit 11, base
 * FEE00000H at power-up, bits 0-7 and 9 reserved, bits MAXPHYADDR-63
 * reserved); 11.12.1 and 11.12.5 "x2APIC State Transitions" (Table 11-5:
 * EN = 0 EXTD = 1 is invalid; a WRMSR attempting it raises #GP); Vol. 2B
 * "WRMSR" (#GP(0) for reserved bits).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MSR_IA32_APICBASE	0x1b
#define APIC_BSP		(1ULL << 8)
#define APIC_EXTD		(1ULL << 10)
#define APIC_EN			(1ULL << 11)

static uint64_t base;

static void bad(const char *what, uint64_t val)
{
	uint64_t now;
	int v = wrmsr_safe(MSR_IA32_APICBASE, val);

	now = kvm_rdmsr(MSR_IA32_APICBASE);
	if (v == NO_EXCEPTION)
		wrmsr_safe(MSR_IA32_APICBASE, base);
	if (suite_expect(what, INTR_GPF, 0, SUITE_FAULT) && now != base)
		tst_res(TFAIL, "%s: MSR changed to 0x%llx after #GP", what,
			(unsigned long long)now);
}

void main(void)
{
	unsigned int maxphy = suite_maxphyaddr();
	char what[80];

	if (!(suite_cpuid(1, 0).edx & 1U << 9))
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0");
	suite_catch_all();
	base = kvm_rdmsr(MSR_IA32_APICBASE);
	if ((base & ~0xfffULL) == 0xfee00000 && (base & APIC_EN) &&
	    (base & APIC_BSP) && !(base & APIC_EXTD))
		tst_res(TPASS, "IA32_APIC_BASE 0x%llx: base FEE00000H, EN, BSP",
			(unsigned long long)base);
	else
		tst_res(TFAIL, "IA32_APIC_BASE 0x%llx, expected 0xfee00900 (base FEE00000H, EN, BSP, xAPIC mode)",
			(unsigned long long)base);

	bad("IA32_APIC_BASE bit 0 (reserved) set", base | 1);
	bad("IA32_APIC_BASE bit 7 (reserved) set", base | 1ULL << 7);
	bad("IA32_APIC_BASE bit 9 (reserved) set", base | 1ULL << 9);
	if (maxphy < 64) {
		snprintf(what, sizeof(what),
			 "IA32_APIC_BASE bit %u (MAXPHYADDR) set", maxphy);
		bad(what, base | 1ULL << maxphy);
	}
	if (suite_cpuid(1, 0).ecx & 1U << 21)
		bad("IA32_APIC_BASE EXTD = 1 with EN = 0 (invalid state)",
		    (base & ~APIC_EN) | APIC_EXTD);
	else
		bad("IA32_APIC_BASE EXTD (bit 10) without x2APIC in CPUID",
		    base | APIC_EXTD);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "IA32_APIC_BASE (MSR 1BH) of vCPU 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,apic" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
