// SPDX-License-Identifier: MIT
/*
 * GDT/LDT descriptor helpers with LTP's semantics.  flags packs the
 * access byte (bits 0-7) and the flags nibble (bits 8-11); a descriptor
 * without SEGFLAG_NSYSTEM is a system descriptor, which takes two slots
 * in 64-bit mode.
 */
#include "kvm_x86.h"

_Static_assert(sizeof(struct segment_descriptor) == 8,
	       "a descriptor slot is 8 bytes");
_Static_assert(sizeof(struct segment_descriptor64) == 16,
	       "a 64-bit system descriptor is two slots");
_Static_assert(sizeof(struct intr_descriptor) == 16, "an IDT gate is 16 bytes");
_Static_assert(sizeof(struct page_table_entry_pae) == 8, "a PTE is 8 bytes");

/*
 * A system descriptor (TSS, LDT) takes two slots in 64-bit mode and one
 * in a 32-bit payload (KVMKIT_GUEST_MODE(32)), where it has no upper half.
 */
#ifdef __x86_64__
# define SYSTEM_TWO_SLOTS	1
#else
# define SYSTEM_TWO_SLOTS	0
#endif

static int is_system(unsigned int flags)
{
	return SYSTEM_TWO_SLOTS && !(flags & SEGFLAG_NSYSTEM);
}

void kvm_set_segment_descriptor(struct segment_descriptor *dst,
	uint64_t baseaddr, uint32_t limit, unsigned int flags)
{
	struct segment_descriptor64 *dst64;

	if (limit >> 20)
		tst_brk(TBROK, "Segment limit 0x%x out of range (max 0xfffff)",
			limit);

	if (is_system(flags)) {
		dst64 = (struct segment_descriptor64 *)dst;
		dst64->limit_lo = limit & 0xffff;
		dst64->limit_hi = limit >> 16;
		dst64->baseaddr_lo = baseaddr & 0xffffff;
		dst64->baseaddr_hi = baseaddr >> 24;
		dst64->flags_lo = flags & 0xff;
		dst64->flags_hi = (flags >> 8) & 0xf;
		dst64->reserved = 0;
		return;
	}

	if (baseaddr >> 32)
		tst_brk(TBROK, "Segment base address 0x%llx out of range",
			baseaddr);

	dst->limit_lo = limit & 0xffff;
	dst->limit_hi = limit >> 16;
	dst->baseaddr_lo = baseaddr & 0xffffff;
	dst->baseaddr_hi = baseaddr >> 24;
	dst->flags_lo = flags & 0xff;
	dst->flags_hi = (flags >> 8) & 0xf;
}

/*
 * Only the 8 bytes at src are read, as in LTP: the upper half of a
 * system descriptor's base (the next slot) is the caller's to fetch.
 */
void kvm_parse_segment_descriptor(struct segment_descriptor *src,
	uint64_t *baseaddr, uint32_t *limit, unsigned int *flags)
{
	if (baseaddr)
		*baseaddr = ((uint64_t)src->baseaddr_hi << 24) |
			    src->baseaddr_lo;
	if (limit)
		*limit = ((uint32_t)src->limit_hi << 16) | src->limit_lo;
	if (flags)
		*flags = ((unsigned int)src->flags_hi << 8) | src->flags_lo;
}

int kvm_find_free_descriptor(const struct segment_descriptor *table,
	size_t size)
{
	size_t i;

	/* Slot 0 is the null descriptor, never free */
	for (i = 1; i < size; i++) {
		if (!(table[i].flags_lo & SEGFLAG_PRESENT))
			return i;
		if (is_system(table[i].flags_lo))
			i++;
	}
	return -1;
}

unsigned int kvm_create_stack_descriptor(struct segment_descriptor *table,
	size_t tabsize, void *stack_base)
{
	int slot = kvm_find_free_descriptor(table, tabsize);

	if (slot < 0)
		tst_brk(TBROK, "Descriptor table is full");

	/* Expand-down: valid offsets are those above the limit */
	kvm_set_segment_descriptor(table + slot, 0,
		((uintptr_t)stack_base - 1) >> 12,
		SEGTYPE_STACK | SEGFLAG_PRESENT | SEGFLAG_32BIT |
		SEGFLAG_PAGE_LIMIT);
	return slot;
}
