// SPDX-License-Identifier: MIT
/*
 * vCPU register state: thin typed wrappers around the register ioctls.
 * Each failure names the ioctl and the vCPU in the vCPU's own error buffer.
 */
#include <sys/ioctl.h>
#include "internal.h"

int kvmkit_vcpu_get_regs(struct kvmkit_vcpu *vcpu, struct kvm_regs *regs)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_GET_REGS, regs))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_REGS");
	return 0;
}

int kvmkit_vcpu_set_regs(struct kvmkit_vcpu *vcpu, const struct kvm_regs *regs)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_SET_REGS, regs))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_REGS");
	return 0;
}

int kvmkit_vcpu_get_sregs(struct kvmkit_vcpu *vcpu, struct kvm_sregs *sregs)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_GET_SREGS, sregs))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_SREGS");
	return 0;
}

int kvmkit_vcpu_set_sregs(struct kvmkit_vcpu *vcpu,
			  const struct kvm_sregs *sregs)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_SET_SREGS, sregs))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_SREGS");
	return 0;
}

int kvmkit_vcpu_get_fpu(struct kvmkit_vcpu *vcpu, struct kvm_fpu *fpu)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_GET_FPU, fpu))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_FPU");
	return 0;
}

int kvmkit_vcpu_get_events(struct kvmkit_vcpu *vcpu,
			   struct kvm_vcpu_events *events)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, events))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_VCPU_EVENTS");
	return 0;
}

int kvmkit_vcpu_set_events(struct kvmkit_vcpu *vcpu,
			   const struct kvm_vcpu_events *events)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, events))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_VCPU_EVENTS");
	return 0;
}

int kvmkit_vcpu_set_guest_debug(struct kvmkit_vcpu *vcpu,
				const struct kvm_guest_debug *dbg)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, dbg))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_GUEST_DEBUG");
	return 0;
}

int kvmkit_vcpu_get_mp_state(struct kvmkit_vcpu *vcpu,
			     struct kvm_mp_state *state)
{
	if (kvmkit_ioctl(vcpu->fd, KVM_GET_MP_STATE, state))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_MP_STATE");
	return 0;
}
