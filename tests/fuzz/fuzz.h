/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer harnesses: an input reader that never fails
 * (bytes past the end read as zero, so every input is a valid case) and a
 * fake VM whose guest memory is plain host memory, built the way the
 * host units build theirs (lib/host/internal.h), so no /dev/kvm is
 * needed.  Each slot's backing is its own allocation of exactly the
 * slot's size: one byte read past a slot is an ASan report.
 */
#ifndef KVMKIT_FUZZ_H
#define KVMKIT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/*
 * An invariant the library promises, checked on every input.  abort()
 * is what libFuzzer reports as a crash and saves the input for.
 */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fuzz_bytes(struct fuzz_in *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		if (!in->n)
			break;
		v |= (uint64_t)*in->p++ << (8 * i);
		in->n--;
	}
	return v;
}

#define fuzz_u8(in)	((uint8_t)fuzz_bytes((in), 1))
#define fuzz_u16(in)	((uint16_t)fuzz_bytes((in), 2))
#define fuzz_u32(in)	((uint32_t)fuzz_bytes((in), 4))
#define fuzz_u64(in)	fuzz_bytes((in), 8)

#define FUZZ_MAX_SLOTS	4

struct fuzz_vm {
	struct kvmkit_vm vm;
	struct kvmkit_vcpu vcpu;
	void *ram[FUZZ_MAX_SLOTS];
};

/*
 * An empty VM with one vCPU whose kvm_run is exactly sizeof(struct
 * kvm_run); its fd is -1, so an ioctl the library falls back to fails
 * with EBADF like a vCPU that has gone away.
 */
static inline int fuzz_vm_init(struct fuzz_vm *f)
{
	memset(f, 0, sizeof(*f));
	f->vm.fd = -1;
	f->vcpu.fd = -1;
	f->vcpu.vm = &f->vm;
	f->vcpu.run = calloc(1, sizeof(*f->vcpu.run));
	f->vcpu.run_size = sizeof(*f->vcpu.run);
	return f->vcpu.run ? 0 : -1;
}

/*
 * Back [gpa, gpa + size) with size bytes of data (zeros past its end).
 * Slots keep KVM's rules: page-granular, not wrapping the address space.
 */
static inline int fuzz_vm_add(struct fuzz_vm *f, unsigned int slot,
			      uint64_t gpa, size_t size, struct fuzz_in *in)
{
	size_t n = in->n < size ? in->n : size;
	uint8_t *ram;

	if (slot >= FUZZ_MAX_SLOTS || !size || gpa + size - 1 < gpa)
		return -1;
	ram = malloc(size);
	if (!ram)
		return -1;
	memcpy(ram, in->p, n);
	memset(ram + n, 0, size - n);
	in->p += n;
	in->n -= n;
	f->ram[slot] = ram;
	f->vm.slots[slot].region = (struct kvm_userspace_memory_region) {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)ram,
	};
	return 0;
}

/* Non-zero if [p, p + len) lies inside one slot's backing */
static inline int fuzz_vm_owns(const struct fuzz_vm *f, const void *p,
			       size_t len)
{
	unsigned int i;

	for (i = 0; i < FUZZ_MAX_SLOTS; i++) {
		const struct kvm_userspace_memory_region *r =
			&f->vm.slots[i].region;
		uintptr_t start = (uintptr_t)f->ram[i], at = (uintptr_t)p;

		if (f->ram[i] && at >= start && at - start <= r->memory_size &&
		    len <= r->memory_size - (at - start))
			return 1;
	}
	return 0;
}

static inline void fuzz_vm_free(struct fuzz_vm *f)
{
	unsigned int i;

	for (i = 0; i < FUZZ_MAX_SLOTS; i++)
		free(f->ram[i]);
	free(f->vcpu.run);
}

/*
 * A guest address: mostly one near or inside small RAM (where strings,
 * tables and stacks can be), sometimes any 64-bit value.  Without the
 * bias almost every address would miss RAM and the walk would end at
 * its first step.
 */
static inline uint64_t fuzz_addr(struct fuzz_in *in, uint64_t ram_size)
{
	uint8_t sel = fuzz_u8(in);

	if (!(sel & 3))
		return fuzz_u64(in);
	return fuzz_u32(in) % (ram_size + 0x100);
}

#endif /* KVMKIT_FUZZ_H */
