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

enum kvmkit_exit_type {
	KVMKIT_EXIT_UNKNOWN = 0,	/* raw reason in exit->reason */
	KVMKIT_EXIT_HLT,
	KVMKIT_EXIT_IO_IN,
	KVMKIT_EXIT_IO_OUT,
	KVMKIT_EXIT_MMIO_READ,
	KVMKIT_EXIT_MMIO_WRITE,
	KVMKIT_EXIT_SHUTDOWN,		/* triple fault */
	KVMKIT_EXIT_FAIL_ENTRY,
	KVMKIT_EXIT_INTERNAL_ERROR,
	KVMKIT_EXIT_SYSTEM_EVENT,
	KVMKIT_EXIT_DEBUG,
	KVMKIT_EXIT_HYPERCALL,
	KVMKIT_EXIT_INTERRUPTED,	/* KVM_RUN returned EINTR (a signal) */
	KVMKIT_EXIT_TIMEOUT,		/* kvmkit_vcpu_set_timeout() deadline */
	KVMKIT_EXIT_ERROR,		/* KVM_RUN failed; errno in ->error */
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

#endif /* KVMKIT_EXIT_H */
