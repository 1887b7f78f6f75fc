// SPDX-License-Identifier: MIT
/*
 * Helpers shared by the SVM and VMX nested-guest builders (nested.h).
 */
#include "nested.h"

#define NESTED_STACK_SIZE	(2 * PAGESIZE)

int kvmkit_nested_segment(unsigned int gdt_id, uint64_t *base, uint32_t *limit,
	unsigned int *flags)
{
	if (gdt_id >= KVM_GDT_SIZE)
		tst_brk(TBROK, "GDT descriptor ID %u out of range", gdt_id);

	kvm_parse_segment_descriptor(kvm_gdt + gdt_id, base, limit, flags);
	if (!(*flags & SEGFLAG_PRESENT))
		return 0;

	/*
	 * System descriptors (TSS, LDT) are 16 bytes in long mode: bits
	 * 63:32 of the base sit in the next GDT slot.
	 */
	if (!(*flags & SEGFLAG_NSYSTEM) && gdt_id + 1 < KVM_GDT_SIZE) {
		uint32_t base_hi;

		memcpy(&base_hi, kvm_gdt + gdt_id + 1, sizeof(base_hi));
		*base = (*base & 0xffffffff) | (uint64_t)base_hi << 32;
	}

	/* Both the VMCB and the VMCS hold the limit the CPU would compute */
	if (*flags & SEGFLAG_PAGE_LIMIT)
		*limit = (*limit << 12) | 0xfff;
	return 1;
}

void *kvmkit_nested_alloc_stack(uint16_t *ss)
{
	char *stack = tst_heap_alloc_aligned(NESTED_STACK_SIZE, PAGESIZE);

	*ss = kvm_create_stack_descriptor(kvm_gdt, KVM_GDT_SIZE, stack);
	return stack + NESTED_STACK_SIZE;
}
