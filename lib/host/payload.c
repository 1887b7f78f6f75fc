// SPDX-License-Identifier: MIT
/*
 * Loading a payload image: validate its header, copy it to
 * KVMKIT_PAYLOAD_BASE, clear its .bss (unless the caller vouches for fresh
 * RAM) and tell it how much RAM it has.
 * The page tables, GDT, TSS and IDT are written later by
 * kvmkit_payload_boot() (x86_64/boot.c).
 */
#include <stdio.h>
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

static int smp_bad(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int smp_bad(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	vsnprintf(why, len, fmt, va);
	va_end(va);
	return -err;
}

/*
 * A descriptor copy against its image: code and the descriptor itself in
 * [KVMKIT_PAYLOAD_BASE, file_end), the CPU areas page-aligned inside
 * [KVMKIT_PAYLOAD_BASE, image_end).  Every sum is checked for overflow
 * by comparing differences, never by adding guest values.
 */
static int smp_check(const struct kvmkit_smp_desc *d, uint64_t file_end,
		     uint64_t image_end, char *why, size_t len)
{
	const uint64_t base = KVMKIT_PAYLOAD_BASE;

	if (!d->cpus)
		return smp_bad(why, len, EINVAL,
			       "payload: asks for 0 CPUs (KVMKIT_GUEST_CPUS): a guest needs at least one");
	if (d->cpus > KVMKIT_GUEST_MAX_CPUS)
		return smp_bad(why, len, E2BIG,
			       "payload: asks for %u CPUs, kvmkit's guest runtime runs at most %u (KVMKIT_GUEST_MAX_CPUS)",
			       d->cpus, KVMKIT_GUEST_MAX_CPUS);
	if (d->area_size != KVMKIT_CPU_AREA_SIZE)
		return smp_bad(why, len, ENOEXEC,
			       "payload: CPU area size 0x%x, this host's ABI has 0x%x",
			       d->area_size, KVMKIT_CPU_AREA_SIZE);
	if (d->cpus == 1)
		return 0;
	if (d->areas < base || d->areas & (KVMKIT_PAGE_SIZE - 1) ||
	    d->areas > image_end ||
	    (image_end - d->areas) / KVMKIT_CPU_AREA_SIZE < d->cpus - 1ULL)
		return smp_bad(why, len, ENOEXEC,
			       "payload: %u CPU areas at 0x%llx are not page-aligned inside the image (end 0x%llx)",
			       d->cpus - 1, (unsigned long long)d->areas,
			       (unsigned long long)image_end);
	/* the guard pages are holes in the first GiB's 2 MiB map (boot.c) */
	if (d->areas >= 1ULL << 30 ||
	    ((1ULL << 30) - d->areas) / KVMKIT_CPU_AREA_SIZE < d->cpus - 1ULL)
		return smp_bad(why, len, ENOEXEC,
			       "payload: %u CPU areas at 0x%llx do not end in the first GiB",
			       d->cpus - 1, (unsigned long long)d->areas);
	if (d->ap_entry < base || d->ap_entry >= file_end)
		return smp_bad(why, len, ENOEXEC,
			       "payload: AP entry point 0x%llx outside the image's code",
			       (unsigned long long)d->ap_entry);
	return 0;
}

/* The descriptor at gpa, bounded by [KVMKIT_PAYLOAD_BASE, file_end) */
static int smp_locate(uint64_t gpa, uint64_t file_end, char *why, size_t len)
{
	if (gpa < KVMKIT_PAYLOAD_BASE || gpa > file_end ||
	    file_end - gpa < sizeof(struct kvmkit_smp_desc) || gpa % 8)
		return smp_bad(why, len, ENOEXEC,
			       "payload: SMP descriptor at 0x%llx is not inside the image",
			       (unsigned long long)gpa);
	return 0;
}

int kvmkit_payload_cpus(const void *image, size_t size, unsigned int *cpus,
			char *why, size_t whylen)
{
	struct kvmkit_payload_header hdr;
	struct kvmkit_smp_desc d;
	uint64_t file_end = KVMKIT_PAYLOAD_BASE + (uint64_t)size;
	int ret;

	*cpus = 1;
	snprintf(why, whylen, "no error");
	if (!image || size < sizeof(hdr))
		return smp_bad(why, whylen, ENOEXEC,
			       "payload: image of %zu bytes is smaller than its header",
			       image ? size : 0);
	memcpy(&hdr, image, sizeof(hdr));
	if (hdr.magic != KVMKIT_PAYLOAD_MAGIC ||
	    hdr.abi_version != KVMKIT_ABI_VERSION)
		return smp_bad(why, whylen, ENOEXEC,
			       "payload: not a kvmkit payload of ABI %u",
			       KVMKIT_ABI_VERSION);
	if (!hdr.smp)
		return 0;
	ret = smp_locate(hdr.smp, file_end, why, whylen);
	if (ret)
		return ret;
	memcpy(&d, (const char *)image + (hdr.smp - KVMKIT_PAYLOAD_BASE),
	       sizeof(d));
	*cpus = d.cpus;
	return smp_check(&d, file_end, hdr.image_end, why, whylen);
}

int kvmkit_payload_smp_read(const struct kvmkit_vm *vm,
			    struct kvmkit_smp_desc *d, char *why, size_t len)
{
	struct kvmkit_payload_header hdr;

	memset(d, 0, sizeof(*d));
	d->cpus = 1;
	d->area_size = KVMKIT_CPU_AREA_SIZE;
	if (kvmkit_vm_read(vm, KVMKIT_PAYLOAD_BASE, &hdr, sizeof(hdr)))
		return smp_bad(why, len, EFAULT, "payload: no RAM at 0x%x",
			       KVMKIT_PAYLOAD_BASE);
	if (!hdr.smp)
		return 0;
	/* the guest may have rewritten it since the load: check again */
	if (smp_locate(hdr.smp, hdr.image_end, why, len) ||
	    kvmkit_vm_read(vm, hdr.smp, d, sizeof(*d)))
		return smp_bad(why, len, ENOEXEC,
			       "payload: SMP descriptor at 0x%llx is not inside the image",
			       (unsigned long long)hdr.smp);
	return smp_check(d, hdr.image_end, hdr.image_end, why, len);
}

int kvmkit_payload_result_gpa(const struct kvmkit_vm *vm, uint32_t cpu,
			      uint64_t *gpa)
{
	struct kvmkit_smp_desc d;
	char why[KVMKIT_ERR_MAX];
	int ret;

	*gpa = KVMKIT_RESULT_BASE;
	if (!cpu)
		return 0;
	ret = kvmkit_payload_smp_read(vm, &d, why, sizeof(why));
	if (ret)
		return ret;
	if (cpu >= d.cpus)
		return -ENOENT;
	*gpa = d.areas + (uint64_t)(cpu - 1) * KVMKIT_CPU_AREA_SIZE +
	       KVMKIT_CPU_RESULT;
	return 0;
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
	if (hdr.smp) {
		unsigned int cpus;

		ret = kvmkit_payload_cpus(image, size, &cpus, why, sizeof(why));
		if (ret)
			return KVMKIT_VM_ERR(vm, -ret, "%s", why);
	}

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
