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
#include "regs64.h"

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
	PUSH_CALLEE_SAVED
	push %rsi			/* host save VMCB, for the VMLOAD below */
	push %rdi			/* cpu, found again after #VMEXIT */

	clgi
	mov %rsi, %rax
	vmsave %rax

	KVM_REGS64_LOAD KVM_SVM_VCPU_REGS
	mov KVM_SVM_VCPU_VMCB(%rdi), %rax	/* guest RAX/RSP come from here */
	mov REG(RDI)(%rdi), %rdi

	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX (the VMCB) and RSP are the host's again */
	vmsave %rax

	xchg %rdi, (%rsp)		/* %rdi = cpu, stack slot = guest RDI */
	KVM_REGS64_STORE KVM_SVM_VCPU_REGS
	popq REG(RDI)(%rdi)
	mov KVM_VMCB_RAX(%rax), %rcx
	mov %rcx, REG(RAX)(%rdi)
	mov KVM_VMCB_RSP(%rax), %rcx
	mov %rcx, REG(RSP)(%rdi)

	pop %rax			/* host save VMCB */
	vmload %rax
	stgi

	POP_CALLEE_SAVED
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
