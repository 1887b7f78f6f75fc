// SPDX-License-Identifier: MIT
/*
 * Local APIC timer, TSC-deadline mode (xAPIC, in-kernel LAPIC; TCONF
 * without CPUID.1:ECX.TSC_Deadline): with the LVT timer in mode 10b, a
 * write of a TSC value to IA32_TSC_DEADLINE (6E0H) arms the timer; the
 * interrupt, with the LVT vector, arrives once and not before the TSC
 * reaches the deadline (the handler's RDTSC is at least the deadline),
 * and the MSR reads 0 afterwards; writing 0 disarms an armed timer (no
 * interrupt for several times the delay); a deadline already passed
 * fires at once.  In this mode TMICT is ignored and TMCCT reads 0.
 *
 * Where it is written: Intel SDM Vol. 3A 11.5.4.1 "TSC-Deadline Mode"
 * ("the timer generates an interrupt ... when the TSC reaches the value
 * in IA32_TSC_DEADLINE ... then disarms itself, clears the MSR"; "writing
 * 0 to the IA32_TSC_DEADLINE MSR disarms the local-APIC timer"; "if
 * software writes a value less than the current TSC, the interrupt is
 * generated immediately"; "writes to the initial-count register are
 * ignored; reads of the current-count register always return 0"), Figure
 * 11-8 (LVT timer mode 10b).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define VEC		0x63
#define DELAY		4000000ULL	/* TSC cycles to the deadline */
#define BUDGET		4000000000ULL	/* TSC cycles before giving up */

static volatile unsigned int hits;
static volatile unsigned int seen_vector;
static volatile uint32_t count_in_handler;
static volatile uint64_t tsc_in_handler;

static int on_timer(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	(void)ifrm;
	(void)errcode;
	seen_vector = (uintptr_t)userdata;
	tsc_in_handler = kvm_rdtsc();
	count_in_handler = kvm_apic_read(APIC_TMCCT);
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

static void wait_hit(void)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (!hits && kvm_rdtsc() - start < BUDGET)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void check_fires(void)
{
	uint64_t deadline, msr_armed, msr_after;

	hits = 0;
	kvm_irq_disable();
	deadline = kvm_rdtsc() + DELAY;
	kvm_tsc_deadline_arm(VEC, deadline);
	msr_armed = kvm_rdmsr(MSR_IA32_TSC_DEADLINE);
	kvm_apic_write(APIC_TMICT, 12345);	/* ignored in this mode */
	if (msr_armed != deadline || kvm_apic_read(APIC_TMCCT) != 0)
		tst_res(TFAIL, "armed: IA32_TSC_DEADLINE reads 0x%llx (wrote 0x%llx), TMCCT %llu after a TMICT write (must read 0)",
			(unsigned long long)msr_armed,
			(unsigned long long)deadline,
			(unsigned long long)kvm_apic_read(APIC_TMCCT));
	else
		tst_res(TPASS, "armed: IA32_TSC_DEADLINE reads the deadline, TMCCT reads 0 despite a TMICT write");
	wait_hit();
	spin_for(2 * DELAY);
	msr_after = kvm_rdmsr(MSR_IA32_TSC_DEADLINE);
	if (hits == 1 && seen_vector == VEC && tsc_in_handler >= deadline &&
	    msr_after == 0)
		tst_res(TPASS, "fired once with vector 0x%x, %llu TSC cycles after the deadline; the MSR reads 0",
			VEC, (unsigned long long)(tsc_in_handler - deadline));
	else
		tst_res(TFAIL, "%u interrupts (vector 0x%x), TSC in the handler %lld from the deadline, MSR 0x%llx afterwards",
			hits, seen_vector,
			(long long)(tsc_in_handler - deadline),
			(unsigned long long)msr_after);
}

static void check_disarm(void)
{
	hits = 0;
	kvm_irq_disable();
	kvm_tsc_deadline_arm(VEC, kvm_rdtsc() + DELAY);
	kvm_wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	spin_for(4 * DELAY);
	if (hits)
		tst_res(TFAIL, "writing 0 to IA32_TSC_DEADLINE did not disarm: %u interrupts",
			hits);
	else
		tst_res(TPASS, "writing 0 to IA32_TSC_DEADLINE disarmed the timer (nothing in 4 times the delay)");
}

static void check_past(void)
{
	hits = 0;
	kvm_irq_disable();
	kvm_tsc_deadline_arm(VEC, kvm_rdtsc() - 1000);
	wait_hit();
	if (hits == 1)
		tst_res(TPASS, "a deadline already passed fires at once");
	else
		tst_res(TFAIL, "a deadline already passed: %u interrupts", hits);
}

void main(void)
{
	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC is 0: no local APIC");
	if (!kvm_tsc_deadline_supported())
		tst_brk(TCONF, "CPUID.1:ECX.TSC_Deadline is 0");
	tst_set_interrupt_callback(VEC, on_timer, (void *)(uintptr_t)VEC);
	kvm_apic_enable();
	check_fires();
	check_disarm();
	check_past();
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
	.kvmkit_desc = "Local APIC timer, TSC-deadline mode (xAPIC, in-kernel LAPIC)",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,timer" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
