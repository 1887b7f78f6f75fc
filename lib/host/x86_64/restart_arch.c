// SPDX-License-Identifier: MIT
/*
 * kvmkit_vm_restart()'s x86 part: a vCPU's whole state
 * (kvmkit_vcpu_save_state()) and its CPUID, which KVM keeps per vCPU and
 * which must be set on the new vCPU before its MSRs and XSAVE state.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "../internal.h"

struct kvmkit_arch_snapshot {
	struct kvmkit_vcpu_state *state;
	struct kvm_cpuid2 *cpuid;	/* NULL: none was set */
};

/* KVM_GET_CPUID2, grown until it fits; E2BIG says too small */
static int get_cpuid(struct kvmkit_vcpu *vcpu, struct kvm_cpuid2 **out)
{
	unsigned int n;

	*out = NULL;
	for (n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			return kvmkit_vcpu_fail(vcpu, ENOMEM, "KVM_GET_CPUID2");
		c->nent = n;
		if (!ioctl(vcpu->fd, KVM_GET_CPUID2, c)) {
			if (c->nent)
				*out = c;
			else
				free(c);
			return 0;
		}
		free(c);
		if (errno != E2BIG)
			return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_CPUID2");
	}
	return kvmkit_vcpu_fail(vcpu, E2BIG, "KVM_GET_CPUID2");
}

int kvmkit_arch_vcpu_snapshot(struct kvmkit_vcpu *vcpu,
			      struct kvmkit_arch_snapshot **snapp)
{
	struct kvmkit_arch_snapshot *snap = calloc(1, sizeof(*snap));
	int ret;

	*snapp = NULL;
	if (!snap)
		return kvmkit_vcpu_fail(vcpu, ENOMEM, "vcpu snapshot");
	ret = get_cpuid(vcpu, &snap->cpuid);
	if (!ret)
		ret = kvmkit_vcpu_save_state(vcpu, &snap->state);
	if (ret) {
		kvmkit_arch_snapshot_free(snap);
		return ret;
	}
	*snapp = snap;
	return 0;
}

int kvmkit_arch_vcpu_resume(struct kvmkit_vcpu *vcpu,
			    const struct kvmkit_arch_snapshot *snap)
{
	int ret = 0;

	if (snap->cpuid)
		ret = kvmkit_vcpu_set_cpuid(vcpu, snap->cpuid);
	if (!ret)
		ret = kvmkit_vcpu_restore_state(vcpu, snap->state);
	return ret;
}

void kvmkit_arch_snapshot_free(struct kvmkit_arch_snapshot *snap)
{
	if (!snap)
		return;
	kvmkit_vcpu_state_free(snap->state);
	free(snap->cpuid);
	free(snap);
}
