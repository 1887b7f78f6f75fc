// SPDX-License-Identifier: MIT
/*
 * Guest runtime on several CPUs (KVMKIT_GUEST_CPUS): each CPU knows its
 * own number, runs on its own stack with its own GDT and TSS, and its
 * CPUID says its own initial APIC id; kvm_smp_call() reaches every CPU
 * exactly once per call; a spinlock keeps a deliberately slow
 * read-modify-write whole under contention; kvm_barrier_wait() lets no
 * CPU through before all arrive; kvm_call_safe() works on every CPU at
 * once, each fault ending its own CPU's call.  Every check counts what it saw, so a
 * broken lock, a shared stack or a lost call fails it.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define CPUS		3
#define ROUNDS		500	/* lock rounds per CPU */
#define BARRIER_ROUNDS	50

KVMKIT_GUEST_CPUS(CPUS);

struct seen {
	unsigned int visits;
	unsigned int id;
	uintptr_t rsp, gdt, tss;
	uint16_t tr;
	unsigned int apic_id;
};

static struct seen seen[CPUS];
static volatile unsigned int bad_id;

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

/* The base of the TSS that TR selects, read from this CPU's own GDT */
static uintptr_t tss_base(uintptr_t gdt, uint16_t tr)
{
	const uint64_t *d = (const uint64_t *)(gdt + (tr & ~7));

	return (d[0] >> 16 & 0xffffff) | (d[0] >> 56 & 0xff) << 24 |
	       (d[1] & 0xffffffff) << 32;
}

static void who_am_i(void *arg)
{
	unsigned int id = kvm_cpu_id();
	struct kvm_cpuid cpuid;
	struct dtr gdtr;
	uint16_t tr;
	int local;

	(void)arg;
	if (id >= CPUS) {
		bad_id = id + 1;
		return;
	}
	asm volatile("sgdt %0" : "=m"(gdtr));
	asm volatile("str %0" : "=r"(tr));
	kvm_get_cpuid(1, 0, &cpuid);
	__atomic_add_fetch(&seen[id].visits, 1, __ATOMIC_SEQ_CST);
	seen[id].id = id;
	seen[id].rsp = (uintptr_t)&local;
	seen[id].gdt = gdtr.base;
	seen[id].tr = tr;
	seen[id].tss = tss_base(gdtr.base, tr);
	seen[id].apic_id = cpuid.ebx >> 24;
}

static void check_identity(void)
{
	unsigned int i, j, ok = 1;

	if (kvm_cpu_count() != CPUS)
		tst_res(TFAIL, "kvm_cpu_count() %u, asked for %u", kvm_cpu_count(),
			CPUS);
	kvm_smp_call(who_am_i, NULL);
	if (bad_id) {
		tst_res(TFAIL, "a CPU says it is CPU %u of %u", bad_id - 1, CPUS);
		return;
	}
	for (i = 0; i < CPUS; i++) {
		uintptr_t top = (uintptr_t)kvm_cpu_stack_top(i);

		if (seen[i].visits != 1) {
			tst_res(TFAIL, "kvm_smp_call() reached CPU %u %u times", i,
				seen[i].visits);
			ok = 0;
			continue;
		}
		if (!top || seen[i].rsp >= top ||
		    seen[i].rsp < top - KVMKIT_STACK_SIZE) {
			tst_res(TFAIL, "CPU %u runs at RSP 0x%lx, its stack is [0x%lx, 0x%lx)",
				i, (unsigned long)seen[i].rsp,
				(unsigned long)(top - KVMKIT_STACK_SIZE),
				(unsigned long)top);
			ok = 0;
		}
		if (seen[i].tss != kvm_cpu_tss(i) || seen[i].tr != KVMKIT_SEL_TSS) {
			tst_res(TFAIL, "CPU %u: TR 0x%x selects a TSS at 0x%lx, its own is at 0x%lx",
				i, seen[i].tr, (unsigned long)seen[i].tss,
				(unsigned long)kvm_cpu_tss(i));
			ok = 0;
		}
		if (seen[i].apic_id != i) {
			tst_res(TFAIL, "CPU %u: CPUID.1:EBX initial APIC id %u",
				i, seen[i].apic_id);
			ok = 0;
		}
		for (j = 0; j < i; j++) {
			if (seen[j].gdt == seen[i].gdt || seen[j].tss == seen[i].tss) {
				tst_res(TFAIL, "CPUs %u and %u share a GDT or TSS", j, i);
				ok = 0;
			}
		}
	}
	if (ok)
		tst_res(TPASS, "%u CPUs: own id, stack, GDT, TSS and APIC id each, one visit per kvm_smp_call()",
			CPUS);
}

static kvm_spinlock_t lock = KVM_SPINLOCK_INIT;
static volatile unsigned int counter, inside, overlaps;

/* The read-modify-write is slow on purpose: a broken lock loses counts */
static void contend(void *arg)
{
	unsigned int i, v;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		kvm_spin_lock(&lock);
		if (__atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST) != 1)
			__atomic_add_fetch(&overlaps, 1, __ATOMIC_SEQ_CST);
		v = counter;
		asm volatile("pause" : : : "memory");
		counter = v + 1;
		__atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
		kvm_spin_unlock(&lock);
	}
}

static void check_lock(void)
{
	kvm_smp_call(contend, NULL);
	if (counter != CPUS * ROUNDS || overlaps)
		tst_res(TFAIL, "spinlock: counter %u of %u, %u times two CPUs inside",
			counter, CPUS * ROUNDS, overlaps);
	else
		tst_res(TPASS, "spinlock: %u CPUs x %u rounds, counter exact, never two inside",
			CPUS, ROUNDS);
	if (!kvm_spin_trylock(&lock) || kvm_spin_trylock(&lock))
		tst_res(TFAIL, "kvm_spin_trylock(): free lock not taken, or held lock taken");
	kvm_spin_unlock(&lock);
}

static kvm_barrier_t barrier = KVM_BARRIER_INIT;
static volatile unsigned int round_of[CPUS], early;

/* Nobody may leave a round before every CPU has entered it */
static void rounds(void *arg)
{
	unsigned int r, i, id = kvm_cpu_id();

	(void)arg;
	for (r = 1; r <= BARRIER_ROUNDS; r++) {
		round_of[id] = r;
		kvm_barrier_wait(&barrier);
		for (i = 0; i < CPUS; i++) {
			if (round_of[i] < r)
				__atomic_add_fetch(&early, 1, __ATOMIC_SEQ_CST);
		}
		kvm_barrier_wait(&barrier);
	}
}

static void check_barrier(void)
{
	kvm_smp_call(rounds, NULL);
	if (early)
		tst_res(TFAIL, "kvm_barrier_wait(): %u times a CPU got through before all arrived",
			early);
	else
		tst_res(TPASS, "kvm_barrier_wait(): %u rounds on %u CPUs, nobody early",
			BARRIER_ROUNDS, CPUS);
}

#define SAFE_ROUNDS	20

static kvm_barrier_t in_call = KVM_BARRIER_INIT;
static volatile unsigned int safe_bad;

/* Every CPU inside its kvm_call_safe() at once, then each one faults */
static void fault_together(void *arg)
{
	(void)arg;
	kvm_barrier_wait(&in_call);
	asm volatile("ud2" : : : "memory");
}

static void call_safe_everywhere(void *arg)
{
	struct kvm_fault fault;
	unsigned int r;
	int v;

	(void)arg;
	for (r = 0; r < SAFE_ROUNDS; r++) {
		memset(&fault, 0, sizeof(fault));
		v = kvm_call_safe(fault_together, NULL, &fault);
		if (v != INTR_BAD_OPCODE || fault.vector != INTR_BAD_OPCODE)
			__atomic_add_fetch(&safe_bad, 1, __ATOMIC_SEQ_CST);
	}
}

/*
 * kvm_call_safe() keeps its innermost call per CPU: with one for the
 * whole guest, a fault on one CPU would resume in another CPU's call
 */
static void check_call_safe(void)
{
	kvm_smp_call(call_safe_everywhere, NULL);
	if (safe_bad)
		tst_res(TFAIL, "kvm_call_safe() on %u CPUs at once: %u of %u calls did not return #UD",
			CPUS, safe_bad, CPUS * SAFE_ROUNDS);
	else
		tst_res(TPASS, "kvm_call_safe() on %u CPUs at once, all faulting: each returned its own #UD (%u rounds)",
			CPUS, SAFE_ROUNDS);
}

void main(void)
{
	check_identity();
	check_lock();
	check_barrier();
	check_call_safe();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
