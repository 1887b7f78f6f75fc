/* SPDX-License-Identifier: MIT */
/*
 * VMRUN for the LTP-style SVM helpers.  VMRUN switches only RAX, RSP,
 * RIP, RFLAGS, the control registers and the segment state; every other
 * general-purpose register still holds whatever the other side left in
 * it.  So the guest's GPRs are loaded from struct kvm_svm_vcpu.regs
 * right before VMRUN and written back right after #VMEXIT, and the host's
 * callee-saved registers live on the stack meanwhile.
 */
#include "kvm_x86_svm.h"

#define REG(name)	(KVM_SVM_VCPU_REGS + KVM_REGS64_##name)

	.text

/*
 * void kvm_svm_vmrun_raw(struct kvm_svm_vcpu *cpu,	%rdi
 *			  struct kvm_vmcb *host_save);	%rsi
 *
 * GIF stays clear from before the host VMSAVE until after the host
 * VMLOAD: an interrupt taken in between would run with the guest's FS,
 * GS and TR.
 */
	.globl kvm_svm_vmrun_raw
	.type kvm_svm_vmrun_raw, @function
kvm_svm_vmrun_raw:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rsi			/* host save VMCB, for the VMLOAD below */
	push %rdi			/* cpu, found again after #VMEXIT */

	clgi
	mov %rsi, %rax
	vmsave %rax

	mov REG(RBX)(%rdi), %rbx
	mov REG(RCX)(%rdi), %rcx
	mov REG(RDX)(%rdi), %rdx
	mov REG(RSI)(%rdi), %rsi
	mov REG(RBP)(%rdi), %rbp
	mov REG(R8)(%rdi), %r8
	mov REG(R8) + 0x08(%rdi), %r9
	mov REG(R8) + 0x10(%rdi), %r10
	mov REG(R8) + 0x18(%rdi), %r11
	mov REG(R8) + 0x20(%rdi), %r12
	mov REG(R8) + 0x28(%rdi), %r13
	mov REG(R8) + 0x30(%rdi), %r14
	mov REG(R15)(%rdi), %r15
	mov KVM_SVM_VCPU_VMCB(%rdi), %rax	/* guest RAX/RSP come from here */
	mov REG(RDI)(%rdi), %rdi

	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX (the VMCB) and RSP are the host's again */
	vmsave %rax

	xchg %rdi, (%rsp)		/* %rdi = cpu, stack slot = guest RDI */
	mov %rbx, REG(RBX)(%rdi)
	mov %rcx, REG(RCX)(%rdi)
	mov %rdx, REG(RDX)(%rdi)
	mov %rsi, REG(RSI)(%rdi)
	mov %rbp, REG(RBP)(%rdi)
	mov %r8, REG(R8)(%rdi)
	mov %r9, REG(R8) + 0x08(%rdi)
	mov %r10, REG(R8) + 0x10(%rdi)
	mov %r11, REG(R8) + 0x18(%rdi)
	mov %r12, REG(R8) + 0x20(%rdi)
	mov %r13, REG(R8) + 0x28(%rdi)
	mov %r14, REG(R8) + 0x30(%rdi)
	mov %r15, REG(R15)(%rdi)
	popq REG(RDI)(%rdi)
	mov KVM_VMCB_RAX(%rax), %rcx
	mov %rcx, REG(RAX)(%rdi)
	mov KVM_VMCB_RSP(%rax), %rcx
	mov %rcx, REG(RSP)(%rdi)

	pop %rax			/* host save VMCB */
	vmload %rax
	stgi

	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size kvm_svm_vmrun_raw, . - kvm_svm_vmrun_raw

/*
 * First instruction of every nested guest: RAX holds guest_main.  Its
 * return value stays in RAX, which the intercepted HLT hands back to the
 * parent in vmcb->rax.  The loop only matters if someone resumes the
 * guest after that HLT.
 */
	.globl kvm_svm_guest_entry
	.type kvm_svm_guest_entry, @function
kvm_svm_guest_entry:
	call *%rax
1:	hlt
	jmp 1b
	.size kvm_svm_guest_entry, . - kvm_svm_guest_entry

	.section .note.GNU-stack, "", @progbits
