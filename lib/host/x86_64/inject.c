// SPDX-License-Identifier: MIT
/*
 * Events put into the guest from outside, as bhyve's vm_inject_*: an
 * exception through KVM_SET_VCPU_EVENTS, an NMI, an external interrupt
 * (userspace owns the interrupt controller: no in-kernel irqchip).
 * Each first completes the instruction of the last exit, so the event
 * arrives after it, not in its middle.
 */
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"

/* Vectors that push an error code (SDM vol. 3 table 6-1) */
static int has_error_code(uint8_t vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21:
		return 1;
	}
	return 0;
}

int kvmkit_vcpu_inject_exception(struct kvmkit_vcpu *vcpu, uint8_t vector,
				 uint32_t error_code)
{
	struct kvm_vcpu_events ev;
	int ret;

	if (vector >= 32 || vector == 2)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"inject: vector %u is no exception (vcpu %u)",
					vector, vcpu->id);
	ret = kvmkit_vcpu_complete_pending(vcpu);
	if (!ret)
		ret = kvmkit_vcpu_get_events(vcpu, &ev);
	if (ret)
		return ret;
	if (ev.exception.injected || ev.exception.pending)
		return kvmkit_set_error(vcpu->err, EBUSY,
					"inject: exception %u already queued (vcpu %u)",
					ev.exception.nr, vcpu->id);
	/* flags 0: the NMI, SIPI and shadow state stay as they are */
	ev.flags = 0;
	ev.exception.injected = 1;
	ev.exception.nr = vector;
	ev.exception.has_error_code = has_error_code(vector);
	ev.exception.error_code = ev.exception.has_error_code ? error_code : 0;
	return kvmkit_vcpu_set_events(vcpu, &ev);
}

/* CR2 first, as the CPU writes it before delivering #PF */
int kvmkit_vcpu_inject_page_fault(struct kvmkit_vcpu *vcpu,
				  uint32_t error_code, uint64_t cr2)
{
	struct kvm_sregs sregs;
	int ret = kvmkit_vcpu_complete_pending(vcpu);

	if (!ret)
		ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	sregs.cr2 = cr2;
	ret = kvmkit_vcpu_set_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	return kvmkit_vcpu_inject_exception(vcpu, 14, error_code);
}

int kvmkit_vcpu_inject_nmi(struct kvmkit_vcpu *vcpu)
{
	int ret = kvmkit_vcpu_complete_pending(vcpu);

	if (ret)
		return ret;
	if (ioctl(vcpu->fd, KVM_NMI))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_NMI");
	return 0;
}

int kvmkit_vcpu_inject_irq(struct kvmkit_vcpu *vcpu, uint8_t vector)
{
	struct kvm_interrupt irq = { .irq = vector };

	if (kvmkit_ioctl(vcpu->fd, KVM_INTERRUPT, &irq))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_INTERRUPT");
	return 0;
}

/*
 * KVM_CAP_X86_NOTIFY_VMEXIT (Intel's notify VM exit): a guest stuck in
 * one instruction's microcode past window crystal-clock cycles exits to
 * userspace instead of hanging the core.  KVM_CHECK_EXTENSION answers the
 * flags it takes; 0 where the CPU has no such exit (AMD, older Intel).
 * Through kvmkit_vm_enable_cap(), so kvmkit_vm_restart() replays it.
 */
int kvmkit_vm_enable_notify_exit(struct kvmkit_vm *vm, uint32_t window)
{
	const uint64_t want = KVM_X86_NOTIFY_VMEXIT_ENABLED |
			      KVM_X86_NOTIFY_VMEXIT_USER;
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_NOTIFY_VMEXIT,
		.args = { ((uint64_t)window << 32) | want },
	};
	int offered = ioctl(vm->fd, KVM_CHECK_EXTENSION,
			    KVM_CAP_X86_NOTIFY_VMEXIT);

	if (offered < 0)
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_CHECK_EXTENSION(KVM_CAP_X86_NOTIFY_VMEXIT): %s",
				     strerror(errno));
	if (((uint64_t)offered & want) != want)
		return KVMKIT_VM_ERR(vm, EOPNOTSUPP,
				     "notify exit: this KVM lacks KVM_CAP_X86_NOTIFY_VMEXIT with the user exit (offers 0x%x)",
				     offered);
	return kvmkit_vm_enable_cap(vm, &cap);
}

/* kvm_run's if_flag: x86's RFLAGS.IF as of the last exit */
int kvmkit_vcpu_exit_if_flag(const struct kvmkit_vcpu *vcpu)
{
	return vcpu->run->if_flag != 0;
}
