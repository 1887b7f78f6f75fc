/* SPDX-License-Identifier: MIT */
/*
 * VMLAUNCH/VMRESUME for the LTP-style VMX helpers.  A VM exit lands on
 * the VMCS's HOST_RIP with HOST_RSP and no general-purpose register
 * saved, so the entry path writes both fields to point just past its own
 * pushes, and the exit path finds the vcpu pointer on top of that stack.
 * RFLAGS is saved by hand because a VM exit clears it (IF included).
 */
#include "kvm_x86_vmx.h"
#include "regs64.h"

#define REG(name)	(KVM_VMX_VCPU_REGS + KVM_REGS64_##name)

	.text

	.globl kvm_vmx_vmlaunch
	.type kvm_vmx_vmlaunch, @function
kvm_vmx_vmlaunch:
	xor %esi, %esi
	jmp vmx_enter
	.size kvm_vmx_vmlaunch, . - kvm_vmx_vmlaunch

	.globl kvm_vmx_vmresume
	.type kvm_vmx_vmresume, @function
kvm_vmx_vmresume:
	mov $1, %esi
	jmp vmx_enter
	.size kvm_vmx_vmresume, . - kvm_vmx_vmresume

/* %rdi = struct kvm_vmx_vcpu *, %esi = 0 for VMLAUNCH, 1 for VMRESUME */
	.type vmx_enter, @function
vmx_enter:
	pushfq
	PUSH_CALLEE_SAVED
	push %rdi			/* cpu, found again at vmx_exit */

	mov $VMX_VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jna vmx_fail
	lea vmx_exit(%rip), %rcx
	mov $VMX_VMCS_HOST_RIP, %rax
	vmwrite %rcx, %rax
	jna vmx_fail

	/* MOVs below keep the flags of this test for the branch at the end */
	test %esi, %esi
	mov REG(RAX)(%rdi), %rax
	KVM_REGS64_LOAD KVM_VMX_VCPU_REGS
	mov REG(RDI)(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp vmx_fail			/* only reached when VMLAUNCH failed */
1:	vmresume

vmx_fail:
	pop %rdi
	mov $1, %eax
	jmp vmx_return

vmx_exit:
	xchg %rdi, (%rsp)		/* %rdi = cpu, stack slot = guest RDI */
	mov %rax, REG(RAX)(%rdi)
	KVM_REGS64_STORE KVM_VMX_VCPU_REGS
	popq REG(RDI)(%rdi)
	mov $VMX_VMCS_GUEST_RSP, %rax
	vmread %rax, %rcx
	mov %rcx, REG(RSP)(%rdi)
	xor %eax, %eax

vmx_return:
	POP_CALLEE_SAVED
	popfq
	ret
	.size vmx_enter, . - vmx_enter

/* First instruction of every nested guest: see kvm_svm_guest_entry */
	.globl kvm_vmx_guest_entry
	.type kvm_vmx_guest_entry, @function
kvm_vmx_guest_entry:
	call *%rax
1:	hlt
	jmp 1b
	.size kvm_vmx_guest_entry, . - kvm_vmx_guest_entry

	.section .note.GNU-stack, "", @progbits
