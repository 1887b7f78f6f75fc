// SPDX-License-Identifier: MIT
/*
 * IA32_PAT (MSR 277H): its power-up/reset value is 0007040600070406H (PA0
 * WB, PA1 WT, PA2 UC-, PA3 UC, repeated); the memory types 2, 3 and 8-255
 * are reserved, and WRMSR with a reserved type in any of the eight fields
 * raises #GP(0) and leaves the MSR alone; every valid type (0, 1, 4, 5,
 * 6, 7) is accepted in every field and reads back.
 *
 * Where it is written: Intel SDM Vol. 3A 12.12.2 "IA32_PAT MSR" (Table
 * 12-10 memory type encodings, "reserved; generates #GP"; Table 12-12
 * "Memory Type Setting of PAT Entries Following a Power-up or Reset");
 * AMD APM Vol. 2 7.8.1 "PAT Register".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MSR_IA32_PAT	0x277
#define PAT_RESET	0x0007040600070406ULL

void main(void)
{
	static const unsigned int reserved[] = { 2, 3, 8, 0x80, 0xff };
	static const unsigned int valid[] = { 0, 1, 4, 5, 6, 7 };
	uint64_t pat;
	unsigned int i, field;
	char what[80];
	int bad = 0;

	suite_catch_all();
	if (!(suite_cpuid(1, 0).edx & 1U << 16))
		tst_brk(TCONF, "CPUID.1:EDX.PAT = 0");

	pat = kvm_rdmsr(MSR_IA32_PAT);
	if (pat == PAT_RESET)
		tst_res(TPASS, "IA32_PAT at reset: 0x%016llx", (unsigned long long)pat);
	else
		tst_res(TFAIL, "IA32_PAT at reset: 0x%016llx, expected 0x%016llx",
			(unsigned long long)pat, PAT_RESET);

	for (field = 0; field < 8; field += 3) {
		for (i = 0; i < ARRAY_SIZE(reserved); i++) {
			uint64_t val = (PAT_RESET & ~(0xffULL << field * 8)) |
				       (uint64_t)reserved[i] << field * 8;

			snprintf(what, sizeof(what), "IA32_PAT PA%u = 0x%x (reserved)",
				 field, reserved[i]);
			if (wrmsr_safe(MSR_IA32_PAT, val) == NO_EXCEPTION)
				tst_res(TINFO, "%s: write of 0x%016llx accepted, reads back 0x%016llx",
					what, (unsigned long long)val,
					(unsigned long long)kvm_rdmsr(MSR_IA32_PAT));
			if (suite_expect(what, INTR_GPF, 0, SUITE_FAULT) &&
			    kvm_rdmsr(MSR_IA32_PAT) != PAT_RESET)
				tst_res(TFAIL, "%s: PAT changed to 0x%llx", what,
					(unsigned long long)kvm_rdmsr(MSR_IA32_PAT));
			kvm_wrmsr(MSR_IA32_PAT, PAT_RESET);
		}
	}

	for (field = 0; field < 8; field++) {
		for (i = 0; i < ARRAY_SIZE(valid); i++) {
			uint64_t val = (PAT_RESET & ~(0xffULL << field * 8)) |
				       (uint64_t)valid[i] << field * 8;
			uint64_t got = 0;

			if (wrmsr_safe(MSR_IA32_PAT, val) == NO_EXCEPTION)
				got = kvm_rdmsr(MSR_IA32_PAT);
			if (suite_trap.count || got != val) {
				tst_res(TFAIL, "IA32_PAT PA%u = %u: %s, read 0x%llx",
					field, valid[i],
					suite_vector_name(suite_trap.vector),
					(unsigned long long)got);
				bad = 1;
			}
		}
	}
	kvm_wrmsr(MSR_IA32_PAT, PAT_RESET);
	if (!bad)
		tst_res(TPASS, "IA32_PAT: types 0 1 4 5 6 7 accepted in all 8 fields");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "IA32_PAT (MSR 277H)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
