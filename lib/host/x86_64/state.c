// SPDX-License-Identifier: MIT
/*
 * The rest of a vCPU's architectural state (FPU, XSAVE, XCRs, debug
 * registers, local APIC, MP state, MSRs in batches, nested state) and a
 * whole-vCPU snapshot that can be restored into a vCPU of another VM.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"

#define STATE_IOCTL(name, IOCTL, type, constness)			\
	int kvmkit_vcpu_##name(struct kvmkit_vcpu *vcpu, constness type *arg) \
	{								\
		if (kvmkit_ioctl(vcpu->fd, IOCTL, arg))			\
			return kvmkit_vcpu_fail(vcpu, errno, #IOCTL);	\
		return 0;						\
	}

STATE_IOCTL(set_fpu, KVM_SET_FPU, struct kvm_fpu, const)
STATE_IOCTL(get_xsave, KVM_GET_XSAVE, struct kvm_xsave, )
STATE_IOCTL(set_xsave, KVM_SET_XSAVE, struct kvm_xsave, const)
STATE_IOCTL(get_xcrs, KVM_GET_XCRS, struct kvm_xcrs, )
STATE_IOCTL(set_xcrs, KVM_SET_XCRS, struct kvm_xcrs, const)
STATE_IOCTL(get_debugregs, KVM_GET_DEBUGREGS, struct kvm_debugregs, )
STATE_IOCTL(set_debugregs, KVM_SET_DEBUGREGS, struct kvm_debugregs, const)
STATE_IOCTL(get_lapic, KVM_GET_LAPIC, struct kvm_lapic_state, )
STATE_IOCTL(set_lapic, KVM_SET_LAPIC, struct kvm_lapic_state, const)
STATE_IOCTL(set_mp_state, KVM_SET_MP_STATE, struct kvm_mp_state, const)

#undef STATE_IOCTL

int kvmkit_kvm_msr_index_list(struct kvmkit_kvm *kvm,
			      struct kvm_msr_list **listp)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;

	*listp = NULL;
	/* E2BIG with nmsrs set to the count needed */
	if (ioctl(kvm->fd, KVM_GET_MSR_INDEX_LIST, &probe) && errno != E2BIG)
		return kvmkit_set_error(kvm->err, errno,
					"KVM_GET_MSR_INDEX_LIST: %s",
					strerror(errno));
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	if (!list)
		return kvmkit_set_error(kvm->err, ENOMEM,
					"KVM_GET_MSR_INDEX_LIST: %s",
					strerror(ENOMEM));
	list->nmsrs = probe.nmsrs;
	if (ioctl(kvm->fd, KVM_GET_MSR_INDEX_LIST, list)) {
		int err = kvmkit_set_error(kvm->err, errno,
					   "KVM_GET_MSR_INDEX_LIST: %s",
					   strerror(errno));
		free(list);
		return err;
	}
	*listp = list;
	return 0;
}

int kvmkit_vcpu_get_msrs(struct kvmkit_vcpu *vcpu, struct kvm_msrs *msrs)
{
	int ret = ioctl(vcpu->fd, KVM_GET_MSRS, msrs);

	if (ret < 0)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_MSRS");
	return ret;
}

int kvmkit_vcpu_set_msrs(struct kvmkit_vcpu *vcpu, const struct kvm_msrs *msrs)
{
	int ret = ioctl(vcpu->fd, KVM_SET_MSRS, msrs);

	if (ret < 0)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_MSRS");
	return ret;
}

int kvmkit_cpuid_set_feature(struct kvm_cpuid2 *cpuid, uint32_t function,
			     uint32_t index, enum kvmkit_cpuid_reg reg,
			     unsigned int bit, int on)
{
	const struct kvm_cpuid_entry2 *c = kvmkit_cpuid_find(cpuid, function,
							      index);
	struct kvm_cpuid_entry2 *e = (struct kvm_cpuid_entry2 *)c;
	uint32_t *r;

	if (bit > 31 || reg > KVMKIT_CPUID_EDX)
		return -EINVAL;
	if (!e)
		return -ENOENT;
	r = reg == KVMKIT_CPUID_EAX ? &e->eax : reg == KVMKIT_CPUID_EBX ?
	    &e->ebx : reg == KVMKIT_CPUID_ECX ? &e->ecx : &e->edx;
	if (on)
		*r |= 1u << bit;
	else
		*r &= ~(1u << bit);
	return 0;
}

int kvmkit_vcpu_get_nested_state(struct kvmkit_vcpu *vcpu,
				 struct kvm_nested_state **statep)
{
	int size = ioctl(vcpu->vm->kvm->fd, KVM_CHECK_EXTENSION,
			 KVM_CAP_NESTED_STATE);
	struct kvm_nested_state *st;

	*statep = NULL;
	if (size <= 0)
		return kvmkit_set_error(vcpu->err, EOPNOTSUPP,
					"KVM_GET_NESTED_STATE: KVM_CAP_NESTED_STATE absent (vcpu %u)",
					vcpu->id);
	st = calloc(1, (size_t)size);
	if (!st)
		return kvmkit_vcpu_fail(vcpu, ENOMEM, "KVM_GET_NESTED_STATE");
	st->size = (uint32_t)size;
	if (ioctl(vcpu->fd, KVM_GET_NESTED_STATE, st)) {
		int err = kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_NESTED_STATE");

		free(st);
		return err;
	}
	*statep = st;
	return 0;
}

int kvmkit_vcpu_set_nested_state(struct kvmkit_vcpu *vcpu,
				 const struct kvm_nested_state *state)
{
	if (ioctl(vcpu->fd, KVM_SET_NESTED_STATE, state))
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_NESTED_STATE");
	return 0;
}

/* ---- whole-vCPU snapshot ------------------------------------------------ */

void kvmkit_vcpu_state_free(struct kvmkit_vcpu_state *st)
{
	if (!st)
		return;
	free(st->msrs);
	free(st->nested);
	free(st);
}

/*
 * Every MSR of KVM_GET_MSR_INDEX_LIST this vCPU will read: KVM_GET_MSRS
 * stops at the first it refuses (one that needs a CPUID bit the vCPU
 * lacks), so a refused MSR is dropped and the batch goes on after it.
 */
static int save_msrs(struct kvmkit_vcpu *vcpu, struct kvmkit_vcpu_state *st)
{
	struct kvm_msr_list *list;
	struct kvm_msrs *msrs;
	uint32_t i, n = 0;
	int ret;

	ret = kvmkit_kvm_msr_index_list(vcpu->vm->kvm, &list);
	if (ret)
		return kvmkit_set_error(vcpu->err, -ret, "%s (vcpu %u)",
					vcpu->vm->kvm->err, vcpu->id);
	msrs = calloc(1, sizeof(*msrs) +
			 list->nmsrs * sizeof(struct kvm_msr_entry));
	if (!msrs) {
		free(list);
		return kvmkit_vcpu_fail(vcpu, ENOMEM, "KVM_GET_MSRS");
	}
	for (i = 0; i < list->nmsrs; i++)
		msrs->entries[i].index = list->indices[i];
	free(list);
	msrs->nmsrs = i;
	while (n < msrs->nmsrs) {
		/* read entries n.. in place */
		struct kvm_msrs *tail = (struct kvm_msrs *)
			((char *)&msrs->entries[n] - sizeof(*msrs));
		struct kvm_msrs save = *tail;	/* the header it overlays */
		uint32_t left = msrs->nmsrs - n;

		tail->nmsrs = left;
		tail->pad = 0;
		ret = ioctl(vcpu->fd, KVM_GET_MSRS, tail);
		*tail = save;
		if (ret < 0) {
			free(msrs);
			return kvmkit_vcpu_fail(vcpu, errno, "KVM_GET_MSRS");
		}
		n += (uint32_t)ret;
		if (n < msrs->nmsrs) {	/* drop the refused one */
			memmove(&msrs->entries[n], &msrs->entries[n + 1],
				(msrs->nmsrs - n - 1) * sizeof(msrs->entries[0]));
			msrs->nmsrs--;
		}
	}
	st->msrs = msrs;
	return 0;
}

/*
 * api.rst: after an I/O, MMIO or MSR exit the instruction completes (RIP
 * moves past it) only in the next KVM_RUN; one with immediate_exit set
 * does that and returns EINTR without running guest code.
 */
int kvmkit_vcpu_complete_pending(struct kvmkit_vcpu *vcpu)
{
	int ret;

	vcpu->run->immediate_exit = 1;
	ret = ioctl(vcpu->fd, KVM_RUN, 0);
	vcpu->run->immediate_exit = 0;
	if (ret < 0 && errno != EINTR)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_RUN (immediate_exit)");
	return 0;
}

int kvmkit_vcpu_save_state(struct kvmkit_vcpu *vcpu,
			   struct kvmkit_vcpu_state **statep)
{
	struct kvmkit_vcpu_state *st;
	int ret;

	*statep = NULL;
	ret = kvmkit_vcpu_complete_pending(vcpu);
	if (ret)
		return ret;
	st = calloc(1, sizeof(*st));
	if (!st)
		return kvmkit_vcpu_fail(vcpu, ENOMEM, "vcpu state");
	/* the events first: KVM_GET_VCPU_EVENTS settles a pending exception */
	ret = kvmkit_vcpu_get_events(vcpu, &st->events);
	if (!ret)
		ret = kvmkit_vcpu_get_mp_state(vcpu, &st->mp_state);
	if (!ret)
		ret = kvmkit_vcpu_get_regs(vcpu, &st->regs);
	if (!ret)
		ret = kvmkit_vcpu_get_sregs(vcpu, &st->sregs);
	if (!ret)
		ret = kvmkit_vcpu_get_fpu(vcpu, &st->fpu);
	if (!ret && !kvmkit_vcpu_get_xsave(vcpu, &st->xsave))
		st->parts |= KVMKIT_STATE_XSAVE;
	if (!ret && !kvmkit_vcpu_get_xcrs(vcpu, &st->xcrs))
		st->parts |= KVMKIT_STATE_XCRS;
	if (!ret)
		ret = kvmkit_vcpu_get_debugregs(vcpu, &st->debugregs);
	/* ENXIO without an in-kernel irqchip: no LAPIC to save */
	if (!ret && !kvmkit_vcpu_get_lapic(vcpu, &st->lapic))
		st->parts |= KVMKIT_STATE_LAPIC;
	if (!ret)
		ret = save_msrs(vcpu, st);
	if (!ret && kvmkit_vcpu_get_nested_state(vcpu, &st->nested) == 0)
		st->parts |= KVMKIT_STATE_NESTED;
	if (ret) {
		kvmkit_vcpu_state_free(st);
		return ret;
	}
	vcpu->err[0] = '\0';	/* the optional parts' failures are no error */
	*statep = st;
	return 0;
}

/*
 * Set the saved MSRs in batches.  KVM stops at the first MSR it refuses;
 * a refused one that already holds the saved value on this vCPU needs no
 * restoring (kvm_pvm refuses writes of MSR_KVM_POLL_CONTROL that it
 * reads back), any other is an error naming it.
 */
static int restore_msrs(struct kvmkit_vcpu *vcpu, const struct kvm_msrs *msrs)
{
	union {
		struct kvm_msrs msrs;
		char room[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
	} one;
	uint32_t n = 0;
	int ret;

	while (n < msrs->nmsrs) {
		memset(&one, 0, sizeof(one));
		one.msrs.nmsrs = 1;
		one.msrs.entries[0] = msrs->entries[n];
		ret = kvmkit_vcpu_set_msrs(vcpu, &one.msrs);
		if (ret < 0)
			return ret;
		if (ret == 0) {
			one.msrs.entries[0].data = ~msrs->entries[n].data;
			ret = kvmkit_vcpu_get_msrs(vcpu, &one.msrs);
			if (ret != 1 ||
			    one.msrs.entries[0].data != msrs->entries[n].data)
				return kvmkit_set_error(vcpu->err, EINVAL,
							"KVM_SET_MSRS: MSR 0x%x refused by KVM (vcpu %u)",
							msrs->entries[n].index,
							vcpu->id);
		}
		n++;
	}
	return 0;
}

/* The KVM selftests' order: sregs before MSRs (EFER), regs near the end */
int kvmkit_vcpu_restore_state(struct kvmkit_vcpu *vcpu,
			      const struct kvmkit_vcpu_state *st)
{
	int ret;

	ret = kvmkit_vcpu_set_sregs(vcpu, &st->sregs);
	if (!ret && st->msrs)
		ret = restore_msrs(vcpu, st->msrs);
	if (!ret && (st->parts & KVMKIT_STATE_XSAVE))
		ret = kvmkit_vcpu_set_xsave(vcpu, &st->xsave);
	/*
	 * And the legacy area again: KVM_SET_FPU does not mark x87/SSE in
	 * the XSAVE header, so KVM_GET_XSAVE reports their init state after
	 * it (seen on kvm_pvm) while KVM_GET_FPU has the values set.
	 */
	if (!ret)
		ret = kvmkit_vcpu_set_fpu(vcpu, &st->fpu);
	if (!ret && (st->parts & KVMKIT_STATE_XCRS))
		ret = kvmkit_vcpu_set_xcrs(vcpu, &st->xcrs);
	if (!ret && (st->parts & KVMKIT_STATE_LAPIC))
		ret = kvmkit_vcpu_set_lapic(vcpu, &st->lapic);
	if (!ret)
		ret = kvmkit_vcpu_set_events(vcpu, &st->events);
	if (!ret)
		ret = kvmkit_vcpu_set_mp_state(vcpu, &st->mp_state);
	if (!ret)
		ret = kvmkit_vcpu_set_debugregs(vcpu, &st->debugregs);
	if (!ret)
		ret = kvmkit_vcpu_set_regs(vcpu, &st->regs);
	if (!ret && (st->parts & KVMKIT_STATE_NESTED))
		ret = kvmkit_vcpu_set_nested_state(vcpu, st->nested);
	return ret;
}
