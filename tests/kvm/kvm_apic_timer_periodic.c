// SPDX-License-Identifier: MIT
/*
 * Local APIC timer, periodic mode (xAPIC, in-kernel LAPIC): the timer
 * interrupts again and again with the LVT vector; after each expiry the
 * current count (TMCCT) is reloaded from the initial count, so TMCCT read
 * in the handlers is at most the initial count and above 0 (a one-shot
 * timer reads 0 there; a handler that runs late, on a loaded host, may
 * meet the instant of the reload, so 0 is not judged) while TMICT keeps
 * the value written; once the LVT entry is masked and TMICT zeroed no
 * further interrupt arrives.
 *
 * Where it is written: Intel SDM Vol. 3A 11.5.4 "APIC Timer" (periodic
 * mode: "the current-count register is automatically reloaded from the
 * initial-count register when the count reaches 0 and a timer interrupt
 * is generated, and the count-down is repeated"; "a write of 0 to the
 * initial-count register effectively stops the local APIC timer, in both
 * one-shot and periodic mode"), Figure 11-8 (LVT timer mode bits 18:17 =
 * 01b periodic).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define VEC		0x62
#define COUNT		500000		/* about 0.5 ms with KVM's 1 GHz APIC bus */
#define TIMES		5
#define BUDGET		4000000000ULL	/* TSC cycles before giving up */

static volatile unsigned int hits;
static volatile unsigned int seen_vector;
static volatile uint32_t count_in_handler;
static volatile uint32_t count_min = ~0U, count_max;

static int on_timer(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	(void)ifrm;
	(void)errcode;
	seen_vector = (uintptr_t)userdata;
	count_in_handler = kvm_apic_read(APIC_TMCCT);
	if (count_in_handler < count_min)
		count_min = count_in_handler;
	if (count_in_handler > count_max)
		count_max = count_in_handler;
	hits++;
	kvm_apic_eoi();
	return 1;
}

static void spin_for(uint64_t cycles)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (kvm_rdtsc() - start < cycles)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void check_periodic(void)
{
	uint32_t c, prev = ~0U, lvtt;
	unsigned int reloads = 0;
	uint64_t start = kvm_rdtsc(), dt;

	hits = 0;
	kvm_irq_disable();
	kvm_apic_timer_periodic(VEC, COUNT, 1);
	lvtt = kvm_apic_read(APIC_LVTT);
	/* Sample TMCCT with interrupts on until TIMES interrupts came */
	kvm_irq_enable();
	while (hits < TIMES && kvm_rdtsc() - start < BUDGET) {
		c = kvm_apic_read(APIC_TMCCT);
		if (c > prev)
			reloads++;
		prev = c;
	}
	kvm_irq_disable();
	dt = kvm_rdtsc() - start;
	if ((lvtt & (3 << 17)) != APIC_LVT_PERIODIC || (lvtt & 0xff) != VEC)
		tst_res(TFAIL, "LVT timer reads 0x%x after writing periodic mode, vector 0x%x",
			lvtt, VEC);
	if (hits >= TIMES && seen_vector == VEC)
		tst_res(TPASS, "periodic timer: %u interrupts with vector 0x%x in %llu TSC cycles",
			hits, VEC, (unsigned long long)dt);
	else
		tst_res(TFAIL, "periodic timer: %u interrupts (vector 0x%x) in %llu TSC cycles, expected %u",
			hits, seen_vector, (unsigned long long)dt, TIMES);
	if (count_max > 0 && count_max <= COUNT &&
	    kvm_apic_read(APIC_TMICT) == COUNT)
		tst_res(TPASS, "TMCCT in the handlers %u to %u: reloaded from TMICT, which still reads %u (%u rises seen between them)",
			count_min, count_max, COUNT, reloads);
	else
		tst_res(TFAIL, "TMCCT in the handlers %u to %u (a reload gives up to %u, some above 0), TMICT reads %llu",
			count_min, count_max, COUNT,
			(unsigned long long)kvm_apic_read(APIC_TMICT));

	kvm_apic_timer_stop();
	/* One may have expired meanwhile: masking keeps it in the IRR */
	c = hits + kvm_apic_irr(VEC);
	spin_for(dt);
	if (hits <= c)
		tst_res(TPASS, "no interrupt after masking the entry and writing TMICT 0 (%llu TSC cycles)",
			(unsigned long long)dt);
	else
		tst_res(TFAIL, "%u interrupts after masking the entry and writing TMICT 0",
			hits - c);
}

void main(void)
{
	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC is 0: no local APIC");
	tst_set_interrupt_callback(VEC, on_timer, (void *)(uintptr_t)VEC);
	kvm_apic_enable();
	check_periodic();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "Local APIC timer, periodic mode (xAPIC, in-kernel LAPIC)",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,timer" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
