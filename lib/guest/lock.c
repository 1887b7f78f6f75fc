// SPDX-License-Identifier: MIT
/*
 * Spinlocks and the barrier of SMP payloads, and how a CPU waits for
 * another: the same in every guest mode (a 32-bit payload has one CPU,
 * so it never waits, but its heap still takes the lock).
 */
#include "internal.h"

/*
 * One step of a wait for another CPU: PAUSE, and every SPIN_YIELD steps
 * a KVMKIT_HC_YIELD, so that the host can run the vCPU we wait for when
 * both share a core (PAUSE-loop exiting does that on hardware KVM; a
 * KVM that emulates the guest, as kvm_pvm does, does not).
 */
#define SPIN_YIELD	32

void kvmkit_spin_wait(unsigned int *spins)
{
	if (++*spins % SPIN_YIELD)
		kvmkit_arch_cpu_relax();
	else
		kvmkit_arch_hypercall(KVMKIT_HC_YIELD);
}

int kvm_spin_trylock(kvm_spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

void kvm_spin_lock(kvm_spinlock_t *lock)
{
	unsigned int spins = 0;

	/* wait reading, not writing: the line stays shared while held */
	while (!kvm_spin_trylock(lock)) {
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			kvmkit_spin_wait(&spins);
	}
}

void kvm_spin_unlock(kvm_spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

void kvm_barrier_wait(kvm_barrier_t *b)
{
	uint32_t gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
	unsigned int spins = 0;

	if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) ==
	    kvm_cpu_count()) {
		/* the last one in: reset, then let everybody go */
		__atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->generation, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen)
		kvmkit_spin_wait(&spins);
}
