// SPDX-License-Identifier: MIT
/*
 * The start of every 32-bit payload (KVMKIT_GUEST_MODE(32) or (32pae)):
 * the header the host reads, the entry point and the 256 vector stubs,
 * as lib/guest/x86_64/entry.S has them for long mode.
 *
 * The host has put the CPU in protected mode with paging (2-level or
 * PAE, as header.guest_mode says), our GDT, TSS and IDT loaded, ESP at
 * kvm_stack_top and the other registers at zero.  The header has the
 * 64-bit layout of abi.h: each address is a .long and a zero upper half.
 */
#include <kvmkit/abi.h>

	.section .kvmkit.header, "a"
	.balign 8
	.globl kvmkit_header
	.type kvmkit_header, @object
kvmkit_header:
	.long KVMKIT_PAYLOAD_MAGIC
	.short KVMKIT_ABI_VERSION
	.short kvmkit_header_end - kvmkit_header
	.long kvmkit_entry, 0
	.long kvmkit_image_end, 0
	.long kvm_stack_top, 0
	.long kvm_pagetable, 0
	.long kvm_gdt, 0
	.long kvm_idt, 0
	.long kvm_tss, 0
	.long kvmkit_vectors, 0
	.long 0, 0			/* ram_size, filled by the host */
	.long 0, 0			/* host_flags, filled by the host */
	.long kvmkit_exception_log, 0
	/* defined by the test's KVMKIT_GUEST_MODE() (guest_mode.h) */
	.long kvmkit_guest_mode, 0
	.long 0, 0			/* smp: 32-bit payloads run one CPU */
kvmkit_header_end:
	.size kvmkit_header, . - kvmkit_header

	.globl kvmkit_payload_base
	.set kvmkit_payload_base, KVMKIT_PAYLOAD_BASE

	.text
	.globl kvmkit_entry
	.type kvmkit_entry, @function
kvmkit_entry:
	/* ESP = kvm_stack_top, 16-byte aligned, as the i386 ABI wants at a call */
	mov $__init_array_start, %ebx
	cmp $__init_array_end, %ebx
	jb .Lconstructors
.Lmain:
	call main
	jmp kvm_exit
.Lconstructors:
	call *(%ebx)
	add $4, %ebx
	cmp $__init_array_end, %ebx
	jb .Lconstructors
	jmp .Lmain
	.size kvmkit_entry, . - kvmkit_entry

/*
 * One stub per vector, KVMKIT_VECTOR_STUB_SIZE bytes apart; a dummy error
 * code where the CPU pushes none, so the frame has one layout.
 */
.macro vector_stub vector:req, has_error_code:req
.Lstub_\@:
	.if \has_error_code == 0
	pushl $0
	.endif
	pushl $\vector
	jmp kvmkit_vector_common
	.org .Lstub_\@ + KVMKIT_VECTOR_STUB_SIZE, 0xcc
.endm

#define EXCEPTION_STUB(vector, mnemonic, name, has_error_code) \
	vector_stub vector, has_error_code;
#define COUNT_EXCEPTION(vector, mnemonic, name, has_error_code) + 1

	.section .kvmkit_vectors, "ax"
	.balign KVMKIT_VECTOR_STUB_SIZE
	.globl kvmkit_vectors
	.type kvmkit_vectors, @function
kvmkit_vectors:
	KVMKIT_X86_EXCEPTIONS(EXCEPTION_STUB)
	.set .Lvector, 0 KVMKIT_X86_EXCEPTIONS(COUNT_EXCEPTION)
	.rept KVMKIT_VECTOR_COUNT - .Lvector
	vector_stub .Lvector, 0
	.set .Lvector, .Lvector + 1
	.endr
	.size kvmkit_vectors, . - kvmkit_vectors

/*
 * #DF arrives through a task gate (boot32.c): 32-bit mode has no IST, and
 * a double fault from a blown stack could not push its frame on that
 * stack.  The task switch saved the faulting state in kvm_tss and
 * started this code on its own stack (the IST1 page) with the error code
 * pushed; the C side reports it and never returns.  The host finds this
 * entry right after the last stub: the position is the contract.
 */
	.org kvmkit_vectors + KVMKIT_VECTOR_COUNT * KVMKIT_VECTOR_STUB_SIZE
	.globl kvmkit_df_task
	.type kvmkit_df_task, @function
kvmkit_df_task:
	and $-16, %esp
	cld
	call kvmkit_i386_double_fault
	ud2
	.size kvmkit_df_task, . - kvmkit_df_task

/*
 * The i386 struct kvmkit_x86_frame (frame.h): seven registers below the
 * vector and error code.  The dispatcher gets the frame's address as its
 * one stack argument, on a 16-byte aligned stack with DF clear.  In
 * 32-bit mode the CPU pushes ESP and SS only on a privilege change, so
 * IRET restores no ESP here: a callback's change of the frame's rsp has
 * no effect (ifrm.rsp/ss are meaningful only from CPL 3).
 */
	.type kvmkit_vector_common, @function
kvmkit_vector_common:
	push %eax
	push %ebx
	push %ecx
	push %edx
	push %esi
	push %edi
	push %ebp
	mov %esp, %eax
	mov %esp, %ebx			/* callee-saved: survives the call */
	and $-16, %esp
	sub $12, %esp
	push %eax
	cld
	call kvmkit_x86_interrupt
	mov %ebx, %esp
	pop %ebp
	pop %edi
	pop %esi
	pop %edx
	pop %ecx
	pop %ebx
	pop %eax
	add $8, %esp			/* vector and error code */
	iret
	.size kvmkit_vector_common, . - kvmkit_vector_common

/*
 * The stacks of the 64-bit layout (abi.h): the guard page, the main
 * stack and, above it, the page the host points IST1 at in long mode.
 * In 32-bit mode that page holds the #DF task's TSS at its bottom and its
 * stack above (boot32.c), so a stack overflow into the guard page, whose
 * #PF frame cannot be pushed, is still reported as a #DF.
 */
	.section .bss.kvmkit_stack, "aw", @nobits
	.balign KVMKIT_PAGE_SIZE
kvmkit_stack_guard:
	.skip KVMKIT_STACK_GUARD_SIZE
	.globl kvm_stack_bottom, kvm_stack_top
kvm_stack_bottom:
	.skip KVMKIT_STACK_SIZE
kvm_stack_top:
kvmkit_ist1_bottom:
	.skip KVMKIT_IST1_SIZE

	.section .note.GNU-stack, "", @progbits
