// SPDX-License-Identifier: MIT
/*
 * The x86-64 side of the _arch_ interface (internal.h): what generic vCPU,
 * exit and guest-memory code needs to know about registers kept in
 * kvm_run, debug exits and paging, without naming x86 itself.
 */
#include <string.h>
#include <sys/ioctl.h>
#include "../internal.h"

/*
 * Have KVM store the general registers in kvm_run on every exit when it
 * can: a KVMKIT_HC_PRINTF report reads its arguments from them, the exit
 * history its RIP, and a KVM_GET_REGS per exit would cost about as much
 * as the exit itself.  Without the capability kvmkit_vcpu_exit_regs()
 * falls back to the ioctl and the history goes without RIPs.
 */
void kvmkit_arch_vcpu_init(struct kvmkit_vcpu *vcpu)
{
	/* raw: a failure only means no sync, not an error to record */
	int caps = ioctl(vcpu->vm->kvm->fd, KVM_CHECK_EXTENSION,
			 KVM_CAP_SYNC_REGS);

	if (caps > 0 && (caps & KVM_SYNC_X86_REGS))
		vcpu->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
}

int kvmkit_arch_exit_pc(const struct kvmkit_vcpu *vcpu, uint64_t *pc)
{
	if (!(vcpu->run->kvm_valid_regs & KVM_SYNC_X86_REGS))
		return -ENODATA;
	*pc = vcpu->run->s.regs.regs.rip;
	return 0;
}

void kvmkit_arch_decode_debug(const struct kvm_run *run, struct kvmkit_exit *e)
{
	e->debug.exception = run->debug.arch.exception;
	e->debug.pc = run->debug.arch.pc;
	e->debug.dr6 = run->debug.arch.dr6;
	e->debug.dr7 = run->debug.arch.dr7;
}

int kvmkit_arch_mmu_fetch(struct kvmkit_vcpu *vcpu, struct kvmkit_arch_mmu *mmu)
{
	const struct kvm_run *run = vcpu->run;
	struct kvm_sregs ioctl_sregs;
	const struct kvm_sregs *sregs = &ioctl_sregs;
	int ret;

	if (run && (run->kvm_valid_regs & KVM_SYNC_X86_SREGS)) {
		sregs = &run->s.regs.sregs;
	} else {
		ret = kvmkit_vcpu_get_sregs(vcpu, &ioctl_sregs);
		if (ret)
			return ret;
	}
	mmu->cr0 = sregs->cr0;
	mmu->cr3 = sregs->cr3;
	mmu->cr4 = sregs->cr4;
	mmu->efer = sregs->efer;
	return 0;
}

int kvmkit_arch_mmu_translate(const struct kvmkit_vm *vm,
			      const struct kvmkit_arch_mmu *mmu, uint64_t gva,
			      uint64_t *gpa)
{
	return kvmkit_x86_walk(vm, mmu->cr0, mmu->cr3, mmu->cr4, mmu->efer,
			       gva, gpa);
}
