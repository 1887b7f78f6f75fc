// SPDX-License-Identifier: MIT
/*
 * MTRR MSRs: IA32_MTRR_DEF_TYPE (2FFH) accepts E, FE and a valid default
 * type and reads them back, and refuses with #GP(0) a reserved memory type
 * (2, 3, 7, 8+) and a reserved bit (9:8, 63:12); a variable-range
 * IA32_MTRR_PHYSBASE0 (200H) refuses a reserved type and a 1 in its
 * reserved bits 11:8; IA32_MTRR_PHYSMASK0 (201H) refuses a 1 in bits 10:0;
 * both refuse an address bit at or above MAXPHYADDR; a fixed-range MTRR
 * (IA32_MTRR_FIX64K_00000, 250H) refuses a reserved type in any of its
 * eight bytes.  Every refused write leaves the MSR alone.
 *
 * Where it is written: Intel SDM Vol. 3A 12.11.2.1 "IA32_MTRR_DEF_TYPE
 * MSR" (Figure 12-6), 12.11.2.2 "Fixed Range MTRRs", 12.11.2.3 "Variable
 * Range MTRRs" (Figure 12-7); Table 12-8 "Memory Types That Can Be Encoded
 * in MTRRs" (0, 1, 4, 5, 6; others reserved); 12.11.1 ("Attempting to
 * write an undefined memory type encoding into an MTRR or a reserved bit
 * generates a general-protection exception (#GP)"); IA32_MTRRCAP (FEH) VCNT
 * and FIX.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MTRRCAP		0xfe
#define DEF_TYPE	0x2ff
#define PHYSBASE0	0x200
#define PHYSMASK0	0x201
#define FIX64K		0x250

static void bad(uint32_t msr, const char *what, uint64_t val)
{
	uint64_t old = kvm_rdmsr(msr), now;
	int v = wrmsr_safe(msr, val);

	now = kvm_rdmsr(msr);
	if (v == NO_EXCEPTION)
		kvm_wrmsr(msr, old);
	if (suite_expect(what, INTR_GPF, 0, SUITE_FAULT) && now != old)
		tst_res(TFAIL, "%s: MSR changed to 0x%llx after #GP", what,
			(unsigned long long)now);
}

static void good(uint32_t msr, const char *what, uint64_t val)
{
	uint64_t old = kvm_rdmsr(msr), now;

	wrmsr_safe(msr, val);
	now = kvm_rdmsr(msr);
	kvm_wrmsr(msr, old);
	if (suite_expect_none(what) && now != val)
		tst_res(TFAIL, "%s: reads back 0x%llx, wrote 0x%llx", what,
			(unsigned long long)now, (unsigned long long)val);
}

void main(void)
{
	static const unsigned int types[] = { 2, 3, 7, 8, 0xff };
	uint64_t cap, maxbit = 1ULL << suite_maxphyaddr();
	unsigned int i;
	char what[80];

	if (!(suite_cpuid(1, 0).edx & 1U << 12))
		tst_brk(TCONF, "CPUID.1:EDX.MTRR = 0");
	suite_catch_all();
	cap = kvm_rdmsr(MTRRCAP);
	tst_res(TINFO, "IA32_MTRRCAP 0x%llx: %u variable ranges, fixed %s",
		(unsigned long long)cap, (unsigned int)(cap & 0xff),
		cap & 1 << 8 ? "yes" : "no");

	good(DEF_TYPE, "MTRR_DEF_TYPE = E | FE | WB", 0xc06);
	good(DEF_TYPE, "MTRR_DEF_TYPE = E | UC", 0x800);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		snprintf(what, sizeof(what), "MTRR_DEF_TYPE type %u (reserved)",
			 types[i]);
		bad(DEF_TYPE, what, 0x800 | types[i]);
	}
	bad(DEF_TYPE, "MTRR_DEF_TYPE bit 8 (reserved)", 0x906);
	bad(DEF_TYPE, "MTRR_DEF_TYPE bit 12 (reserved)", 0x1806);
	bad(DEF_TYPE, "MTRR_DEF_TYPE bit 63 (reserved)", 0x806 | 1ULL << 63);

	if (!(cap & 0xff)) {
		tst_res(TCONF, "IA32_MTRRCAP.VCNT = 0: no variable ranges");
	} else {
		good(PHYSBASE0, "MTRR_PHYSBASE0 = 0x100000 WB", 0x100006);
		bad(PHYSBASE0, "MTRR_PHYSBASE0 type 2 (reserved)", 0x100002);
		bad(PHYSBASE0, "MTRR_PHYSBASE0 bit 8 (reserved)", 0x100106);
		if (maxbit) {
			bad(PHYSBASE0, "MTRR_PHYSBASE0 bit MAXPHYADDR",
			    maxbit | 6);
			bad(PHYSMASK0, "MTRR_PHYSMASK0 bit MAXPHYADDR",
			    maxbit | 0x800);
		}
		bad(PHYSMASK0, "MTRR_PHYSMASK0 bit 0 (reserved)",
		    (maxbit - 0x100000) | 0x801);
	}
	if (!(cap & 1 << 8)) {
		tst_res(TCONF, "IA32_MTRRCAP.FIX = 0: no fixed ranges");
	} else {
		good(FIX64K, "MTRR_FIX64K_00000 = all WB", 0x0606060606060606ULL);
		bad(FIX64K, "MTRR_FIX64K_00000 byte 0 type 2", 0x0606060606060602ULL);
		bad(FIX64K, "MTRR_FIX64K_00000 byte 7 type 3", 0x0306060606060606ULL);
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "MTRR MSRs",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
