// SPDX-License-Identifier: MIT
/*
 * tst_signal_host()/tst_wait_host() from the host's side.  They are pure
 * memory, as in LTP: the guest keeps spinning inside KVM_RUN while another
 * host thread polls the result page, which is what kvm_svm03 relies on.
 */
#include <time.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"
#include "tst_timer.h"

#define POLL_NS	200000	/* 0.2 ms: short against a test's timeouts */

int tst_kvm_wait_guest(struct tst_kvm_instance *inst, int timeout_ms)
{
	const struct timespec nap = { .tv_nsec = POLL_NS };
	struct timespec start, now;
	int32_t res;

	if (!inst->result) {
		tst_brk(TBROK, "tst_kvm_wait_guest(): the instance has no result page");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		res = __atomic_load_n(&inst->result->result, __ATOMIC_ACQUIRE);
		if (res == KVM_TSYNC)
			return 0;
		if (res == KVM_TEXIT)
			return KVM_TEXIT;
		if (timeout_ms >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (tst_timespec_diff_ms(now, start) >= timeout_ms)
				return -1;
		}
		nanosleep(&nap, NULL);
	}
}

void tst_kvm_clear_guest_signal(struct tst_kvm_instance *inst)
{
	if (inst->result)
		__atomic_store_n(&inst->result->result, KVM_TNONE,
				 __ATOMIC_RELEASE);
}
