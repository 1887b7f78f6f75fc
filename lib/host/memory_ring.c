// SPDX-License-Identifier: MIT
/*
 * The dirty ring (KVM_CAP_DIRTY_LOG_RING, or its _ACQ_REL form): instead
 * of a per-slot bitmap, each vCPU pushes the (slot, page) of every page
 * it dirties into a ring shared with userspace, mapped from the vCPU's fd
 * at KVM_DIRTY_LOG_PAGE_OFFSET.  Userspace collects entries (flags DIRTY
 * -> RESET), then KVM_RESET_DIRTY_RINGS re-protects the collected pages.
 * The ring is written by KVM, not the guest, but an entry's slot and
 * offset are still only reported, never used as an address here.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"

struct kvmkit_dirty_ring {
	struct kvmkit_vcpu *vcpu;
	struct kvm_dirty_gfn *gfns;
	size_t bytes;
	uint32_t count;		/* entries, a power of two */
	uint32_t fetch;		/* next entry to look at */
};

/* Which ring capability this VM has enabled, and its size; 0 if none */
static uint32_t ring_bytes(const struct kvmkit_vm *vm)
{
	unsigned int i, n = vm->n_caps < KVMKIT_RESTART_CAPS ?
			    vm->n_caps : KVMKIT_RESTART_CAPS;

	for (i = 0; i < n; i++)
		if (vm->caps[i].cap == KVM_CAP_DIRTY_LOG_RING ||
		    vm->caps[i].cap == KVM_CAP_DIRTY_LOG_RING_ACQ_REL)
			return vm->caps[i].args[0];
	return 0;
}

int kvmkit_vm_enable_dirty_ring(struct kvmkit_vm *vm, uint32_t bytes)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_DIRTY_LOG_RING_ACQ_REL };
	int max;

	/* the ordered form where there is one: its protocol is the same */
	max = kvmkit_vm_check_extension(vm, cap.cap);
	if (max <= 0) {
		cap.cap = KVM_CAP_DIRTY_LOG_RING;
		max = kvmkit_vm_check_extension(vm, cap.cap);
	}
	if (max <= 0)
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "dirty ring: this KVM offers neither KVM_CAP_DIRTY_LOG_RING_ACQ_REL nor KVM_CAP_DIRTY_LOG_RING; use the dirty log bitmap");
	if (bytes < sizeof(struct kvm_dirty_gfn) || bytes & (bytes - 1) ||
	    bytes > (uint32_t)max)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "dirty ring: %u bytes: must be a power of two up to %d (KVM's maximum)",
				     bytes, max);
	cap.args[0] = bytes;
	/* kvmkit_vm_enable_cap() records it: ring_bytes() and restart use it */
	return kvmkit_vm_enable_cap(vm, &cap);
}

int kvmkit_vcpu_dirty_ring_open(struct kvmkit_vcpu *vcpu,
				struct kvmkit_dirty_ring **out)
{
	uint32_t bytes = ring_bytes(vcpu->vm);
	struct kvmkit_dirty_ring *r;
	void *map;

	*out = NULL;
	if (!bytes)
		return kvmkit_set_error(vcpu->err, ENOENT,
					"dirty ring: not enabled on this VM (kvmkit_vm_enable_dirty_ring()) (vcpu %u)",
					vcpu->id);
	r = calloc(1, sizeof(*r));
	if (!r)
		return kvmkit_set_error(vcpu->err, ENOMEM,
					"dirty ring: out of memory (vcpu %u)",
					vcpu->id);
	map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd,
		   (off_t)KVM_DIRTY_LOG_PAGE_OFFSET * getpagesize());
	if (map == MAP_FAILED) {
		int err = errno;

		free(r);
		return kvmkit_set_error(vcpu->err, err,
					"mmap of the dirty ring (%u bytes at page %d of the vCPU fd): %s (vcpu %u)",
					bytes, KVM_DIRTY_LOG_PAGE_OFFSET,
					strerror(err), vcpu->id);
	}
	r->vcpu = vcpu;
	r->gfns = map;
	r->bytes = bytes;
	r->count = bytes / sizeof(struct kvm_dirty_gfn);
	*out = r;
	return 0;
}

void kvmkit_dirty_ring_close(struct kvmkit_dirty_ring *r)
{
	if (!r)
		return;
	munmap(r->gfns, r->bytes);
	free(r);
}

size_t kvmkit_dirty_ring_harvest(struct kvmkit_dirty_ring *r,
				 struct kvmkit_dirty_page *pages, size_t max)
{
	size_t n = 0;

	while (n < max) {
		struct kvm_dirty_gfn *e = &r->gfns[r->fetch & (r->count - 1)];
		/* acquire: the slot and offset KVM wrote before the flag */
		uint32_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		if (!(flags & KVM_DIRTY_GFN_F_DIRTY))
			break;
		pages[n].slot = e->slot;
		pages[n].offset = e->offset;
		n++;
		/* release: KVM may reuse the entry once it reads RESET */
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET,
				 __ATOMIC_RELEASE);
		r->fetch++;
	}
	return n;
}

int kvmkit_vm_reset_dirty_rings(struct kvmkit_vm *vm)
{
	/* _IO: no argument, so not kvmkit_ioctl() (it checks one) */
	int ret = ioctl(vm->fd, KVM_RESET_DIRTY_RINGS, 0);

	if (ret < 0)
		return KVMKIT_VM_ERR(vm, errno, "KVM_RESET_DIRTY_RINGS: %s",
				     strerror(errno));
	return ret;
}
