/* SPDX-License-Identifier: MIT */
/*
 * struct kvm_regs64 (kvm_x86.h) as svm_vmrun.S and vmx_vmlaunch.S see
 * it: one offset per register, and the load/store sequences both use
 * around a nested guest, with the host's callee-saved registers kept on
 * the stack meanwhile.  The C side asserts every offset against the
 * struct, so the layout is written down here and nowhere else.
 */
#ifndef KVMKIT_GUEST_REGS64_H
#define KVMKIT_GUEST_REGS64_H

#define KVM_REGS64_RAX		0x00
#define KVM_REGS64_RBX		0x08
#define KVM_REGS64_RCX		0x10
#define KVM_REGS64_RDX		0x18
#define KVM_REGS64_RDI		0x20
#define KVM_REGS64_RSI		0x28
#define KVM_REGS64_RBP		0x30
#define KVM_REGS64_RSP		0x38
#define KVM_REGS64_R8		0x40
#define KVM_REGS64_R9		0x48
#define KVM_REGS64_R10		0x50
#define KVM_REGS64_R11		0x58
#define KVM_REGS64_R12		0x60
#define KVM_REGS64_R13		0x68
#define KVM_REGS64_R14		0x70
#define KVM_REGS64_R15		0x78

#ifdef __ASSEMBLER__

/*
 * Load / store every GPR but RAX, RSP and RDI from / to the struct
 * kvm_regs64 at \regs(%rdi).  Those three differ between SVM (RAX and
 * RSP live in the VMCB) and VMX, and RDI holds the base, so the callers
 * move them around these.  MOVs only: the flags survive.
 */
.macro KVM_REGS64_LOAD regs
	mov \regs + KVM_REGS64_RBX(%rdi), %rbx
	mov \regs + KVM_REGS64_RCX(%rdi), %rcx
	mov \regs + KVM_REGS64_RDX(%rdi), %rdx
	mov \regs + KVM_REGS64_RSI(%rdi), %rsi
	mov \regs + KVM_REGS64_RBP(%rdi), %rbp
	mov \regs + KVM_REGS64_R8(%rdi), %r8
	mov \regs + KVM_REGS64_R9(%rdi), %r9
	mov \regs + KVM_REGS64_R10(%rdi), %r10
	mov \regs + KVM_REGS64_R11(%rdi), %r11
	mov \regs + KVM_REGS64_R12(%rdi), %r12
	mov \regs + KVM_REGS64_R13(%rdi), %r13
	mov \regs + KVM_REGS64_R14(%rdi), %r14
	mov \regs + KVM_REGS64_R15(%rdi), %r15
.endm

.macro KVM_REGS64_STORE regs
	mov %rbx, \regs + KVM_REGS64_RBX(%rdi)
	mov %rcx, \regs + KVM_REGS64_RCX(%rdi)
	mov %rdx, \regs + KVM_REGS64_RDX(%rdi)
	mov %rsi, \regs + KVM_REGS64_RSI(%rdi)
	mov %rbp, \regs + KVM_REGS64_RBP(%rdi)
	mov %r8, \regs + KVM_REGS64_R8(%rdi)
	mov %r9, \regs + KVM_REGS64_R9(%rdi)
	mov %r10, \regs + KVM_REGS64_R10(%rdi)
	mov %r11, \regs + KVM_REGS64_R11(%rdi)
	mov %r12, \regs + KVM_REGS64_R12(%rdi)
	mov %r13, \regs + KVM_REGS64_R13(%rdi)
	mov %r14, \regs + KVM_REGS64_R14(%rdi)
	mov %r15, \regs + KVM_REGS64_R15(%rdi)
.endm

/* The SysV callee-saved GPRs of the caller, kept on the stack meanwhile */
.macro PUSH_CALLEE_SAVED
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_CALLEE_SAVED
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
.endm

#else /* __ASSEMBLER__ */

#include "kvm_x86.h"

#define KVM_REGS64_CHECK(reg, REG)					\
	_Static_assert(__builtin_offsetof(struct kvm_regs64, reg) ==	\
		       KVM_REGS64_##REG, "regs64.h: kvm_regs64." #reg)
KVM_REGS64_CHECK(rax, RAX);
KVM_REGS64_CHECK(rbx, RBX);
KVM_REGS64_CHECK(rcx, RCX);
KVM_REGS64_CHECK(rdx, RDX);
KVM_REGS64_CHECK(rdi, RDI);
KVM_REGS64_CHECK(rsi, RSI);
KVM_REGS64_CHECK(rbp, RBP);
KVM_REGS64_CHECK(rsp, RSP);
KVM_REGS64_CHECK(r8, R8);
KVM_REGS64_CHECK(r9, R9);
KVM_REGS64_CHECK(r10, R10);
KVM_REGS64_CHECK(r11, R11);
KVM_REGS64_CHECK(r12, R12);
KVM_REGS64_CHECK(r13, R13);
KVM_REGS64_CHECK(r14, R14);
KVM_REGS64_CHECK(r15, R15);
_Static_assert(sizeof(struct kvm_regs64) == 16 * 8, "regs64.h: size");
#undef KVM_REGS64_CHECK

#endif /* __ASSEMBLER__ */
#endif /* KVMKIT_GUEST_REGS64_H */
