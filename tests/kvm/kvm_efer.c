// SPDX-License-Identifier: MIT
/*
 * IA32_EFER (MSR C000_0080H) in 64-bit mode: WRMSR with a reserved bit
 * set raises #GP(0); so does setting a feature bit whose CPUID flag is
 * clear (SVME without SVM, NXE without XD/NX, FFXSR without FFXSR) and
 * clearing LME while paging is on.  LME and LMA read as 1 in 64-bit mode,
 * and the writable bits the CPUID offers (SCE, NXE) can be toggled and
 * read back.
 *
 * Where it is written: Intel SDM Vol. 4 Table 2-2 "IA32_EFER" (bits 7:1,
 * 9 and 63:12 reserved; bit 10 LMA read-only); Vol. 2B "WRMSR" (#GP(0) "If
 * the value in EDX:EAX sets bits that are reserved in the MSR"); Vol. 3A
 * 9.8.5 "Initializing IA-32e Mode" (LME cannot change while CR0.PG = 1,
 * #GP).  AMD APM Vol. 2 3.1.7 "Extended Feature Enable Register" (SVME,
 * FFXSR, reserved bits MBZ, #GP) and CPUID Fn8000_0001 EDX/ECX.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define EFER_FFXSR	(1ULL << 14)

static uint64_t efer;

static void bad(const char *what, uint64_t val)
{
	uint64_t now;
	int v = wrmsr_safe(MSR_EFER, val);

	now = kvm_rdmsr(MSR_EFER);
	if (v == NO_EXCEPTION)
		wrmsr_safe(MSR_EFER, efer);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
	if (v == NO_EXCEPTION)
		tst_res(TINFO, "%s: write of 0x%llx accepted, EFER read back 0x%llx",
			what, (unsigned long long)val, (unsigned long long)now);
	else if (now != efer)
		tst_res(TFAIL, "%s: EFER changed to 0x%llx after #GP", what,
			(unsigned long long)now);
}

static void good(const char *what, uint64_t val)
{
	uint64_t now;

	wrmsr_safe(MSR_EFER, val);
	now = kvm_rdmsr(MSR_EFER);
	kvm_wrmsr(MSR_EFER, efer);
	if (suite_expect_none(what) && now != val)
		tst_res(TFAIL, "%s: EFER reads 0x%llx, expected 0x%llx", what,
			(unsigned long long)now, (unsigned long long)val);
}

void main(void)
{
	struct kvm_cpuid e1 = suite_cpuid_ext1();
	int amd = suite_vendor_is("AuthenticAMD") || suite_vendor_is("HygonGenuine");
	static const unsigned int reserved[] = { 1, 2, 7, 9, 16, 31, 32, 63 };
	char what[64];
	unsigned int i;

	suite_catch_all();
	efer = kvm_rdmsr(MSR_EFER);

	if ((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA))
		tst_res(TPASS, "EFER 0x%llx: LME and LMA set in 64-bit mode",
			(unsigned long long)efer);
	else
		tst_res(TFAIL, "EFER 0x%llx: LME or LMA clear in 64-bit mode",
			(unsigned long long)efer);

	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		/* AMD defines bits 16+ piecemeal; test only 32 and 63 there */
		if (amd && reserved[i] >= 16 && reserved[i] < 32)
			continue;
		snprintf(what, sizeof(what), "EFER bit %u (reserved) set",
			 reserved[i]);
		bad(what, efer | 1ULL << reserved[i]);
	}
	bad("EFER.LME cleared with CR0.PG = 1", efer & ~(uint64_t)EFER_LME);

	if (!(e1.ecx & 1U << 2))
		bad("EFER.SVME set, CPUID 8000_0001H:ECX.SVM = 0",
		    efer | EFER_SVME);
	if (!(e1.edx & 1U << 20))
		bad("EFER.NXE set, CPUID 8000_0001H:EDX.NX = 0", efer | EFER_NXE);
	else
		good("EFER.NXE toggled", efer ^ EFER_NXE);
	if (!(e1.edx & 1U << 25))
		bad("EFER.FFXSR set, CPUID 8000_0001H:EDX.FFXSR = 0",
		    efer | EFER_FFXSR);
	if (e1.edx & 1U << 11)
		good("EFER.SCE toggled", efer ^ EFER_SCE);

	if (kvm_rdmsr(MSR_EFER) != efer)
		tst_res(TFAIL, "EFER 0x%llx at the end, 0x%llx at the start",
			(unsigned long long)kvm_rdmsr(MSR_EFER),
			(unsigned long long)efer);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "IA32_EFER (MSR C000_0080H) in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
