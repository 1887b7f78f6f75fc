/* kvmkit-expect: exit=0 timeout=10 env=KVMKIT_TIMEOUT=30 match=TPASS: CPU 0: CPU 1 is spinning */
/* kvmkit-expect: nomatch=TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: CPU 1 spins forever with interrupts off, without PAUSE
 * or any exit, and CPU 0 returns from main() meanwhile.  The test ends
 * there: the host must stop CPU 1 (kick: immediate_exit and a signal)
 * at once, not wait for it or for the 30 s guest timeout.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(2);

static volatile int started;

static void spin(void *arg)
{
	(void)arg;
	started = 1;
	asm volatile("cli\n1:\tjmp 1b" : : : "memory");
}

void main(void)
{
	kvm_smp_call_async(spin, NULL);
	while (!started)
		asm volatile("pause" : : : "memory");
	tst_res(TPASS, "CPU 1 is spinning; main() returns");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "CPU 1 still spinning when CPU 0's main() returns is stopped; the test passes",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
