// SPDX-License-Identifier: MIT
/* CPUID, control registers, segment registers and MSRs. */
#include "kvm_x86.h"

void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf)
{
	asm volatile("cpuid"
		     : "=a"(buf->eax), "=b"(buf->ebx), "=c"(buf->ecx),
		       "=d"(buf->edx)
		     : "0"(eax), "2"(ecx));
}

/*
 * The reads are volatile with a memory clobber: a test that just wrote
 * CR3 or took a page fault expects the value of now, not a cached one.
 */
unsigned long kvm_read_cr0(void)
{
	unsigned long val;

	asm volatile("mov %%cr0, %0" : "=r"(val) : : "memory");
	return val;
}

unsigned long kvm_read_cr2(void)
{
	unsigned long val;

	asm volatile("mov %%cr2, %0" : "=r"(val) : : "memory");
	return val;
}

unsigned long kvm_read_cr3(void)
{
	unsigned long val;

	asm volatile("mov %%cr3, %0" : "=r"(val) : : "memory");
	return val;
}

unsigned long kvm_read_cr4(void)
{
	unsigned long val;

	asm volatile("mov %%cr4, %0" : "=r"(val) : : "memory");
	return val;
}

void kvm_read_cregs(struct kvm_cregs *buf)
{
	buf->cr0 = kvm_read_cr0();
	buf->cr2 = kvm_read_cr2();
	buf->cr3 = kvm_read_cr3();
	buf->cr4 = kvm_read_cr4();
}

void kvm_set_cr0(unsigned long val)
{
	asm volatile("mov %0, %%cr0" : : "r"(val) : "memory");
}

void kvm_set_cr3(unsigned long val)
{
	asm volatile("mov %0, %%cr3" : : "r"(val) : "memory");
}

void kvm_set_cr4(unsigned long val)
{
	asm volatile("mov %0, %%cr4" : : "r"(val) : "memory");
}

#define READ_SREG(name, dst) do {					\
	unsigned int sel_;						\
									\
	asm volatile("mov %%" name ", %0" : "=r"(sel_));		\
	(dst) = sel_;							\
} while (0)

void kvm_read_sregs(struct kvm_sregs *buf)
{
	unsigned int tr;

	READ_SREG("cs", buf->cs);
	READ_SREG("ds", buf->ds);
	READ_SREG("es", buf->es);
	READ_SREG("fs", buf->fs);
	READ_SREG("gs", buf->gs);
	READ_SREG("ss", buf->ss);
	asm volatile("str %0" : "=r"(tr));
	buf->tr = tr;
}

uint64_t kvm_rdmsr(unsigned int msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

void kvm_wrmsr(unsigned int msr, uint64_t value)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)value),
		       "d"((uint32_t)(value >> 32))
		     : "memory");
}

uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry)
{
	if (!entry->present)
		return 0;
	return (uintptr_t)entry->address << 12;
}
