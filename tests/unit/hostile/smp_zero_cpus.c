/* kvmkit-expect: exit=2 timeout=20 match=TBROK.*asks for 0 CPUs */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: an SMP descriptor (forged: KVMKIT_GUEST_CPUS(0) does not
 * compile) that asks for 0 CPUs.  The host must refuse it with TBROK
 * before it creates a vCPU, not run CPU 0 anyway.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

const struct kvmkit_smp_desc kvmkit_smp = {
	0, KVMKIT_CPU_AREA_SIZE, 0, (uint64_t)(uintptr_t)kvmkit_ap_entry
};

void main(void)
{
	tst_res(TPASS, "a guest of 0 CPUs ran");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a forged SMP descriptor asking for 0 CPUs is TBROK",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
