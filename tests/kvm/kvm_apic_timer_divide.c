// SPDX-License-Identifier: MIT
/*
 * Local APIC timer divide configuration (xAPIC, in-kernel LAPIC): TDCR
 * bits 0, 1 and 3 select the divisor (1011b: 1, 0000b: 2, 0001b: 4,
 * 0010b: 8, 0011b: 16, 1000b: 32, 1001b: 64, 1010b: 128) and read back as
 * written; the current count decreases at the bus rate divided by it, so
 * the rate measured against the TSC with divisor d is the divide-by-1
 * rate over d (within 25 %, for 2, 4, 16 and 128).  The timer runs
 * masked, one-shot from FFFFFFFFH: no interrupt is involved.
 *
 * Where it is written: Intel SDM Vol. 3A 11.5.4 "APIC Timer" ("the
 * timer's time base is the processor's bus clock ... divided by the value
 * specified in the divide configuration register"), Figure 11-10 "Divide
 * Configuration Register" (the encodings above).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* TSC cycles per measurement: long against an exit's jitter (~1 ms, TCG) */
#define WINDOW	50000000ULL

static const struct {
	unsigned int divisor, bits;
} divs[] = {
	{ 1, 0xb }, { 2, 0x0 }, { 4, 0x1 }, { 16, 0x3 }, { 128, 0xa },
};

/*
 * Timer counts per million TSC cycles with TDCR = bits.  Each read of
 * TMCCT is an exit that may take long (much longer under TCG), so its
 * time is the middle of the TSC values around it.
 */
static uint64_t rate(unsigned int bits)
{
	uint64_t t0, t1, a, b;
	uint32_t c0, c1;

	kvm_apic_write(APIC_LVTT, APIC_LVT_MASKED);
	kvm_apic_write(APIC_TDCR, bits);
	kvm_apic_write(APIC_TMICT, 0xffffffffU);
	a = kvm_rdtsc();
	c0 = kvm_apic_read(APIC_TMCCT);
	b = kvm_rdtsc();
	t0 = a + (b - a) / 2;
	while (kvm_rdtsc() - t0 < WINDOW)
		asm volatile("pause" : : : "memory");
	a = kvm_rdtsc();
	c1 = kvm_apic_read(APIC_TMCCT);
	b = kvm_rdtsc();
	t1 = a + (b - a) / 2;
	kvm_apic_write(APIC_TMICT, 0);
	return (uint64_t)(c0 - c1) * 1000000 / (t1 - t0);
}

void main(void)
{
	uint64_t r[5], base;
	unsigned int i, bad = 0, tdcr;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC is 0: no local APIC");
	kvm_apic_enable();
	for (i = 0; i < 8; i++) {
		static const unsigned int all[] = { 0, 1, 2, 3, 8, 9, 0xa, 0xb };

		kvm_apic_write(APIC_TDCR, all[i]);
		tdcr = kvm_apic_read(APIC_TDCR);
		if ((tdcr & 0xb) != all[i]) {
			tst_res(TFAIL, "TDCR written 0x%x reads 0x%x", all[i],
				tdcr);
			bad++;
		}
	}
	if (!bad)
		tst_res(TPASS, "TDCR reads back each of the 8 divide encodings");

	for (i = 0; i < 5; i++)
		r[i] = rate(divs[i].bits);
	base = r[0];
	if (!base)
		tst_brk(TFAIL, "the masked timer did not count with divide by 1");
	bad = 0;
	for (i = 1; i < 5; i++) {
		/* r[i] * d against base, within 25 % */
		uint64_t scaled = r[i] * divs[i].divisor;

		if (scaled * 4 < base * 3 || scaled * 4 > base * 5) {
			tst_res(TFAIL, "divide by %u: %llu counts per 1M TSC cycles, divide by 1: %llu (ratio should be %u)",
				divs[i].divisor, (unsigned long long)r[i],
				(unsigned long long)base, divs[i].divisor);
			bad++;
		}
	}
	if (!bad)
		tst_res(TPASS, "count rates per 1M TSC cycles: %llu (/1), %llu (/2), %llu (/4), %llu (/16), %llu (/128): each the /1 rate over its divisor within 25 %%",
			(unsigned long long)r[0], (unsigned long long)r[1],
			(unsigned long long)r[2], (unsigned long long)r[3],
			(unsigned long long)r[4]);
	kvm_apic_timer_stop();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "Local APIC timer divide configuration (xAPIC, in-kernel LAPIC)",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,timer" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
