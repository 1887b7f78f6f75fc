// SPDX-License-Identifier: MIT
/*
 * The nested virtual APIC's TPR: with the "use TPR shadow" control set,
 * a nested guest's MOV from CR8 reads bits 7:4 of VTPR (offset 80H of the
 * virtual-APIC page) and MOV to CR8 writes them (bits 3:0 and 31:8
 * cleared), with no VM exit; when a MOV to CR8 makes VTPR[7:4] drop below
 * the TPR threshold, a trap-like VM exit "TPR below threshold" (basic
 * reason 43) follows, with the guest RIP after the MOV and VTPR already
 * written.
 *
 * Where it is written: Intel SDM Vol. 3C 29.1.1 "Virtualized APIC
 * Registers" (VTPR at offset 080H), 29.3 "Virtualizing CR8-Based TPR
 * Accesses" ("MOV from CR8 ... loads bits 7:4 of VTPR into bits 3:0 of the
 * destination"; "MOV to CR8 ... stores bits 3:0 into bits 7:4 of VTPR; the
 * remainder of VTPR is cleared"; then TPR virtualization, 29.1.2: "If
 * VTPR[7:4] < TPR threshold[3:0], a VM exit occurs"; "TPR below threshold"
 * is trap-like), 26.2.1.1 (the threshold may not exceed VTPR[7:4] at VM
 * entry), Appendix B (virtual-APIC address 2012H, TPR threshold 401CH),
 * Appendix C (basic exit reason 43).
 *
 * VMX is offered by neither KVM this project reaches (kvm_pvm, kvm_amd
 * under QEMU TCG): there the test is TCONF.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_vmx.h"

#define EXIT_TPR_BELOW_THRESHOLD	43
#define EXECCTL_CR8_LOAD_EXIT		(1U << 19)
#define EXECCTL_CR8_STORE_EXIT		(1U << 20)
#define VTPR				0x80

static volatile uint64_t l2_before, l2_after, l2_done;

static __attribute__((noinline)) int nested_main(void)
{
	uint64_t v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	l2_before = v;
	asm volatile("mov %0, %%cr8" : : "r"(3UL));
	asm volatile("mov %%cr8, %0" : "=r"(v));
	l2_after = v;
	/* below the threshold 2: a trap-like exit after this instruction */
	asm volatile("mov %0, %%cr8\n\t.globl tpr_drop_end\ntpr_drop_end:" : : "r"(1UL));
	l2_done = 1;
	return 0;
}

extern const char tpr_drop_end[];

void main(void)
{
	uint64_t exec, reason;
	struct kvm_vmx_vcpu *vcpu;
	volatile uint8_t *vapic;
	uint32_t ctl;

	kvm_set_vmx_state(1);
	exec = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL);
	if (!((exec >> 32) & VMX_EXECCTL_TPR_SHADOW))
		tst_brk(TCONF, "VMX without the \"use TPR shadow\" control");
	if ((uint32_t)exec & (EXECCTL_CR8_LOAD_EXIT | EXECCTL_CR8_STORE_EXIT))
		tst_brk(TCONF, "VMX requires CR8-load/store exiting (IA32_VMX_PROCBASED_CTLS 0x%llx)",
			(unsigned long long)exec);

	vcpu = kvm_create_vmx_vcpu(nested_main, 1);
	vapic = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);
	memset((void *)vapic, 0, KVMKIT_PAGE_SIZE);
	vapic[VTPR] = 0x9f;	/* bits 3:0 are not part of the CR8 view */

	kvm_vmx_activate_vcpu(vcpu);
	ctl = kvm_vmx_vmread(VMX_VMCS_VMEXEC_CTL);
	ctl = (ctl | VMX_EXECCTL_TPR_SHADOW) &
	      ~(EXECCTL_CR8_LOAD_EXIT | EXECCTL_CR8_STORE_EXIT);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL, ctl);
	kvm_vmx_vmwrite(VMX_VMCS_VIRT_APIC_POINTER, (uintptr_t)vapic);
	kvm_vmx_vmwrite(VMX_VMCS_TPR_THRESHOLD, 2);

	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & 0xffff;
	if (l2_before != 9)
		tst_res(TFAIL, "nested MOV from CR8 with VTPR 0x9f: %llu, expected 9",
			(unsigned long long)l2_before);
	else
		tst_res(TPASS, "nested MOV from CR8 read VTPR[7:4] = 9");
	if (l2_after != 3)
		tst_res(TFAIL, "nested MOV to CR8 of 3, then from CR8: %llu",
			(unsigned long long)l2_after);
	else
		tst_res(TPASS, "nested MOV to CR8 of 3 reads back 3, no VM exit (3 >= threshold 2)");
	if (reason != EXIT_TPR_BELOW_THRESHOLD)
		tst_brk(TFAIL, "MOV to CR8 of 1 with threshold 2: VM exit reason %llu, expected %d (TPR below threshold)",
			(unsigned long long)reason, EXIT_TPR_BELOW_THRESHOLD);
	if (kvm_vmx_vmread(VMX_VMCS_GUEST_RIP) != (uintptr_t)tpr_drop_end)
		tst_res(TFAIL, "TPR-below-threshold exit: guest RIP 0x%llx, expected 0x%lx (after the MOV: trap-like)",
			(unsigned long long)kvm_vmx_vmread(VMX_VMCS_GUEST_RIP),
			(unsigned long)(uintptr_t)tpr_drop_end);
	else if (vapic[VTPR] != 0x10)
		tst_res(TFAIL, "TPR-below-threshold exit: VTPR 0x%x, expected 0x10",
			vapic[VTPR]);
	else
		tst_res(TPASS, "MOV to CR8 of 1 below threshold 2: trap-like exit 43 after the MOV, VTPR 0x10");

	/* the threshold may not exceed VTPR[7:4] at VM entry */
	kvm_vmx_vmwrite(VMX_VMCS_TPR_THRESHOLD, 0);
	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & 0xffff;
	if (reason != VMX_EXIT_HLT || !l2_done)
		tst_res(TFAIL, "after resuming: VM exit reason %llu, expected HLT at the nested guest's end",
			(unsigned long long)reason);
	kvm_set_vmx_state(0);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "The nested virtual APIC's TPR",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "vmx", NULL } },
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "vmx,nested,apic" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
