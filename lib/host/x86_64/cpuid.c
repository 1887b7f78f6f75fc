// SPDX-License-Identifier: MIT
/* The vCPU's CPUID table (KVM_SET_CPUID2). */
#include <sys/ioctl.h>
#include "internal.h"

int kvmkit_vcpu_set_cpuid(struct kvmkit_vcpu *vcpu,
			  const struct kvm_cpuid2 *cpuid)
{
	if (!cpuid)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"KVM_SET_CPUID2: no cpuid list (vcpu %u)",
					vcpu->id);
	if (kvmkit_ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_CPUID2");
	return 0;
}
