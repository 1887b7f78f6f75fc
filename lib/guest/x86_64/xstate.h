/* SPDX-License-Identifier: MIT */
/*
 * What the dispatcher (interrupt.c) calls around interrupt callbacks to
 * keep a test's extended state (xstate.c).  Private to the runtime.
 *
 * interrupt.c holds only these pointers, which kvm_enable_xsave() sets:
 * a test that never calls it links nothing of xstate.c, not even its
 * fix-up entries, which every exception no fix-up expects walks past
 * (on kvm_pvm, where the handler's code is emulated, each costs about
 * 12,000 TSC cycles).
 */
#ifndef KVMKIT_GUEST_XSTATE_H
#define KVMKIT_GUEST_XSTATE_H

/*
 * Save the extended state into the save area of the next nesting level
 * and return it, or NULL when nothing was saved (saving faulted: #NM with
 * CR0.TS = 1, #UD after CR4.OSXSAVE was cleared); restore what it
 * returned (NULL: nothing).  NULL pointers: extended state is off.
 */
extern void *(*kvmkit_xstate_push)(void);
extern void (*kvmkit_xstate_pop)(void *area);
/*
 * Non-zero while they move registers: an exception then is the runtime's
 * own (a vector instruction CPUID offered does not run) and is reported
 * instead of reaching a callback, which would save again.
 */
extern volatile int kvmkit_xstate_busy[KVMKIT_GUEST_MAX_CPUS];	/* per CPU */

#endif /* KVMKIT_GUEST_XSTATE_H */
