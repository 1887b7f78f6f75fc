// SPDX-License-Identifier: MIT
/*
 * kvm_call_safe() and the CPL 0 half of kvm_call_user(): save what the
 * caller expects preserved in a struct kvmkit_call_ctx on the stack (see
 * frame.h), push it on kvmkit_call_top, call fn.  A fault inside makes
 * the dispatcher (safe.c) resume at kvmkit_call_resume with RSP = the
 * context and RAX = the vector; a normal return gets there with RAX = 0.
 */
#include <kvmkit/abi.h>
#include "frame.h"

	.text

/*
 * Fill the context at %rsp; %rdx = fault, %r11 = this CPU's
 * kvmkit_call_top slot, \user = 0 or 1
 */
.macro save_ctx user:req
	mov %rbx, CTX_RBX(%rsp)
	mov %rbp, CTX_RBP(%rsp)
	mov %r12, CTX_R12(%rsp)
	mov %r13, CTX_R13(%rsp)
	mov %r14, CTX_R14(%rsp)
	mov %r15, CTX_R15(%rsp)
	mov %rsp, CTX_RSP(%rsp)
	pushf
	popq CTX_RFLAGS(%rsp)
	mov %rdx, CTX_FAULT(%rsp)
	mov %r11, CTX_SLOT(%rsp)
	mov (%r11), %rax
	mov %rax, CTX_PREV(%rsp)
	movq $\user, CTX_USER(%rsp)
	mov %cs, %eax
	mov %eax, CTX_CS(%rsp)
	mov %ss, %eax
	mov %eax, CTX_SS(%rsp)
.endm

/* int kvm_call_safe(void (*fn)(void *), void *arg, struct kvm_fault *) */
	.globl kvm_call_safe
	.type kvm_call_safe, @function
kvm_call_safe:
	/* 8 (mod 16) on entry: CTX_SIZE + 8 makes the calls below aligned */
	sub $CTX_SIZE + 8, %rsp
	/* this CPU's slot; the arguments wait in the context meanwhile */
	mov %rdi, CTX_RBX(%rsp)
	mov %rsi, CTX_RBP(%rsp)
	mov %rdx, CTX_R12(%rsp)
	call kvmkit_call_top_slot
	mov %rax, %r11
	mov CTX_RBX(%rsp), %rdi
	mov CTX_RBP(%rsp), %rsi
	mov CTX_R12(%rsp), %rdx
	save_ctx 0
	mov %rsp, (%r11)
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	xor %eax, %eax

	.globl kvmkit_call_resume
kvmkit_call_resume:
	mov CTX_SLOT(%rsp), %rdx
	mov CTX_PREV(%rsp), %rcx
	mov %rcx, (%rdx)
	mov CTX_RBX(%rsp), %rbx
	mov CTX_RBP(%rsp), %rbp
	mov CTX_R12(%rsp), %r12
	mov CTX_R13(%rsp), %r13
	mov CTX_R14(%rsp), %r14
	mov CTX_R15(%rsp), %r15
	add $CTX_SIZE + 8, %rsp
	ret
	.size kvm_call_safe, . - kvm_call_safe

/*
 * int kvmkit_call_user(fn, arg, fault, user_rsp, user_cs, user_ss):
 * IRETQ to fn at CPL 3 with RSP = user_rsp, where the caller (user.c)
 * stored kvmkit_user_trampoline as fn's return address.  Exceptions from
 * CPL 3 switch to TSS.RSP0, which points right below the context for the
 * duration, so they never touch it.
 */
	.globl kvmkit_call_user
	.type kvmkit_call_user, @function
kvmkit_call_user:
	sub $CTX_SIZE + 8, %rsp
	/* CPU 0's slot: user.c runs this on CPU 0 only */
	lea kvmkit_call_top(%rip), %r11
	save_ctx 1
	mov %rsp, kvm_tss + 4(%rip)		/* TSS.RSP0; user.c restores it */
	mov %rsp, kvmkit_call_top(%rip)

	push %r9				/* SS */
	push %rcx				/* RSP */
	mov CTX_RFLAGS + 16(%rsp), %rax		/* the caller's IF, nothing else */
	and $0x200, %eax
	or $0x2, %eax
	push %rax				/* RFLAGS */
	push %r8				/* CS */
	push %rdi				/* RIP */
	mov %rsi, %rdi
	/* No kernel values for fn to see: only the argument */
	xor %eax, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	iretq
	.size kvmkit_call_user, . - kvmkit_call_user

/*
 * Where fn returns to, at CPL 3: a #UD here, from CPL 3, is the way home
 * (safe.c takes it as fn's return).  Not SYSCALL: on kvm_pvm a SYSCALL
 * from CPL 3 lands at IA32_LSTAR still at CPL 3 (CS 0x33), so the way
 * back would depend on the host; exception delivery through the IDT and
 * TSS.RSP0 works on both.
 */
	.globl kvmkit_user_trampoline
	.type kvmkit_user_trampoline, @function
kvmkit_user_trampoline:
	ud2
	.size kvmkit_user_trampoline, . - kvmkit_user_trampoline

	.section .note.GNU-stack, "", @progbits
