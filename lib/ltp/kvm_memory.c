// SPDX-License-Identifier: MIT
/*
 * Guest memory for the LTP face: slots, address translation, host
 * pointers, each one call into the native library, which owns the slots
 * (vm->slots[]).  inst->ram[] is LTP's documented view of them for tests
 * that read it: written once per slot from the native region, never read
 * here, so the two cannot drift apart.
 */
#include <stdio.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

/* The instance's kvmkit objects exist: tst_kvm_create_instance() made it */
static int made_by_kvmkit(const struct tst_kvm_instance *inst)
{
	if (inst->kvmkit_vm && inst->kvmkit_vcpu)
		return 1;
	tst_brk(TBROK, "KVM instance was not created by tst_kvm_create_instance()");
	return 0;
}

uint64_t tst_kvm_get_phys_address(const struct tst_kvm_instance *inst,
				  uint64_t addr)
{
	uint64_t gpa;
	int ret;

	if (!made_by_kvmkit(inst))
		return 0;
	ret = kvmkit_vcpu_gva_to_gpa(inst->kvmkit_vcpu, addr, &gpa);
	if (ret == -EFAULT)
		return 0;	/* not mapped */
	if (ret) {
		tst_brk(TBROK, "Cannot translate guest address 0x%llx: %s",
			(unsigned long long)addr,
			kvmkit_vcpu_error(inst->kvmkit_vcpu));
		return 0;
	}
	return gpa;
}

int tst_kvm_find_phys_memslot(const struct tst_kvm_instance *inst,
			      uint64_t paddr)
{
	if (!made_by_kvmkit(inst))
		return -1;
	return kvmkit_vm_find_slot(inst->kvmkit_vm, paddr);
}

int tst_kvm_find_memslot(const struct tst_kvm_instance *inst, uint64_t addr)
{
	addr = tst_kvm_get_phys_address(inst, addr);
	if (!addr)
		return -1;
	return tst_kvm_find_phys_memslot(inst, addr);
}

void *tst_kvm_get_memptr(const struct tst_kvm_instance *inst, uint64_t addr)
{
	addr = tst_kvm_get_phys_address(inst, addr);
	if (!addr)
		return NULL;
	/* one byte: the rest of the slot is valid behind it, as in LTP */
	return kvmkit_gpa_to_hva(inst->kvmkit_vm, addr, 1);
}

void *tst_kvm_alloc_memory(struct tst_kvm_instance *inst, unsigned int slot,
			   uint64_t baseaddr, size_t size, unsigned int flags)
{
	size_t pagesize = getpagesize();
	size_t offset = baseaddr % pagesize;
	const struct kvm_userspace_memory_region *r;
	char *buf;

	if (!inst->kvmkit_vm) {
		tst_brk(TBROK, "KVM instance was not created by tst_kvm_create_instance()");
		return NULL;
	}
	if (slot >= MAX_KVM_MEMSLOTS) {
		tst_brk(TBROK, "Invalid KVM memory slot %u", slot);
		return NULL;
	}
	if (size > SIZE_MAX - offset - pagesize) {
		tst_brk(TBROK, "KVM memory slot %u: size %zu is too big", slot, size);
		return NULL;
	}
	size = LTP_ALIGN(size + offset, pagesize);
	buf = tst_alloc(size);
	if (kvmkit_vm_add_memory_at(inst->kvmkit_vm, slot, baseaddr - offset,
				    size, flags, buf)) {
		tst_brk(TBROK, "Cannot add KVM memory slot %u: %s", slot,
			kvmkit_vm_error(inst->kvmkit_vm));
		return NULL;
	}
	r = kvmkit_vm_memslot(inst->kvmkit_vm, slot);
	if (r)
		inst->ram[slot] = *r;	/* LTP's view, for tests that read it */
	return buf;
}
