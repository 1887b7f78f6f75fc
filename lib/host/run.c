// SPDX-License-Identifier: MIT
/* One KVM_RUN, decoded once; EINTR is told apart into timeout or signal. */
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"
#include "timeout.h"
#include "gdbstub.h"

static int run_once(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit);

int kvmkit_vcpu_run(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit)
{
	if (vcpu->gdb)
		return kvmkit_gdb_run(vcpu, exit);
	return kvmkit_vcpu_run_plain(vcpu, exit);
}

/* Every outcome, the timeout and a failure too, goes to the history */
int kvmkit_vcpu_run_plain(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit)
{
	uint64_t start = kvmkit_now_ns();
	int ret = run_once(vcpu, exit);

	kvmkit_exit_record(vcpu, exit, start, kvmkit_now_ns());
	return ret;
}

static int run_once(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit)
{
	int ret, err;

	/*
	 * A deadline that passed while the host was busy between two runs
	 * may have had its immediate_exit cleared by the previous run: do
	 * not enter the guest again, there would be nothing left to stop it.
	 */
	if (kvmkit_timeout_expired(vcpu)) {
		kvmkit_timeout_settle(vcpu);
		memset(exit, 0, sizeof(*exit));
		exit->type = KVMKIT_EXIT_TIMEOUT;
		exit->reason = KVM_EXIT_INTR;
		return 0;
	}

	/*
	 * A kick that landed after the previous KVM_RUN returned: its
	 * immediate_exit was cleared below and its signal already taken.
	 */
	if (__atomic_exchange_n(&vcpu->kick_pending, 0, __ATOMIC_SEQ_CST)) {
		memset(exit, 0, sizeof(*exit));
		exit->type = KVMKIT_EXIT_INTERRUPTED;
		exit->reason = KVM_EXIT_INTR;
		return 0;
	}

	ret = ioctl(vcpu->fd, KVM_RUN, 0);
	err = ret < 0 ? errno : 0;
	/* Set by the timeout handler; it must not stop the next run too */
	vcpu->run->immediate_exit = 0;

	if (kvmkit_exit_decode(vcpu->run, vcpu->run_size, ret, err, exit)) {
		/* The kernel's exit data would reach outside kvm_run */
		exit->type = KVMKIT_EXIT_ERROR;
		exit->error = EPROTO;
		errno = EPROTO;
		return kvmkit_set_error(vcpu->err, EPROTO,
					"KVM_RUN: %s exit with data outside kvm_run (vcpu %u)",
					kvmkit_exit_reason_name(exit->reason),
					vcpu->id);
	}
	if (exit->type == KVMKIT_EXIT_INTERRUPTED && kvmkit_timeout_expired(vcpu)) {
		exit->type = KVMKIT_EXIT_TIMEOUT;
		kvmkit_timeout_settle(vcpu);
	} else if (exit->type == KVMKIT_EXIT_INTERRUPTED) {
		/* this run answered the kick: the next one must not again */
		__atomic_store_n(&vcpu->kick_pending, 0, __ATOMIC_SEQ_CST);
	}
	if (exit->type == KVMKIT_EXIT_ERROR) {
		errno = exit->error;
		return kvmkit_vcpu_fail(vcpu, exit->error, "KVM_RUN");
	}
	return 0;
}
