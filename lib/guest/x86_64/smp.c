// SPDX-License-Identifier: MIT
/*
 * Several CPUs: which CPU this is, the APs' idle loop and kvm_smp_call()
 * (spinlocks and the barrier are in ../lock.c).  The host has booted every CPU in 64-bit mode
 * with its own stack, GDT and TSS (abi.h, KVMKIT_GUEST_CPUS()), so there
 * is no trampoline here: an AP's first instruction is kvmkit_ap_entry
 * (entry.S), which calls kvmkit_smp_ap_main().
 *
 * Everything waits by spinning with PAUSE, never with HLT: without an
 * in-kernel irqchip HLT is an exit to the host, with one it needs an
 * interrupt to end, and neither is what a test of KVM should depend on.
 */
#include "frame.h"

void kvmkit_smp_ap_main(unsigned int cpu) __attribute__((noreturn));

static const struct kvmkit_smp_desc *smp_desc(void)
{
	return (const struct kvmkit_smp_desc *)(uintptr_t)kvmkit_header.smp;
}

unsigned int kvm_cpu_count(void)
{
	const struct kvmkit_smp_desc *d = smp_desc();

	return d ? d->cpus : 1;
}

static uintptr_t cpu_area(unsigned int cpu)
{
	const struct kvmkit_smp_desc *d = smp_desc();

	if (!d || !cpu || cpu >= d->cpus)
		return 0;
	return d->areas + (uintptr_t)(cpu - 1) * KVMKIT_CPU_AREA_SIZE;
}

/* CPUID.01H:EBX[31:24], the initial APIC id; the host sets it per vCPU */
static unsigned int initial_apic_id(void)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(CPUID_GET_MODEL_INFO, 0, &buf);
	return buf.ebx >> 24;
}

/*
 * Each CPU has its own GDT (abi.h), and SGDT does not exit where KVM
 * runs the guest on hardware: so the GDT base names the CPU.  A test
 * that loaded a GDT of its own falls back to CPUID.
 */
unsigned int kvm_cpu_id(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} gdtr;
	const struct kvmkit_smp_desc *d = smp_desc();
	uint64_t off;

	if (!d)
		return 0;
	asm volatile("sgdt %0" : "=m"(gdtr));
	if (gdtr.base == (uintptr_t)kvm_gdt)
		return 0;
	if (gdtr.base >= d->areas + KVMKIT_CPU_GDT) {
		off = gdtr.base - d->areas - KVMKIT_CPU_GDT;
		if (!(off % KVMKIT_CPU_AREA_SIZE) &&
		    off / KVMKIT_CPU_AREA_SIZE + 1 < d->cpus)
			return off / KVMKIT_CPU_AREA_SIZE + 1;
	}
	return initial_apic_id();
}

volatile struct tst_kvm_result *kvmkit_cpu_result(void)
{
	uintptr_t area = cpu_area(kvm_cpu_id());

	if (!area)
		return kvmkit_result0;
	return (volatile struct tst_kvm_result *)(area + KVMKIT_CPU_RESULT);
}

void *kvm_cpu_stack_top(unsigned int cpu)
{
	uintptr_t area = cpu_area(cpu);

	if (!cpu)
		return kvm_stack_top;
	return area ? (void *)(area + KVMKIT_CPU_STACK_TOP) : NULL;
}

uintptr_t kvm_cpu_tss(unsigned int cpu)
{
	uintptr_t area = cpu_area(cpu);

	if (!cpu)
		return (uintptr_t)&kvm_tss;
	return area ? area + KVMKIT_CPU_TSS : 0;
}

/* ---- kvm_smp_call() and the APs' idle loop ----------------------------- */

/*
 * One call at a time, published by generation: an AP runs the call when
 * the generation moves past the last one it ran, then counts itself out
 * of pending.  CPU 0 waits for pending to reach 0 before it returns, so
 * no AP can miss a call or run one twice.
 */
static struct {
	void (*volatile fn)(void *arg);
	void *volatile arg;
	volatile uint32_t generation;
	volatile uint32_t pending;
	volatile uint32_t busy;
} call;

void kvm_smp_call_async(void (*fn)(void *arg), void *arg)
{
	unsigned int n = kvm_cpu_count(), cpu = kvm_cpu_id();

	if (cpu)
		tst_brk(TBROK, "kvm_smp_call() on CPU %u: only CPU 0 may call it",
			cpu);
	if (call.busy)
		tst_brk(TBROK, "kvm_smp_call() while the last call still runs (inside it, or before kvm_smp_wait())");
	call.busy = 1;
	call.fn = fn;
	call.arg = arg;
	__atomic_store_n(&call.pending, n - 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&call.generation, 1, __ATOMIC_RELEASE);
}

void kvm_smp_wait(void)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE))
		kvmkit_spin_wait(&spins);
	call.busy = 0;
}

void kvm_smp_call(void (*fn)(void *arg), void *arg)
{
	kvm_smp_call_async(fn, arg);
	fn(arg);
	kvm_smp_wait();
}

void kvmkit_smp_ap_main(unsigned int cpu)
{
	uint32_t seen = 0, gen;
	unsigned int spins = 0;

	(void)cpu;	/* kvm_cpu_id() finds it from the GDT */
	for (;;) {
		while ((gen = __atomic_load_n(&call.generation,
					      __ATOMIC_ACQUIRE)) == seen)
			kvmkit_spin_wait(&spins);
		seen = gen;
		call.fn(call.arg);
		__atomic_sub_fetch(&call.pending, 1, __ATOMIC_RELEASE);
	}
}
