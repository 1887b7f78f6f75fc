// SPDX-License-Identifier: MIT
/*
 * Guest runtime: the local APIC through the in-kernel LAPIC of a split
 * irqchip (tst_kvm_set_irqchip(); apic_full.c: the full in-kernel one).  The APICBASE MSR, ID and version are
 * sane; a self-IPI reaches its callback with its ISR bit set there and
 * clear after EOI (and waits in the IRR while IF=0); the one-shot LVT
 * timer fires exactly once; the periodic one at least 3 times and not
 * after kvm_apic_timer_stop(); the TSC-deadline timer fires, and not
 * before the deadline; then the same in x2APIC mode through MSRs.  A
 * feature CPUID does not offer is a TCONF with its name.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define VEC_IPI		0x40
#define VEC_ONESHOT	0x41
#define VEC_PERIODIC	0x42
#define VEC_DEADLINE	0x43

static volatile unsigned int hits;
static volatile int isr_in_handler, isr_after_eoi;
static volatile uint64_t tsc_in_handler;

static int on_timer(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	unsigned int vector = (uintptr_t)userdata;

	(void)ifrm;
	(void)errcode;
	tsc_in_handler = kvm_rdtsc();
	isr_in_handler = kvm_apic_isr(vector);
	kvm_apic_eoi();
	isr_after_eoi = kvm_apic_isr(vector);
	hits++;
	return 1;
}

static void reset_counts(void)
{
	hits = 0;
	isr_in_handler = -1;
	isr_after_eoi = -1;
	tsc_in_handler = 0;
}

/* Halt until hits >= n (each interrupt wakes the HLT); IF=0 on return */
static void wait_hits(unsigned int n)
{
	for (;;) {
		kvm_irq_disable();
		if (hits >= n)
			return;
		kvm_safe_halt();
	}
}

/* Spin with interrupts on for `cycles` TSC cycles */
static void spin(uint64_t cycles)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (kvm_rdtsc() - start < cycles)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void check_ipi(const char *mode)
{
	int irr;

	reset_counts();
	kvm_irq_disable();
	kvm_apic_self_ipi(VEC_IPI);
	irr = kvm_apic_irr(VEC_IPI);
	if (hits || !irr)
		tst_res(TFAIL, "%s self-IPI with IF=0: %u deliveries, IRR bit %d (expected 0, 1)",
			mode, hits, irr);
	wait_hits(1);
	if (hits == 1 && isr_in_handler == 1 && isr_after_eoi == 0 &&
	    !kvm_apic_irr(VEC_IPI))
		tst_res(TPASS, "%s self-IPI 0x%x: delivered once after STI, ISR set in the callback and clear after EOI",
			mode, VEC_IPI);
	else if (hits == 1 && isr_in_handler == 0 && isr_after_eoi == 0 &&
		 !kvm_apic_read(APIC_PPR))
		/*
		 * kvm_pvm: the vector is delivered once, but no ISR bit (or
		 * PPR) is set while its handler runs
		 */
		tst_res(TCONF, "%s self-IPI 0x%x: delivered once after STI, but this KVM keeps no in-service state (ISR bit and PPR 0 in the callback; kvm_pvm)",
			mode, VEC_IPI);
	else
		tst_res(TFAIL, "%s self-IPI 0x%x: %u deliveries, ISR %d in the callback, %d after EOI",
			mode, VEC_IPI, hits, isr_in_handler, isr_after_eoi);
}

static void check_oneshot(const char *mode)
{
	uint64_t start, dt;
	unsigned int seen;

	reset_counts();
	start = kvm_rdtsc();
	kvm_apic_timer_oneshot(VEC_ONESHOT, 200000, 1);
	wait_hits(1);
	dt = kvm_rdtsc() - start;
	/* five more of its periods: a one-shot timer stays quiet */
	spin(5 * dt + 1000);
	seen = hits;
	if (seen == 1 && isr_after_eoi == 0 && kvm_apic_read(APIC_TMCCT) == 0)
		tst_res(TPASS, "%s one-shot timer: fired once (%llu TSC cycles), quiet for 5 times as long, current count 0",
			mode, (unsigned long long)dt);
	else
		tst_res(TFAIL, "%s one-shot timer: %u interrupts, ISR %d/%d, current count %llu",
			mode, seen, isr_in_handler, isr_after_eoi,
			(unsigned long long)kvm_apic_read(APIC_TMCCT));
	kvm_apic_timer_stop();
}

static void check_periodic(const char *mode)
{
	uint64_t start, dt;
	unsigned int seen;
	int pending;

	reset_counts();
	start = kvm_rdtsc();
	kvm_apic_timer_periodic(VEC_PERIODIC, 200000, 2);
	wait_hits(3);
	dt = kvm_rdtsc() - start;
	kvm_apic_timer_stop();
	/* one period may have ended since: masking keeps it in the IRR */
	pending = kvm_apic_irr(VEC_PERIODIC);
	seen = hits + pending;
	spin(dt + 1000);	/* as long as three periods took */
	if (seen >= 3 && hits == seen && isr_after_eoi == 0)
		tst_res(TPASS, "%s periodic timer: %u interrupts in %llu TSC cycles, none after stop",
			mode, seen, (unsigned long long)dt);
	else
		tst_res(TFAIL, "%s periodic timer: %u interrupts, %u after stop, ISR after EOI %d",
			mode, seen, hits - seen, isr_after_eoi);
}

static void check_deadline(const char *mode)
{
	uint64_t deadline;

	if (!kvm_tsc_deadline_supported()) {
		if (kvm_tsc_deadline_arm(VEC_DEADLINE, kvm_rdtsc() + 1000) != -1)
			tst_res(TFAIL, "kvm_tsc_deadline_arm() did not refuse without CPUID.1:ECX.TSC_DEADLINE");
		tst_res(TCONF, "%s TSC-deadline timer: CPUID.1:ECX.TSC_DEADLINE is 0",
			mode);
		return;
	}
	reset_counts();
	deadline = kvm_rdtsc() + 2000000;
	if (kvm_tsc_deadline_arm(VEC_DEADLINE, deadline)) {
		tst_res(TFAIL, "%s kvm_tsc_deadline_arm() refused", mode);
		return;
	}
	wait_hits(1);
	spin(4000000);
	if (hits == 1 && tsc_in_handler >= deadline &&
	    kvm_rdmsr(MSR_IA32_TSC_DEADLINE) == 0)
		tst_res(TPASS, "%s TSC-deadline timer: fired once, %llu cycles after the deadline, MSR cleared",
			mode, (unsigned long long)(tsc_in_handler - deadline));
	else
		tst_res(TFAIL, "%s TSC-deadline timer: %u interrupts, TSC in the callback %lld from the deadline, MSR 0x%llx",
			mode, hits, (long long)(tsc_in_handler - deadline),
			(unsigned long long)kvm_rdmsr(MSR_IA32_TSC_DEADLINE));
	kvm_apic_timer_stop();
}

static void check_all(const char *mode)
{
	check_ipi(mode);
	check_oneshot(mode);
	check_periodic(mode);
	check_deadline(mode);
}

void main(void)
{
	uint64_t base;
	uint32_t id, lvr;
	unsigned int v;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC is 0: no local APIC");
	for (v = VEC_IPI; v <= VEC_DEADLINE; v++)
		tst_set_interrupt_callback(v, on_timer, (void *)(uintptr_t)v);

	base = kvm_rdmsr(MSR_IA32_APICBASE);
	kvm_apic_enable();
	id = kvm_apic_id();
	lvr = kvm_apic_read(APIC_LVR);
	if ((base & ~0xfffULL) == APIC_DEFAULT_BASE &&
	    (base & APICBASE_BSP) && (base & APICBASE_ENABLE) &&
	    !(base & APICBASE_X2APIC) && id == 0 &&
	    (lvr & 0xff) >= 0x10 && (lvr & 0xff) <= 0x15 &&
	    ((lvr >> 16) & 0xff) >= 4)
		tst_res(TPASS, "APICBASE 0x%llx (xAPIC, enabled, BSP), ID %u, version 0x%x with %u LVT entries",
			(unsigned long long)base, id, lvr & 0xff,
			((lvr >> 16) & 0xff) + 1);
	else
		tst_res(TFAIL, "APICBASE 0x%llx, ID %u, version register 0x%x",
			(unsigned long long)base, id, lvr);

	check_all("xAPIC");

	if (!kvm_x2apic_supported()) {
		tst_res(TCONF, "x2APIC: CPUID.1:ECX.x2APIC is 0");
		return;
	}
	if (kvm_x2apic_enable()) {
		tst_res(TFAIL, "x2APIC offered by CPUID but enabling it faulted");
		return;
	}
	base = kvm_rdmsr(MSR_IA32_APICBASE);
	if ((base & APICBASE_X2APIC) && kvm_apic_id() == id &&
	    kvm_rdmsr(MSR_X2APIC_BASE + (APIC_LVR >> 4)) == lvr)
		tst_res(TPASS, "x2APIC mode: APICBASE 0x%llx, ID %u and version through MSRs",
			(unsigned long long)base, kvm_apic_id());
	else
		tst_res(TFAIL, "x2APIC mode: APICBASE 0x%llx, ID %u, version 0x%llx",
			(unsigned long long)base, kvm_apic_id(),
			(unsigned long long)kvm_rdmsr(MSR_X2APIC_BASE + (APIC_LVR >> 4)));
	check_all("x2APIC");
}

#else /* COMPILE_PAYLOAD */

/* apic_full.c runs the same checks with KVM_CREATE_IRQCHIP */
#ifndef APIC_IRQCHIP
#define APIC_IRQCHIP TST_KVM_IRQCHIP_SPLIT
#define APIC_DESC "split irqchip"
#endif

static void setup(void)
{
	tst_kvm_set_irqchip(APIC_IRQCHIP);
	tst_kvm_setup();
}

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "local APIC (" APIC_DESC "): self-IPI, one-shot/periodic/TSC-deadline timers, xAPIC and x2APIC",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
