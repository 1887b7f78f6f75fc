// SPDX-License-Identifier: MIT
/*
 * Interrupt flag, local APIC (xAPIC MMIO and x2APIC MSRs), its timer in
 * one-shot, periodic and TSC-deadline modes.  Register offsets and bits
 * are the Intel SDM's (vol. 3A, chapter 11 "Advanced Programmable
 * Interrupt Controller").  They need an in-kernel LAPIC on the host side
 * (tst_kvm_set_irqchip()).
 */
#include "frame.h"

#define SPURIOUS_VECTOR 0xff

/* Each CPU's own LAPIC mode: set by kvm_x2apic_enable() on that CPU */
static volatile unsigned char x2apic_on[KVMKIT_GUEST_MAX_CPUS];
#define x2apic (x2apic_on[kvm_cpu_id()])
static int mmio_mapped;
static volatile uint32_t *mmio;

void kvm_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

void kvm_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

void kvm_safe_halt(void)
{
	/* STI's one-instruction shadow: nothing is taken before the HLT */
	asm volatile("sti; hlt" : : : "memory");
}

uint64_t kvm_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static unsigned int cpuid1(int edx)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(CPUID_GET_MODEL_INFO, 0, &buf);
	return edx ? buf.edx : buf.ecx;
}

int kvm_apic_present(void)
{
	return !!(cpuid1(1) & CPUID1_EDX_APIC);
}

int kvm_x2apic_supported(void)
{
	return !!(cpuid1(0) & CPUID1_ECX_X2APIC);
}

int kvm_tsc_deadline_supported(void)
{
	return !!(cpuid1(0) & CPUID1_ECX_TSC_DEADLINE);
}

int kvm_x2apic_mode(void)
{
	return x2apic;
}

static void map_mmio(void)
{
	uint64_t base = kvm_rdmsr(MSR_IA32_APICBASE) & ~0xfffULL &
			0xffffffffffULL;

	if (mmio_mapped && (uintptr_t)mmio == base)
		return;
	if (kvm_map_page(base, base, KVM_PAGE_WRITE | KVM_PAGE_PCD |
			 KVM_PAGE_PWT))
		tst_brk(TBROK, "cannot map the xAPIC page at 0x%llx",
			(unsigned long long)base);
	mmio = (volatile uint32_t *)(uintptr_t)base;
	mmio_mapped = 1;
}

uint64_t kvm_apic_read(unsigned int reg)
{
	if (x2apic)
		return kvm_rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	map_mmio();
	return mmio[reg / 4];
}

void kvm_apic_write(unsigned int reg, uint64_t val)
{
	if (x2apic) {
		kvm_wrmsr(MSR_X2APIC_BASE + (reg >> 4), val);
		return;
	}
	map_mmio();
	if (reg == APIC_ICR) {
		/* ICR2 (destination) first: the low write sends */
		mmio[APIC_ICR2 / 4] = (uint32_t)(val >> 32);
		mmio[APIC_ICR / 4] = (uint32_t)val;
		return;
	}
	mmio[reg / 4] = (uint32_t)val;
}

void kvm_apic_enable(void)
{
	uint64_t base = kvm_rdmsr(MSR_IA32_APICBASE);

	if (!(base & APICBASE_ENABLE))
		kvm_wrmsr(MSR_IA32_APICBASE, base | APICBASE_ENABLE);
	if (!(kvm_apic_read(APIC_SPIV) & APIC_SPIV_ENABLE))
		kvm_apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
}

int kvm_x2apic_enable(void)
{
	uint64_t base;

	if (!kvm_x2apic_supported())
		return -1;
	base = kvm_rdmsr(MSR_IA32_APICBASE);
	/* xAPIC -> x2APIC needs EN set, and both bits in one write */
	if (kvm_wrmsr_safe(MSR_IA32_APICBASE,
			   base | APICBASE_ENABLE | APICBASE_X2APIC))
		return -1;
	x2apic_on[kvm_cpu_id()] = 1;
	kvm_apic_enable();
	return 0;
}

uint32_t kvm_apic_id(void)
{
	uint32_t id = kvm_apic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

void kvm_apic_eoi(void)
{
	kvm_apic_write(APIC_EOI, 0);
}

static int vector_bit(unsigned int base, unsigned int vector)
{
	vector &= 0xff;
	return (kvm_apic_read(base + (vector / 32) * 0x10) >>
		(vector % 32)) & 1;
}

int kvm_apic_isr(unsigned int vector)
{
	return vector_bit(APIC_ISR, vector);
}

int kvm_apic_irr(unsigned int vector)
{
	return vector_bit(APIC_IRR, vector);
}

void kvm_apic_self_ipi(unsigned int vector)
{
	kvm_apic_enable();
	if (x2apic) {
		kvm_apic_write(APIC_SELF_IPI, vector & 0xff);
		return;
	}
	/* fixed, physical, edge, assert, shorthand self */
	kvm_apic_write(APIC_ICR, APIC_ICR_SELF | APIC_ICR_ASSERT | (vector & 0xff));
	while (kvm_apic_read(APIC_ICR) & APIC_ICR_BUSY)
		kvmkit_arch_cpu_relax();
}

/*
 * An IPI to another CPU (SDM vol. 3A 11.6.1 "Interrupt Command Register"):
 * the ICR's low half as given, physical destination mode, no shorthand,
 * to APIC id dest.  xAPIC: destination in ICR bits 63:56 (ICR2), sent by
 * the write of the low half, then wait for the delivery status to clear;
 * x2APIC: one WRMSR of the whole ICR, destination in bits 63:32 (11.12.9),
 * no delivery status.
 */
void kvm_apic_send_icr(uint32_t dest, uint32_t low)
{
	kvm_apic_enable();
	if (x2apic) {
		kvm_apic_write(APIC_ICR, (uint64_t)dest << 32 | low);
		return;
	}
	kvm_apic_write(APIC_ICR, (uint64_t)(dest & 0xff) << 56 | low);
	while (kvm_apic_read(APIC_ICR) & APIC_ICR_BUSY)
		kvmkit_arch_cpu_relax();
}

void kvm_apic_send_ipi(uint32_t dest, unsigned int vector)
{
	/* fixed delivery, physical, edge, assert */
	kvm_apic_send_icr(dest, APIC_ICR_ASSERT | (vector & 0xff));
}

void kvm_apic_send_nmi(uint32_t dest)
{
	kvm_apic_send_icr(dest, APIC_ICR_ASSERT | APIC_ICR_NMI);
}

/* SDM table 11-? (Divide Configuration Register): bits 3, 1:0 */
static uint32_t divide_bits(unsigned int divide)
{
	switch (divide) {
	case 2: return 0x0;
	case 4: return 0x1;
	case 8: return 0x2;
	case 16: return 0x3;
	case 32: return 0x8;
	case 64: return 0x9;
	case 128: return 0xa;
	}
	return 0xb;	/* divide by 1 */
}

static void timer_start(unsigned int vector, uint32_t count,
			unsigned int divide, uint32_t mode)
{
	kvm_apic_enable();
	kvm_apic_write(APIC_LVTT, APIC_LVT_MASKED);
	kvm_apic_write(APIC_TMICT, 0);
	kvm_apic_write(APIC_TDCR, divide_bits(divide));
	kvm_apic_write(APIC_LVTT, mode | (vector & 0xff));
	kvm_apic_write(APIC_TMICT, count);
}

void kvm_apic_timer_oneshot(unsigned int vector, uint32_t count,
			    unsigned int divide)
{
	timer_start(vector, count, divide, 0);
}

void kvm_apic_timer_periodic(unsigned int vector, uint32_t count,
			     unsigned int divide)
{
	timer_start(vector, count, divide, APIC_LVT_PERIODIC);
}

void kvm_apic_timer_stop(void)
{
	kvm_apic_write(APIC_LVTT, APIC_LVT_MASKED);
	kvm_apic_write(APIC_TMICT, 0);
	if (kvm_tsc_deadline_supported())
		kvm_wrmsr(MSR_IA32_TSC_DEADLINE, 0);
}

int kvm_tsc_deadline_arm(unsigned int vector, uint64_t tsc)
{
	if (!kvm_tsc_deadline_supported())
		return -1;
	kvm_apic_enable();
	kvm_apic_write(APIC_LVTT, APIC_LVT_TSC_DEADLINE | (vector & 0xff));
	/* SDM: the LVT write must be ordered before the MSR write */
	asm volatile("mfence" : : : "memory");
	kvm_wrmsr(MSR_IA32_TSC_DEADLINE, tsc);
	return 0;
}
