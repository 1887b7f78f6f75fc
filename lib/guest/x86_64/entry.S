// SPDX-License-Identifier: MIT
/*
 * The start of every payload: the header the host reads, the entry point
 * and the 256 interrupt vector stubs.
 *
 * The host has already put the CPU in 64-bit mode with our page tables,
 * GDT, TSS (IST1 included) and IDT loaded (see <kvmkit/abi.h>), RSP at
 * kvm_stack_top and the other registers at zero, so the boot path is
 * three instructions and a call.  Every constant comes from abi.h; none
 * is repeated here.
 */
#include <kvmkit/abi.h>

/* ---- The payload header, at KVMKIT_PAYLOAD_BASE ----------------------- */

	.section .kvmkit.header, "a"
	.balign 8
	.globl kvmkit_header
	.type kvmkit_header, @object
kvmkit_header:
	.long KVMKIT_PAYLOAD_MAGIC
	.short KVMKIT_ABI_VERSION
	.short kvmkit_header_end - kvmkit_header
	.quad kvmkit_entry
	.quad kvmkit_image_end
	.quad kvm_stack_top
	.quad kvm_pagetable
	.quad kvm_gdt
	.quad kvm_idt
	.quad kvm_tss
	.quad kvmkit_vectors
	.quad 0				/* ram_size, filled by the host */
	.quad 0				/* host_flags, filled by the host */
	.quad kvmkit_exception_log
	.quad KVMKIT_GUEST_MODE_64
	/* KVMKIT_GUEST_CPUS(n) defines it; without it, 0: one CPU */
	.weak kvmkit_smp
	.quad kvmkit_smp
kvmkit_header_end:
	.size kvmkit_header, . - kvmkit_header

/* payload.lds checks that the header landed where the host expects it */
	.globl kvmkit_payload_base
	.set kvmkit_payload_base, KVMKIT_PAYLOAD_BASE

/* ---- Entry ------------------------------------------------------------ */

	.text
	.globl kvmkit_entry
	.type kvmkit_entry, @function
kvmkit_entry:
	/*
	 * Guest instructions may be emulated one by one (about 1 us each),
	 * so the common case, no constructors, is the straight path: the
	 * payload is linked below 2 GiB, so addresses fit in immediates.
	 * RBP is already 0 (from the host), which ends backtraces.
	 */
	mov $__init_array_start, %ebx
	cmp $__init_array_end, %ebx
	jb .Lconstructors
.Lmain:
	call main
	jmp kvm_exit

	/* C++-style constructors, if a test has any */
.Lconstructors:
	call *(%rbx)
	add $8, %ebx
	cmp $__init_array_end, %ebx
	jb .Lconstructors
	jmp .Lmain
	.size kvmkit_entry, . - kvmkit_entry

/*
 * Every application processor starts here (struct kvmkit_smp_desc's
 * ap_entry), in 64-bit mode on its own stack with its own GDT and TSS,
 * RDI = its CPU number, RBP = 0.  kvmkit_smp_ap_main() never returns.
 */
	.globl kvmkit_ap_entry
	.type kvmkit_ap_entry, @function
kvmkit_ap_entry:
	call kvmkit_smp_ap_main
	ud2
	.size kvmkit_ap_entry, . - kvmkit_ap_entry

/* ---- Vector stubs ----------------------------------------------------- */

/*
 * One stub per vector, KVMKIT_VECTOR_STUB_SIZE bytes apart (the host
 * points IDT gate v at kvmkit_vectors + v * KVMKIT_VECTOR_STUB_SIZE).
 * Vectors without a CPU error code push a dummy one so that the frame
 * has one layout; .org fails the build if a stub outgrows its slot.
 */
.macro vector_stub vector:req, has_error_code:req
.Lstub_\@:
	.if \has_error_code == 0
	pushq $0
	.endif
	pushq $\vector
	jmp kvmkit_vector_common
	.org .Lstub_\@ + KVMKIT_VECTOR_STUB_SIZE, 0xcc
.endm

#define EXCEPTION_STUB(vector, mnemonic, name, has_error_code) \
	vector_stub vector, has_error_code;
#define COUNT_EXCEPTION(vector, mnemonic, name, has_error_code) + 1

	/*
	 * Their own section, linked after all other code (payload.lds): the
	 * 4 KiB of stubs would otherwise sit between the entry, main() and
	 * tst_res_(), and every extra code page the guest touches costs a
	 * shadow-paging fault before the first result.
	 */
	.section .kvmkit_vectors, "ax"
	.balign KVMKIT_VECTOR_STUB_SIZE
	.globl kvmkit_vectors
	.type kvmkit_vectors, @function
kvmkit_vectors:
	/* Exceptions, with the error-code column of abi.h's table */
	KVMKIT_X86_EXCEPTIONS(EXCEPTION_STUB)

	/* External interrupts and software INT n: never an error code */
	.set .Lvector, 0 KVMKIT_X86_EXCEPTIONS(COUNT_EXCEPTION)
	.rept KVMKIT_VECTOR_COUNT - .Lvector
	vector_stub .Lvector, 0
	.set .Lvector, .Lvector + 1
	.endr
	.size kvmkit_vectors, . - kvmkit_vectors

/*
 * Save the general registers below the vector and error code (struct
 * kvmkit_x86_frame in interrupt.c), call the C dispatcher with a 16-byte
 * aligned stack and DF clear as the ABI wants, restore whatever the
 * frame holds then (a callback may have changed it) and return.
 */
	.type kvmkit_vector_common, @function
kvmkit_vector_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	mov %rsp, %rbx			/* callee-saved: survives the call */
	and $-16, %rsp
	cld
	call kvmkit_x86_interrupt
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp			/* vector and error code */
	iretq
	.size kvmkit_vector_common, . - kvmkit_vector_common

/* ---- Stacks ----------------------------------------------------------- */

	.section .bss.kvmkit_stack, "aw", @nobits
	.balign KVMKIT_PAGE_SIZE
/* Left unmapped by the host (abi.h): an overflow faults, never corrupts */
kvmkit_stack_guard:
	.skip KVMKIT_STACK_GUARD_SIZE
	.globl kvm_stack_bottom, kvm_stack_top
kvm_stack_bottom:
	.skip KVMKIT_STACK_SIZE
kvm_stack_top:

/*
 * IST1: #DF, NMI and #MC, so a blown stack still gets reported.  abi.h
 * puts it right above the main stack: the host finds it from stack_top.
 */
kvmkit_ist1_bottom:
	.skip KVMKIT_IST1_SIZE
kvmkit_ist1_top:
	.if kvmkit_ist1_bottom - kvm_stack_top
	.error "the IST1 stack must start at kvm_stack_top (abi.h)"
	.endif

	.section .note.GNU-stack, "", @progbits
