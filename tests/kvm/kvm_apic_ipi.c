// SPDX-License-Identifier: MIT
/*
 * Interprocessor interrupts between two vCPUs through KVM's in-kernel
 * local APICs: CPU 0 sends a fixed IPI to CPU 1 (physical destination,
 * APIC id 1), CPU 1 answers with another vector to CPU 0; each arrives
 * on the CPU it was sent to, with its own vector, exactly once, with its
 * ISR bit set in the handler and clear after EOI, and nothing left in
 * the IRR.  First in xAPIC mode (ICR through MMIO, delivery status idle
 * after the send), then, where CPUID offers it, in x2APIC mode (ICR as
 * one MSR write, destination in bits 63:32).  Each CPU's APIC ID register
 * must also read its own id.
 *
 * Where it is written: Intel SDM Vol. 3A 11.6 "Issuing Interprocessor
 * Interrupts" (11.6.1, Figure 11-12: vector bits 7:0, delivery mode
 * 10:8 = 000 fixed, destination mode bit 11 = 0 physical, delivery
 * status bit 12, level bit 14, destination field 63:56); 11.8.4
 * "Interrupt Acceptance for Fixed Interrupts" (the IRR bit is set on
 * acceptance, moved to the ISR when the core takes the interrupt);
 * 11.8.5 "Signaling Interrupt Servicing Completion" (EOI clears the
 * highest ISR bit); 11.12.9 "ICR Operation in x2APIC Mode" (64-bit ICR,
 * destination in bits 63:32, no delivery status); 11.4.6 "Local APIC ID"
 * (a physical IPI goes to the APIC whose ID matches).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define VEC_TO_AP	0x50
#define VEC_TO_BSP	0x51
#define SPIN_LIMIT	50000000ULL	/* TSC ticks: well beyond any delivery */

KVMKIT_GUEST_CPUS(2);

struct hit {
	volatile unsigned int count;
	volatile unsigned int cpu;
	volatile int isr_in, isr_after, irr_after;
};

static struct hit hits[256];
static volatile int ap_ready, ap_done, mode_x2;
static volatile unsigned int ap_apic_id;

static int on_ipi(void *userdata, struct kvm_interrupt_frame *ifrm,
		  unsigned long errcode)
{
	unsigned int vector = (uintptr_t)userdata;
	struct hit *h = &hits[vector];

	(void)ifrm;
	(void)errcode;
	h->cpu = kvm_cpu_id();
	h->isr_in = kvm_apic_isr(vector);
	kvm_apic_eoi();
	h->isr_after = kvm_apic_isr(vector);
	h->irr_after = kvm_apic_irr(vector);
	__atomic_add_fetch(&h->count, 1, __ATOMIC_SEQ_CST);
	return 1;
}

/* Wait with interrupts on until h has count hits, or the TSC limit */
static int wait_hit(struct hit *h, unsigned int count)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (__atomic_load_n(&h->count, __ATOMIC_SEQ_CST) < count) {
		if (kvm_rdtsc() - start > SPIN_LIMIT)
			break;
		asm volatile("pause" : : : "memory");
	}
	kvm_irq_disable();
	return h->count >= count;
}

/* CPU 1: take the IPI, answer it, until CPU 0 says the mode is done */
static void ap_side(void *arg)
{
	(void)arg;
	if (mode_x2 && kvm_x2apic_enable())
		tst_brk(TBROK, "x2APIC enable failed on CPU 1");
	kvm_apic_enable();
	ap_apic_id = kvm_apic_id();
	ap_ready = 1;
	if (wait_hit(&hits[VEC_TO_AP], 1))
		kvm_apic_send_ipi(0, VEC_TO_BSP);
	ap_done = 1;
}

static void check_hit(const char *mode, unsigned int vector, unsigned int cpu,
		      int arrived)
{
	struct hit *h = &hits[vector];

	if (!arrived) {
		tst_res(TFAIL, "%s: IPI vector 0x%x to CPU %u never arrived",
			mode, vector, cpu);
		return;
	}
	if (h->count != 1 || h->cpu != cpu) {
		tst_res(TFAIL, "%s: IPI vector 0x%x to CPU %u arrived %u times, on CPU %u",
			mode, vector, cpu, h->count, h->cpu);
		return;
	}
	tst_res(TPASS, "%s: IPI vector 0x%x reached CPU %u, once", mode, vector,
		cpu);
	if (h->isr_in != 1 || h->isr_after != 0 || h->irr_after != 0)
		tst_res(TFAIL, "%s: vector 0x%x on CPU %u: ISR %d in the handler, ISR %d and IRR %d after EOI (want 1, 0, 0)",
			mode, vector, cpu, h->isr_in, h->isr_after, h->irr_after);
	else
		tst_res(TPASS, "%s: vector 0x%x on CPU %u: ISR set in the handler, ISR and IRR clear after EOI",
			mode, vector, cpu);
}

static void run_mode(const char *mode, int x2)
{
	int to_ap, to_bsp;

	memset((void *)hits, 0, sizeof(hits));
	ap_ready = ap_done = 0;
	mode_x2 = x2;
	if (x2 && kvm_x2apic_enable())
		tst_brk(TBROK, "x2APIC enable failed on CPU 0");
	kvm_apic_enable();
	kvm_smp_call_async(ap_side, NULL);
	while (!ap_ready)
		asm volatile("pause" : : : "memory");
	if (ap_apic_id != 1 || kvm_apic_id() != 0)
		tst_res(TFAIL, "%s: APIC ID registers read %u (CPU 0) and %u (CPU 1)",
			mode, kvm_apic_id(), ap_apic_id);
	kvm_apic_send_ipi(1, VEC_TO_AP);
	if (!x2 && (kvm_apic_read(APIC_ICR) & APIC_ICR_BUSY))
		tst_res(TFAIL, "%s: ICR delivery status still pending after the send",
			mode);
	to_bsp = wait_hit(&hits[VEC_TO_BSP], 1);
	to_ap = hits[VEC_TO_AP].count > 0;
	kvm_smp_wait();
	check_hit(mode, VEC_TO_AP, 1, to_ap);
	check_hit(mode, VEC_TO_BSP, 0, to_bsp);
}

void main(void)
{
	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC");
	tst_set_interrupt_callback(VEC_TO_AP, on_ipi, (void *)VEC_TO_AP);
	tst_set_interrupt_callback(VEC_TO_BSP, on_ipi, (void *)VEC_TO_BSP);
	run_mode("xAPIC", 0);
	if (!kvm_x2apic_supported()) {
		tst_res(TCONF, "CPUID.1:ECX.x2APIC = 0: x2APIC IPIs not tested");
		return;
	}
	run_mode("x2APIC", 1);
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	/* IPIs need the LAPICs in the kernel; the split irqchip is enough */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "Interprocessor interrupts between two vCPUs through KVM's in-kernel local APICs",
	.test_all = tst_kvm_run,
	.setup = setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,interrupts,smp" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
