/* SPDX-License-Identifier: MIT */
/* Private to lib/ltp's KVM files */
#ifndef KVMKIT_LTP_KVM_PRIVATE_H
#define KVMKIT_LTP_KVM_PRIVATE_H

#include <pthread.h>
#include <kvmkit/kvmkit.h>
#include "ltp_private.h"
#include "kvm_host.h"

/*
 * Validate and print one report: tst_res() at the guest's file:line, or
 * tst_brk() for TBROK.  A file name the host could not read becomes
 * "<bad file address 0x...>", a message without its NUL gets
 * " [message truncated]".
 */
void tst_kvm_print_report(const struct kvmkit_report *rep);

/*
 * Guest source location of a guest address from the payload's line table
 * (embedded by kvmkit-cc); 0 when found, with file a base name.
 */
int tst_kvm_guest_line(uint64_t rip, char *file, size_t len,
		       unsigned int *line);

/* KVMKIT_TRACE=FILE: one line per exit appended to FILE (kvm_trace.c) */
void tst_kvm_trace_exit(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e);
/* "\nlast 16 of N exits ...", one line per exit, for TBROK reports */
#define TST_KVM_LAST_EXITS	16
void tst_kvm_last_exits(const struct kvmkit_vcpu *vcpu, char *buf, size_t len);
/* --gdb PORT: the first guest of the process waits for gdb (kvm_trace.c) */
void tst_kvm_gdb_attach(struct kvmkit_vcpu *vcpu);

/*
 * The CPUs of a KVMKIT_GUEST_CPUS() payload beyond CPU 0 (which stays
 * inst->kvmkit_vcpu), and the threads that run them (kvm_run.c).
 * stopping and fatal are atomics; lock orders the CPUs' output.
 */
struct tst_kvm_smp {
	unsigned int ncpus;
	struct kvmkit_vcpu **vcpu;	/* [ncpus]; vcpu[0] is CPU 0's */
	pthread_t *thread;		/* [ncpus]; thread[0] runs CPU 0 */
	unsigned char *running;		/* [ncpus]: a thread to join */
	void **ctx;			/* [ncpus]: the threads' run state */
	pthread_mutex_t lock;
	int stopping;			/* the run is over: APs leave */
	int fatal;			/* an AP ended the test */
};

/* kvm_smp.c: the APs' vCPUs (ids 1..n-1), created after CPU 0's */
int tst_kvm_smp_create(struct tst_kvm_instance *inst, unsigned int n,
		       struct kvm_cpuid2 *cpuid);
/* Stop the threads, free everything; NULL is fine */
void tst_kvm_smp_free(struct tst_kvm_smp *smp);
/* The initial APIC id of a CPUID list for KVM_SET_CPUID2 */
void tst_kvm_cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t id);
/*
 * From CPU 0's thread (thread[0] becomes the caller): a thread running
 * ap_main(smp->ctx[i]) for every AP; 0, or -1 with a TBROK counted
 */
int tst_kvm_smp_start(struct tst_kvm_smp *smp, void *(*ap_main)(void *ctx));
/* Stop every AP thread of smp (kick, join); idempotent, NULL is fine */
void tst_kvm_smp_stop(struct tst_kvm_smp *smp);
/* From an AP's thread: the test is over, have CPU 0's thread end it */
void tst_kvm_smp_end_test(struct tst_kvm_smp *smp);

#endif /* KVMKIT_LTP_KVM_PRIVATE_H */
