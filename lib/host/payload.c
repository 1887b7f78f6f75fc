// SPDX-License-Identifier: MIT
/*
 * Loading a payload image: validate its header, copy it to
 * KVMKIT_PAYLOAD_BASE, clear its .bss (unless the caller vouches for fresh
 * RAM) and tell it how much RAM it has.
 * The page tables, GDT, TSS and IDT are written later by
 * kvmkit_payload_boot() (x86_64/boot.c).
 */
#include <string.h>
#include "x86_64/payload.h"

uint64_t kvmkit_ram_size(const struct kvmkit_vm *vm)
{
	uint64_t end = 0;
	int grew = 1;
	int i;

	/*
	 * Each pass extends end by a slot that contains it; a slot can do so
	 * only once (end then lies at its end), so this stops after at most
	 * KVMKIT_MAX_MEMSLOTS passes whatever the slots' order.
	 */
	while (grew) {
		grew = 0;
		for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++) {
			const struct kvm_userspace_memory_region *r =
				&vm->slots[i].region;

			if (!r->memory_size || (r->flags & KVM_MEM_READONLY))
				continue;
			if (r->guest_phys_addr <= end &&
			    end - r->guest_phys_addr < r->memory_size) {
				end = r->guest_phys_addr + r->memory_size;
				grew = 1;
			}
		}
	}
	return end;
}

/* Zero [gpa, gpa + len) of RAM that may span several slots */
static int zero_guest(struct kvmkit_vm *vm, uint64_t gpa, uint64_t len)
{
	static const char zeros[4096];
	void *hva = kvmkit_gpa_to_hva(vm, gpa, len);
	int ret = 0;

	if (hva) {
		memset(hva, 0, len);
		return 0;
	}
	while (len && !ret) {
		size_t n = len < sizeof(zeros) ? len : sizeof(zeros);

		ret = kvmkit_vm_write(vm, gpa, zeros, n);
		gpa += n;
		len -= n;
	}
	return ret;
}

int kvmkit_payload_load_flags(struct kvmkit_vm *vm, const void *image,
			      size_t size, unsigned int flags)
{
	struct kvmkit_payload_header hdr;
	uint64_t ram_size, file_end;
	char why[KVMKIT_ERR_MAX];
	int ret;

	if (flags & ~KVMKIT_LOAD_RAM_ZEROED)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "payload: unknown load flags 0x%x", flags);
	if (!image || size < sizeof(hdr))
		return KVMKIT_VM_ERR(vm, ENOEXEC,
				     "payload: image of %zu bytes is smaller than its header",
				     image ? size : 0);
	/*
	 * The guest's heap runs from image_end to ram_size through the
	 * identity map, which ends at 2 GiB: RAM above it is not the heap's.
	 */
	ram_size = kvmkit_ram_size(vm);
	if (ram_size > KVMKIT_IDENTITY_LIMIT)
		ram_size = KVMKIT_IDENTITY_LIMIT;
	if (size > ram_size - KVMKIT_PAYLOAD_BASE || ram_size < KVMKIT_PAYLOAD_BASE)
		return KVMKIT_VM_ERR(vm, ENOEXEC,
				     "payload: image of %zu bytes does not fit in 0x%llx bytes of RAM at 0x%x",
				     size, (unsigned long long)ram_size,
				     KVMKIT_PAYLOAD_BASE);
	file_end = KVMKIT_PAYLOAD_BASE + size;

	memcpy(&hdr, image, sizeof(hdr));
	ret = kvmkit_arch_payload_check(&hdr, file_end, ram_size, why,
					sizeof(why));
	if (ret)
		return KVMKIT_VM_ERR(vm, -ret, "%s", why);

	hdr.ram_size = ram_size;
	hdr.host_flags = 0;	/* kvmkit_payload_boot() adds its choices */
	ret = kvmkit_vm_write(vm, KVMKIT_PAYLOAD_BASE, image, size);
	if (!ret)
		ret = kvmkit_vm_write(vm, KVMKIT_PAYLOAD_BASE, &hdr, sizeof(hdr));
	/* the caller vouches for fresh RAM: the first touch is the guest's */
	if (!ret && !(flags & KVMKIT_LOAD_RAM_ZEROED))
		ret = zero_guest(vm, file_end, hdr.image_end - file_end);
	if (ret)
		return KVMKIT_VM_ERR(vm, -ret,
				     "payload: copying the image to guest RAM failed");
	return 0;
}

int kvmkit_payload_load(struct kvmkit_vm *vm, const void *image, size_t size)
{
	return kvmkit_payload_load_flags(vm, image, size, 0);
}
