// SPDX-License-Identifier: MIT
/*
 * kvmkit_guest_copy(), the core of kvmkit_vcpu_copy_{from,to}_guest(), on
 * page tables fabricated in a fabricated VM: a copy across two virtual
 * pages that are not adjacent in RAM, one that runs into an unmapped page
 * (refused whole: nothing written, the faulting address named), one that
 * wraps around the address space, and paging off.  No /dev/kvm needed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"

#define RAM_SIZE	0x10000
#define P		(KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW)

static struct kvmkit_vm vm;
static uint8_t *ram;

static void set64(uint64_t gpa, unsigned int i, uint64_t v)
{
	((uint64_t *)(ram + gpa))[i] = v;
}

/* gva 0x200000 -> gpa 0x6000, 0x201000 -> 0x8000, 0x202000 unmapped */
static void setup(void)
{
	unsigned int i;

	ram = aligned_alloc(KVMKIT_PAGE_SIZE, RAM_SIZE);
	if (!ram)
		unit_skip_all("out of memory");
	for (i = 0; i < RAM_SIZE; i++)
		ram[i] = (uint8_t)(i * 7);
	memset(ram + 0x1000, 0, 0x4000);
	vm.fd = -1;
	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram,
	};
	set64(0x1000, 0, 0x2000 | P);		/* PML4[0] */
	set64(0x2000, 0, 0x3000 | P);		/* PDPT[0] */
	set64(0x3000, 1, 0x4000 | P);		/* PD[1]: 0x200000 */
	set64(0x4000, 0, 0x6000 | P);		/* PT[0] */
	set64(0x4000, 1, 0x8000 | P);		/* PT[1] */
}

int main(void)
{
	const struct kvmkit_arch_mmu lm = {
		.cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG, .cr3 = 0x1000,
		.cr4 = KVMKIT_X86_CR4_PAE,
		.efer = KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA,
	};
	const struct kvmkit_arch_mmu flat = { 0 };
	uint8_t buf[64], want[64], before[64];
	uint64_t fault = 0;

	setup();
	CHECK_EQ(kvmkit_guest_copy(&vm, &lm, 0x200ff8, buf, 16, 0, &fault), 0,
		 "read 16 bytes across two virtual pages");
	memcpy(want, ram + 0x6ff8, 8);
	memcpy(want + 8, ram + 0x8000, 8);
	CHECK(!memcmp(buf, want, 16), "from 0x6ff8 and 0x8000: not adjacent in RAM");

	memset(buf, 0xab, sizeof(buf));
	CHECK_EQ(kvmkit_guest_copy(&vm, &lm, 0x200ffc, buf, 8, 1, &fault), 0,
		 "write 8 bytes across the two pages");
	CHECK(!memcmp(ram + 0x6ffc, buf, 4) && !memcmp(ram + 0x8000, buf, 4),
	      "landed on both physical pages");

	memcpy(before, ram + 0x8fe0, 32);
	CHECK_EQ(kvmkit_guest_copy(&vm, &lm, 0x201fe0, buf, 64, 1, &fault),
		 -EFAULT, "a write that runs into an unmapped page: -EFAULT");
	CHECK_EQ(fault, 0x202000, "the fault names the first unmapped address");
	CHECK(!memcmp(ram + 0x8fe0, before, 32),
	      "nothing written, not even the mapped part");

	fault = 0;
	CHECK_EQ(kvmkit_guest_copy(&vm, &lm, UINT64_MAX - 7, buf, 16, 0, &fault),
		 -EFAULT, "a range that wraps around the address space: -EFAULT");
	CHECK_EQ(kvmkit_guest_copy(&vm, &lm, 0x200000, buf, 0, 0, &fault), 0,
		 "length 0: nothing to do");
	CHECK_EQ(kvmkit_guest_copy(&vm, &flat, 0x6000, buf, 4, 0, &fault), 0,
		 "paging off: identity");
	CHECK(!memcmp(buf, ram + 0x6000, 4), "paging off: the physical bytes");
	CHECK_EQ(kvmkit_guest_copy(&vm, &flat, RAM_SIZE - 2, buf, 4, 0, &fault),
		 -EFAULT, "paging off, past the end of RAM: -EFAULT");
	CHECK_EQ(fault, RAM_SIZE, "naming the first address that is not RAM");
	free(ram);
	return unit_done();
}
