/* kvmkit-expect: exit=2 timeout=20 env=KVMKIT_TIMEOUT=30 match=TBROK: CPU 1: guest triple fault */
/* kvmkit-expect: match=RIP:? 0x[0-9a-fA-F]+ */
/* kvmkit-expect: nomatch=TPASS|[Tt]imed out */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: CPU 1 loads an IDT of limit 0 (its own IDTR only) and
 * executes ud2: #UD, #GP, #DF cannot be delivered, a triple fault on
 * CPU 1 while CPU 0 waits.  The host must end the test with a TBROK
 * that names CPU 1 and shows its registers, at once.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

KVMKIT_GUEST_CPUS(2);

static void fault(void *arg)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed))
		empty = { 0, 0 };

	(void)arg;
	if (kvm_cpu_id())
		asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
}

void main(void)
{
	kvm_smp_call(fault, NULL);
	tst_res(TPASS, "CPU 1 survived ud2 with an empty IDT");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a triple fault on CPU 1 is a TBROK naming CPU 1, with its registers",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
