// SPDX-License-Identifier: MIT
/*
 * Changes to a live memory slot: its flags (KVM lets dirty logging be
 * toggled, nothing else) and its guest-physical base (KVM_MR_MOVE: the
 * same slot id with a new guest_phys_addr, same size and backing).  Both
 * are one KVM_SET_USER_MEMORY_REGION on the slot's recorded region, which
 * is only updated once KVM took the change.
 */
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"

static struct kvmkit_memslot *live_slot(struct kvmkit_vm *vm, uint32_t slot,
					const char *what)
{
	if (slot >= KVMKIT_MAX_MEMSLOTS || !vm->slots[slot].region.memory_size) {
		KVMKIT_VM_ERR(vm, ENOENT, "%s: memory slot %u not in use", what,
			      slot);
		return NULL;
	}
	return &vm->slots[slot];
}

int kvmkit_vm_set_memory_flags(struct kvmkit_vm *vm, uint32_t slot,
			       uint32_t flags)
{
	struct kvmkit_memslot *s = live_slot(vm, slot, "set flags");
	struct kvm_userspace_memory_region r;
	uint32_t changed;

	if (!s)
		return -ENOENT;
	r = s->region;
	changed = r.flags ^ flags;
	r.flags = flags;
	/*
	 * KVM's answer is asked even for a change it is known to refuse
	 * (KVM_MEM_READONLY): the error returned is KVM's, and the message
	 * says why, so that a kernel that one day allows it is noticed.
	 */
	if (kvmkit_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		int err = errno;

		if (changed & KVM_MEM_READONLY)
			return KVMKIT_VM_ERR(vm, err,
					     "KVM_SET_USER_MEMORY_REGION: %s (slot %u, flags 0x%x -> 0x%x): KVM refuses to change KVM_MEM_READONLY of a live slot; remove and re-add it",
					     strerror(err), slot, s->region.flags,
					     flags);
		return KVMKIT_VM_ERR(vm, err,
				     "KVM_SET_USER_MEMORY_REGION: %s (slot %u, flags 0x%x -> 0x%x)",
				     strerror(err), slot, s->region.flags, flags);
	}
	s->region.flags = flags;
	return 0;
}

int kvmkit_vm_move_memory(struct kvmkit_vm *vm, uint32_t slot, uint64_t gpa)
{
	struct kvmkit_memslot *s = live_slot(vm, slot, "move");
	const struct kvmkit_io_range *io;
	struct kvm_userspace_memory_region r;

	if (!s)
		return -ENOENT;
	r = s->region;
	if (gpa & (KVMKIT_PAGE_SIZE - 1) || gpa > UINT64_MAX - (r.memory_size - 1))
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "move memory slot %u to 0x%llx: not page-aligned or past the address space",
				     slot, (unsigned long long)gpa);
	/* as when adding: a slot over an MMIO handler would silence it */
	io = kvmkit_io_overlap(&vm->mmio, gpa, gpa + (r.memory_size - 1));
	if (io)
		return KVMKIT_VM_ERR(vm, EEXIST,
				     "move memory slot %u to 0x%llx: overlaps the MMIO handler at 0x%llx",
				     slot, (unsigned long long)gpa,
				     (unsigned long long)io->base);
	r.guest_phys_addr = gpa;
	if (kvmkit_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_SET_USER_MEMORY_REGION: %s (moving slot %u from 0x%llx to 0x%llx)",
				     strerror(errno), slot,
				     (unsigned long long)s->region.guest_phys_addr,
				     (unsigned long long)gpa);
	s->region.guest_phys_addr = gpa;
	return 0;
}
