// SPDX-License-Identifier: MIT
/* vCPUs: creation with the shared kvm_run mapping, teardown, accessors. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "internal.h"
#include "timeout.h"
#include "gdbstub.h"

int kvmkit_vcpu_create(struct kvmkit_vm *vm, uint32_t id,
		       struct kvmkit_vcpu **vcpup)
{
	struct kvmkit_vcpu *vcpu;
	unsigned int i;
	int err;

	*vcpup = NULL;
	for (i = 0; i < vm->max_vcpus && vm->vcpus[i]; i++)
		;
	if (i == vm->max_vcpus)
		return KVMKIT_VM_ERR(vm, ENOSPC,
				     "KVM_CREATE_VCPU: KVM takes %u vCPUs per VM (vcpu %u)",
				     vm->max_vcpus, id);
	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return KVMKIT_VM_ERR(vm, ENOMEM, "KVM_CREATE_VCPU: %s (vcpu %u)",
				     strerror(ENOMEM), id);
	vcpu->id = id;
	vcpu->vm = vm;

	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0) {
		err = KVMKIT_VM_ERR(vm, errno, "KVM_CREATE_VCPU: %s (vcpu %u)",
				    strerror(errno), id);
		goto free;
	}
	vcpu->run_size = vm->kvm->vcpu_mmap_size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		err = KVMKIT_VM_ERR(vm, errno, "mmap kvm_run: %s (vcpu %u)",
				    strerror(errno), id);
		goto close;
	}
	kvmkit_arch_vcpu_init(vcpu);
	vm->vcpus[i] = vcpu;
	*vcpup = vcpu;
	return 0;

close:
	close(vcpu->fd);
free:
	free(vcpu);
	errno = -err;
	return err;
}

void kvmkit_vcpu_destroy(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_vm *vm;
	int saved = errno;
	unsigned int i;

	if (!vcpu)
		return;
	/* The timer's signal carries a pointer to vcpu: stop it first */
	kvmkit_timeout_release(vcpu);
	kvmkit_gdb_release(vcpu);
	vm = vcpu->vm;
	for (i = 0; i < vm->max_vcpus; i++)
		if (vm->vcpus[i] == vcpu)
			vm->vcpus[i] = NULL;
	munmap(vcpu->run, vcpu->run_size);
	close(vcpu->fd);
	free(vcpu);
	errno = saved;
}

int kvmkit_vcpu_fd(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->fd;
}

uint32_t kvmkit_vcpu_id(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->id;
}

struct kvmkit_vm *kvmkit_vcpu_vm(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->vm;
}

struct kvm_run *kvmkit_vcpu_kvm_run(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->run;
}

size_t kvmkit_vcpu_kvm_run_size(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->run_size;
}

int kvmkit_vcpu_kick(struct kvmkit_vcpu *vcpu, pthread_t thread, int sig)
{
	/*
	 * kick_pending outlives a run that clears immediate_exit after the
	 * signal was taken; immediate_exit is seen by a KVM_RUN about to
	 * start; the signal stops one under way
	 */
	__atomic_store_n(&vcpu->kick_pending, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	errno = pthread_kill(thread, sig);
	if (errno)
		return kvmkit_vcpu_fail(vcpu, errno, "pthread_kill");
	return 0;
}

const char *kvmkit_vcpu_error(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->err;
}
