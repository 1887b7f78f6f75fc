// SPDX-License-Identifier: MIT
/*
 * The kvmkit doorbell (abi.h): the one place on the host that knows what
 * an exit must look like to be a kvmkit hypercall, which calls pass their
 * arguments in registers, and where each call's report lives.  The LTP
 * face, the examples and the tests ask here instead of matching the port.
 */
#include <string.h>
#include "internal.h"

int kvmkit_hypercall_decode(const struct kvmkit_exit *exit,
			    struct kvmkit_hypercall *hc)
{
	memset(hc, 0, sizeof(*hc));
	if ((exit->type != KVMKIT_EXIT_IO_OUT && exit->type != KVMKIT_EXIT_IO_IN) ||
	    exit->io.port != KVMKIT_HC_PORT)
		return -ENOENT;
	/*
	 * Only the guest runtime's one 32-bit OUT is a call; anything else
	 * on the port (an IN, a byte, a REP OUTS) is a guest that got the
	 * protocol wrong, which the caller should hear about as such.
	 */
	if (exit->type != KVMKIT_EXIT_IO_OUT || exit->io.size != 4 ||
	    exit->io.count != 1)
		return -EPROTO;
	memcpy(&hc->nr, exit->io.data, sizeof(hc->nr));
	return 0;
}

/* tst_res_()/tst_brk_() by registers: abi.h's KVMKIT_HC_PRINTF */
static int carries_regs(uint32_t nr)
{
	return nr == KVMKIT_HC_PRINTF || nr == KVMKIT_HC_PRINTF_EXIT;
}

int kvmkit_vcpu_hypercall(struct kvmkit_vcpu *vcpu,
			  const struct kvmkit_exit *exit,
			  struct kvmkit_hypercall *hc)
{
	int ret = kvmkit_hypercall_decode(exit, hc);

	if (ret)
		return ret;
	if (carries_regs(hc->nr)) {
		/* free when KVM syncs the registers into kvm_run */
		ret = kvmkit_vcpu_exit_regs(vcpu, &hc->regs);
		if (ret)
			return ret;
		hc->has_regs = 1;
	}
	return 0;
}

int kvmkit_report_from_hypercall(struct kvmkit_vcpu *vcpu,
				 const struct kvmkit_hypercall *hc,
				 struct kvmkit_report *rep)
{
	if (hc && hc->has_regs)
		return kvmkit_report_from_regs(vcpu, &hc->regs, rep);
	return kvmkit_report_read(vcpu, rep);
}
