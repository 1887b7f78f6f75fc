// SPDX-License-Identifier: MIT
/*
 * Locked read-modify-write instructions and MFENCE across vCPUs.  Three
 * CPUs hammer one word with LOCK XADD, one with LOCK CMPXCHG retry loops
 * and one with XCHG-based ownership: no increment may be lost and no two
 * CPUs may own the XCHG flag at once.  Then the store-buffer litmus test
 * between CPU 0 and CPU 1, each storing 1 to its own word and loading
 * the other's: with MFENCE between store and load the outcome "both
 * loads saw 0" is forbidden; without it x86 allows it (counted, reported
 * as information, never judged).
 *
 * Where it is written: Intel SDM Vol. 3A 9.1.2.2 "Software Controlled
 * Bus Locking" (LOCK XADD/CMPXCHG are atomic; XCHG with memory is locked
 * whether or not LOCK is given); 9.2.2 "Memory Ordering in P6 and More
 * Recent Processor Families" (locked instructions have a total order);
 * 9.2.3.4 "Loads May Be Reordered with Earlier Stores to Different
 * Locations" (Example 9-3: r1 = r2 = 0 allowed); 9.2.3.9 / Vol. 2B
 * "MFENCE" (serializes all loads and stores before it against all after
 * it, so Example 9-3 with MFENCE cannot give r1 = r2 = 0).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define CPUS	3
#define ROUNDS	200
#define TRIALS	40

KVMKIT_GUEST_CPUS(CPUS);

static volatile uint64_t xadd_count, cmpxchg_count, owned;
static volatile uint32_t flag;
static volatile unsigned int overlaps;
static kvm_barrier_t barrier = KVM_BARRIER_INIT;

static void hammer(void *arg)
{
	uint64_t old, one = 1;
	unsigned int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		asm volatile("lock xaddq %0, %1"
			     : "+r"(one), "+m"(xadd_count) : : "memory");
		one = 1;
		do {
			old = cmpxchg_count;
		} while (!__atomic_compare_exchange_n(&cmpxchg_count, &old,
						      old + 1, 0,
						      __ATOMIC_SEQ_CST,
						      __ATOMIC_SEQ_CST));
		/* XCHG ownership: a plain read-modify-write inside */
		for (;;) {
			uint32_t was = 1;

			asm volatile("xchgl %0, %1"
				     : "+r"(was), "+m"(flag) : : "memory");
			if (!was)
				break;
			asm volatile("pause" : : : "memory");
		}
		if (owned++ != 0)
			__atomic_add_fetch(&overlaps, 1, __ATOMIC_SEQ_CST);
		owned--;
		asm volatile("" : : : "memory");
		flag = 0;
	}
}

static volatile uint32_t x, y;
static volatile uint32_t r[2][TRIALS];
static volatile int fenced;

/* CPU 0 and 1: store own word, (MFENCE,) load the other's */
static void litmus(void *arg)
{
	unsigned int cpu = kvm_cpu_id(), t;
	volatile uint32_t *mine = cpu ? &y : &x, *other = cpu ? &x : &y;
	uint32_t v;

	(void)arg;
	for (t = 0; t < TRIALS; t++) {
		kvm_barrier_wait(&barrier);
		if (cpu < 2) {
			*mine = 1;
			if (fenced)
				asm volatile("mfence" : : : "memory");
			else
				asm volatile("" : : : "memory");
			v = *other;
			r[cpu][t] = v;
		}
		kvm_barrier_wait(&barrier);
		if (cpu == 0) {
			x = 0;
			y = 0;
		}
	}
}

static unsigned int both_zero(void)
{
	unsigned int t, n = 0;

	for (t = 0; t < TRIALS; t++)
		n += !r[0][t] && !r[1][t];
	return n;
}

void main(void)
{
	unsigned int n;

	kvm_smp_call(hammer, NULL);
	if (xadd_count != CPUS * ROUNDS || cmpxchg_count != CPUS * ROUNDS)
		tst_res(TFAIL, "LOCK XADD counted %llu, LOCK CMPXCHG %llu, want %u each",
			(unsigned long long)xadd_count,
			(unsigned long long)cmpxchg_count, CPUS * ROUNDS);
	else
		tst_res(TPASS, "LOCK XADD and LOCK CMPXCHG on %u CPUs: %u increments each, none lost",
			CPUS, CPUS * ROUNDS);
	if (overlaps)
		tst_res(TFAIL, "XCHG flag: %u times two CPUs owned it at once",
			overlaps);
	else
		tst_res(TPASS, "XCHG (implicitly locked) flag: never owned by two CPUs at once");

	fenced = 0;
	kvm_smp_call(litmus, NULL);
	n = both_zero();
	tst_res(TINFO, "store buffer without MFENCE: r0 = r1 = 0 in %u of %u trials (allowed)",
		n, TRIALS);
	fenced = 1;
	kvm_smp_call(litmus, NULL);
	n = both_zero();
	if (n)
		tst_res(TFAIL, "store buffer with MFENCE: r0 = r1 = 0 in %u of %u trials (forbidden)",
			n, TRIALS);
	else
		tst_res(TPASS, "store buffer with MFENCE: r0 = r1 = 0 never seen in %u trials",
			TRIALS);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Locked read-modify-write instructions and MFENCE across vCPUs",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "smp,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
