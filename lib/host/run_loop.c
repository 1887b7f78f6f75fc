// SPDX-License-Identifier: MIT
/*
 * The run loop: KVM_RUN, then each decoded exit to whoever registered
 * for it, until a handler stops or an exit is nobody's.  Dispatch is a
 * function of the exit and the VM's tables alone, so the unit tests can
 * drive it with fabricated kvm_run contents, as they drive the decoder.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/*
 * A handler's failure: its -errno with the message it left on the vCPU
 * (a kvmkit call it made), or one naming the exit when it left none.
 * Anything that is no errno is a handler bug, reported as -EINVAL.
 */
static int handler_failed(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			  int ret)
{
	char what[96];

	if (ret < 0 && ret >= -4095 && vcpu->err[0])
		return ret;
	if (ret < 0 && ret >= -4095) {
		snprintf(what, sizeof(what), "%s handler",
			 kvmkit_exit_type_name(e->type));
		return kvmkit_vcpu_fail(vcpu, -ret, what);
	}
	snprintf(what, sizeof(what), "%s handler returned %d",
		 kvmkit_exit_type_name(e->type), ret);
	return kvmkit_vcpu_fail(vcpu, EINVAL, what);
}

/* An MSR exit to ops->msr, then its answer to KVM */
static int dispatch_msr(struct kvmkit_vcpu *vcpu,
			const struct kvmkit_run_ops *ops,
			const struct kvmkit_exit *exit)
{
	struct kvmkit_msr_access a = {
		.index = exit->msr.index,
		.reason = exit->msr.reason,
		.is_write = exit->type == KVMKIT_EXIT_X86_WRMSR,
		.data = exit->msr.data,
	};
	int ret = ops->msr(vcpu, &a, ops->opaque);

	if (ret == KVMKIT_RESUME || ret == KVMKIT_STOP) {
		int r = kvmkit_vcpu_msr_reply(vcpu, a.data, a.fault);

		if (r)
			return r;
	}
	return ret;
}

int kvmkit_vcpu_dispatch(struct kvmkit_vcpu *vcpu,
			 const struct kvmkit_run_ops *ops,
			 const struct kvmkit_exit *exit)
{
	struct kvmkit_hypercall hc;
	int ret;

	/* so that a failing handler's message is its own (handler_failed) */
	vcpu->err[0] = '\0';
	if (exit->type == KVMKIT_EXIT_X86_RDMSR ||
	    exit->type == KVMKIT_EXIT_X86_WRMSR) {
		ret = ops && ops->msr ? dispatch_msr(vcpu, ops, exit) :
		      KVMKIT_UNHANDLED;
	} else if (ops && ops->hypercall) {
		ret = kvmkit_vcpu_hypercall(vcpu, exit, &hc);
		if (!ret)
			ret = ops->hypercall(vcpu, &hc, ops->opaque);
		else if (ret == -ENOENT || ret == -EPROTO)
			/* not a call: a port like any other */
			ret = kvmkit_io_dispatch(vcpu, exit);
		else
			return ret;	/* the registers: message recorded */
	} else {
		ret = kvmkit_io_dispatch(vcpu, exit);
	}
	if (ret == KVMKIT_RESUME || ret == KVMKIT_STOP ||
	    ret == KVMKIT_UNHANDLED)
		return ret;
	return handler_failed(vcpu, exit, ret);
}

int kvmkit_vcpu_run_loop(struct kvmkit_vcpu *vcpu,
			 const struct kvmkit_run_ops *ops,
			 struct kvmkit_exit *exit)
{
	int ret;

	for (;;) {
		ret = kvmkit_vcpu_run(vcpu, exit);
		if (ops && ops->observe)
			ops->observe(vcpu, exit, ops->opaque);
		if (ret)
			return ret;
		ret = kvmkit_vcpu_dispatch(vcpu, ops, exit);
		if (ret != KVMKIT_RESUME)
			return ret;
	}
}
