/* SPDX-License-Identifier: MIT */
/*
 * What the arch-neutral guest runtime needs from the arch code and from
 * the payload image, and nothing a test should call.
 */
#ifndef KVMKIT_GUEST_INTERNAL_H
#define KVMKIT_GUEST_INTERNAL_H

#include "kvm_guest.h"

/* The header at KVMKIT_PAYLOAD_BASE; the host filled ram_size */
extern struct kvmkit_payload_header kvmkit_header;

/*
 * Result pages.  Volatile because a host thread may read them while the
 * guest runs (tst_signal_host()) and may write them (tst_wait_host()).
 * kvmkit_result is this CPU's (abi.h: CPU 0's at KVMKIT_RESULT_BASE, an
 * AP's in its CPU area), for what the host reads on this CPU's exit:
 * the exception frame, KVMKIT_HC_REPORT, kvm_exit()'s KVMKIT_TEXIT.
 * kvmkit_result0 is LTP's page, which host threads poll
 * (tst_signal_host()).
 */
#define kvmkit_result0 ((volatile struct tst_kvm_result *)KVMKIT_RESULT_BASE)
#define kvmkit_result (kvmkit_cpu_result())
volatile struct tst_kvm_result *kvmkit_cpu_result(void);

/* Ring the doorbell with hypercall nr (KVMKIT_HC_*); a compiler barrier */
void kvmkit_arch_hypercall(unsigned int nr);

/* Tell the host the iteration is over and never come back */
void kvmkit_arch_stop(void) __attribute__((noreturn));

/* Spin-loop hint (PAUSE); never an exit */
void kvmkit_arch_cpu_relax(void);

/* One step of waiting for another CPU (lock.c): PAUSE, now and then a yield */
void kvmkit_spin_wait(unsigned int *spins);

#endif /* KVMKIT_GUEST_INTERNAL_H */
