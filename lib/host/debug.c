// SPDX-License-Identifier: MIT
/*
 * Guest debugging from the host (KVM_SET_GUEST_DEBUG): single-step,
 * software breakpoints (INT3 exits instead of reaching the guest) and up
 * to four hardware breakpoints or watchpoints in DR0-3/DR7 that belong to
 * the host, not the guest.  Each stop is a KVMKIT_EXIT_DEBUG.
 */
#include <string.h>
#include "internal.h"

/* DR7 RW field: instruction, data write, data read or write */
static const unsigned int rw_bits[] = {
	[KVMKIT_HW_EXEC] = 0, [KVMKIT_HW_WRITE] = 1, [KVMKIT_HW_ACCESS] = 3,
};

/* DR7 LEN field for 1, 2, 4 or 8 bytes; -1 for any other length */
static int len_bits(unsigned int len)
{
	switch (len) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 3;
	case 8: return 2;
	}
	return -1;
}

int kvmkit_vcpu_set_debug(struct kvmkit_vcpu *vcpu,
			  const struct kvmkit_debug *d)
{
	struct kvm_guest_debug g;
	unsigned int i;
	uint64_t dr7 = 0;

	memset(&g, 0, sizeof(g));
	if (d->n_hw > 4)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"KVM_SET_GUEST_DEBUG: %u hardware breakpoints, at most 4 (vcpu %u)",
					d->n_hw, vcpu->id);
	for (i = 0; i < d->n_hw; i++) {
		const struct kvmkit_hw_breakpoint *b = &d->hw[i];
		/* an instruction breakpoint has LEN 0 (1 byte) */
		int len = b->type == KVMKIT_HW_EXEC ? 0 : len_bits(b->len);

		if ((unsigned int)b->type > KVMKIT_HW_ACCESS || len < 0 ||
		    (b->type != KVMKIT_HW_EXEC && b->addr & (b->len - 1)))
			return kvmkit_set_error(vcpu->err, EINVAL,
						"KVM_SET_GUEST_DEBUG: breakpoint %u: type %d len %u at 0x%llx (vcpu %u)",
						i, (int)b->type, b->len,
						(unsigned long long)b->addr,
						vcpu->id);
		g.arch.debugreg[i] = b->addr;
		dr7 |= 1ULL << (2 * i);			/* Li */
		dr7 |= (uint64_t)rw_bits[b->type] << (16 + 4 * i);
		dr7 |= (uint64_t)len << (18 + 4 * i);
	}
	if (d->single_step || d->sw_breakpoints || d->n_hw)
		g.control = KVM_GUESTDBG_ENABLE;
	if (d->single_step)
		g.control |= KVM_GUESTDBG_SINGLESTEP;
	if (d->sw_breakpoints)
		g.control |= KVM_GUESTDBG_USE_SW_BP;
	if (d->n_hw) {
		g.control |= KVM_GUESTDBG_USE_HW_BP;
		g.arch.debugreg[7] = dr7 | 0x400;	/* bit 10 reads as 1 */
	}
	return kvmkit_vcpu_set_guest_debug(vcpu, &g);
}

int kvmkit_debug_cause(const struct kvmkit_exit *e)
{
	unsigned int i;

	if (e->type != KVMKIT_EXIT_DEBUG)
		return -EINVAL;
	if (e->debug.exception == 3)
		return KVMKIT_DEBUG_SW_BREAKPOINT;
	for (i = 0; i < 4; i++)
		if (e->debug.dr6 & (1ULL << i))
			return (int)i;
	if (e->debug.dr6 & (1ULL << 14))	/* BS */
		return KVMKIT_DEBUG_STEP;
	return KVMKIT_DEBUG_OTHER;
}
