/* SPDX-License-Identifier: MIT */
/*
 * What svm.c and vmx.c both do to build a nested guest out of the
 * current CPU's state.  Private to the guest runtime.
 */
#ifndef KVMKIT_GUEST_NESTED_H
#define KVMKIT_GUEST_NESTED_H

#include "kvm_test.h"
#include "kvm_x86.h"

/*
 * GDT entry gdt_id as a nested guest's segment register sees it: 0 for a
 * non-present entry, else 1 with the full 64-bit base (16-byte system
 * descriptors keep bits 63:32 in the next slot) and the byte-granular
 * limit.  An ID beyond the GDT is a TBROK.
 */
int kvmkit_nested_segment(unsigned int gdt_id, uint64_t *base, uint32_t *limit,
	unsigned int *flags);

/*
 * The 8 KiB stack kvm_create_{svm,vmx}_vcpu() give a nested guest, with
 * its own GDT stack descriptor in *ss; returns the stack top.
 */
void *kvmkit_nested_alloc_stack(uint16_t *ss);

#endif /* KVMKIT_GUEST_NESTED_H */
