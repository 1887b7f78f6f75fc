// SPDX-License-Identifier: MIT
/*
 * VM and vCPU dumps to a FILE *, for a CI log: everything needed to see
 * why a guest broke without rerunning it.  The architecture's registers
 * come from kvmkit_arch_vcpu_fdump(); the rest is generic.
 */
#include <inttypes.h>
#include "internal.h"

int kvmkit_vcpu_fdump(struct kvmkit_vcpu *vcpu, FILE *f, unsigned int n)
{
	int ret, ret2;

	fprintf(f, "vcpu %u:\n", vcpu->id);
	ret = kvmkit_arch_vcpu_fdump(vcpu, f);
	ret2 = kvmkit_vcpu_dump_exits(vcpu, f, n);
	if (ferror(f))
		return -EIO;
	return ret ? ret : ret2;
}

static void fdump_slots(const struct kvmkit_vm *vm, FILE *f)
{
	unsigned int i;

	fprintf(f, "memory slots:\n");
	for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *r = &vm->slots[i].region;

		if (!r->memory_size)
			continue;
		fprintf(f, "  slot %2u gpa 0x%09" PRIx64 "-0x%09" PRIx64 " (%" PRIu64 " KiB) hva 0x%" PRIx64 "%s%s%s\n",
			i, (uint64_t)r->guest_phys_addr,
			(uint64_t)(r->guest_phys_addr + r->memory_size - 1),
			(uint64_t)(r->memory_size >> 10),
			(uint64_t)r->userspace_addr,
			r->flags & KVM_MEM_READONLY ? " readonly" : "",
			r->flags & KVM_MEM_LOG_DIRTY_PAGES ? " dirty-log" : "",
			vm->slots[i].alloc ? "" : " caller-owned");
	}
}

static void fdump_handlers(const struct kvmkit_io_table *t, const char *what,
			   FILE *f)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		fprintf(f, "  %s 0x%" PRIx64 "-0x%" PRIx64 "\n", what,
			t->ranges[i].base, t->ranges[i].base + t->ranges[i].len - 1);
}

int kvmkit_vm_fdump(struct kvmkit_vm *vm, FILE *f, unsigned int n)
{
	unsigned int i;
	int ret = 0, r;

	fprintf(f, "VM fd %d, %u vCPUs at most\n", vm->fd, vm->max_vcpus);
	fdump_slots(vm, f);
	if (vm->pio.n || vm->mmio.n)
		fprintf(f, "handlers:\n");
	fdump_handlers(&vm->pio, "ports", f);
	fdump_handlers(&vm->mmio, "mmio ", f);
	for (i = 0; i < vm->max_vcpus; i++) {
		if (!vm->vcpus[i])
			continue;
		r = kvmkit_vcpu_fdump(vm->vcpus[i], f, n);
		if (r && !ret)
			ret = r;
	}
	return ferror(f) ? -EIO : ret;
}
