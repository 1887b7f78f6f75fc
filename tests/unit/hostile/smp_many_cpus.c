/* kvmkit-expect: exit=32 timeout=20 match=TCONF.*10000 CPUs */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: an SMP descriptor (forged: KVMKIT_GUEST_CPUS(10000) does
 * not compile) that asks for 10000 CPUs, more than kvmkit's runtime and
 * KVM take, with areas for only one.  The host must say TCONF with the
 * number, not create thousands of vCPUs or read past the areas.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

unsigned char kvmkit_cpu_areas[1][KVMKIT_CPU_AREA_SIZE]
	__attribute__((aligned(KVMKIT_PAGE_SIZE)));
const struct kvmkit_smp_desc kvmkit_smp = {
	10000, KVMKIT_CPU_AREA_SIZE, (uint64_t)(uintptr_t)kvmkit_cpu_areas,
	(uint64_t)(uintptr_t)kvmkit_ap_entry
};

void main(void)
{
	tst_res(TPASS, "a guest of 10000 CPUs ran");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a payload asking for 10000 CPUs is TCONF, naming the count",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
