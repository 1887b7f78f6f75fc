// SPDX-License-Identifier: MIT
/*
 * Copies to and from guest-virtual memory, as bhyve's vm_copyin() and
 * vm_copyout(): page by page through the vCPU's own page tables (every
 * paging mode the architecture's walk knows), each page checked against
 * the memory slots before any byte moves, so that a copy that cannot be
 * done whole is not done at all.  The paging state is read once per copy.
 */
#include <string.h>
#include "internal.h"

int kvmkit_guest_copy(struct kvmkit_vm *vm, const struct kvmkit_arch_mmu *mmu,
		      uint64_t gva, void *buf, size_t len, int write,
		      uint64_t *fault)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		size_t off = 0;

		while (off < len) {
			uint64_t va = gva + off, gpa;
			size_t chunk = KVMKIT_PAGE_SIZE - (va & (KVMKIT_PAGE_SIZE - 1));

			if (chunk > len - off)
				chunk = len - off;
			/* a range that wraps around the address space */
			if (va < gva ||
			    kvmkit_arch_mmu_translate(vm, mmu, va, &gpa) ||
			    !kvmkit_gpa_to_hva(vm, gpa, chunk)) {
				*fault = va;
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

static int copy(struct kvmkit_vcpu *vcpu, uint64_t gva, void *buf, size_t len,
		int write)
{
	struct kvmkit_arch_mmu mmu;
	uint64_t fault;
	int ret = kvmkit_arch_mmu_fetch(vcpu, &mmu);

	if (ret)
		return ret;
	ret = kvmkit_guest_copy(vcpu->vm, &mmu, gva, buf, len, write, &fault);
	if (ret)
		return kvmkit_set_error(vcpu->err, EFAULT,
					"%s 0x%zx bytes at guest address 0x%llx: 0x%llx is not mapped to RAM (vcpu %u)",
					write ? "copying" : "reading", len,
					(unsigned long long)gva,
					(unsigned long long)fault, vcpu->id);
	return 0;
}

int kvmkit_vcpu_copy_from_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
				void *buf, size_t len)
{
	return copy(vcpu, gva, buf, len, 0);
}

int kvmkit_vcpu_copy_to_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
			      const void *buf, size_t len)
{
	/* not written through: the write pass only reads buf */
	return copy(vcpu, gva, (void *)(uintptr_t)buf, len, 1);
}
