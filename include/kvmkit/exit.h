/* SPDX-License-Identifier: MIT */
/*
 * Typed vCPU exits: one KVM_RUN's outcome decoded once, direction split,
 * with a catch-all for unknown reasons.  Decoding is a pure function so it
 * can be tested on fabricated kvm_run contents.
 */
#ifndef KVMKIT_EXIT_H
#define KVMKIT_EXIT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

/*
 * libkvmkit.so is built with -fvisibility=hidden: what is declared
 * between these pragmas is its public API, the only symbols it exports
 * (mk/check-exports.sh checks that).
 */
#pragma GCC visibility push(default)

/* The reason column of exit types that no KVM exit reason decodes to */
#define KVMKIT_EXIT_NO_REASON	UINT32_MAX

/*
 * Every exit type, in the order of its (stable) enum value:
 * X(TYPE, reason, decode, describe).
 *   TYPE      KVMKIT_EXIT_<TYPE>, and its name for reports ("HLT").
 *   reason    the KVM_EXIT_* that KVM_RUN leaves for it, or
 *             KVMKIT_EXIT_NO_REASON when kvmkit makes it up itself.  Rows
 *             may share a reason: the first row's decoder picks the type
 *             (IO_IN/IO_OUT by direction).
 *   decode    lib/host/exit.c's decode_<decode>(): fills the exit's union
 *             from kvm_run, bounds-checked.
 *   describe  lib/host/exit_names.c's describe_<describe>(): its part of
 *             kvmkit_exit_describe()'s line.
 * A new exit type is a row here (appended: the values are ABI), its
 * union member below if it carries data, and its two functions.
 */
#define KVMKIT_EXIT_TYPES(X)                                                   \
	X(UNKNOWN,        KVMKIT_EXIT_NO_REASON,   none,         unknown)      \
	X(HLT,            KVM_EXIT_HLT,            none,         none)         \
	X(IO_IN,          KVM_EXIT_IO,             io,           io)           \
	X(IO_OUT,         KVM_EXIT_IO,             io,           io)           \
	X(MMIO_READ,      KVM_EXIT_MMIO,           mmio,         mmio)         \
	X(MMIO_WRITE,     KVM_EXIT_MMIO,           mmio,         mmio)         \
	X(SHUTDOWN,       KVM_EXIT_SHUTDOWN,       none,         shutdown)     \
	X(FAIL_ENTRY,     KVM_EXIT_FAIL_ENTRY,     fail_entry,   fail_entry)   \
	X(INTERNAL_ERROR, KVM_EXIT_INTERNAL_ERROR, internal,     internal)     \
	X(SYSTEM_EVENT,   KVM_EXIT_SYSTEM_EVENT,   system_event, system_event) \
	X(DEBUG,          KVM_EXIT_DEBUG,          debug,        debug)        \
	X(HYPERCALL,      KVM_EXIT_HYPERCALL,      hypercall,    hypercall)    \
	X(INTERRUPTED,    KVM_EXIT_INTR,           none,         none)         \
	X(TIMEOUT,        KVMKIT_EXIT_NO_REASON,   none,         none)         \
	X(ERROR,          KVMKIT_EXIT_NO_REASON,   none,         error)        \
	X(X86_RDMSR,      KVM_EXIT_X86_RDMSR,      msr,          msr)          \
	X(X86_WRMSR,      KVM_EXIT_X86_WRMSR,      msr,          msr)          \
	X(IRQ_WINDOW_OPEN, KVM_EXIT_IRQ_WINDOW_OPEN, none,       none)         \
	X(DIRTY_RING_FULL, KVM_EXIT_DIRTY_RING_FULL, none,       none)         \
	X(NOTIFY,         KVM_EXIT_NOTIFY,         notify,       notify)

/*
 * UNKNOWN (0, what a zeroed exit reads as): raw reason in exit->reason.
 * SHUTDOWN: triple fault.  INTERRUPTED: KVM_RUN returned EINTR (a
 * signal).  TIMEOUT: kvmkit_vcpu_set_timeout()'s deadline.  ERROR:
 * KVM_RUN failed; errno in ->error.  X86_RDMSR/X86_WRMSR: an MSR access
 * KVM hands to userspace (kvmkit_vm_enable_user_msr()), answered with
 * kvmkit_vcpu_msr_reply() before the next run.  IRQ_WINDOW_OPEN: the guest
 * can take an interrupt (kvmkit_vcpu_request_irq_window()).  NOTIFY:
 * the guest sat in one instruction's microcode past the notify window
 * (kvmkit_vm_enable_notify_exit()); notify.flags has
 * KVM_NOTIFY_CONTEXT_INVALID when the VM's context is lost.  There is no
 * NMI-window exit: KVM opens NMI windows for itself and has no
 * KVM_EXIT_NMI_WINDOW in its userspace API.
 */
enum kvmkit_exit_type {
#define KVMKIT_EXIT_ENUM(type, reason, decode, describe) KVMKIT_EXIT_##type,
	KVMKIT_EXIT_TYPES(KVMKIT_EXIT_ENUM)
#undef KVMKIT_EXIT_ENUM
	KVMKIT_EXIT_TYPE_COUNT
};

struct kvmkit_exit {
	enum kvmkit_exit_type type;
	uint32_t reason;		/* raw kvm_run->exit_reason */
	int error;			/* KVMKIT_EXIT_ERROR: the errno */
	union {
		struct {
			uint16_t port;
			uint8_t size;		/* 1, 2 or 4 */
			uint32_t count;		/* > 1 for string I/O */
			uint8_t *data;		/* size * count bytes in kvm_run */
		} io;
		struct {
			uint64_t gpa;
			uint32_t len;		/* 1..8 */
			uint8_t *data;		/* kvm_run->mmio.data */
		} mmio;
		struct {
			uint64_t hardware_reason;
			uint32_t cpu;
		} fail_entry;
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		struct {
			uint32_t type;
			uint32_t ndata;
			uint64_t data[16];
		} system_event;
		struct {
			uint32_t exception;
			uint64_t pc;
			uint64_t dr6, dr7;
		} debug;
		struct {
			uint64_t nr;
			uint64_t args[6];
		} hypercall;
		struct {
			uint32_t index;
			uint32_t reason;	/* KVM_MSR_EXIT_REASON_* */
			uint64_t data;		/* X86_WRMSR: the value written */
		} msr;
		struct {
			uint32_t flags;		/* KVM_NOTIFY_CONTEXT_INVALID */
		} notify;
	};
};

/*
 * Decode what KVM_RUN left in run (run_size bytes mapped).  run_ret and
 * run_errno are KVM_RUN's return value and errno.  Returns 0, or -EPROTO
 * (exit->type UNKNOWN) when the kernel's data would reach outside run.
 */
int kvmkit_exit_decode(const struct kvm_run *run, size_t run_size,
		       int run_ret, int run_errno, struct kvmkit_exit *exit);
const char *kvmkit_exit_type_name(enum kvmkit_exit_type type);
/* "KVM_EXIT_IO" etc., or "KVM_EXIT_<n>" in a static "unknown" string */
const char *kvmkit_exit_reason_name(uint32_t reason);
/* One line describing the exit, for reports */
size_t kvmkit_exit_describe(const struct kvmkit_exit *exit, char *buf,
			    size_t len);

#pragma GCC visibility pop

#endif /* KVMKIT_EXIT_H */
