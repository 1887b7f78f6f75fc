// SPDX-License-Identifier: MIT
/*
 * kvmkit_vm_restart(): the same VM again on a fresh KVM VM, as the KVM
 * selftests' kvm_vm_restart() does: a new VM fd with the same memory
 * slots over the same host memory (so the guest's memory is kept without
 * a copy), the capabilities enabled through kvmkit replayed, and each
 * vCPU recreated under the same id and object with its state restored.
 * The new VM is built beside the old one, so that a failure before the
 * switch leaves the old VM as it was.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"

struct restart {
	int fd;
	int *vcpu_fds;
	struct kvm_run **runs;
	struct kvmkit_arch_snapshot **snaps;
};

static void restart_free(struct kvmkit_vm *vm, struct restart *r, int failed)
{
	unsigned int i;

	for (i = 0; i < vm->max_vcpus; i++) {
		if (r->snaps)
			kvmkit_arch_snapshot_free(r->snaps[i]);
		if (!failed || !vm->vcpus[i])
			continue;
		if (r->runs[i])
			munmap(r->runs[i], vm->vcpus[i]->run_size);
		if (r->vcpu_fds[i] >= 0)
			close(r->vcpu_fds[i]);
	}
	if (failed && r->fd >= 0)
		close(r->fd);
	free(r->snaps);
	free(r->vcpu_fds);
	free(r->runs);
}

static int snapshot_all(struct kvmkit_vm *vm, struct restart *r)
{
	unsigned int i;

	for (i = 0; i < vm->max_vcpus; i++) {
		struct kvmkit_vcpu *v = vm->vcpus[i];

		if (v && kvmkit_arch_vcpu_snapshot(v, &r->snaps[i]))
			return KVMKIT_VM_ERR(vm, EIO,
					     "kvmkit_vm_restart: saving vcpu %u: %s",
					     v->id, v->err);
	}
	return 0;
}

/* The new VM beside the old: slots, capabilities, vCPU fds and kvm_run */
static int build(struct kvmkit_vm *vm, struct restart *r)
{
	unsigned int i;
	int tries = 0;

	do {
		r->fd = ioctl(vm->kvm->fd, KVM_CREATE_VM, 0);
	} while (r->fd < 0 && errno == EINTR && ++tries < 16);
	if (r->fd < 0)
		return KVMKIT_VM_ERR(vm, errno, "kvmkit_vm_restart: KVM_CREATE_VM: %s",
				     strerror(errno));
	for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *s = &vm->slots[i].region;

		if (s->memory_size &&
		    kvmkit_ioctl(r->fd, KVM_SET_USER_MEMORY_REGION, s) < 0)
			return KVMKIT_VM_ERR(vm, errno,
					     "kvmkit_vm_restart: KVM_SET_USER_MEMORY_REGION: %s (slot %u)",
					     strerror(errno), i);
	}
	for (i = 0; i < vm->n_caps; i++)
		if (kvmkit_ioctl(r->fd, KVM_ENABLE_CAP, &vm->caps[i]) < 0)
			return KVMKIT_VM_ERR(vm, errno,
					     "kvmkit_vm_restart: KVM_ENABLE_CAP: %s (cap %u)",
					     strerror(errno), vm->caps[i].cap);
	for (i = 0; i < vm->max_vcpus; i++) {
		struct kvmkit_vcpu *v = vm->vcpus[i];
		void *run;

		if (!v)
			continue;
		r->vcpu_fds[i] = ioctl(r->fd, KVM_CREATE_VCPU, (unsigned long)v->id);
		if (r->vcpu_fds[i] < 0)
			return KVMKIT_VM_ERR(vm, errno,
					     "kvmkit_vm_restart: KVM_CREATE_VCPU: %s (vcpu %u)",
					     strerror(errno), v->id);
		run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   r->vcpu_fds[i], 0);
		if (run == MAP_FAILED)
			return KVMKIT_VM_ERR(vm, errno,
					     "kvmkit_vm_restart: mmap kvm_run: %s (vcpu %u)",
					     strerror(errno), v->id);
		r->runs[i] = run;
	}
	return 0;
}

/* Past the point of no return: the old fds go, the vCPUs get their state */
static int switch_over(struct kvmkit_vm *vm, struct restart *r)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < vm->max_vcpus; i++) {
		struct kvmkit_vcpu *v = vm->vcpus[i];

		if (!v)
			continue;
		munmap(v->run, v->run_size);
		close(v->fd);
		v->run = r->runs[i];
		v->fd = r->vcpu_fds[i];
		kvmkit_arch_vcpu_init(v);
	}
	close(vm->fd);
	vm->fd = r->fd;
	kvmkit_irq_release(vm);	/* the new VM has no irqchip, routes, irqfds */
	for (i = 0; i < vm->max_vcpus; i++) {
		struct kvmkit_vcpu *v = vm->vcpus[i];

		if (v && kvmkit_arch_vcpu_resume(v, r->snaps[i]) && !ret)
			ret = KVMKIT_VM_ERR(vm, EIO,
					    "kvmkit_vm_restart: restoring vcpu %u: %s",
					    v->id, v->err);
	}
	return ret;
}

int kvmkit_vm_restart(struct kvmkit_vm *vm)
{
	struct restart r = { .fd = -1 };
	unsigned int i;
	int ret;

	if (vm->n_caps > KVMKIT_RESTART_CAPS)
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "kvmkit_vm_restart: more than %u capabilities were enabled, they cannot all be replayed",
				     KVMKIT_RESTART_CAPS);
	r.snaps = calloc(vm->max_vcpus, sizeof(*r.snaps));
	r.vcpu_fds = malloc(vm->max_vcpus * sizeof(*r.vcpu_fds));
	r.runs = calloc(vm->max_vcpus, sizeof(*r.runs));
	if (!r.snaps || !r.vcpu_fds || !r.runs) {
		restart_free(vm, &r, 0);
		return KVMKIT_VM_ERR(vm, ENOMEM, "kvmkit_vm_restart: %s",
				     strerror(ENOMEM));
	}
	for (i = 0; i < vm->max_vcpus; i++)
		r.vcpu_fds[i] = -1;
	ret = snapshot_all(vm, &r);
	if (!ret)
		ret = build(vm, &r);
	if (ret) {
		restart_free(vm, &r, 1);
		return ret;
	}
	ret = switch_over(vm, &r);
	restart_free(vm, &r, 0);
	return ret;
}
