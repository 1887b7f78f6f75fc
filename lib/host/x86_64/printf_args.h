/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host: the arch half of KVMKIT_HC_PRINTF, where a guest's
 * tst_res_() arguments are (x86_64/printf_args.c); report_printf.c formats
 * them without knowing a register or a calling convention.
 */
#ifndef KVMKIT_HOST_X86_64_PRINTF_ARGS_H
#define KVMKIT_HOST_X86_64_PRINTF_ARGS_H

#include "guest_read.h"

struct kvmkit_printf_call {
	uint64_t file, fmt;		/* guest-virtual addresses */
	int32_t lineno, result;
	int ilp32;			/* i386 convention: sized stack slots */
	/* private to the arch code */
	const struct kvm_regs *regs;
	uint64_t stack;			/* i386: the next argument's address */
	unsigned int next;		/* arguments fetched */
};

/*
 * Fill call from the guest's registers (and, in a 32-bit payload, its
 * stack).  -EFAULT when the fixed arguments cannot be read: file and fmt
 * are then 0.
 */
int kvmkit_arch_printf_call(struct kvmkit_guest_reader *r,
			    const struct kvm_regs *regs,
			    struct kvmkit_printf_call *call);
/*
 * The next variadic argument into *slot, size bytes (4 or 8) where the
 * convention has sized slots, zero-extended.  -E2BIG past
 * KVMKIT_PRINTF_MAX_ARGS, -EFAULT when it cannot be read.
 */
int kvmkit_arch_printf_arg(struct kvmkit_guest_reader *r,
			   struct kvmkit_printf_call *call, unsigned int size,
			   uint64_t *slot);

#endif /* KVMKIT_HOST_X86_64_PRINTF_ARGS_H */
