/* SPDX-License-Identifier: MIT */
/* Private to lib/host: the vCPU timeout's hooks for vcpu.c and run.c. */
#ifndef KVMKIT_HOST_TIMEOUT_H
#define KVMKIT_HOST_TIMEOUT_H

#include "internal.h"

/* Delete the vCPU's timer and any of its signals still pending */
void kvmkit_timeout_release(struct kvmkit_vcpu *vcpu);
/*
 * Once a run has ended in TIMEOUT: stop the timer, so that its signal
 * (already queued, or about to be) lands now and not after the caller
 * got the exit, and clear the immediate_exit it set.
 */
void kvmkit_timeout_settle(struct kvmkit_vcpu *vcpu);
/* Non-zero when a timeout is armed and its deadline has passed */
int kvmkit_timeout_expired(const struct kvmkit_vcpu *vcpu);

#endif /* KVMKIT_HOST_TIMEOUT_H */
