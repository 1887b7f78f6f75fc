// SPDX-License-Identifier: MIT
/*
 * The mode-neutral one-instruction helpers of kvm_x86.h for the 32-bit
 * runtime.  In the 64-bit runtime they live beside the code that needs
 * long mode (x86_64/apic.c maps the xAPIC with kvm_map_page(),
 * x86_64/paging.c edits 4-level tables), which the 32-bit runtime does
 * not have, so they are repeated here rather than dragging those in.
 */
#include "kvm_x86.h"

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

void kvm_invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}
