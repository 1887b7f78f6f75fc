/* SPDX-License-Identifier: MIT */
/*
 * Guest side of the hostile result-page checks: ring the doorbell with a
 * hypercall number of the test's choosing, after filling the result page
 * by hand (the runtime's own calls never produce what these tests send).
 */
#ifndef KVMKIT_HOSTILE_HYPERCALL_H
#define KVMKIT_HOSTILE_HYPERCALL_H

#include "kvm_test.h"

static inline void hypercall(unsigned int nr)
{
	asm volatile("outl %0, %w1" : : "a"(nr), "Nd"((uint16_t)KVMKIT_HC_PORT)
		     : "memory");
}

#endif /* KVMKIT_HOSTILE_HYPERCALL_H */
