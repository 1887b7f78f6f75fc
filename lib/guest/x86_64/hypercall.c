// SPDX-License-Identifier: MIT
/*
 * The x86 doorbell: one 32-bit OUT of the hypercall number to
 * KVMKIT_HC_PORT, the cheapest exit to the host's user space.  Its
 * arguments are already in the result page, so the memory clobber is
 * what makes the page complete before the host looks.
 */
#include "../internal.h"

void kvmkit_arch_hypercall(unsigned int nr)
{
	asm volatile("outl %0, %w1"
		     :
		     : "a"(nr), "Nd"((uint16_t)KVMKIT_HC_PORT)
		     : "memory");
}

void kvmkit_arch_stop(void)
{
	/*
	 * The host ends the iteration on EXIT; should it resume anyway,
	 * ask again rather than run into whatever follows.
	 */
	for (;;) {
		kvmkit_arch_hypercall(KVMKIT_HC_EXIT);
		asm volatile("hlt" : : : "memory");
	}
}

void kvmkit_arch_cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

void kvm_yield(void)
{
	asm volatile("hlt" : : : "memory");
}
