// SPDX-License-Identifier: MIT
/*
 * Copies to and from guest-virtual memory, as bhyve's vm_copyin() and
 * vm_copyout(): page by page through the vCPU's own page tables (every
 * paging mode the architecture's walk knows), each page checked against
 * the memory slots before any byte moves, so that a copy that cannot be
 * done whole is not done at all.  The paging state is read once per copy.
 * The _ex forms check permissions as the CPU would for the access and can
 * set accessed/dirty bits, only once every page has passed.
 */
#include <string.h>
#include "internal.h"

int kvmkit_guest_copy_ex(struct kvmkit_vm *vm, const struct kvmkit_arch_mmu *mmu,
			 uint64_t gva, void *buf, size_t len, int write,
			 unsigned int flags, struct kvmkit_walk_fault *fault)
{
	struct kvmkit_walk_fault none;
	int pass;

	if (!fault)
		fault = &none;
	memset(fault, 0, sizeof(*fault));
	fault->bit = -1;
	for (pass = 0; pass < 2; pass++) {
		/* A/D only on the second pass: the first one may still fail */
		unsigned int f = pass ? flags : flags & ~KVMKIT_WALK_SET_AD;
		size_t off = 0;

		while (off < len) {
			uint64_t va = gva + off, gpa;
			size_t chunk = KVMKIT_PAGE_SIZE - (va & (KVMKIT_PAGE_SIZE - 1));

			if (chunk > len - off)
				chunk = len - off;
			/* a range that wraps around the address space */
			if (va < gva) {
				fault->why = KVMKIT_WALK_NON_CANONICAL;
				fault->level = 0;
				fault->gva = va;
				return -EFAULT;
			}
			if (kvmkit_arch_mmu_translate_ex(vm, mmu, va, f, &gpa,
							 fault))
				return -EFAULT;
			if (!kvmkit_gpa_to_hva(vm, gpa, chunk)) {
				fault->why = KVMKIT_WALK_PAGE_NOT_RAM;
				fault->level = 0;
				fault->entry_gpa = gpa;
				fault->gva = va;
				return -EFAULT;
			}
			if (pass && write)
				kvmkit_vm_write(vm, gpa, (uint8_t *)buf + off, chunk);
			else if (pass)
				kvmkit_vm_read(vm, gpa, (uint8_t *)buf + off, chunk);
			off += chunk;
		}
	}
	return 0;
}

int kvmkit_guest_copy(struct kvmkit_vm *vm, const struct kvmkit_arch_mmu *mmu,
		      uint64_t gva, void *buf, size_t len, int write,
		      uint64_t *fault)
{
	struct kvmkit_walk_fault f;
	int ret = kvmkit_guest_copy_ex(vm, mmu, gva, buf, len, write, 0, &f);

	if (ret)
		*fault = f.gva;
	return ret;
}

static int copy(struct kvmkit_vcpu *vcpu, uint64_t gva, void *buf, size_t len,
		int write, unsigned int flags, struct kvmkit_walk_fault *fault)
{
	struct kvmkit_walk_fault f;
	struct kvmkit_arch_mmu mmu;
	int ret = kvmkit_arch_mmu_fetch(vcpu, &mmu);

	if (ret)
		return ret;
	ret = kvmkit_guest_copy_ex(vcpu->vm, &mmu, gva, buf, len, write, flags,
				   &f);
	if (fault)
		*fault = f;
	if (ret)
		return kvmkit_set_error(vcpu->err, EFAULT,
					"%s 0x%zx bytes at guest address 0x%llx: 0x%llx: %s at level %d, bit %d, entry 0x%llx at 0x%llx (vcpu %u)",
					write ? "copying" : "reading", len,
					(unsigned long long)gva,
					(unsigned long long)f.gva,
					kvmkit_walk_why_name(f.why), f.level,
					f.bit, (unsigned long long)f.entry,
					(unsigned long long)f.entry_gpa,
					vcpu->id);
	return 0;
}

int kvmkit_vcpu_copy_from_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
				void *buf, size_t len)
{
	return copy(vcpu, gva, buf, len, 0, 0, NULL);
}

int kvmkit_vcpu_copy_to_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
			      const void *buf, size_t len)
{
	/* not written through: the write pass only reads buf */
	return copy(vcpu, gva, (void *)(uintptr_t)buf, len, 1, 0, NULL);
}

int kvmkit_vcpu_copy_from_guest_ex(struct kvmkit_vcpu *vcpu, uint64_t gva,
				   void *buf, size_t len, unsigned int flags,
				   struct kvmkit_walk_fault *fault)
{
	return copy(vcpu, gva, buf, len, 0, flags & ~KVMKIT_WALK_WRITE, fault);
}

int kvmkit_vcpu_copy_to_guest_ex(struct kvmkit_vcpu *vcpu, uint64_t gva,
				 const void *buf, size_t len,
				 unsigned int flags,
				 struct kvmkit_walk_fault *fault)
{
	return copy(vcpu, gva, (void *)(uintptr_t)buf, len, 1,
		    (flags & ~KVMKIT_WALK_FETCH) | KVMKIT_WALK_WRITE, fault);
}
