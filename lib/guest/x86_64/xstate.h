/* SPDX-License-Identifier: MIT */
/*
 * What the dispatcher (interrupt.c) calls around interrupt callbacks to
 * keep a test's extended state (xstate.c).  Private to the runtime.
 */
#ifndef KVMKIT_GUEST_XSTATE_H
#define KVMKIT_GUEST_XSTATE_H

#include "kvm_x86.h"

/* Non-zero once kvm_enable_xsave() succeeded: the only cost otherwise */
extern uint64_t kvmkit_xstate_mask;

/*
 * Save the extended state into the save area of the next nesting level;
 * returns that area, or NULL when nothing was saved (saving faulted, e.g.
 * #NM with CR0.TS = 1, or CR4.OSXSAVE was cleared since).
 */
void *kvmkit_xstate_push(void);
/* Restore what kvmkit_xstate_push() returned (NULL: nothing) */
void kvmkit_xstate_pop(void *area);

#endif /* KVMKIT_GUEST_XSTATE_H */
