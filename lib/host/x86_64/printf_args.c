// SPDX-License-Identifier: MIT
/*
 * Where a guest's tst_res_() left its arguments when it rang the
 * KVMKIT_HC_PRINTF doorbell, in each calling convention a kvmkit payload
 * can use (report_printf.c formats them):
 *
 * - 64-bit payloads, System V x86-64: file %rdi, line %esi, result %edx,
 *   format %rcx, variadic 8-byte slots in %r8, %r9, then [%rsp + 8], ...
 * - 32-bit payloads (KVMKIT_GUEST_MODE(32), (32pae)), i386 cdecl: all on
 *   the stack, file [%esp + 4], line [+ 8], result [+ 12], format [+ 16],
 *   variadic arguments from [+ 20], 4 bytes each or 8 for long long.
 *
 * Stack bytes are read through the guest reader: bounded, through the
 * guest's own paging where they are outside the payload image.  Which
 * convention applies is the payload header's guest_mode (a guest that
 * rewrites it only gets its own arguments misread, never a host fault).
 */
#include <stddef.h>
#include "guest_read.h"
#include "printf_args.h"

#define I386_ARGS	4	/* file, line, result, format */
#define STACK_TOP_4G	(1ULL << 32)

int kvmkit_vcpu_exit_regs(struct kvmkit_vcpu *vcpu, struct kvm_regs *regs)
{
	if (vcpu->run && (vcpu->run->kvm_valid_regs & KVM_SYNC_X86_REGS)) {
		*regs = vcpu->run->s.regs.regs;
		return 0;
	}
	return kvmkit_vcpu_get_regs(vcpu, regs);
}

static int payload_is_32bit(struct kvmkit_vcpu *vcpu)
{
	uint64_t mode;

	if (kvmkit_vm_read(vcpu->vm, KVMKIT_PAYLOAD_BASE +
			   offsetof(struct kvmkit_payload_header, guest_mode),
			   &mode, sizeof(mode)))
		return 0;
	return mode == KVMKIT_GUEST_MODE_32 || mode == KVMKIT_GUEST_MODE_32PAE;
}

int kvmkit_arch_printf_call(struct kvmkit_guest_reader *r,
			    const struct kvm_regs *regs,
			    struct kvmkit_printf_call *call)
{
	uint32_t fixed[I386_ARGS];
	uint64_t esp = (uint32_t)regs->rsp;

	call->regs = regs;
	call->next = 0;
	call->ilp32 = payload_is_32bit(r->vcpu);
	if (!call->ilp32) {
		call->file = regs->rdi;
		call->lineno = (int32_t)regs->rsi;
		call->result = (int32_t)regs->rdx;
		call->fmt = regs->rcx;
		return 0;
	}
	/* [esp] is the return address; a 32-bit stack never wraps past 4 GiB */
	call->stack = esp + 4;
	/* Unreadable: nothing the guest said is known, so no verdict is */
	call->file = call->fmt = 0;
	call->lineno = 0;
	call->result = KVMKIT_TBROK;
	if (call->stack + sizeof(fixed) > STACK_TOP_4G ||
	    kvmkit_guest_read(r, call->stack, fixed, sizeof(fixed)))
		return -EFAULT;
	call->file = fixed[0];
	call->lineno = (int32_t)fixed[1];
	call->result = (int32_t)fixed[2];
	call->fmt = fixed[3];
	call->stack += sizeof(fixed);
	return 0;
}

int kvmkit_arch_printf_arg(struct kvmkit_guest_reader *r,
			   struct kvmkit_printf_call *call, unsigned int size,
			   uint64_t *slot)
{
	const struct kvm_regs *regs = call->regs;
	unsigned int i = call->next;
	uint32_t word[2] = { 0, 0 };
	uint64_t gva;
	int ret;

	if (i >= KVMKIT_PRINTF_MAX_ARGS)
		return -E2BIG;
	call->next++;
	if (call->ilp32) {
		if (size != 8)
			size = 4;
		if (call->stack + size > STACK_TOP_4G)
			return -EFAULT;
		ret = kvmkit_guest_read(r, call->stack, word, size);
		if (ret)
			return ret;
		call->stack += size;
		*slot = (uint64_t)word[1] << 32 | word[0];
		return 0;
	}
	if (i == 0) {
		*slot = regs->r8;
		return 0;
	}
	if (i == 1) {
		*slot = regs->r9;
		return 0;
	}
	/* [rsp] is the return address; the slots start above it */
	gva = regs->rsp + 8 * (uint64_t)(i - 1);
	if (gva < regs->rsp)
		return -EFAULT;		/* wrapped around the address space */
	return kvmkit_guest_read(r, gva, slot, sizeof(*slot));
}
