// SPDX-License-Identifier: MIT
/*
 * Exits KVM offers to userspace on request: RDMSR/WRMSR of filtered or
 * unknown MSRs (KVM_CAP_X86_USER_SPACE_MSR, KVM_X86_SET_MSR_FILTER), the
 * hypercalls of KVM_CAP_EXIT_HYPERCALL, and the interrupt window.  The
 * replies go into kvm_run, which the next KVM_RUN hands to the guest.
 */
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"

int kvmkit_vm_enable_user_msr(struct kvmkit_vm *vm, uint32_t reasons)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR, .args = { reasons },
	};

	if (kvmkit_vm_check_extension(vm, KVM_CAP_X86_USER_SPACE_MSR) <= 0)
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "KVM_ENABLE_CAP: KVM_CAP_X86_USER_SPACE_MSR absent");
	if (kvmkit_ioctl(vm->fd, KVM_ENABLE_CAP, &cap))
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR): %s",
				     strerror(errno));
	return 0;
}

int kvmkit_vm_set_msr_filter(struct kvmkit_vm *vm,
			     const struct kvm_msr_filter *filter)
{
	if (kvmkit_ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, filter))
		return KVMKIT_VM_ERR(vm, errno, "KVM_X86_SET_MSR_FILTER: %s",
				     strerror(errno));
	return 0;
}

int kvmkit_vm_trap_msrs(struct kvmkit_vm *vm, const uint32_t *indices,
			unsigned int n)
{
	/* one bit per range, clear: denied, so it exits to userspace */
	static const uint8_t deny;
	struct kvm_msr_filter f;
	unsigned int i;

	if (n > KVM_MSR_FILTER_MAX_RANGES)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "KVM_X86_SET_MSR_FILTER: %u MSRs, at most %d",
				     n, KVM_MSR_FILTER_MAX_RANGES);
	memset(&f, 0, sizeof(f));
	f.flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
	for (i = 0; i < n; i++) {
		f.ranges[i].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
		f.ranges[i].base = indices[i];
		f.ranges[i].nmsrs = 1;
		f.ranges[i].bitmap = (uint8_t *)&deny;
	}
	return kvmkit_vm_set_msr_filter(vm, &f);
}

int kvmkit_vcpu_msr_reply(struct kvmkit_vcpu *vcpu, uint64_t data, int fault)
{
	struct kvm_run *run = vcpu->run;

	if (run->exit_reason != KVM_EXIT_X86_RDMSR &&
	    run->exit_reason != KVM_EXIT_X86_WRMSR)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"MSR reply: the last exit (%s) is no RDMSR/WRMSR (vcpu %u)",
					kvmkit_exit_reason_name(run->exit_reason),
					vcpu->id);
	run->msr.error = fault ? 1 : 0;	/* 1: KVM injects #GP */
	if (run->exit_reason == KVM_EXIT_X86_RDMSR)
		run->msr.data = data;
	return 0;
}

int kvmkit_vm_enable_exit_hypercall(struct kvmkit_vm *vm, uint64_t mask)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_EXIT_HYPERCALL, .args = { mask },
	};
	int have = kvmkit_vm_check_extension(vm, KVM_CAP_EXIT_HYPERCALL);

	if (have <= 0 || (mask & ~(uint64_t)have))
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "KVM_ENABLE_CAP: KVM_CAP_EXIT_HYPERCALL offers 0x%x, asked 0x%llx",
				     have > 0 ? have : 0,
				     (unsigned long long)mask);
	if (kvmkit_ioctl(vm->fd, KVM_ENABLE_CAP, &cap))
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL): %s",
				     strerror(errno));
	return 0;
}

int kvmkit_vcpu_hypercall_reply(struct kvmkit_vcpu *vcpu, uint64_t ret)
{
	if (vcpu->run->exit_reason != KVM_EXIT_HYPERCALL)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"hypercall reply: the last exit (%s) is no KVM_EXIT_HYPERCALL (vcpu %u)",
					kvmkit_exit_reason_name(vcpu->run->exit_reason),
					vcpu->id);
	vcpu->run->hypercall.ret = ret;
	return 0;
}

void kvmkit_vcpu_request_irq_window(struct kvmkit_vcpu *vcpu, int on)
{
	vcpu->run->request_interrupt_window = on ? 1 : 0;
}
