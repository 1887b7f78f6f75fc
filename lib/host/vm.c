// SPDX-License-Identifier: MIT
/* VMs: creation, teardown (vCPUs and kvmkit-owned memory), VM-wide caps. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"

/*
 * As many vCPUs as KVM takes in this VM: KVM_CAP_MAX_VCPUS, else the
 * recommended KVM_CAP_NR_VCPUS, else KVMKIT_MAX_VCPUS
 */
static unsigned int max_vcpus(struct kvmkit_vm *vm)
{
	int n = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	if (n <= 0)
		n = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	return n > 0 ? (unsigned int)n : KVMKIT_MAX_VCPUS;
}

int kvmkit_vm_create(struct kvmkit_kvm *kvm, struct kvmkit_vm **vmp)
{
	struct kvmkit_vm *vm;
	int fd, tries = 0;

	*vmp = NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return kvmkit_set_error(kvm->err, ENOMEM, "kvmkit_vm_create: %s",
					strerror(ENOMEM));
	/*
	 * KVM_CREATE_VM can fail with EINTR while the kernel sets up the
	 * MMU notifier under a pending signal; it is safe to repeat.
	 */
	do {
		fd = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	} while (fd < 0 && errno == EINTR && ++tries < 16);
	if (fd < 0) {
		int err = errno;

		free(vm);
		return kvmkit_set_error(kvm->err, err, "KVM_CREATE_VM: %s",
					strerror(err));
	}
	vm->fd = fd;
	vm->kvm = kvm;
	vm->max_vcpus = max_vcpus(vm);
	vm->vcpus = calloc(vm->max_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		close(fd);
		free(vm);
		return kvmkit_set_error(kvm->err, ENOMEM, "kvmkit_vm_create: %s",
					strerror(ENOMEM));
	}
	*vmp = vm;
	return 0;
}

unsigned int kvmkit_vm_max_vcpus(const struct kvmkit_vm *vm)
{
	return vm->max_vcpus;
}

/*
 * Order matters: vCPUs hold references on the VM, and the memory must
 * outlive every user of the VM, so it is unmapped last.
 */
void kvmkit_vm_destroy(struct kvmkit_vm *vm)
{
	int saved = errno;
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < vm->max_vcpus; i++)
		if (vm->vcpus[i])
			kvmkit_vcpu_destroy(vm->vcpus[i]);
	free(vm->vcpus);
	close(vm->fd);
	for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++)
		if (vm->slots[i].alloc)
			munmap(vm->slots[i].alloc, vm->slots[i].alloc_size);
	kvmkit_io_tables_release(vm);
	kvmkit_irq_release(vm);
	free(vm);
	errno = saved;
}

int kvmkit_vm_fd(const struct kvmkit_vm *vm)
{
	return vm->fd;
}

struct kvmkit_kvm *kvmkit_vm_kvm(const struct kvmkit_vm *vm)
{
	return vm->kvm;
}

const char *kvmkit_vm_error(const struct kvmkit_vm *vm)
{
	return vm->err;
}

int kvmkit_vm_check_extension(struct kvmkit_vm *vm, long cap)
{
	int ret = ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);

	if (ret < 0)
		return KVMKIT_VM_ERR(vm, errno, "KVM_CHECK_EXTENSION: %s (cap %ld)",
				     strerror(errno), cap);
	return ret;
}

int kvmkit_vm_enable_cap(struct kvmkit_vm *vm, const struct kvm_enable_cap *cap)
{
	if (kvmkit_ioctl(vm->fd, KVM_ENABLE_CAP, cap) < 0)
		return KVMKIT_VM_ERR(vm, errno, "KVM_ENABLE_CAP: %s (cap %u)",
				     strerror(errno), cap->cap);
	if (vm->n_caps < KVMKIT_RESTART_CAPS)
		vm->caps[vm->n_caps] = *cap;
	if (vm->n_caps <= KVMKIT_RESTART_CAPS)
		vm->n_caps++;
	return 0;
}
