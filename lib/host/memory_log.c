// SPDX-License-Identifier: MIT
/*
 * Memory slots beyond plain RAM: the dirty-page log of a slot, and slots
 * backed by huge pages (transparent or hugetlbfs).
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"

#define HUGE_SIZE	(2ULL << 20)

int kvmkit_vm_get_dirty_log(struct kvmkit_vm *vm, uint32_t slot,
			    uint64_t *bitmap, size_t words)
{
	struct kvm_dirty_log log;
	uint64_t pages;

	if (slot >= KVMKIT_MAX_MEMSLOTS || !vm->slots[slot].region.memory_size)
		return KVMKIT_VM_ERR(vm, ENOENT,
				     "KVM_GET_DIRTY_LOG: slot %u unused", slot);
	pages = vm->slots[slot].region.memory_size / KVMKIT_PAGE_SIZE;
	if (words < (pages + 63) / 64)
		return KVMKIT_VM_ERR(vm, ENOSPC,
				     "KVM_GET_DIRTY_LOG: slot %u has %llu pages, bitmap holds %zu",
				     slot, (unsigned long long)pages, words * 64);
	memset(&log, 0, sizeof(log));
	log.slot = slot;
	log.dirty_bitmap = bitmap;
	if (kvmkit_ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log))
		return KVMKIT_VM_ERR(vm, errno, "KVM_GET_DIRTY_LOG: %s (slot %u)",
				     strerror(errno), slot);
	return 0;
}

int kvmkit_vm_enable_manual_dirty_clear(struct kvmkit_vm *vm)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE },
	};
	int have = kvmkit_vm_check_extension(vm, cap.cap);

	/* the value is the set of flags KVM accepts; the enable bit is 1 */
	if (have <= 0 || !(have & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE))
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: not offered by this KVM; KVM_GET_DIRTY_LOG clears the log as it reads it");
	return kvmkit_vm_enable_cap(vm, &cap);
}

int kvmkit_vm_clear_dirty_log(struct kvmkit_vm *vm, uint32_t slot,
			      uint64_t first_page, uint32_t num_pages,
			      const uint64_t *bitmap)
{
	struct kvm_clear_dirty_log c;

	if (slot >= KVMKIT_MAX_MEMSLOTS || !vm->slots[slot].region.memory_size)
		return KVMKIT_VM_ERR(vm, ENOENT,
				     "KVM_CLEAR_DIRTY_LOG: slot %u unused", slot);
	memset(&c, 0, sizeof(c));
	c.slot = slot;
	c.first_page = first_page;
	c.num_pages = num_pages;
	/* KVM only reads it; its uapi field is not const */
	c.dirty_bitmap = (void *)(uintptr_t)bitmap;
	if (kvmkit_ioctl(vm->fd, KVM_CLEAR_DIRTY_LOG, &c))
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_CLEAR_DIRTY_LOG: %s (slot %u, pages %llu+%u: first_page must be a multiple of 64, and num_pages too unless it reaches the slot's end)",
				     strerror(errno), slot,
				     (unsigned long long)first_page, num_pages);
	return 0;
}

static void *map_huge(struct kvmkit_vm *vm, uint32_t slot, size_t len,
		      enum kvmkit_huge huge, int *err)
{
	int extra = huge == KVMKIT_HUGE_HUGETLB ? MAP_HUGETLB : MAP_NORESERVE;
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);

	if (map == MAP_FAILED) {
		if (huge == KVMKIT_HUGE_HUGETLB &&
		    (errno == ENOMEM || errno == EINVAL))
			*err = KVMKIT_VM_ERR(vm, ENOMEM,
					     "mmap MAP_HUGETLB %zu bytes: %s: too few 2 MiB huge pages reserved (vm.nr_hugepages) (slot %u)",
					     len, strerror(errno), slot);
		else
			*err = KVMKIT_VM_ERR(vm, errno, "mmap %zu bytes: %s (slot %u)",
					     len, strerror(errno), slot);
		return NULL;
	}
	if (huge == KVMKIT_HUGE_THP && madvise(map, len, MADV_HUGEPAGE)) {
		*err = KVMKIT_VM_ERR(vm, errno == EINVAL ? EOPNOTSUPP : errno,
				     "madvise MADV_HUGEPAGE: %s (slot %u)",
				     strerror(errno), slot);
		munmap(map, len);
		return NULL;
	}
	return map;
}

int kvmkit_vm_add_memory_huge(struct kvmkit_vm *vm, uint32_t slot,
			      uint64_t gpa, uint64_t size, uint32_t flags,
			      enum kvmkit_huge huge, void **hva)
{
	uint64_t start, end;
	void *map;
	int ret = 0;

	if (hva)
		*hva = NULL;
	if (huge != KVMKIT_HUGE_THP && huge != KVMKIT_HUGE_HUGETLB)
		return KVMKIT_VM_ERR(vm, EINVAL, "memory slot %u: huge kind %d",
				     slot, (int)huge);
	if (slot >= KVMKIT_MAX_MEMSLOTS || vm->slots[slot].region.memory_size)
		return kvmkit_vm_add_memory_at(vm, slot, 0, 0, flags, NULL);
	if (!size || size > UINT64_MAX - gpa ||
	    gpa + size > UINT64_MAX - HUGE_SIZE || size > SIZE_MAX / 2)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "memory slot %u: bad range 0x%llx+0x%llx",
				     slot, (unsigned long long)gpa,
				     (unsigned long long)size);
	start = gpa & ~(HUGE_SIZE - 1);
	end = (gpa + size + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	/* THP needs a 2 MiB-aligned host address: map one more and trim */
	if (huge == KVMKIT_HUGE_THP) {
		uint8_t *raw = map_huge(vm, slot, end - start + HUGE_SIZE, huge,
					&ret);
		uintptr_t a;

		if (!raw)
			return ret;
		a = ((uintptr_t)raw + HUGE_SIZE - 1) & ~(uintptr_t)(HUGE_SIZE - 1);
		if (a > (uintptr_t)raw)
			munmap(raw, a - (uintptr_t)raw);
		munmap((void *)(a + (end - start)),
		       (uintptr_t)raw + HUGE_SIZE - a);
		map = (void *)a;
	} else {
		map = map_huge(vm, slot, end - start, huge, &ret);
		if (!map)
			return ret;
	}
	ret = kvmkit_vm_add_memory_at(vm, slot, start, end - start, flags, map);
	if (ret) {
		int saved = errno;

		munmap(map, end - start);
		errno = saved;
		return ret;
	}
	vm->slots[slot].alloc = map;
	vm->slots[slot].alloc_size = end - start;
	if (hva)
		*hva = map;
	return 0;
}
