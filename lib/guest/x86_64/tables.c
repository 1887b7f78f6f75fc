// SPDX-License-Identifier: MIT
/*
 * The CPU tables the host fills in before the first guest instruction
 * (their addresses are in the payload header).  They live in .bss: they
 * are not part of the flat image, and no guest code may clear .bss, which
 * would wipe them.
 */
#include "kvm_x86.h"

_Static_assert(offsetof(struct kvm_tss64, ist) == KVMKIT_TSS_IST1_OFFSET,
	       "IST1 is where the host stores the IST1 stack top");
_Static_assert(sizeof(struct kvm_tss64) == 104, "a 64-bit TSS is 104 bytes");

struct page_table_entry_pae
	kvm_pagetable[KVMKIT_PAGETABLE_PAGES * PAGESIZE /
		      sizeof(struct page_table_entry_pae)]
	__attribute__((aligned(PAGESIZE)));

struct segment_descriptor kvm_gdt[KVM_GDT_SIZE] __attribute__((aligned(16)));
struct intr_descriptor kvm_idt[X86_INTR_COUNT] __attribute__((aligned(16)));
struct kvm_tss64 kvm_tss __attribute__((aligned(16)));
