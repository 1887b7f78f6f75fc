// SPDX-License-Identifier: MIT
/*
 * Four vCPUs started by the host straight into long mode: exactly one is
 * the bootstrap processor.  IA32_APIC_BASE.BSP (bit 8) reads 1 on CPU 0
 * and 0 on every other CPU; each CPU's initial APIC id (CPUID.01H:EBX
 * bits 31:24, as the host set it per vCPU) is its own and distinct; with
 * an in-kernel LAPIC, its APIC ID register (xAPIC: bits 31:24 of the
 * register at FEE00020H) reads the same id, and in x2APIC mode (where
 * CPUID offers it) the 32-bit x2APIC ID (MSR 802H) too.
 *
 * Where it is written: Intel SDM Vol. 3A 11.4.4 "Local APIC Status and
 * Location" (Figure 11-5: BSP flag, bit 8 of IA32_APIC_BASE, set only in
 * the processor selected as BSP); 9.4 "Multiple-Processor (MP)
 * Initialization" (one BSP, the others APs); 11.4.6 "Local APIC ID" (the
 * local APIC ID is the initial APIC ID, also returned in CPUID.01H:EBX
 * bits 31:24); 11.12.5.1 "x2APIC States" / 11.12.2 "x2APIC Register
 * Availability" (x2APIC ID, MSR 802H, the initial APIC ID in x2APIC
 * mode).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define CPUS	4

KVMKIT_GUEST_CPUS(CPUS);

struct id {
	volatile uint64_t apic_base;
	volatile unsigned int initial, xapic, x2apic, visits;
	volatile int x2;
};

static struct id ids[CPUS];
static volatile int try_x2;

static void read_ids(void *arg)
{
	unsigned int cpu = kvm_cpu_id();
	struct kvm_cpuid c;
	struct id *me;

	(void)arg;
	if (cpu >= CPUS)
		return;
	me = &ids[cpu];
	kvm_get_cpuid(1, 0, &c);
	me->apic_base = kvm_rdmsr(MSR_IA32_APICBASE);
	me->initial = c.ebx >> 24;
	me->xapic = kvm_apic_id();
	me->x2 = 0;
	if (try_x2 && !kvm_x2apic_enable()) {
		me->x2 = 1;
		me->x2apic = kvm_rdmsr(MSR_X2APIC_BASE + (APIC_ID >> 4));
	}
	__atomic_add_fetch(&me->visits, 1, __ATOMIC_SEQ_CST);
}

void main(void)
{
	unsigned int i, j, bsps = 0, fails = 0;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC");
	try_x2 = kvm_x2apic_supported();
	kvm_smp_call(read_ids, NULL);
	for (i = 0; i < CPUS; i++) {
		const struct id *d = &ids[i];
		int bsp = !!(d->apic_base & APICBASE_BSP);

		bsps += bsp;
		if (d->visits != 1) {
			tst_res(TFAIL, "CPU %u ran the call %u times", i, d->visits);
			fails++;
			continue;
		}
		if (bsp != (i == 0)) {
			tst_res(TFAIL, "CPU %u: IA32_APIC_BASE 0x%llx, BSP flag %d (want %d)",
				i, (unsigned long long)d->apic_base, bsp, i == 0);
			fails++;
		}
		if (d->initial != i || d->xapic != i) {
			tst_res(TFAIL, "CPU %u: initial APIC id (CPUID) %u, APIC ID register %u (want %u)",
				i, d->initial, d->xapic, i);
			fails++;
		}
		if (d->x2 && d->x2apic != i) {
			tst_res(TFAIL, "CPU %u: x2APIC ID (MSR 802H) %u (want %u)",
				i, d->x2apic, i);
			fails++;
		}
		for (j = 0; j < i; j++) {
			if (ids[j].initial == d->initial) {
				tst_res(TFAIL, "CPUs %u and %u share initial APIC id %u",
					j, i, d->initial);
				fails++;
			}
		}
	}
	if (bsps != 1) {
		tst_res(TFAIL, "%u CPUs have IA32_APIC_BASE.BSP set, want exactly 1",
			bsps);
		fails++;
	}
	if (!fails)
		tst_res(TPASS, "%u CPUs: BSP flag only on CPU 0; initial APIC id, APIC ID register%s each its own",
			CPUS, try_x2 ? " and x2APIC ID" : "");
	if (!try_x2)
		tst_res(TCONF, "CPUID.1:ECX.x2APIC = 0: the x2APIC ID was not read");
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	/* the APIC ID register needs the LAPIC in the kernel */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "Four vCPUs started in long mode: exactly one BSP, distinct APIC ids",
	.test_all = tst_kvm_run,
	.setup = setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,smp" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
