// SPDX-License-Identifier: MIT
/*
 * One MSR at a time through KVM_GET_MSRS/KVM_SET_MSRS.  Those ioctls
 * return how many entries they processed and stop silently at the first
 * MSR KVM refuses, so "0 processed" is the only sign of an unknown or
 * rejected MSR: it becomes -EINVAL with the MSR named.
 */
#include <sys/ioctl.h>
#include <string.h>
#include "internal.h"

/* struct kvm_msrs ends in a flexible array: room for exactly one entry */
union msr_one {
	struct kvm_msrs msrs;
	char room[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
};

static int msr_refused(struct kvmkit_vcpu *vcpu, const char *what,
		       uint32_t index)
{
	return kvmkit_set_error(vcpu->err, EINVAL,
				"%s: MSR 0x%x refused by KVM (vcpu %u)",
				what, index, vcpu->id);
}

int kvmkit_vcpu_get_msr(struct kvmkit_vcpu *vcpu, uint32_t index,
			uint64_t *value)
{
	union msr_one u;
	int ret;

	memset(&u, 0, sizeof(u));
	u.msrs.nmsrs = 1;
	u.msrs.entries[0].index = index;
	ret = kvmkit_ioctl(vcpu->fd, KVM_GET_MSRS, &u.msrs);
	if (ret < 0)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_MSRS");
	if (ret != 1)
		return msr_refused(vcpu, "KVM_GET_MSRS", index);
	*value = u.msrs.entries[0].data;
	return 0;
}

int kvmkit_vcpu_set_msr(struct kvmkit_vcpu *vcpu, uint32_t index,
			uint64_t value)
{
	union msr_one u;
	int ret;

	memset(&u, 0, sizeof(u));
	u.msrs.nmsrs = 1;
	u.msrs.entries[0].index = index;
	u.msrs.entries[0].data = value;
	ret = kvmkit_ioctl(vcpu->fd, KVM_SET_MSRS, &u.msrs);
	if (ret < 0)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_MSRS");
	if (ret != 1)
		return msr_refused(vcpu, "KVM_SET_MSRS", index);
	return 0;
}
