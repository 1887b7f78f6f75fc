/* SPDX-License-Identifier: MIT */
/*
 * The hand-written guests of the host units run in real mode from the
 * reset state, but with CS and DS based at 0 (not the reset vector's
 * 0xffff0000), so that code and data sit where the test wrote them.
 */
#ifndef KVMKIT_UNIT_REAL_MODE_H
#define KVMKIT_UNIT_REAL_MODE_H

#include <string.h>
#include <kvmkit/kvmkit.h>

/* 0, or -1 with the message in kvmkit_vcpu_error(vcpu) */
static inline int unit_real_mode(struct kvmkit_vcpu *vcpu, uint64_t rip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.ds.base = 0;
	sregs.ds.selector = 0;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 0x2;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

#endif /* KVMKIT_UNIT_REAL_MODE_H */
