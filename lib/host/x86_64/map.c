// SPDX-License-Identifier: MIT
/*
 * Host-side mapping: write 4 KiB translations gva -> gpa into a guest's
 * 4-level (or 5-level) page tables, in guest memory, as a guest kernel's
 * own map call would.  Missing tables come from a page allocator (zeroed,
 * so no entry is present).  The tables are guest memory, hence read
 * through bounds-checked translations like the walker's; a table outside
 * RAM fails the call instead of being followed.
 */
#include <string.h>
#include <kvmkit/x86.h>
#include "internal.h"

#define PTE_G		KVMKIT_BIT(8)
#define PTE_PWT		KVMKIT_BIT(3)
#define PTE_PCD		KVMKIT_BIT(4)
#define PTE_PAT_4K	KVMKIT_BIT(7)	/* the PAT bit of a 4 KiB PTE */
/* What an intermediate entry grants: the leaf decides what is allowed */
#define TABLE_BITS	(KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW | KVMKIT_X86_PTE_US)

static uint64_t leaf_bits(unsigned int flags)
{
	uint64_t e = KVMKIT_X86_PTE_P;

	if (flags & KVMKIT_MAP_WRITE)
		e |= KVMKIT_X86_PTE_RW;
	if (flags & KVMKIT_MAP_USER)
		e |= KVMKIT_X86_PTE_US;
	if (flags & KVMKIT_MAP_NX)
		e |= KVMKIT_X86_PTE_NX;
	if (flags & KVMKIT_MAP_GLOBAL)
		e |= PTE_G;
	if (flags & KVMKIT_MAP_PWT)
		e |= PTE_PWT;
	if (flags & KVMKIT_MAP_PCD)
		e |= PTE_PCD;
	if (flags & KVMKIT_MAP_PAT)
		e |= PTE_PAT_4K;
	return e;
}

/*
 * The table entry at level for gva under table, creating the table it
 * points to when asked.  An existing intermediate entry is widened to what
 * the new leaf needs (RW, US, no NX): the CPU ANDs permissions over all
 * levels, so otherwise the leaf's bits would not take effect.
 */
static int next_table(struct kvmkit_vm *vm, struct kvmkit_gpa_alloc *tables,
		      uint64_t *table, int level, uint64_t gva, uint64_t leaf)
{
	unsigned int shift = 12 + 9 * (level - 1);
	uint64_t at = *table + 8 * ((gva >> shift) & 511);
	uint64_t *p = kvmkit_gpa_to_hva(vm, at, 8), e, want;
	int ret;

	if (!p)
		return KVMKIT_VM_ERR(vm, EFAULT,
				     "map 0x%llx: the level-%d table entry at 0x%llx is not in RAM",
				     (unsigned long long)gva, level,
				     (unsigned long long)at);
	e = __atomic_load_n(p, __ATOMIC_RELAXED);
	if (!(e & KVMKIT_X86_PTE_P)) {
		uint64_t page;

		ret = kvmkit_gpa_alloc(tables, KVMKIT_PAGE_SIZE, &page);
		if (ret)
			return ret;	/* the allocator left the VM's message */
		e = page | TABLE_BITS;
	} else if (e & KVMKIT_X86_PTE_PS) {
		return KVMKIT_VM_ERR(vm, EEXIST,
				     "map 0x%llx: the level-%d entry at 0x%llx (0x%llx) maps a large page there already",
				     (unsigned long long)gva, level,
				     (unsigned long long)at,
				     (unsigned long long)e);
	}
	want = leaf & (KVMKIT_X86_PTE_RW | KVMKIT_X86_PTE_US);
	e |= want;
	if (!(leaf & KVMKIT_X86_PTE_NX))
		e &= ~KVMKIT_X86_PTE_NX;
	__atomic_store_n(p, e, __ATOMIC_RELAXED);
	*table = e & KVMKIT_X86_PTE_ADDR;
	return 0;
}

int kvmkit_x86_map(struct kvmkit_vm *vm, struct kvmkit_gpa_alloc *tables,
		   uint64_t cr3, uint64_t gva, uint64_t gpa, uint64_t size,
		   unsigned int flags)
{
	int levels = flags & KVMKIT_MAP_LA57 ? 5 : 4;
	unsigned int va_bits = 12 + 9 * levels;
	uint64_t leaf = leaf_bits(flags), off, last;
	int64_t canon;

	if (flags & ~KVMKIT_MAP_ALL)
		return KVMKIT_VM_ERR(vm, EINVAL, "map 0x%llx: unknown flags 0x%x",
				     (unsigned long long)gva,
				     flags & ~KVMKIT_MAP_ALL);
	if (!size || (gva | gpa | size) & (KVMKIT_PAGE_SIZE - 1) ||
	    gpa & ~KVMKIT_X86_PTE_ADDR || size - 1 > UINT64_MAX - gva ||
	    size - 1 > KVMKIT_X86_PTE_ADDR - gpa)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "map 0x%llx -> 0x%llx size 0x%llx: not page-aligned, empty or wrapping",
				     (unsigned long long)gva,
				     (unsigned long long)gpa,
				     (unsigned long long)size);
	/* both ends canonical, and no crossing of the hole between them */
	last = gva + (size - 1);
	canon = (int64_t)(gva << (64 - va_bits)) >> (64 - va_bits);
	if ((uint64_t)canon != gva ||
	    (uint64_t)((int64_t)(last << (64 - va_bits)) >> (64 - va_bits)) != last ||
	    (gva >> (va_bits - 1)) != (last >> (va_bits - 1)))
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "map 0x%llx-0x%llx: not canonical with %d-level paging",
				     (unsigned long long)gva,
				     (unsigned long long)last, levels);

	for (off = 0; off < size; off += KVMKIT_PAGE_SIZE) {
		uint64_t table = cr3 & KVMKIT_X86_PTE_ADDR, va = gva + off, *p;
		int level, ret;

		for (level = levels; level > 1; level--) {
			ret = next_table(vm, tables, &table, level, va, leaf);
			if (ret)
				return ret;
		}
		p = kvmkit_gpa_to_hva(vm, table + 8 * ((va >> 12) & 511), 8);
		if (!p)
			return KVMKIT_VM_ERR(vm, EFAULT,
					     "map 0x%llx: its page table at 0x%llx is not in RAM",
					     (unsigned long long)va,
					     (unsigned long long)table);
		__atomic_store_n(p, (gpa + off) | leaf, __ATOMIC_RELAXED);
	}
	return 0;
}
