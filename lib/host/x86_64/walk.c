// SPDX-License-Identifier: MIT
/*
 * Guest-virtual to guest-physical translation by walking the guest's own
 * page tables, as the CPU would for a supervisor read.  The tables are
 * guest memory, hence hostile: every entry is read through a bounds-checked
 * translation, and each mode has a fixed number of levels, so a table that
 * points at itself (or anything else) can never make the walk loop.
 * Accessed/dirty bits are neither checked nor set.
 */
#include <string.h>
#include <kvmkit/x86.h>
#include "internal.h"

#define PAGE_SHIFT	12
#define PAGE_OFFSET	0xfffULL

/*
 * One page-table entry of size bytes.  Tables are naturally aligned, so an
 * atomic load gives a value the guest really wrote even while another vCPU
 * is changing it.
 */
static int read_entry(const struct kvmkit_vm *vm, uint64_t gpa, size_t size,
		      uint64_t *entry)
{
	const void *p = kvmkit_gpa_to_hva(vm, gpa, size);

	if (!p)
		return -EFAULT;
	if (size == 8)
		*entry = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	else
		*entry = __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
	return 0;
}

/* Bits [shift, shift + bits) of gva: the index into one level's table */
static unsigned int index_of(uint64_t gva, unsigned int shift,
			     unsigned int bits)
{
	return (gva >> shift) & ((1u << bits) - 1);
}

/* A large page: the entry's frame above the page size, gva's offset below */
static uint64_t large_page(uint64_t entry, uint64_t frame_mask,
			   unsigned int shift, uint64_t gva)
{
	uint64_t offset = (1ULL << shift) - 1;

	return (entry & frame_mask & ~offset) | (gva & offset);
}

/*
 * 4-level (or 5-level with CR4.LA57) long-mode paging.  PS is honoured in
 * PDPTEs (1 GiB) and PDEs (2 MiB) only; it is reserved above, where the
 * CPU would raise #PF, so the walk fails there too.
 */
static int walk_long(const struct kvmkit_vm *vm, uint64_t cr3, int la57,
		     uint64_t gva, uint64_t *gpa)
{
	int levels = la57 ? 5 : 4;
	unsigned int va_bits = PAGE_SHIFT + 9 * levels;
	uint64_t table = cr3 & KVMKIT_X86_PTE_ADDR;
	int64_t canon;
	int level;

	/* Non-canonical addresses #GP before any table is consulted */
	canon = (int64_t)(gva << (64 - va_bits)) >> (64 - va_bits);
	if ((uint64_t)canon != gva)
		return -EFAULT;

	for (level = levels; level >= 1; level--) {
		unsigned int shift = PAGE_SHIFT + 9 * (level - 1);
		uint64_t e;

		if (read_entry(vm, table + 8 * index_of(gva, shift, 9), 8, &e))
			return -EFAULT;
		if (!(e & KVMKIT_X86_PTE_P))
			return -EFAULT;
		if (level == 1) {
			*gpa = (e & KVMKIT_X86_PTE_ADDR) | (gva & PAGE_OFFSET);
			return 0;
		}
		if (e & KVMKIT_X86_PTE_PS) {
			if (level > 3)
				return -EFAULT;
			*gpa = large_page(e, KVMKIT_X86_PTE_ADDR, shift, gva);
			return 0;
		}
		table = e & KVMKIT_X86_PTE_ADDR;
	}
	return -EFAULT;	/* not reached: level 1 always returns */
}

/* 32-bit PAE paging: 4 PDPTEs (no PS), then PD (PS = 2 MiB), then PT */
static int walk_pae(const struct kvmkit_vm *vm, uint64_t cr3, uint64_t gva,
		    uint64_t *gpa)
{
	uint64_t e;

	if (read_entry(vm, (cr3 & 0xffffffe0) + 8 * index_of(gva, 30, 2), 8, &e) ||
	    !(e & KVMKIT_X86_PTE_P))
		return -EFAULT;
	if (read_entry(vm, (e & KVMKIT_X86_PTE_ADDR) + 8 * index_of(gva, 21, 9),
		       8, &e) || !(e & KVMKIT_X86_PTE_P))
		return -EFAULT;
	if (e & KVMKIT_X86_PTE_PS) {
		*gpa = large_page(e, KVMKIT_X86_PTE_ADDR, 21, gva);
		return 0;
	}
	if (read_entry(vm, (e & KVMKIT_X86_PTE_ADDR) + 8 * index_of(gva, 12, 9),
		       8, &e) || !(e & KVMKIT_X86_PTE_P))
		return -EFAULT;
	*gpa = (e & KVMKIT_X86_PTE_ADDR) | (gva & PAGE_OFFSET);
	return 0;
}

/*
 * Legacy 2-level paging with 4-byte entries; PS (4 MiB, with the PSE-36
 * high address bits 20:13) only when CR4.PSE is set, as the CPU ignores it
 * otherwise.
 */
static int walk_legacy(const struct kvmkit_vm *vm, uint64_t cr3, int pse,
		       uint64_t gva, uint64_t *gpa)
{
	uint64_t e;

	if (read_entry(vm, (cr3 & 0xfffff000) + 4 * index_of(gva, 22, 10), 4, &e) ||
	    !(e & KVMKIT_X86_PTE_P))
		return -EFAULT;
	if (pse && (e & KVMKIT_X86_PTE_PS)) {
		*gpa = (e & 0xffc00000) | (((e >> 13) & 0xff) << 32) |
		       (gva & 0x3fffff);
		return 0;
	}
	if (read_entry(vm, (e & 0xfffff000) + 4 * index_of(gva, 12, 10), 4, &e) ||
	    !(e & KVMKIT_X86_PTE_P))
		return -EFAULT;
	*gpa = (e & 0xfffff000) | (gva & PAGE_OFFSET);
	return 0;
}

int kvmkit_x86_walk(const struct kvmkit_vm *vm, uint64_t cr0, uint64_t cr3,
		    uint64_t cr4, uint64_t efer, uint64_t gva, uint64_t *gpa)
{
	if (!(cr0 & KVMKIT_X86_CR0_PG)) {
		/* Without paging, linear addresses are 32 bits wide */
		if (gva >> 32)
			return -EFAULT;
		*gpa = gva;
		return 0;
	}
	/* LMA = LME && PG: either bit tells that long-mode paging is on */
	if (efer & (KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_LME))
		return walk_long(vm, cr3, !!(cr4 & KVMKIT_X86_CR4_LA57), gva,
				 gpa);
	if (gva >> 32)
		return -EFAULT;
	if (cr4 & KVMKIT_X86_CR4_PAE)
		return walk_pae(vm, cr3, gva, gpa);
	return walk_legacy(vm, cr3, !!(cr4 & KVMKIT_X86_CR4_PSE), gva, gpa);
}

int kvmkit_vcpu_gva_to_gpa(struct kvmkit_vcpu *vcpu, uint64_t gva,
			   uint64_t *gpa)
{
	struct kvm_sregs sregs;
	int ret;

	ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	ret = kvmkit_x86_walk(vcpu->vm, sregs.cr0, sregs.cr3, sregs.cr4,
			      sregs.efer, gva, gpa);
	if (ret)
		return kvmkit_set_error(vcpu->err, -ret,
					"guest address 0x%llx is not mapped to RAM (cr3 0x%llx, vcpu %u)",
					(unsigned long long)gva,
					(unsigned long long)sregs.cr3, vcpu->id);
	return 0;
}
