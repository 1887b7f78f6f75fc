// SPDX-License-Identifier: MIT
/*
 * Intel VMX helpers: detection, VMXON, VMCS access and the construction
 * of a nested guest that mirrors the current CPU state.  VM entry itself
 * is in vmx_vmlaunch.S.
 */
#include "kvm_test.h"
#include "kvm_x86_vmx.h"
#include "regs64.h"
#include "nested.h"

#define VMX_AR_UNUSABLE		0x10000	/* access rights bit 16 */
#define VMX_AR_ACCESSED		0x1	/* type bit 0 */

/* VM-instruction error numbers, SDM Vol. 3C section 31.4 */
static const char *const vmx_inst_errors[] = {
	[0] = "No error",
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "Invalid operand to INVEPT/INVVPID",
};

/* CR0/CR4 as VMX operation requires them: FIXED0 bits set, FIXED1 bits
 * the only ones allowed */
static unsigned long vmx_fix_cr0(unsigned long cr0)
{
	return (cr0 | kvm_rdmsr(MSR_IA32_VMX_CR0_FIXED0)) &
		kvm_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
}

static unsigned long vmx_fix_cr4(unsigned long cr4)
{
	return (cr4 | kvm_rdmsr(MSR_IA32_VMX_CR4_FIXED0)) &
		kvm_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
}

/*
 * Every VMX instruction reports failure through CF (VMfailInvalid) or
 * ZF (VMfailValid); "jna" catches both.  These return 0 or -1 and leave
 * the reporting to the callers.
 */
#define VMX_PTR_INSN(name)						\
static int vmx_##name(uint64_t pa)					\
{									\
	asm goto(#name " %0\n\tjna %l[fail]"				\
		: : "m" (pa) : "cc", "memory" : fail);			\
	return 0;							\
fail:									\
	return -1;							\
}

VMX_PTR_INSN(vmxon)
VMX_PTR_INSN(vmclear)
VMX_PTR_INSN(vmptrld)

static int vmx_try_vmread(unsigned long field, uint64_t *val)
{
	asm goto("vmread %1, %0\n\tjna %l[fail]"
		: : "m" (*val), "r" (field) : "cc", "memory" : fail);
	return 0;
fail:
	return -1;
}

int kvm_is_vmx_supported(void)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(CPUID_GET_MODEL_INFO, 0, &buf);
	return !!(buf.ecx & CPUID_MODEL_VMX);
}

struct kvm_vmcs *kvm_alloc_vmcs(void)
{
	struct kvm_vmcs *vmcs;

	vmcs = tst_heap_alloc_aligned(sizeof(*vmcs), PAGESIZE);
	memset(vmcs, 0, sizeof(*vmcs));
	/* Bits 30:0 of IA32_VMX_BASIC; bit 31 is always 0 there */
	vmcs->version = (uint32_t)kvm_rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff;
	return vmcs;
}

/*
 * VMXON outside SMX needs IA32_FEATURE_CONTROL locked with bit 2 set.
 * Firmware normally does that; if it locked the MSR with VMX off there is
 * nothing a guest can do but skip.
 */
static void vmx_enable_feature_control(void)
{
	uint64_t fc = kvm_rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (fc & IA32FC_LOCK) {
		if (!(fc & IA32FC_VMXON_NORMAL))
			tst_brk(TCONF, "VMX is supported but disabled");
		return;
	}

	kvm_wrmsr(MSR_IA32_FEATURE_CONTROL,
		fc | IA32FC_LOCK | IA32FC_VMXON_NORMAL);
}

void kvm_set_vmx_state(int enabled)
{
	static struct kvm_vmcs *vmxon_region;
	static int vmx_on;

	/* CPUID first: the VMX MSRs do not exist (#GP) without VMX */
	if (!kvm_is_vmx_supported())
		tst_brk(TCONF, "CPU does not support VMX");

	if (!enabled) {
		if (!vmx_on)
			return;

		asm goto("vmxoff\n\tjna %l[fail]" : : : "cc" : fail);
		vmx_on = 0;
		kvm_set_cr4(kvm_read_cr4() & ~(unsigned long)CR4_VMXE);
		return;
	}

	if (vmx_on)
		return;

	vmx_enable_feature_control();
	kvm_set_cr0(vmx_fix_cr0(kvm_read_cr0()));
	kvm_set_cr4(vmx_fix_cr4(kvm_read_cr4() | CR4_VMXE));

	if (!vmxon_region)
		vmxon_region = kvm_alloc_vmcs();

	if (vmx_vmxon((uintptr_t)vmxon_region))
		tst_brk(TBROK, "VMXON(%p) failed", (void *)vmxon_region);

	vmx_on = 1;
	return;

fail:
	tst_brk(TBROK, "VMXOFF failed");
}

void kvm_vmx_vmclear(struct kvm_vmcs *buf)
{
	if (vmx_vmclear((uintptr_t)buf))
		tst_brk(TBROK, "VMCLEAR(%p) failed", (void *)buf);
}

void kvm_vmx_vmptrld(struct kvm_vmcs *buf)
{
	if (vmx_vmptrld((uintptr_t)buf))
		tst_brk(TBROK, "VMPTRLD(%p) failed: %s", (void *)buf,
			kvm_vmx_inst_err());
}

uint64_t kvm_vmx_vmptrst(void)
{
	uint64_t pa;

	asm volatile("vmptrst %0" : "=m" (pa) : : "cc");
	return pa;
}

uint64_t kvm_vmx_vmread(unsigned long var_id)
{
	uint64_t val = 0;

	if (vmx_try_vmread(var_id, &val))
		tst_brk(TBROK, "VMREAD(0x%lx) failed: %s", var_id,
			kvm_vmx_inst_err());

	return val;
}

void kvm_vmx_vmwrite(unsigned long var_id, uint64_t value)
{
	asm goto("vmwrite %0, %1\n\tjna %l[fail]"
		: : "r" ((unsigned long)value), "r" (var_id) : "cc" : fail);
	return;

fail:
	tst_brk(TBROK, "VMWRITE(0x%lx, 0x%llx) failed: %s", var_id,
		(unsigned long long)value, kvm_vmx_inst_err());
}

int kvm_vmx_inst_errno(void)
{
	uint64_t val = 0;

	if (vmx_try_vmread(VMX_VMCS_VMINST_ERROR, &val))
		return -1;

	return (int)val;
}

const char *kvm_vmx_inst_strerr(int vmx_errno)
{
	if (vmx_errno < 0)
		return "Cannot read VM-instruction error (no current VMCS?)";

	if ((unsigned int)vmx_errno >= ARRAY_SIZE(vmx_inst_errors) ||
		!vmx_inst_errors[vmx_errno])
		return "Unknown error";

	return vmx_inst_errors[vmx_errno];
}

const char *kvm_vmx_inst_err(void)
{
	return kvm_vmx_inst_strerr(kvm_vmx_inst_errno());
}

uint64_t kvm_vmx_read_vmctl_mask(unsigned int ctl_id)
{
	/* The TRUE_* MSR for the groups that have one, when it exists */
	static const unsigned int msrs[VMX_CTLMASK_MAX][2] = {
		[VMX_CTLMASK_PINX] = {MSR_IA32_VMX_PINX_MASK,
			MSR_IA32_VMX_PINX_MASK2},
		[VMX_CTLMASK_EXECCTL] = {MSR_IA32_VMX_EXECCTL_MASK,
			MSR_IA32_VMX_EXECCTL_MASK2},
		[VMX_CTLMASK_EXECCTL2] = {MSR_IA32_VMX_EXECCTL2_MASK,
			MSR_IA32_VMX_EXECCTL2_MASK},
		[VMX_CTLMASK_EXECCTL3] = {MSR_IA32_VMX_EXECCTL3_MASK,
			MSR_IA32_VMX_EXECCTL3_MASK},
		[VMX_CTLMASK_EXITCTL] = {MSR_IA32_VMX_EXITCTL_MASK,
			MSR_IA32_VMX_EXITCTL_MASK2},
		[VMX_CTLMASK_ENTRYCTL] = {MSR_IA32_VMX_ENTRYCTL_MASK,
			MSR_IA32_VMX_ENTRYCTL_MASK2},
	};
	int use_true;
	uint64_t exec;

	if (ctl_id >= VMX_CTLMASK_MAX)
		tst_brk(TBROK, "Invalid VMX control mask ID %u", ctl_id);

	/*
	 * The secondary and tertiary capability MSRs exist only when the
	 * primary controls may activate them; reading them otherwise #GPs.
	 */
	if (ctl_id == VMX_CTLMASK_EXECCTL2 || ctl_id == VMX_CTLMASK_EXECCTL3) {
		exec = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL) >> 32;

		if (ctl_id == VMX_CTLMASK_EXECCTL2 &&
			!(exec & VMX_EXECCTL_ENABLE_CTL2))
			return 0;

		if (ctl_id == VMX_CTLMASK_EXECCTL3 &&
			!(exec & VMX_EXECCTL_ENABLE_CTL3))
			return 0;
	}

	use_true = !!(kvm_rdmsr(MSR_IA32_VMX_BASIC) &
		IA32_VMXBASIC_USELESS_CTL_MASKS);
	return kvm_rdmsr(msrs[ctl_id][use_true]);
}

void kvm_vmcs_copy_gdt_descriptor(unsigned int gdt_id,
	unsigned long vmcs_selector, unsigned long vmcs_flags,
	unsigned long vmcs_limit, unsigned long vmcs_baseaddr)
{
	uint64_t base;
	uint32_t limit, ar;
	unsigned int flags;

	if (!kvmkit_nested_segment(gdt_id, &base, &limit, &flags)) {
		/* Null selector: VM entry ignores the rest of an unusable
		 * segment */
		gdt_id = 0;
		base = 0;
		limit = 0;
		ar = VMX_AR_UNUSABLE;
	} else {
		/*
		 * VMX access rights keep descriptor bits 47:40 in 7:0 and
		 * bits 55:52 in 15:12.  VM entry wants the accessed bit set
		 * in every usable code/data segment (busy TSS types have it
		 * already).
		 */
		ar = (flags & 0xff) | ((flags & 0xf00) << 4) | VMX_AR_ACCESSED;
	}

	kvm_vmx_vmwrite(vmcs_selector, gdt_id << 3);
	kvm_vmx_vmwrite(vmcs_flags, ar);
	kvm_vmx_vmwrite(vmcs_limit, limit);
	kvm_vmx_vmwrite(vmcs_baseaddr, base);
}

/* Required-1 bits of a control group plus `want`, limited to what the
 * CPU allows */
static uint32_t vmx_ctl_value(unsigned int ctl_id, uint32_t want)
{
	uint64_t mask = kvm_vmx_read_vmctl_mask(ctl_id);

	return ((uint32_t)mask | want) & (uint32_t)(mask >> 32);
}

#define VMX_COPY_SEGMENT(id, seg)					\
	kvm_vmcs_copy_gdt_descriptor((id), VMX_VMCS_GUEST_##seg,	\
		VMX_VMCS_GUEST_##seg##_ACCESS, VMX_VMCS_GUEST_##seg##_LIMIT, \
		VMX_VMCS_GUEST_##seg##_BASE)

static void vmx_init_guest_state(uint16_t ss, void *rsp)
{
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;

	kvm_read_cregs(&cregs);
	kvm_read_sregs(&sregs);

	VMX_COPY_SEGMENT(sregs.es >> 3, ES);
	VMX_COPY_SEGMENT(sregs.cs >> 3, CS);
	VMX_COPY_SEGMENT(ss, SS);
	VMX_COPY_SEGMENT(sregs.ds >> 3, DS);
	VMX_COPY_SEGMENT(sregs.fs >> 3, FS);
	VMX_COPY_SEGMENT(sregs.gs >> 3, GS);
	VMX_COPY_SEGMENT(sregs.tr >> 3, TR);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_LDTR, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_LDTR_ACCESS, VMX_AR_UNUSABLE);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_LDTR_LIMIT, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_LDTR_BASE, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_GDTR_BASE, (uintptr_t)kvm_gdt);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_GDTR_LIMIT,
		KVM_GDT_SIZE * sizeof(struct segment_descriptor) - 1);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_IDTR_BASE, (uintptr_t)kvm_idt);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_IDTR_LIMIT,
		X86_INTR_COUNT * sizeof(struct intr_descriptor) - 1);

	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR0, vmx_fix_cr0(cregs.cr0));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR3, cregs.cr3);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR4, vmx_fix_cr4(cregs.cr4));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_DR7, 0x400);	/* reset value */
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_DEBUGCTL, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RSP, (uintptr_t)rsp);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RIP, (uintptr_t)kvm_vmx_guest_entry);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RFLAGS, 0x202);	/* IF set */
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_CS, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_ESP, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_EIP, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_INTR_STATE, 0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_ACT_STATE, 0);	/* active */
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_DEBUG_EXC, 0);
}

void kvm_init_vmx_vcpu(struct kvm_vmx_vcpu *cpu, uint16_t ss, void *rsp,
	int (*guest_main)(void))
{
	uint32_t entry = 0, exit = 0;
	uint64_t prev;

	/* VMCLEAR first: cpu->vmcs may be launched and even current */
	kvm_vmx_vmclear(cpu->vmcs);
	memset(&cpu->regs, 0, sizeof(cpu->regs));
	cpu->launched = 0;
	prev = kvm_vmx_vmptrst();
	kvm_vmx_vmptrld(cpu->vmcs);

	/* A 64-bit parent runs 64-bit nested guests and takes 64-bit exits */
	if (kvm_rdmsr(MSR_EFER) & EFER_LME) {
		entry |= VMX_ENTRYCTL_X64;
		exit |= VMX_EXITCTL_X64;
	}

	kvm_vmx_vmwrite(VMX_VMCS_VMPINX_CTL,
		vmx_ctl_value(VMX_CTLMASK_PINX, 0));
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL,
		vmx_ctl_value(VMX_CTLMASK_EXECCTL, VMX_INTERCEPT_HLT));
	kvm_vmx_vmwrite(VMX_VMCS_VMEXIT_CTL,
		vmx_ctl_value(VMX_CTLMASK_EXITCTL, exit));
	kvm_vmx_vmwrite(VMX_VMCS_VMENTRY_CTL,
		vmx_ctl_value(VMX_CTLMASK_ENTRYCTL, entry));
	kvm_vmx_vmwrite(VMX_VMCS_EXCEPTION_BITMAP, 0);
	kvm_vmx_vmwrite(VMX_VMCS_PF_ERRCODE_MASK, 0);
	kvm_vmx_vmwrite(VMX_VMCS_PF_ERRCODE_MATCH, 0);
	kvm_vmx_vmwrite(VMX_VMCS_CR3_TARGET_COUNT, 0);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXIT_MSR_STORE, 0);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXIT_MSR_LOAD, 0);
	kvm_vmx_vmwrite(VMX_VMCS_VMENTRY_MSR_LOAD, 0);
	kvm_vmx_vmwrite(VMX_VMCS_VMENTRY_INTR, 0);
	kvm_vmx_vmwrite(VMX_VMCS_CR0_GUEST_HOST_MASK, 0);
	kvm_vmx_vmwrite(VMX_VMCS_CR4_GUEST_HOST_MASK, 0);
	kvm_vmx_vmwrite(VMX_VMCS_LINK_POINTER, VMX_INVALID_VMCS);

	vmx_init_guest_state(ss, rsp);
	cpu->regs.rax = (uintptr_t)guest_main;

	if (prev != VMX_INVALID_VMCS)
		kvm_vmx_vmptrld((struct kvm_vmcs *)(uintptr_t)prev);
}

struct kvm_vmx_vcpu *kvm_create_vmx_vcpu(int (*guest_main)(void),
	int alloc_stack)
{
	struct kvm_vmx_vcpu *cpu;
	void *stack = NULL;
	uint16_t ss = 0;

	cpu = tst_heap_alloc(sizeof(*cpu));
	memset(cpu, 0, sizeof(*cpu));
	cpu->vmcs = kvm_alloc_vmcs();
	if (alloc_stack)
		stack = kvmkit_nested_alloc_stack(&ss);

	kvm_init_vmx_vcpu(cpu, ss, stack, guest_main);
	return cpu;
}

/* Base of the (16-byte, long mode) TSS descriptor behind selector tr */
static uint64_t vmx_tss_base(uint16_t tr)
{
	unsigned int id = tr >> 3;
	uint64_t base;
	uint32_t base_hi = 0;

	kvm_parse_segment_descriptor(kvm_gdt + id, &base, NULL, NULL);
	if (id + 1 < KVM_GDT_SIZE)
		memcpy(&base_hi, kvm_gdt + id + 1, sizeof(base_hi));

	return (base & 0xffffffff) | (uint64_t)base_hi << 32;
}

void kvm_vmx_activate_vcpu(struct kvm_vmx_vcpu *cpu)
{
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr, idtr;

	kvm_read_cregs(&cregs);
	kvm_read_sregs(&sregs);
	asm volatile("sgdt %0\n\tsidt %1" : "=m" (gdtr), "=m" (idtr));

	kvm_vmx_vmptrld(cpu->vmcs);

	/* Host selectors must have RPL 0 and TI 0 (SDM 26.2.3) */
	kvm_vmx_vmwrite(VMX_VMCS_HOST_ES, sregs.es & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CS, sregs.cs & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SS, sregs.ss & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_DS, sregs.ds & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_FS, sregs.fs & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GS, sregs.gs & ~7);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_TR, sregs.tr & ~7);

	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR0, cregs.cr0);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR3, cregs.cr3);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR4, cregs.cr4);
	/* In long mode the FS/GS bases live in MSRs, not in the GDT */
	kvm_vmx_vmwrite(VMX_VMCS_HOST_FS_BASE, kvm_rdmsr(MSR_FS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GS_BASE, kvm_rdmsr(MSR_GS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_TR_BASE, vmx_tss_base(sregs.tr));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GDTR_BASE, gdtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_IDTR_BASE, idtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_CS,
		kvm_rdmsr(MSR_SYSENTER_CS));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_ESP,
		kvm_rdmsr(MSR_SYSENTER_ESP));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_EIP,
		kvm_rdmsr(MSR_SYSENTER_EIP));
}

void kvm_vmx_vmrun(struct kvm_vmx_vcpu *cpu)
{
	uint64_t reason;
	int ret, err;

	kvm_vmx_activate_vcpu(cpu);

	if (cpu->launched) {
		ret = kvm_vmx_vmresume(cpu);
	} else {
		ret = kvm_vmx_vmlaunch(cpu);
		/* VMfail leaves the VMCS clear; any VM exit makes it launched */
		cpu->launched = !ret;
	}

	if (ret) {
		err = kvm_vmx_inst_errno();
		tst_brk(TBROK, "VMLAUNCH/VMRESUME failed: %s (%d)",
			kvm_vmx_inst_strerr(err), err);
	}

	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON);

	if (reason & VMX_EXIT_FAILED_ENTRY) {
		tst_brk(TBROK, "VM entry failed. Reason: %llu, qualif.: %llu",
			(unsigned long long)(reason & 0xffff),
			(unsigned long long)
			kvm_vmx_vmread(VMX_VMCS_EXIT_QUALIFICATION));
	}
}
