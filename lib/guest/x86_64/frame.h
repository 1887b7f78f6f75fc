/* SPDX-License-Identifier: MIT */
/*
 * What the x86 dispatcher (interrupt.c), the expected-fault helpers
 * (safe.c) and the CPL 3 calls (user.c, call.S) share, and nothing a test
 * should use.
 */
#ifndef KVMKIT_GUEST_X86_FRAME_H
#define KVMKIT_GUEST_X86_FRAME_H

/* struct kvmkit_call_ctx, as call.S lays it out (i386: i386/call.S) */
#ifndef __x86_64__
#define CTX_RBX		0	/* %ebx */
#define CTX_RBP		4	/* %ebp */
#define CTX_R12		8	/* %esi */
#define CTX_R13		12	/* %edi */
#define CTX_RSP		24
#define CTX_RFLAGS	28
#define CTX_FAULT	32
#define CTX_PREV	36
#define CTX_USER	40
#define CTX_CS		44
#define CTX_SS		48
#define CTX_SIZE	52
#else
#define CTX_RBX		0
#define CTX_RBP		8
#define CTX_R12		16
#define CTX_R13		24
#define CTX_R14		32
#define CTX_R15		40
#define CTX_RSP		48
#define CTX_RFLAGS	56
#define CTX_FAULT	64
#define CTX_PREV	72
#define CTX_USER	80
#define CTX_CS		88
#define CTX_SS		92
#define CTX_SLOT	96
#define CTX_SIZE	112	/* a multiple of 16: call.S keeps the stack aligned */
#endif

#ifndef __ASSEMBLER__

#include "../internal.h"
#include "kvm_x86.h"

/*
 * The stack layout entry.S builds, lowest address first.  The i386
 * runtime (i386/entry.S) saves no r8-r15 and its words are 4 bytes.
 */
struct kvmkit_x86_frame {
#ifdef __x86_64__
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
#endif
	uintptr_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uintptr_t vector, error_code;	/* the stub's, the CPU's or a dummy 0 */
	struct kvm_interrupt_frame ifrm;	/* pushed by the CPU */
};

/*
 * One kvm_call_safe() or kvm_call_user() in progress, on the caller's
 * stack; the innermost is kvmkit_call_top.  A fault inside resumes at
 * kvmkit_call_resume with RSP = the context and RAX = the vector, and
 * that code reloads the callee-saved registers from here.
 */
struct kvmkit_call_ctx {
	uintptr_t rbx, rbp, r12, r13, r14, r15;	/* i386: ebx, ebp, esi, edi */
	uintptr_t rsp, rflags;
	struct kvm_fault *fault;
	struct kvmkit_call_ctx *prev;
	uintptr_t user;		/* CPL 3 call: 1 */
	uint32_t cs, ss;	/* the caller's: kvm_call_safe() may run at CPL 3 */
#ifdef __x86_64__
	struct kvmkit_call_ctx **slot;	/* its CPU's kvmkit_call_top[] entry */
	uint64_t pad;
#endif
};

#ifdef __x86_64__
_Static_assert(sizeof(struct kvmkit_x86_frame) == 22 * 8,
	       "entry.S pushes 15 registers, vector and error code");
#else
_Static_assert(sizeof(struct kvmkit_x86_frame) == 14 * 4,
	       "i386/entry.S pushes 7 registers, vector and error code");
#endif
_Static_assert(sizeof(struct kvmkit_call_ctx) == CTX_SIZE &&
	       offsetof(struct kvmkit_call_ctx, rsp) == CTX_RSP &&
	       offsetof(struct kvmkit_call_ctx, fault) == CTX_FAULT &&
	       offsetof(struct kvmkit_call_ctx, user) == CTX_USER,
	       "call.S's offsets");
#ifdef __x86_64__
_Static_assert(offsetof(struct kvmkit_call_ctx, slot) == CTX_SLOT,
	       "call.S's slot offset");
#endif

/* Per CPU, by kvm_cpu_id(); kvmkit_call_top_slot() is this CPU's entry */
extern struct kvmkit_call_ctx *kvmkit_call_top[KVMKIT_GUEST_MAX_CPUS];
struct kvmkit_call_ctx **kvmkit_call_top_slot(void);
extern char kvmkit_call_resume[], kvmkit_user_trampoline[];

void kvmkit_x86_interrupt(struct kvmkit_x86_frame *frame);

/* Fix-up table, then an open kvm_call_*(): 1 when the fault is handled */
int kvmkit_x86_fixup(struct kvmkit_x86_frame *frame);
int kvmkit_x86_call_fault(struct kvmkit_x86_frame *frame);

#endif /* __ASSEMBLER__ */
#endif /* KVMKIT_GUEST_X86_FRAME_H */
