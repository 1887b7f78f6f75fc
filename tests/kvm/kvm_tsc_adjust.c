// SPDX-License-Identifier: MIT
/*
 * IA32_TSC_ADJUST (MSR 3BH): writing it adds the difference to the TSC;
 * writing IA32_TIME_STAMP_COUNTER adds the same difference to
 * IA32_TSC_ADJUST; without CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST[bit 1] the
 * MSR does not exist (#GP(0) on RDMSR and WRMSR).
 *
 * Where it is written: Intel SDM Vol. 3B 18.17.3 "Time-Stamp Counter
 * Adjustment" ("If an execution of WRMSR to the IA32_TSC_ADJUST MSR adds
 * (or subtracts) value X from that MSR, the logical processor also adds
 * (or subtracts) value X from the TSC"; "If an execution of WRMSR to the
 * IA32_TIME_STAMP_COUNTER MSR adds (or subtracts) value X from the TSC,
 * the logical processor also adds (or subtracts) value X from the
 * IA32_TSC_ADJUST MSR"); Vol. 4 Table 2-2 (3BH, "If CPUID.(EAX=07H,
 * ECX=0H): EBX[1] = 1"); Vol. 2B RDMSR/WRMSR (#GP(0) for an MSR that is
 * not implemented).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MSR_IA32_TSC		0x10
#define MSR_IA32_TSC_ADJUST	0x3b

/* Elapsed cycles the checks allow between two reads: 2^36 is ~20 s at 3 GHz */
#define SLACK			(1ULL << 36)
#define STEP			(1ULL << 44)

static int near(uint64_t got, uint64_t want)
{
	return got - want < SLACK;	/* got in [want, want + SLACK) */
}

static void adjust_moves_tsc(void)
{
	uint64_t adj0 = kvm_rdmsr(MSR_IA32_TSC_ADJUST), adj1, t0, t1;

	t0 = rdtsc();
	kvm_wrmsr(MSR_IA32_TSC_ADJUST, adj0 + STEP);
	t1 = rdtsc();
	adj1 = kvm_rdmsr(MSR_IA32_TSC_ADJUST);
	if (adj1 != adj0 + STEP)
		tst_res(TFAIL, "IA32_TSC_ADJUST = 0x%llx read back 0x%llx",
			(unsigned long long)(adj0 + STEP), (unsigned long long)adj1);
	else if (!near(t1, t0 + STEP))
		tst_res(TFAIL, "IA32_TSC_ADJUST += 2^44: TSC went from 0x%llx to 0x%llx, expected +2^44 (+ elapsed)",
			(unsigned long long)t0, (unsigned long long)t1);
	else
		tst_res(TPASS, "IA32_TSC_ADJUST += 2^44 added 2^44 to the TSC (+%llu elapsed)",
			(unsigned long long)(t1 - t0 - STEP));
	kvm_wrmsr(MSR_IA32_TSC_ADJUST, adj0);
}

static void tsc_moves_adjust(void)
{
	uint64_t adj0 = kvm_rdmsr(MSR_IA32_TSC_ADJUST), adj1, t0, t1, delta;

	t0 = rdtsc();
	kvm_wrmsr(MSR_IA32_TSC, t0 + STEP);
	t1 = rdtsc();
	adj1 = kvm_rdmsr(MSR_IA32_TSC_ADJUST);
	/* the write added STEP minus the cycles between the RDTSC and it */
	delta = adj1 - adj0;
	if (!near(t1, t0 + STEP))
		tst_res(TFAIL, "IA32_TSC = TSC + 2^44: TSC went from 0x%llx to 0x%llx",
			(unsigned long long)t0, (unsigned long long)t1);
	else if (delta > STEP || STEP - delta >= SLACK)
		tst_res(TFAIL, "IA32_TSC += ~2^44: IA32_TSC_ADJUST went from 0x%llx to 0x%llx, expected + ~2^44",
			(unsigned long long)adj0, (unsigned long long)adj1);
	else
		tst_res(TPASS, "IA32_TSC += ~2^44 added it to IA32_TSC_ADJUST too (2^44 - %llu)",
			(unsigned long long)(STEP - delta));
	kvm_wrmsr(MSR_IA32_TSC_ADJUST, adj0);
}

static void absent(void)
{
	uint64_t v;

	suite_begin();
	asm volatile(SUITE_TRY("rdmsr") : "=a"(v) : "c"(MSR_IA32_TSC_ADJUST) : "rdx", "memory");
	suite_end();
	suite_expect("RDMSR IA32_TSC_ADJUST without CPUID TSC_ADJUST", INTR_GPF, 0, SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY("wrmsr") : : "c"(MSR_IA32_TSC_ADJUST), "a"(0), "d"(0) : "memory");
	suite_end();
	suite_expect("WRMSR IA32_TSC_ADJUST without CPUID TSC_ADJUST", INTR_GPF, 0, SUITE_FAULT);
}

void main(void)
{
	suite_catch_all();
	if (suite_max_leaf() < 7 || !(suite_cpuid7().ebx & 1U << 1)) {
		tst_res(TINFO, "CPUID.7.0:EBX.TSC_ADJUST = 0: the MSR must not exist");
		absent();
	} else {
		adjust_moves_tsc();
		tsc_moves_adjust();
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "IA32_TSC_ADJUST (MSR 3BH)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,tsc" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
