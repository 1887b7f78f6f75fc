/* kvmkit-expect: exit=2 timeout=15 env=KVMKIT_TIMEOUT=1 match=TBROK */
/* kvmkit-expect: match=[Tt]ime(d)? ?out */
// SPDX-License-Identifier: MIT
/*
 * tst_wait_host() under the default controller, where no host thread
 * answers: the guest spins inside KVM_RUN forever, so the per-run timeout
 * must end it with TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_wait_host(NULL);
	tst_res(TFAIL, "tst_wait_host() returned without a host thread");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "tst_wait_host() under the default controller, where no host thread answers",
};

#endif /* COMPILE_PAYLOAD */
