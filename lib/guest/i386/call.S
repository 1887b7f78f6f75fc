// SPDX-License-Identifier: MIT
/*
 * kvm_call_safe() of the 32-bit runtime (x86_64/call.S in long mode):
 * save the callee-saved registers in a struct kvmkit_call_ctx on the
 * stack (frame.h, i386 offsets), push it on kvmkit_call_top, call fn.
 * A fault inside makes the dispatcher (safe.c) resume at
 * kvmkit_call_resume with EAX = the vector; a normal return gets there
 * with EAX = 0.  A same-privilege IRET in 32-bit mode restores no ESP, so
 * kvmkit_call_resume takes ESP from kvmkit_call_top, which is the
 * innermost context on both paths.  kvm_call_user() (CPL 3) is not in
 * the 32-bit runtime.
 */
#include <kvmkit/abi.h>
#include "../x86_64/frame.h"

	.text
/* int kvm_call_safe(void (*fn)(void *), void *arg, struct kvm_fault *) */
	.globl kvm_call_safe
	.type kvm_call_safe, @function
kvm_call_safe:
	/* 12 (mod 16) on entry: this leaves the call below 16-byte aligned */
	sub $CTX_SIZE + 4, %esp
	mov %ebx, CTX_RBX(%esp)
	mov %ebp, CTX_RBP(%esp)
	mov %esi, CTX_R12(%esp)
	mov %edi, CTX_R13(%esp)
	mov %esp, CTX_RSP(%esp)
	pushf
	popl CTX_RFLAGS(%esp)
	mov CTX_SIZE + 4 + 12(%esp), %eax	/* fault */
	mov %eax, CTX_FAULT(%esp)
	mov kvmkit_call_top, %eax
	mov %eax, CTX_PREV(%esp)
	movl $0, CTX_USER(%esp)
	mov %cs, %eax
	mov %eax, CTX_CS(%esp)
	mov %ss, %eax
	mov %eax, CTX_SS(%esp)
	mov %esp, kvmkit_call_top
	mov CTX_SIZE + 4 + 4(%esp), %eax	/* fn */
	mov CTX_SIZE + 4 + 8(%esp), %ecx	/* arg */
	push %ecx				/* now 16-byte aligned */
	call *%eax
	xor %eax, %eax
	.globl kvmkit_call_resume
kvmkit_call_resume:
	mov kvmkit_call_top, %esp
	mov CTX_PREV(%esp), %ecx
	mov %ecx, kvmkit_call_top
	mov CTX_RBX(%esp), %ebx
	mov CTX_RBP(%esp), %ebp
	mov CTX_R12(%esp), %esi
	mov CTX_R13(%esp), %edi
	add $CTX_SIZE + 4, %esp
	ret
	.size kvm_call_safe, . - kvm_call_safe

/* safe.c names it; no CPL 3 call ever returns through it in 32-bit mode */
	.globl kvmkit_user_trampoline
	.type kvmkit_user_trampoline, @function
kvmkit_user_trampoline:
	ud2
	.size kvmkit_user_trampoline, . - kvmkit_user_trampoline

	.section .note.GNU-stack, "", @progbits
