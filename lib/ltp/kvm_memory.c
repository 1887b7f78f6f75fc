// SPDX-License-Identifier: MIT
/* Guest memory: slots, address translation, host pointers */
#include <stdio.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

uint64_t tst_kvm_get_phys_address(const struct tst_kvm_instance *inst,
				  uint64_t addr)
{
	struct kvm_translation trans = { .linear_address = addr };
	uint64_t gpa;
	int ret;

	if (inst->kvmkit_vcpu) {
		ret = kvmkit_vcpu_gva_to_gpa(inst->kvmkit_vcpu, addr, &gpa);
		if (ret == -EFAULT)
			return 0;	/* not mapped */
		if (ret)
			tst_brk(TBROK, "Cannot translate guest address 0x%llx: %s",
				(unsigned long long)addr,
				kvmkit_vcpu_error(inst->kvmkit_vcpu));
		return ret ? 0 : gpa;
	}

	/* An instance a test built by hand: ask KVM, as LTP does */
	TEST(ioctl(inst->vcpu_fd, KVM_TRANSLATE, &trans));
	if (TST_RET == -1 && TST_ERR == EINVAL)
		return addr;	/* no KVM_TRANSLATE on this arch */
	if (TST_RET) {
		tst_brk(TBROK | TTERRNO, "ioctl(KVM_TRANSLATE) failed");
		return 0;
	}
	return trans.valid ? trans.physical_address : 0;
}

int tst_kvm_find_phys_memslot(const struct tst_kvm_instance *inst,
			      uint64_t paddr)
{
	int i;

	for (i = 0; i < MAX_KVM_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *r = &inst->ram[i];

		if (!r->userspace_addr)
			continue;
		if (paddr >= r->guest_phys_addr &&
		    paddr - r->guest_phys_addr < r->memory_size)
			return i;
	}
	return -1;
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
	const struct kvm_userspace_memory_region *r;
	int slot;

	addr = tst_kvm_get_phys_address(inst, addr);
	if (!addr)
		return NULL;
	slot = tst_kvm_find_phys_memslot(inst, addr);
	if (slot < 0)
		return NULL;
	r = &inst->ram[slot];
	return (char *)(uintptr_t)r->userspace_addr +
	       (addr - r->guest_phys_addr);
}

void *tst_kvm_alloc_memory(struct tst_kvm_instance *inst, unsigned int slot,
			   uint64_t baseaddr, size_t size, unsigned int flags)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = flags,
	};
	size_t pagesize = getpagesize();
	size_t offset = baseaddr % pagesize;
	char *buf;
	int ret;

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
	region.guest_phys_addr = baseaddr - offset;
	region.memory_size = size;
	region.userspace_addr = (uintptr_t)buf;

	if (inst->kvmkit_vm) {
		/* through kvmkit, so that its translation knows the slot */
		ret = kvmkit_vm_add_memory_at(inst->kvmkit_vm, slot,
					      region.guest_phys_addr, size,
					      flags, buf);
		if (ret)
			tst_brk(TBROK, "Cannot add KVM memory slot %u: %s", slot,
				kvmkit_vm_error(inst->kvmkit_vm));
	} else {
		SAFE_IOCTL(inst->vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
	}
	inst->ram[slot] = region;
	return buf;
}
