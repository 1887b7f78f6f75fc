// SPDX-License-Identifier: MIT
/*
 * Guest memory: slots backed by guarded anonymous mappings or by the
 * caller, and every host access to guest memory.  The guest is hostile,
 * so each translation checks the whole range against one slot; nothing
 * here hands out a pointer that could reach past a slot's end.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"

#define PAGE_MASK	((uint64_t)KVMKIT_PAGE_SIZE - 1)

static int set_region(struct kvmkit_vm *vm,
		      const struct kvm_userspace_memory_region *r)
{
	if (kvmkit_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, r) < 0)
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_SET_USER_MEMORY_REGION: %s (slot %u)",
				     strerror(errno), r->slot);
	return 0;
}

static int check_slot(struct kvmkit_vm *vm, uint32_t slot)
{
	if (slot >= KVMKIT_MAX_MEMSLOTS)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "memory slot %u: kvmkit supports slots 0..%u",
				     slot, KVMKIT_MAX_MEMSLOTS - 1);
	if (vm->slots[slot].region.memory_size)
		return KVMKIT_VM_ERR(vm, EBUSY, "memory slot %u: already in use",
				     slot);
	return 0;
}

/*
 * A slot over an MMIO handler would take its accesses away from it
 * without a word (they no longer exit): refused, as the converse is
 */
static int check_mmio(struct kvmkit_vm *vm, uint32_t slot, uint64_t start,
		      uint64_t len)
{
	const struct kvmkit_io_range *r;

	r = kvmkit_io_overlap(&vm->mmio, start, start + (len - 1));
	if (!r)
		return 0;
	return KVMKIT_VM_ERR(vm, EEXIST,
			     "memory slot %u: 0x%llx-0x%llx overlaps the MMIO handler at 0x%llx-0x%llx, whose accesses would no longer exit",
			     slot, (unsigned long long)start,
			     (unsigned long long)(start + (len - 1)),
			     (unsigned long long)r->base,
			     (unsigned long long)(r->base + (r->len - 1)));
}

int kvmkit_vm_add_memory(struct kvmkit_vm *vm, uint32_t slot, uint64_t gpa,
			 uint64_t size, uint32_t flags, void **hva)
{
	struct kvmkit_memslot *s;
	uint64_t start, end;
	size_t len, total;
	uint8_t *map;
	int ret;

	if (hva)
		*hva = NULL;
	ret = check_slot(vm, slot);
	if (ret)
		return ret;
	start = gpa & ~PAGE_MASK;
	/* gpa + size and the round-up must not wrap the address space */
	if (!size || size > UINT64_MAX - gpa || gpa + size > UINT64_MAX - PAGE_MASK)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "memory slot %u: bad range 0x%llx+0x%llx",
				     slot, (unsigned long long)gpa,
				     (unsigned long long)size);
	end = (gpa + size + PAGE_MASK) & ~PAGE_MASK;
	len = end - start;
	if (len != end - start || len > SIZE_MAX - 2 * KVMKIT_PAGE_SIZE)
		return KVMKIT_VM_ERR(vm, ENOMEM, "memory slot %u: too large",
				     slot);
	total = len + 2 * KVMKIT_PAGE_SIZE;
	ret = check_mmio(vm, slot, start, len);
	if (ret)
		return ret;

	/*
	 * Reserve the whole range inaccessible, then open the inside: a host
	 * bug that runs off either end faults instead of corrupting the
	 * neighbour.  MAP_NORESERVE so that large sparse guests cost nothing.
	 */
	map = mmap(NULL, total, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return KVMKIT_VM_ERR(vm, errno, "mmap %zu bytes: %s (slot %u)",
				     total, strerror(errno), slot);
	if (mprotect(map + KVMKIT_PAGE_SIZE, len, PROT_READ | PROT_WRITE)) {
		ret = KVMKIT_VM_ERR(vm, errno, "mprotect: %s (slot %u)",
				    strerror(errno), slot);
		goto unmap;
	}

	s = &vm->slots[slot];
	s->region = (struct kvm_userspace_memory_region) {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = start,
		.memory_size = len,
		.userspace_addr = (uintptr_t)(map + KVMKIT_PAGE_SIZE),
	};
	ret = set_region(vm, &s->region);
	if (ret) {
		memset(&s->region, 0, sizeof(s->region));
		goto unmap;
	}
	s->alloc = map;
	s->alloc_size = total;
	if (hva)
		*hva = map + KVMKIT_PAGE_SIZE;
	return 0;

unmap:
	{
		int saved = errno;

		munmap(map, total);
		errno = saved;
	}
	return ret;
}

int kvmkit_vm_add_memory_at(struct kvmkit_vm *vm, uint32_t slot,
			    uint64_t gpa, uint64_t size, uint32_t flags,
			    void *hva)
{
	struct kvmkit_memslot *s;
	int ret;

	ret = check_slot(vm, slot);
	if (ret)
		return ret;
	/* Caller-owned memory cannot be rounded out: it would grow their buffer */
	if (!size || (gpa | size | (uintptr_t)hva) & PAGE_MASK ||
	    size > UINT64_MAX - gpa)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "memory slot %u: 0x%llx+0x%llx at %p is not page-aligned",
				     slot, (unsigned long long)gpa,
				     (unsigned long long)size, hva);
	ret = check_mmio(vm, slot, gpa, size);
	if (ret)
		return ret;
	s = &vm->slots[slot];
	s->region = (struct kvm_userspace_memory_region) {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
	ret = set_region(vm, &s->region);
	if (ret)
		memset(&s->region, 0, sizeof(s->region));
	return ret;
}

int kvmkit_vm_remove_memory(struct kvmkit_vm *vm, uint32_t slot)
{
	struct kvmkit_memslot *s;
	struct kvm_userspace_memory_region r;
	int ret;

	if (slot >= KVMKIT_MAX_MEMSLOTS || !vm->slots[slot].region.memory_size)
		return KVMKIT_VM_ERR(vm, ENOENT, "memory slot %u: not in use",
				     slot);
	s = &vm->slots[slot];
	/* Size 0 deletes the slot; KVM ignores the other fields then */
	r = s->region;
	r.memory_size = 0;
	ret = set_region(vm, &r);
	if (ret)
		return ret;
	if (s->alloc)
		munmap(s->alloc, s->alloc_size);
	memset(s, 0, sizeof(*s));
	return 0;
}

const struct kvm_userspace_memory_region *
kvmkit_vm_memslot(const struct kvmkit_vm *vm, uint32_t slot)
{
	if (slot >= KVMKIT_MAX_MEMSLOTS || !vm->slots[slot].region.memory_size)
		return NULL;
	return &vm->slots[slot].region;
}

/*
 * The index of the slot holding gpa, or -1.  The subtraction is unsigned,
 * so a gpa below the slot's base wraps to a huge offset and fails too.
 */
int kvmkit_vm_find_slot(const struct kvmkit_vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *r = &vm->slots[i].region;

		if (r->memory_size && gpa - r->guest_phys_addr < r->memory_size)
			return i;
	}
	return -1;
}

static const struct kvm_userspace_memory_region *
slot_of(const struct kvmkit_vm *vm, uint64_t gpa)
{
	int i = kvmkit_vm_find_slot(vm, gpa);

	return i < 0 ? NULL : &vm->slots[i].region;
}

void *kvmkit_gpa_to_hva(const struct kvmkit_vm *vm, uint64_t gpa, uint64_t len)
{
	const struct kvm_userspace_memory_region *r = slot_of(vm, gpa);
	uint64_t off;

	if (!r)
		return NULL;
	off = gpa - r->guest_phys_addr;
	/* off < memory_size here, so the right side cannot wrap */
	if (len > r->memory_size - off)
		return NULL;
	return (uint8_t *)(uintptr_t)r->userspace_addr + off;
}

/*
 * Copies may cross from one slot into an adjacent one: check every piece
 * first so that a failed copy has not half-happened.
 */
static int check_range(const struct kvmkit_vm *vm, uint64_t gpa, size_t len)
{
	while (len) {
		const struct kvm_userspace_memory_region *r = slot_of(vm, gpa);
		uint64_t avail;

		if (!r)
			return -EFAULT;
		avail = r->memory_size - (gpa - r->guest_phys_addr);
		if (avail >= len)
			return 0;
		len -= avail;
		gpa += avail;
		/* a slot ending at the top of the address space ends RAM too */
		if (!gpa)
			return -EFAULT;
	}
	return 0;
}

static void copy_range(const struct kvmkit_vm *vm, uint64_t gpa, uint8_t *buf,
		       const uint8_t *src, size_t len)
{
	while (len) {
		const struct kvm_userspace_memory_region *r = slot_of(vm, gpa);
		uint64_t off = gpa - r->guest_phys_addr;
		uint64_t n = r->memory_size - off;
		uint8_t *hva = (uint8_t *)(uintptr_t)r->userspace_addr + off;

		if (n > len)
			n = len;
		if (src)
			memcpy(hva, src, n);
		else
			memcpy(buf, hva, n);
		if (src)
			src += n;
		else
			buf += n;
		len -= n;
		gpa += n;
	}
}

int kvmkit_vm_read(const struct kvmkit_vm *vm, uint64_t gpa, void *buf,
		   size_t len)
{
	if (check_range(vm, gpa, len))
		return -EFAULT;
	copy_range(vm, gpa, buf, NULL, len);
	return 0;
}

int kvmkit_vm_write(struct kvmkit_vm *vm, uint64_t gpa, const void *buf,
		    size_t len)
{
	if (check_range(vm, gpa, len))
		return -EFAULT;
	copy_range(vm, gpa, NULL, buf, len);
	return 0;
}

long kvmkit_vm_read_string(const struct kvmkit_vm *vm, uint64_t gpa,
			   char *buf, size_t buflen, int *truncated)
{
	const struct kvm_userspace_memory_region *r;
	const volatile char *src;
	uint64_t avail;
	size_t n;
	char c;

	if (truncated)
		*truncated = 0;
	if (!buflen)
		return -EINVAL;
	buf[0] = '\0';
	r = slot_of(vm, gpa);
	if (!r)
		return -EFAULT;
	avail = r->memory_size - (gpa - r->guest_phys_addr);
	src = (const volatile char *)(uintptr_t)r->userspace_addr +
	      (gpa - r->guest_phys_addr);

	/*
	 * Each guest byte is read once (volatile): a guest rewriting the
	 * string meanwhile can change what we copy, never how far we go.
	 */
	for (n = 0; n < buflen - 1 && n < avail; n++) {
		c = src[n];
		if (!c) {
			buf[n] = '\0';
			return n;
		}
		buf[n] = c;
	}
	buf[n] = '\0';
	/*
	 * Stopped without a NUL: either the slot ended (the string runs off
	 * RAM) or buf is full; a full buf followed by the NUL is no loss.
	 */
	if (truncated && (n == avail || src[n] != '\0'))
		*truncated = 1;
	return n;
}
