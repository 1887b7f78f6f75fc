/* kvmkit-expect: exit=0 timeout=20 count=25 match=^smp_res_whole\.c:[0-9]+: TPASS: CPU 0: begin a{300} end$ */
/* kvmkit-expect: count=25 match=^smp_res_whole\.c:[0-9]+: TPASS: CPU 1: begin b{300} end$ */
/* kvmkit-expect: count=25 match=^smp_res_whole\.c:[0-9]+: TPASS: CPU 2: begin c{300} end$ */
/* kvmkit-expect: count=75 match=TPASS */
/* kvmkit-expect: nomatch=TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * tst_res() from three CPUs at once, 25 long messages each: every line
 * must arrive whole (its own CPU's letters only, from "begin" to "end"),
 * with the right "CPU n: " prefix, none lost, none merged.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#define CPUS	3
#define LINES	25
#define LEN	300

KVMKIT_GUEST_CPUS(CPUS);

static char text[CPUS][LEN + 1];
static kvm_barrier_t start = KVM_BARRIER_INIT;

static void say(void *arg)
{
	unsigned int cpu = kvm_cpu_id(), i;

	(void)arg;
	memset(text[cpu], 'a' + cpu, LEN);
	text[cpu][LEN] = 0;
	kvm_barrier_wait(&start);
	for (i = 0; i < LINES; i++)
		tst_res(TPASS, "begin %s end", text[cpu]);
}

void main(void)
{
	kvm_smp_call(say, NULL);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "25 tst_res() lines from every CPU at once each arrive whole, prefixed by CPU",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
