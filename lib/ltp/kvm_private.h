/* SPDX-License-Identifier: MIT */
/* Private to lib/ltp's KVM files */
#ifndef KVMKIT_LTP_KVM_PRIVATE_H
#define KVMKIT_LTP_KVM_PRIVATE_H

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

#endif /* KVMKIT_LTP_KVM_PRIVATE_H */
