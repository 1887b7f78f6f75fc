// SPDX-License-Identifier: MIT
/*
 * MOV to CR4 in 64-bit mode: setting a reserved bit raises #GP(0), and so
 * does setting a feature bit whose CPUID feature flag is clear (the bit is
 * then reserved); clearing PAE or changing LA57 while IA-32e mode is
 * active raises #GP(0); setting PCIDE with CR3[11:0] != 0 raises #GP(0).
 * Feature bits the CPUID does offer and that are harmless at CPL 0 with
 * supervisor-only pages are set, read back and cleared without exception.
 *
 * Where it is written: Intel SDM Vol. 2B "MOV - Move to/from Control
 * Registers", 64-Bit Mode Exceptions (#GP(0) "If an attempt is made to
 * write a 1 to any reserved bit in CR4", "If an attempt is made to clear
 * CR4.PAE", "If an attempt is made to change CR4.PCIDE from 0 to 1 while
 * CR3[11:0] != 000H", "If an attempt is made to change CR4.LA57"); Vol. 3A
 * 2.5 "Control Registers" and 2.6 (reserved bits; a CR4 bit is reserved
 * when its CPUID flag reports the feature absent).  CPUID flags: Vol. 2A
 * "CPUID", Table 3-10 and leaf 07H.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

struct cr4_bit {
	unsigned int bit;
	const char *name;
	int supported;
	int safe;		/* may be set and cleared here */
};

static unsigned long cr4;

static void bad(const char *what, unsigned long val)
{
	int v = write_cr4_safe(val);
	unsigned long now = kvm_read_cr4();

	if (v == NO_EXCEPTION)
		write_cr4_safe(cr4);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
	if (v == NO_EXCEPTION && val >> 32 && !(now >> 32) &&
	    (uint32_t)now == (uint32_t)val)
		tst_res(TINFO, "%s: write of 0x%lx accepted, CR4 read back 0x%lx: bits 63:32 dropped, as by KVM's instruction emulator (emulator_set_cr() hands kvm_set_cr4() mk_cr_64(old, (u32)val))",
			what, val, now);
	else if (v == NO_EXCEPTION)
		tst_res(TINFO, "%s: write of 0x%lx accepted, CR4 read back 0x%lx",
			what, val, now);
	else if (now != cr4)
		tst_res(TFAIL, "%s: CR4 changed to 0x%lx after #GP", what, now);
}

static void good(const char *what, unsigned long val)
{
	unsigned long now;

	write_cr4_safe(val);
	now = kvm_read_cr4();
	kvm_set_cr4(cr4);
	if (suite_expect_none(what) && now != val)
		tst_res(TFAIL, "%s: CR4 reads 0x%lx, expected 0x%lx", what, now,
			val);
}

void main(void)
{
	struct kvm_cpuid l1 = suite_cpuid(1, 0), l7 = suite_cpuid7();
	struct kvm_cpuid l71 = { 0 };
	struct cr4_bit bits[] = {
		{ 13, "VMXE", !!(l1.ecx & 1U << 5), 0 },
		{ 14, "SMXE", !!(l1.ecx & 1U << 6), 0 },
		{ 16, "FSGSBASE", !!(l7.ebx & 1U << 0), 1 },
		{ 17, "PCIDE", !!(l1.ecx & 1U << 17), 1 },
		{ 18, "OSXSAVE", !!(l1.ecx & 1U << 26), 1 },
		{ 20, "SMEP", !!(l7.ebx & 1U << 7), 1 },
		{ 21, "SMAP", !!(l7.ebx & 1U << 20), 1 },
		{ 22, "PKE", !!(l7.ecx & 1U << 3), 1 },
		{ 11, "UMIP", !!(l7.ecx & 1U << 2), 1 },
		{ 19, "KL", !!(l7.ecx & 1U << 23), 0 },
		{ 23, "CET", !!(l7.ecx & 1U << 7), 0 },
		{ 24, "PKS", !!(l7.ecx & 1U << 31), 0 },
		{ 25, "UINTR", !!(l7.edx & 1U << 5), 0 },
		{ 28, "LAM_SUP", 0, 0 },
		{ 32, "FRED", 0, 0 },
	};
	char what[96];
	unsigned int i;

	if (suite_max_leaf() >= 7 && suite_cpuid(7, 0).eax >= 1) {
		l71 = suite_cpuid(7, 1);
		bits[13].supported = !!(l71.eax & 1U << 26);
		bits[14].supported = !!(l71.eax & 1U << 17);
	}

	suite_catch_all();
	cr4 = kvm_read_cr4();
	tst_res(TINFO, "CR4 0x%lx; CPUID.1:ECX 0x%08x, CPUID.7.0:EBX 0x%08x ECX 0x%08x EDX 0x%08x, CPUID.7.1:EAX 0x%08x",
		cr4, l1.ecx, l7.ebx, l7.ecx, l7.edx, l71.eax);

	bad("CR4 bit 15 (reserved) set", cr4 | 1UL << 15);
	bad("CR4 bit 63 (reserved) set", cr4 | 1UL << 63);
	bad("CR4.PAE cleared in IA-32e mode", cr4 & ~(unsigned long)CR4_PAE);
	bad("CR4.LA57 changed in IA-32e mode", cr4 ^ CR4_LA57);

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		unsigned long val = cr4 | 1UL << bits[i].bit;

		if (cr4 & 1UL << bits[i].bit)
			continue;
		if (!bits[i].supported) {
			snprintf(what, sizeof(what),
				 "CR4.%s (bit %u) set, CPUID says unsupported",
				 bits[i].name, bits[i].bit);
			bad(what, val);
		} else if (bits[i].safe) {
			snprintf(what, sizeof(what),
				 "CR4.%s (bit %u) set and cleared, CPUID says supported",
				 bits[i].name, bits[i].bit);
			good(what, val);
		}
	}

	if (l1.ecx & 1U << 17) {
		unsigned long cr3 = kvm_read_cr3();

		if (cr3 & 0xfff)
			tst_res(TCONF, "CR3[11:0] is already non-zero");
		else if (write_cr3_safe(cr3 | 0x8) == NO_EXCEPTION) {
			bad("CR4.PCIDE set with CR3[11:0] = 0x008",
			    cr4 | CR4_PCIDE);
			kvm_set_cr3(cr3);
		} else {
			suite_expect_none("CR3 with PWT (bit 3) set");
		}
	}
	if (kvm_read_cr4() != cr4)
		tst_res(TFAIL, "CR4 0x%lx at the end, 0x%lx at the start",
			kvm_read_cr4(), cr4);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "MOV to CR4 in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "control-registers,cpuid,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
