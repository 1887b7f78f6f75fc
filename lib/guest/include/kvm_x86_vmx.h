/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX helpers for payloads that run a nested guest (LTP's
 * kvm_x86_vmx.h API).  Field encodings, control bits, MSR numbers and
 * exit reasons are those of the Intel SDM, Volume 3C (chapters 24-27 and
 * appendices A-C).
 *
 * Usage: kvm_set_vmx_state(1); vcpu = kvm_create_vmx_vcpu(fn, 1);
 * kvm_vmx_vmrun(vcpu); kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) ==
 * VMX_EXIT_HLT and vcpu->regs.rax holds fn's return value.
 */
#ifndef KVM_X86_VMX_H_
#define KVM_X86_VMX_H_

#ifndef __x86_64__
# error "kvm_x86_vmx.h: the VMX helpers are 64-bit mode only; a 32-bit payload (KVMKIT_GUEST_MODE(32) or (32pae)) cannot use them"
#endif

/* Offset vmx_vmlaunch.S needs, asserted against the struct below (those
 * of struct kvm_regs64 are in lib/guest/x86_64/regs64.h) */
#define KVM_VMX_VCPU_REGS	0x08

/* CPUID 1 (CPUID_GET_MODEL_INFO): ECX feature flags */
#define CPUID_MODEL_VMX		(1 << 5)
#define CPUID_MODEL_SMX		(1 << 6)

/* VMX capability MSRs (SDM Appendix A) */
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_PINX_MASK		0x481
#define MSR_IA32_VMX_EXECCTL_MASK	0x482
#define MSR_IA32_VMX_EXITCTL_MASK	0x483
#define MSR_IA32_VMX_ENTRYCTL_MASK	0x484
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_EXECCTL2_MASK	0x48b
#define MSR_IA32_VMX_PINX_MASK2		0x48d	/* the IA32_VMX_TRUE_* set */
#define MSR_IA32_VMX_EXECCTL_MASK2	0x48e
#define MSR_IA32_VMX_EXITCTL_MASK2	0x48f
#define MSR_IA32_VMX_ENTRYCTL_MASK2	0x490
#define MSR_IA32_VMX_EXECCTL3_MASK	0x492

/* kvm_vmx_read_vmctl_mask() selectors */
#define VMX_CTLMASK_PINX	0
#define VMX_CTLMASK_EXECCTL	1
#define VMX_CTLMASK_EXECCTL2	2
#define VMX_CTLMASK_EXECCTL3	3
#define VMX_CTLMASK_EXITCTL	4
#define VMX_CTLMASK_ENTRYCTL	5
#define VMX_CTLMASK_MAX		6

/* MSR_IA32_FEATURE_CONTROL bits */
#define IA32FC_LOCK		(1 << 0)
#define IA32FC_VMXON_SMX	(1 << 1)
#define IA32FC_VMXON_NORMAL	(1 << 2)

/* IA32_VMX_BASIC bit 55: the TRUE_* control MSRs exist and are exact */
#define IA32_VMXBASIC_USELESS_CTL_MASKS	(1ULL << 55)

/* 16-bit fields */
#define VMX_VMCS_GUEST_ES	0x800
#define VMX_VMCS_GUEST_CS	0x802
#define VMX_VMCS_GUEST_SS	0x804
#define VMX_VMCS_GUEST_DS	0x806
#define VMX_VMCS_GUEST_FS	0x808
#define VMX_VMCS_GUEST_GS	0x80a
#define VMX_VMCS_GUEST_LDTR	0x80c
#define VMX_VMCS_GUEST_TR	0x80e
#define VMX_VMCS_GUEST_INTR	0x810	/* guest interrupt status */
#define VMX_VMCS_HOST_ES	0xc00
#define VMX_VMCS_HOST_CS	0xc02
#define VMX_VMCS_HOST_SS	0xc04
#define VMX_VMCS_HOST_DS	0xc06
#define VMX_VMCS_HOST_FS	0xc08
#define VMX_VMCS_HOST_GS	0xc0a
#define VMX_VMCS_HOST_TR	0xc0c

/* 64-bit fields */
#define VMX_VMCS_MSR_BITMAP_POINTER	0x2004
#define VMX_VMCS_VIRT_APIC_POINTER	0x2012
#define VMX_VMCS_VIRT_APIC_BASE		0x2014	/* APIC-access address */
#define VMX_VMCS_LINK_POINTER		0x2800
#define VMX_VMCS_GUEST_DEBUGCTL		0x2802

/* 32-bit control fields */
#define VMX_VMCS_VMPINX_CTL		0x4000
#define VMX_VMCS_VMEXEC_CTL		0x4002
#define VMX_VMCS_EXCEPTION_BITMAP	0x4004
#define VMX_VMCS_PF_ERRCODE_MASK	0x4006
#define VMX_VMCS_PF_ERRCODE_MATCH	0x4008
#define VMX_VMCS_CR3_TARGET_COUNT	0x400a
#define VMX_VMCS_VMEXIT_CTL		0x400c
#define VMX_VMCS_VMEXIT_MSR_STORE	0x400e	/* counts */
#define VMX_VMCS_VMEXIT_MSR_LOAD	0x4010
#define VMX_VMCS_VMENTRY_CTL		0x4012
#define VMX_VMCS_VMENTRY_MSR_LOAD	0x4014
#define VMX_VMCS_VMENTRY_INTR		0x4016
#define VMX_VMCS_VMENTRY_EXC		0x4018
#define VMX_VMCS_VMENTRY_INST_LEN	0x401a
#define VMX_VMCS_TPR_THRESHOLD		0x401c
#define VMX_VMCS_VMEXEC_CTL2		0x401e

/* 32-bit read-only data fields */
#define VMX_VMCS_VMINST_ERROR		0x4400
#define VMX_VMCS_EXIT_REASON		0x4402
#define VMX_VMCS_VMEXIT_INTR_INFO	0x4404
#define VMX_VMCS_VMEXIT_INTR_ERRNO	0x4406
#define VMX_VMCS_IDTVEC_INFO		0x4408
#define VMX_VMCS_IDTVEC_ERRNO		0x440a
#define VMX_VMCS_VMEXIT_INST_LEN	0x440c
#define VMX_VMCS_VMEXIT_INST_INFO	0x440e

/* 32-bit guest and host state fields */
#define VMX_VMCS_GUEST_ES_LIMIT		0x4800
#define VMX_VMCS_GUEST_CS_LIMIT		0x4802
#define VMX_VMCS_GUEST_SS_LIMIT		0x4804
#define VMX_VMCS_GUEST_DS_LIMIT		0x4806
#define VMX_VMCS_GUEST_FS_LIMIT		0x4808
#define VMX_VMCS_GUEST_GS_LIMIT		0x480a
#define VMX_VMCS_GUEST_LDTR_LIMIT	0x480c
#define VMX_VMCS_GUEST_TR_LIMIT		0x480e
#define VMX_VMCS_GUEST_GDTR_LIMIT	0x4810
#define VMX_VMCS_GUEST_IDTR_LIMIT	0x4812
#define VMX_VMCS_GUEST_ES_ACCESS	0x4814
#define VMX_VMCS_GUEST_CS_ACCESS	0x4816
#define VMX_VMCS_GUEST_SS_ACCESS	0x4818
#define VMX_VMCS_GUEST_DS_ACCESS	0x481a
#define VMX_VMCS_GUEST_FS_ACCESS	0x481c
#define VMX_VMCS_GUEST_GS_ACCESS	0x481e
#define VMX_VMCS_GUEST_LDTR_ACCESS	0x4820
#define VMX_VMCS_GUEST_TR_ACCESS	0x4822
#define VMX_VMCS_GUEST_INTR_STATE	0x4824
#define VMX_VMCS_GUEST_ACT_STATE	0x4826
#define VMX_VMCS_GUEST_SMBASE		0x4828
#define VMX_VMCS_GUEST_SYSENTER_CS	0x482a
#define VMX_VMCS_HOST_SYSENTER_CS	0x4c00

/* Natural-width fields */
#define VMX_VMCS_CR0_GUEST_HOST_MASK	0x6000
#define VMX_VMCS_CR4_GUEST_HOST_MASK	0x6002
#define VMX_VMCS_CR0_READ_SHADOW	0x6004
#define VMX_VMCS_CR4_READ_SHADOW	0x6006
#define VMX_VMCS_EXIT_QUALIFICATION	0x6400
#define VMX_VMCS_GUEST_CR0		0x6800
#define VMX_VMCS_GUEST_CR3		0x6802
#define VMX_VMCS_GUEST_CR4		0x6804
#define VMX_VMCS_GUEST_ES_BASE		0x6806
#define VMX_VMCS_GUEST_CS_BASE		0x6808
#define VMX_VMCS_GUEST_SS_BASE		0x680a
#define VMX_VMCS_GUEST_DS_BASE		0x680c
#define VMX_VMCS_GUEST_FS_BASE		0x680e
#define VMX_VMCS_GUEST_GS_BASE		0x6810
#define VMX_VMCS_GUEST_LDTR_BASE	0x6812
#define VMX_VMCS_GUEST_TR_BASE		0x6814
#define VMX_VMCS_GUEST_GDTR_BASE	0x6816
#define VMX_VMCS_GUEST_IDTR_BASE	0x6818
#define VMX_VMCS_GUEST_DR7		0x681a
#define VMX_VMCS_GUEST_RSP		0x681c
#define VMX_VMCS_GUEST_RIP		0x681e
#define VMX_VMCS_GUEST_RFLAGS		0x6820
#define VMX_VMCS_GUEST_DEBUG_EXC	0x6822
#define VMX_VMCS_GUEST_SYSENTER_ESP	0x6824
#define VMX_VMCS_GUEST_SYSENTER_EIP	0x6826
#define VMX_VMCS_HOST_CR0		0x6c00
#define VMX_VMCS_HOST_CR3		0x6c02
#define VMX_VMCS_HOST_CR4		0x6c04
#define VMX_VMCS_HOST_FS_BASE		0x6c06
#define VMX_VMCS_HOST_GS_BASE		0x6c08
#define VMX_VMCS_HOST_TR_BASE		0x6c0a
#define VMX_VMCS_HOST_GDTR_BASE		0x6c0c
#define VMX_VMCS_HOST_IDTR_BASE		0x6c0e
#define VMX_VMCS_HOST_SYSENTER_ESP	0x6c10
#define VMX_VMCS_HOST_SYSENTER_EIP	0x6c12
#define VMX_VMCS_HOST_RSP		0x6c14
#define VMX_VMCS_HOST_RIP		0x6c16

/* Primary processor-based execution controls */
#define VMX_INTERCEPT_HLT		(1 << 7)
#define VMX_EXECCTL_ENABLE_CTL3		(1 << 17)
#define VMX_EXECCTL_TPR_SHADOW		(1 << 21)
#define VMX_EXECCTL_MSR_BITMAP		(1 << 28)
#define VMX_EXECCTL_ENABLE_CTL2		(1U << 31)

/* Secondary processor-based execution controls */
#define VMX_EXECCTL2_VIRT_APIC		(1 << 0)
#define VMX_EXECCTL2_VIRT_X2APIC	(1 << 4)
#define VMX_EXECCTL2_VIRT_APIC_REG	(1 << 8)
#define VMX_EXECCTL2_VIRT_INTR		(1 << 9)
#define VMX_EXECCTL2_SHADOW_VMCS	(1 << 14)

/* VM-exit and VM-entry controls */
#define VMX_EXITCTL_SAVE_DR		(1 << 2)
#define VMX_EXITCTL_X64			(1 << 9)	/* host address-space size */
#define VMX_ENTRYCTL_LOAD_DR		(1 << 2)
#define VMX_ENTRYCTL_X64		(1 << 9)	/* IA-32e mode guest */

/* kvm_vmcs.version bit 31: this is a shadow VMCS */
#define VMX_SHADOW_VMCS			0x80000000

/* Field encoding: bits 14:13 give the width, 0x2000 = 64 bits */
#define VMX_VMCSFIELD_64BIT		0x2000
#define VMX_VMCSFIELD_SIZE_MASK		0x6000

/*
 * Every field encoding above, checked against Intel SDM Vol. 3D Appendix
 * B "Field Encoding in VMCS" (Tables B-1 to B-14: width, type and index
 * of each field) through the encoding rules of Vol. 3C 25.11.2 "VMREAD,
 * VMWRITE, and Encodings of VMCS Fields": bit 0 access type (0 full),
 * bits 9:1 index, bits 11:10 type (0 control, 1 VM-exit information, 2
 * guest state, 3 host state), bits 14:13 width (0 16-bit, 1 64-bit,
 * 2 32-bit, 3 natural width).
 */
#define KVM_VMCS_16BIT		0
#define KVM_VMCS_64BIT		1
#define KVM_VMCS_32BIT		2
#define KVM_VMCS_NATURAL	3
#define KVM_VMCS_CONTROL	0
#define KVM_VMCS_EXITINFO	1
#define KVM_VMCS_GUEST		2
#define KVM_VMCS_HOST		3
#define KVM_VMCS_ENCODING(width, type, index) \
	((KVM_VMCS_##width) << 13 | (KVM_VMCS_##type) << 10 | (index) << 1)
#ifndef __ASSEMBLER__
#define KVM_VMCS_ASSERT(field, width, type, index)			\
	_Static_assert(VMX_VMCS_##field ==				\
		       KVM_VMCS_ENCODING(width, type, index),		\
		       "VMCS field " #field " is not SDM Appendix B's "	\
		       #width " " #type " index " #index)

KVM_VMCS_ASSERT(GUEST_ES, 16BIT, GUEST, 0);
KVM_VMCS_ASSERT(GUEST_CS, 16BIT, GUEST, 1);
KVM_VMCS_ASSERT(GUEST_SS, 16BIT, GUEST, 2);
KVM_VMCS_ASSERT(GUEST_DS, 16BIT, GUEST, 3);
KVM_VMCS_ASSERT(GUEST_FS, 16BIT, GUEST, 4);
KVM_VMCS_ASSERT(GUEST_GS, 16BIT, GUEST, 5);
KVM_VMCS_ASSERT(GUEST_LDTR, 16BIT, GUEST, 6);
KVM_VMCS_ASSERT(GUEST_TR, 16BIT, GUEST, 7);
KVM_VMCS_ASSERT(GUEST_INTR, 16BIT, GUEST, 8);
KVM_VMCS_ASSERT(HOST_ES, 16BIT, HOST, 0);
KVM_VMCS_ASSERT(HOST_CS, 16BIT, HOST, 1);
KVM_VMCS_ASSERT(HOST_SS, 16BIT, HOST, 2);
KVM_VMCS_ASSERT(HOST_DS, 16BIT, HOST, 3);
KVM_VMCS_ASSERT(HOST_FS, 16BIT, HOST, 4);
KVM_VMCS_ASSERT(HOST_GS, 16BIT, HOST, 5);
KVM_VMCS_ASSERT(HOST_TR, 16BIT, HOST, 6);
KVM_VMCS_ASSERT(MSR_BITMAP_POINTER, 64BIT, CONTROL, 2);
KVM_VMCS_ASSERT(VIRT_APIC_POINTER, 64BIT, CONTROL, 9);
KVM_VMCS_ASSERT(VIRT_APIC_BASE, 64BIT, CONTROL, 10);
KVM_VMCS_ASSERT(LINK_POINTER, 64BIT, GUEST, 0);
KVM_VMCS_ASSERT(GUEST_DEBUGCTL, 64BIT, GUEST, 1);
KVM_VMCS_ASSERT(VMPINX_CTL, 32BIT, CONTROL, 0);
KVM_VMCS_ASSERT(VMEXEC_CTL, 32BIT, CONTROL, 1);
KVM_VMCS_ASSERT(EXCEPTION_BITMAP, 32BIT, CONTROL, 2);
KVM_VMCS_ASSERT(PF_ERRCODE_MASK, 32BIT, CONTROL, 3);
KVM_VMCS_ASSERT(PF_ERRCODE_MATCH, 32BIT, CONTROL, 4);
KVM_VMCS_ASSERT(CR3_TARGET_COUNT, 32BIT, CONTROL, 5);
KVM_VMCS_ASSERT(VMEXIT_CTL, 32BIT, CONTROL, 6);
KVM_VMCS_ASSERT(VMEXIT_MSR_STORE, 32BIT, CONTROL, 7);
KVM_VMCS_ASSERT(VMEXIT_MSR_LOAD, 32BIT, CONTROL, 8);
KVM_VMCS_ASSERT(VMENTRY_CTL, 32BIT, CONTROL, 9);
KVM_VMCS_ASSERT(VMENTRY_MSR_LOAD, 32BIT, CONTROL, 10);
KVM_VMCS_ASSERT(VMENTRY_INTR, 32BIT, CONTROL, 11);
KVM_VMCS_ASSERT(VMENTRY_EXC, 32BIT, CONTROL, 12);
KVM_VMCS_ASSERT(VMENTRY_INST_LEN, 32BIT, CONTROL, 13);
KVM_VMCS_ASSERT(TPR_THRESHOLD, 32BIT, CONTROL, 14);
KVM_VMCS_ASSERT(VMEXEC_CTL2, 32BIT, CONTROL, 15);
KVM_VMCS_ASSERT(VMINST_ERROR, 32BIT, EXITINFO, 0);
KVM_VMCS_ASSERT(EXIT_REASON, 32BIT, EXITINFO, 1);
KVM_VMCS_ASSERT(VMEXIT_INTR_INFO, 32BIT, EXITINFO, 2);
KVM_VMCS_ASSERT(VMEXIT_INTR_ERRNO, 32BIT, EXITINFO, 3);
KVM_VMCS_ASSERT(IDTVEC_INFO, 32BIT, EXITINFO, 4);
KVM_VMCS_ASSERT(IDTVEC_ERRNO, 32BIT, EXITINFO, 5);
KVM_VMCS_ASSERT(VMEXIT_INST_LEN, 32BIT, EXITINFO, 6);
KVM_VMCS_ASSERT(VMEXIT_INST_INFO, 32BIT, EXITINFO, 7);
KVM_VMCS_ASSERT(GUEST_ES_LIMIT, 32BIT, GUEST, 0);
KVM_VMCS_ASSERT(GUEST_CS_LIMIT, 32BIT, GUEST, 1);
KVM_VMCS_ASSERT(GUEST_SS_LIMIT, 32BIT, GUEST, 2);
KVM_VMCS_ASSERT(GUEST_DS_LIMIT, 32BIT, GUEST, 3);
KVM_VMCS_ASSERT(GUEST_FS_LIMIT, 32BIT, GUEST, 4);
KVM_VMCS_ASSERT(GUEST_GS_LIMIT, 32BIT, GUEST, 5);
KVM_VMCS_ASSERT(GUEST_LDTR_LIMIT, 32BIT, GUEST, 6);
KVM_VMCS_ASSERT(GUEST_TR_LIMIT, 32BIT, GUEST, 7);
KVM_VMCS_ASSERT(GUEST_GDTR_LIMIT, 32BIT, GUEST, 8);
KVM_VMCS_ASSERT(GUEST_IDTR_LIMIT, 32BIT, GUEST, 9);
KVM_VMCS_ASSERT(GUEST_ES_ACCESS, 32BIT, GUEST, 10);
KVM_VMCS_ASSERT(GUEST_CS_ACCESS, 32BIT, GUEST, 11);
KVM_VMCS_ASSERT(GUEST_SS_ACCESS, 32BIT, GUEST, 12);
KVM_VMCS_ASSERT(GUEST_DS_ACCESS, 32BIT, GUEST, 13);
KVM_VMCS_ASSERT(GUEST_FS_ACCESS, 32BIT, GUEST, 14);
KVM_VMCS_ASSERT(GUEST_GS_ACCESS, 32BIT, GUEST, 15);
KVM_VMCS_ASSERT(GUEST_LDTR_ACCESS, 32BIT, GUEST, 16);
KVM_VMCS_ASSERT(GUEST_TR_ACCESS, 32BIT, GUEST, 17);
KVM_VMCS_ASSERT(GUEST_INTR_STATE, 32BIT, GUEST, 18);
KVM_VMCS_ASSERT(GUEST_ACT_STATE, 32BIT, GUEST, 19);
KVM_VMCS_ASSERT(GUEST_SMBASE, 32BIT, GUEST, 20);
KVM_VMCS_ASSERT(GUEST_SYSENTER_CS, 32BIT, GUEST, 21);
KVM_VMCS_ASSERT(HOST_SYSENTER_CS, 32BIT, HOST, 0);
KVM_VMCS_ASSERT(CR0_GUEST_HOST_MASK, NATURAL, CONTROL, 0);
KVM_VMCS_ASSERT(CR4_GUEST_HOST_MASK, NATURAL, CONTROL, 1);
KVM_VMCS_ASSERT(CR0_READ_SHADOW, NATURAL, CONTROL, 2);
KVM_VMCS_ASSERT(CR4_READ_SHADOW, NATURAL, CONTROL, 3);
KVM_VMCS_ASSERT(EXIT_QUALIFICATION, NATURAL, EXITINFO, 0);
KVM_VMCS_ASSERT(GUEST_CR0, NATURAL, GUEST, 0);
KVM_VMCS_ASSERT(GUEST_CR3, NATURAL, GUEST, 1);
KVM_VMCS_ASSERT(GUEST_CR4, NATURAL, GUEST, 2);
KVM_VMCS_ASSERT(GUEST_ES_BASE, NATURAL, GUEST, 3);
KVM_VMCS_ASSERT(GUEST_CS_BASE, NATURAL, GUEST, 4);
KVM_VMCS_ASSERT(GUEST_SS_BASE, NATURAL, GUEST, 5);
KVM_VMCS_ASSERT(GUEST_DS_BASE, NATURAL, GUEST, 6);
KVM_VMCS_ASSERT(GUEST_FS_BASE, NATURAL, GUEST, 7);
KVM_VMCS_ASSERT(GUEST_GS_BASE, NATURAL, GUEST, 8);
KVM_VMCS_ASSERT(GUEST_LDTR_BASE, NATURAL, GUEST, 9);
KVM_VMCS_ASSERT(GUEST_TR_BASE, NATURAL, GUEST, 10);
KVM_VMCS_ASSERT(GUEST_GDTR_BASE, NATURAL, GUEST, 11);
KVM_VMCS_ASSERT(GUEST_IDTR_BASE, NATURAL, GUEST, 12);
KVM_VMCS_ASSERT(GUEST_DR7, NATURAL, GUEST, 13);
KVM_VMCS_ASSERT(GUEST_RSP, NATURAL, GUEST, 14);
KVM_VMCS_ASSERT(GUEST_RIP, NATURAL, GUEST, 15);
KVM_VMCS_ASSERT(GUEST_RFLAGS, NATURAL, GUEST, 16);
KVM_VMCS_ASSERT(GUEST_DEBUG_EXC, NATURAL, GUEST, 17);
KVM_VMCS_ASSERT(GUEST_SYSENTER_ESP, NATURAL, GUEST, 18);
KVM_VMCS_ASSERT(GUEST_SYSENTER_EIP, NATURAL, GUEST, 19);
KVM_VMCS_ASSERT(HOST_CR0, NATURAL, HOST, 0);
KVM_VMCS_ASSERT(HOST_CR3, NATURAL, HOST, 1);
KVM_VMCS_ASSERT(HOST_CR4, NATURAL, HOST, 2);
KVM_VMCS_ASSERT(HOST_FS_BASE, NATURAL, HOST, 3);
KVM_VMCS_ASSERT(HOST_GS_BASE, NATURAL, HOST, 4);
KVM_VMCS_ASSERT(HOST_TR_BASE, NATURAL, HOST, 5);
KVM_VMCS_ASSERT(HOST_GDTR_BASE, NATURAL, HOST, 6);
KVM_VMCS_ASSERT(HOST_IDTR_BASE, NATURAL, HOST, 7);
KVM_VMCS_ASSERT(HOST_SYSENTER_ESP, NATURAL, HOST, 8);
KVM_VMCS_ASSERT(HOST_SYSENTER_EIP, NATURAL, HOST, 9);
KVM_VMCS_ASSERT(HOST_RSP, NATURAL, HOST, 10);
KVM_VMCS_ASSERT(HOST_RIP, NATURAL, HOST, 11);
_Static_assert(VMX_VMCSFIELD_64BIT == KVM_VMCS_ENCODING(64BIT, CONTROL, 0) &&
	       VMX_VMCSFIELD_SIZE_MASK == 3 << 13, "VMCS width bits 14:13");
#endif /* __ASSEMBLER__ */

/* VMPTRST result when there is no current VMCS, and the link pointer
 * value meaning "no shadow VMCS" */
#define VMX_INVALID_VMCS		0xffffffffffffffffULL

/* Basic exit reasons (SDM Appendix C) */
#define VMX_EXIT_HLT			12
#define VMX_EXIT_RDMSR			31
#define VMX_EXIT_FAILED_ENTRY		0x80000000	/* flag bit */

#ifndef __ASSEMBLER__

#include "kvm_x86.h"

/* A VMCS region: revision ID, abort indicator, opaque data */
struct kvm_vmcs {
	uint32_t version;
	uint32_t abort;
	uint8_t data[4088];
};

/*
 * A nested virtual CPU.  The VMCS holds RSP, RIP and RFLAGS; regs holds
 * every other GPR across VM entries and exits (regs.rsp is refreshed from
 * the VMCS after each exit, but entry always uses VMX_VMCS_GUEST_RSP).
 */
struct kvm_vmx_vcpu {
	struct kvm_vmcs *vmcs;
	struct kvm_regs64 regs;
	int launched;
};

_Static_assert(sizeof(struct kvm_vmcs) == 4096, "VMCS region is one page");
_Static_assert(__builtin_offsetof(struct kvm_vmx_vcpu, regs) ==
	KVM_VMX_VCPU_REGS, "vmx_vmlaunch.S vcpu layout");

/*
 * Detection and VMXON/VMXOFF.  kvm_set_vmx_state() ends the test with
 * TCONF when the virtual CPU has no VMX or the (virtual) firmware locked
 * it off.
 */
int kvm_is_vmx_supported(void);
void kvm_set_vmx_state(int enabled);

/* A zeroed, page-aligned VMCS carrying the CPU's revision ID */
struct kvm_vmcs *kvm_alloc_vmcs(void);

/* Copy GDT entry gdt_id into the given guest fields of the current VMCS;
 * a non-present entry becomes an unusable segment */
void kvm_vmcs_copy_gdt_descriptor(unsigned int gdt_id,
	unsigned long vmcs_selector, unsigned long vmcs_flags,
	unsigned long vmcs_limit, unsigned long vmcs_baseaddr);

/*
 * The capability MSR for one group of controls: bits 31:0 must be set,
 * bits 63:32 may be set.  Uses the TRUE_* MSRs when they exist, and
 * returns 0 for the secondary/tertiary groups the CPU cannot enable.
 */
uint64_t kvm_vmx_read_vmctl_mask(unsigned int ctl_id);

/*
 * (Re)initialise cpu->vmcs to run guest_main() on stack ss:rsp (ss is a
 * GDT index) with the current CPU's control registers, segments, GDT and
 * IDT.  HLT exits; the previously current VMCS stays current.
 */
void kvm_init_vmx_vcpu(struct kvm_vmx_vcpu *cpu, uint16_t ss, void *rsp,
	int (*guest_main)(void));
struct kvm_vmx_vcpu *kvm_create_vmx_vcpu(int (*guest_main)(void),
	int alloc_stack);

/* Make cpu->vmcs current and fill its host-state fields */
void kvm_vmx_activate_vcpu(struct kvm_vmx_vcpu *cpu);

/*
 * Enter the nested guest (VMLAUNCH the first time, VMRESUME after) and
 * return at its next VM exit; a failed entry is a TBROK.  The FPU/SSE
 * state is not switched; nested code must not call tst_res()/tst_brk().
 */
void kvm_vmx_vmrun(struct kvm_vmx_vcpu *cpu);

/* Thin wrappers; failures end the test with TBROK */
void kvm_vmx_vmclear(struct kvm_vmcs *buf);
void kvm_vmx_vmptrld(struct kvm_vmcs *buf);
uint64_t kvm_vmx_vmptrst(void);
uint64_t kvm_vmx_vmread(unsigned long var_id);
void kvm_vmx_vmwrite(unsigned long var_id, uint64_t value);

/* Raw entry: 0 after a VM exit, non-zero when the instruction failed */
int kvm_vmx_vmlaunch(struct kvm_vmx_vcpu *buf);
int kvm_vmx_vmresume(struct kvm_vmx_vcpu *buf);

/* VM-instruction error of the current VMCS, -1 if it cannot be read */
int kvm_vmx_inst_errno(void);
const char *kvm_vmx_inst_strerr(int vmx_errno);
const char *kvm_vmx_inst_err(void);

/* Entry point of nested guests: calls the function in RAX, then HLTs */
void kvm_vmx_guest_entry(void);

#endif /* __ASSEMBLER__ */
#endif /* KVM_X86_VMX_H_ */
