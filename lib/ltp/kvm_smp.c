// SPDX-License-Identifier: MIT
/*
 * The CPUs of a KVMKIT_GUEST_CPUS() payload beyond CPU 0: their vCPUs
 * (each with its own APIC id in CPUID), the threads that run them, and
 * how they are stopped.  What each thread runs is kvm_run.c's loop.
 *
 * Stopping is one kick (kvmkit_vcpu_kick()): it is never lost, even
 * when it lands while the thread is between two KVM_RUNs (the library
 * keeps it pending), and the thread's loop ends on the INTERRUPTED exit
 * once it sees the stop flag, which is set before the kick.
 */
#include <stdlib.h>
#include <string.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

/*
 * CPUID as a real machine has it per CPU: the initial APIC id (leaf 1
 * EBX[31:24], the x2APIC id in leaves 0BH and 1FH EDX) is the vCPU id,
 * which KVM also makes the LAPIC id.  KVM_GET_SUPPORTED_CPUID leaves
 * them 0; userspace sets them per vCPU (as QEMU does).
 */
void tst_kvm_cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffff) | id << 24;
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
	}
}

void tst_kvm_smp_free(struct tst_kvm_smp *smp)
{
	if (!smp)
		return;
	tst_kvm_smp_stop(smp);
	pthread_mutex_destroy(&smp->lock);
	free(smp->vcpu);
	free(smp->thread);
	free(smp->running);
	free(smp->ctx);
	free(smp);
}

/*
 * vCPUs 1..n-1 with their own APIC ids in CPUID; CPU 0 exists already.
 * Plain allocations, not SAFE_*: cleanup must find the instance whole.
 */
int tst_kvm_smp_create(struct tst_kvm_instance *inst, unsigned int n,
		       struct kvm_cpuid2 *cpuid)
{
	struct tst_kvm_smp *smp = calloc(1, sizeof(*smp));
	unsigned int i;

	if (!smp)
		return -ENOMEM;
	inst->kvmkit_smp = smp;
	smp->ncpus = n;
	smp->vcpu = calloc(n, sizeof(*smp->vcpu));
	smp->thread = calloc(n, sizeof(*smp->thread));
	smp->running = calloc(n, sizeof(*smp->running));
	smp->ctx = calloc(n, sizeof(*smp->ctx));
	if (!smp->vcpu || !smp->thread || !smp->running || !smp->ctx ||
	    pthread_mutex_init(&smp->lock, NULL))
		return -ENOMEM;
	smp->vcpu[0] = inst->kvmkit_vcpu;
	for (i = 1; i < n; i++) {
		if (kvmkit_vcpu_create(inst->kvmkit_vm, i, &smp->vcpu[i]))
			return -1;
		if (cpuid) {
			tst_kvm_cpuid_set_apic_id(cpuid, i);
			if (kvmkit_vcpu_set_cpuid(smp->vcpu[i], cpuid))
				return -2;
		}
	}
	if (cpuid)
		tst_kvm_cpuid_set_apic_id(cpuid, 0);
	return 0;
}

int tst_kvm_smp_start(struct tst_kvm_smp *smp, void *(*ap_main)(void *ctx))
{
	unsigned int i;
	int err;

	__atomic_store_n(&smp->stopping, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&smp->fatal, 0, __ATOMIC_SEQ_CST);
	smp->thread[0] = pthread_self();
	for (i = 1; i < smp->ncpus; i++) {
		err = pthread_create(&smp->thread[i], NULL, ap_main, smp->ctx[i]);
		if (err) {
			tst_res_(__FILE__, __LINE__, TBROK,
				 "pthread_create() for CPU %u: %s", i,
				 strerror(err));
			return -1;
		}
		smp->running[i] = 1;
	}
	return 0;
}

void tst_kvm_smp_end_test(struct tst_kvm_smp *smp)
{
	if (__atomic_exchange_n(&smp->fatal, 1, __ATOMIC_SEQ_CST))
		return;
	/* CPU 0's thread sees fatal at its next exit, this one at the latest */
	kvmkit_vcpu_kick(smp->vcpu[0], smp->thread[0], KVMKIT_TIMEOUT_SIGNAL);
}

void tst_kvm_smp_stop(struct tst_kvm_smp *smp)
{
	unsigned int i;

	if (!smp)
		return;
	__atomic_store_n(&smp->stopping, 1, __ATOMIC_SEQ_CST);
	for (i = 1; i < smp->ncpus; i++) {
		if (smp->running[i])
			kvmkit_vcpu_kick(smp->vcpu[i], smp->thread[i],
					 KVMKIT_TIMEOUT_SIGNAL);
	}
	for (i = 1; i < smp->ncpus; i++) {
		if (smp->running[i])
			pthread_join(smp->thread[i], NULL);
		smp->running[i] = 0;
		free(smp->ctx[i]);
		smp->ctx[i] = NULL;
	}
}

