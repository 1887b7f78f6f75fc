/* SPDX-License-Identifier: MIT */
/* Private to lib/host: the vCPU timeout's hooks for vcpu.c and run.c. */
#ifndef KVMKIT_HOST_TIMEOUT_H
#define KVMKIT_HOST_TIMEOUT_H

#include "internal.h"

/* Delete the vCPU's timer and any of its signals still pending */
void kvmkit_timeout_release(struct kvmkit_vcpu *vcpu);
/* Non-zero when a timeout is armed and its deadline has passed */
int kvmkit_timeout_expired(const struct kvmkit_vcpu *vcpu);

#endif /* KVMKIT_HOST_TIMEOUT_H */
