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
 * The result page.  Volatile because a host thread may read it while the
 * guest runs (tst_signal_host()) and may write it (tst_wait_host()).
 */
#define kvmkit_result ((volatile struct tst_kvm_result *)KVMKIT_RESULT_BASE)

/* Ring the doorbell with hypercall nr (KVMKIT_HC_*); a compiler barrier */
void kvmkit_arch_hypercall(unsigned int nr);

/* Tell the host the iteration is over and never come back */
void kvmkit_arch_stop(void) __attribute__((noreturn));

/* Spin-loop hint (PAUSE); never an exit */
void kvmkit_arch_cpu_relax(void);

#endif /* KVMKIT_GUEST_INTERNAL_H */
