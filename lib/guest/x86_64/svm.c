// SPDX-License-Identifier: MIT
/*
 * AMD SVM helpers: detection, enabling, VMCB construction.  The VMRUN
 * itself lives in svm_vmrun.S because it has to own every register.
 */
#include "kvm_test.h"
#include "kvm_x86_svm.h"
#include "regs64.h"
#include "nested.h"

/*
 * Host-side buffer for VMSAVE/VMLOAD around VMRUN.  VMRUN itself only
 * saves part of the host state (into the MSR_VM_HSAVE_PA area, whose
 * format the APM leaves to the implementation); FS, GS, TR, LDTR and the
 * SYSCALL/SYSENTER MSRs must be saved by software, and this VMCB is where
 * kvm_svm_vmrun() keeps them.
 */
static struct kvm_vmcb *kvm_svm_host_save;

void kvm_svm_vmrun_raw(struct kvm_svm_vcpu *cpu, struct kvm_vmcb *host_save);

int kvm_is_svm_supported(void)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &buf);
	if (buf.eax < CPUID_GET_EXT_FEATURES)
		return 0;

	kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &buf);
	return !!(buf.ecx & SVM_CPUID_EXT_SVM);
}

int kvm_get_svm_state(void)
{
	/* EFER.SVME is architectural; reading EFER never faults in long mode */
	return !!(kvm_rdmsr(MSR_EFER) & EFER_SVME);
}

void kvm_set_svm_state(int enabled)
{
	uint64_t efer;

	/* CPUID first: MSR_VM_CR does not exist (#GP) without SVM */
	if (!kvm_is_svm_supported())
		tst_brk(TCONF, "CPU does not support SVM");

	if (kvm_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		tst_brk(TCONF, "SVM is supported but disabled");

	efer = kvm_rdmsr(MSR_EFER);
	efer = enabled ? efer | EFER_SVME : efer & ~(uint64_t)EFER_SVME;
	kvm_wrmsr(MSR_EFER, efer);
}

struct kvm_vmcb *kvm_alloc_vmcb(void)
{
	struct kvm_vmcb *vmcb;

	vmcb = tst_heap_alloc_aligned(sizeof(*vmcb), PAGESIZE);
	memset(vmcb, 0, sizeof(*vmcb));
	return vmcb;
}

void kvm_init_svm(void)
{
	kvm_set_svm_state(1);
	kvm_wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)kvm_alloc_vmcb());

	if (!kvm_svm_host_save)
		kvm_svm_host_save = kvm_alloc_vmcb();
}

void kvm_vmcb_copy_gdt_descriptor(struct kvm_vmcb_descriptor *dst,
	unsigned int gdt_id)
{
	uint64_t base;
	uint32_t limit;
	unsigned int flags;

	if (!kvmkit_nested_segment(gdt_id, &base, &limit, &flags)) {
		memset(dst, 0, sizeof(*dst));
		return;
	}

	dst->selector = gdt_id << 3;
	dst->attrib = flags;
	dst->limit = limit;
	dst->base = base;
}

void kvm_vmcb_set_intercept(struct kvm_vmcb *vmcb, unsigned int id,
	unsigned int state)
{
	uint8_t bit;

	if (id >= SVM_INTERCEPT_MAX)
		tst_brk(TBROK, "Invalid SVM intercept ID 0x%x", id);

	bit = 1 << (id % 8);
	if (state)
		vmcb->intercepts[id / 8] |= bit;
	else
		vmcb->intercepts[id / 8] &= ~bit;
}

void kvm_init_guest_vmcb(struct kvm_vmcb *vmcb, uint32_t asid, uint16_t ss,
	void *rsp, int (*guest_main)(void))
{
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;

	kvm_read_cregs(&cregs);
	kvm_read_sregs(&sregs);

	/* VMRUN refuses a VMCB that does not intercept VMRUN */
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMRUN, 1);
	/* The entry trampoline ends with HLT: that is the normal exit */
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_HLT, 1);
	vmcb->guest_asid = asid;

	kvm_vmcb_copy_gdt_descriptor(&vmcb->es, sregs.es >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->cs, sregs.cs >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->ss, ss);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->ds, sregs.ds >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->fs, sregs.fs >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->gs, sregs.gs >> 3);
	vmcb->gdtr.base = (uintptr_t)kvm_gdt;
	vmcb->gdtr.limit = KVM_GDT_SIZE * sizeof(struct segment_descriptor) - 1;
	vmcb->idtr.base = (uintptr_t)kvm_idt;
	vmcb->idtr.limit = X86_INTR_COUNT * sizeof(struct intr_descriptor) - 1;

	/* Includes EFER.SVME, which VMRUN requires in the guest too */
	vmcb->efer = kvm_rdmsr(MSR_EFER);
	vmcb->cr0 = cregs.cr0;
	vmcb->cr3 = cregs.cr3;
	vmcb->cr4 = cregs.cr4;
	vmcb->rip = (uintptr_t)kvm_svm_guest_entry;
	vmcb->rax = (uintptr_t)guest_main;
	vmcb->rsp = (uintptr_t)rsp;
	vmcb->rflags = 0x202;	/* IF set; bit 1 is reserved-as-one */
}

struct kvm_svm_vcpu *kvm_create_svm_vcpu(int (*guest_main)(void),
	int alloc_stack)
{
	struct kvm_svm_vcpu *cpu;
	void *stack = NULL;
	uint16_t ss = 0;

	cpu = tst_heap_alloc(sizeof(*cpu));
	memset(cpu, 0, sizeof(*cpu));
	cpu->vmcb = kvm_alloc_vmcb();
	if (alloc_stack)
		stack = kvmkit_nested_alloc_stack(&ss);

	kvm_init_guest_vmcb(cpu->vmcb, 1, ss, stack, guest_main);
	return cpu;
}

void kvm_svm_vmrun(struct kvm_svm_vcpu *cpu)
{
	/* Tests that enable SVM by hand never called kvm_init_svm() */
	if (!kvm_svm_host_save)
		kvm_svm_host_save = kvm_alloc_vmcb();

	kvm_svm_vmrun_raw(cpu, kvm_svm_host_save);
}

void kvm_svm_vmload(struct kvm_vmcb *buf)
{
	asm volatile("vmload %%rax" : : "a" (buf) : "memory");
}

void kvm_svm_vmsave(struct kvm_vmcb *buf)
{
	asm volatile("vmsave %%rax" : : "a" (buf) : "memory");
}

/* ---- Nested paging ----------------------------------------------------- */

#define NPT_ENTRIES	512

static uint64_t *npt_table(void)
{
	uint64_t *t = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);

	memset(t, 0, PAGESIZE);
	return t;
}

uint64_t *kvm_svm_npt_create(uint64_t size)
{
	uint64_t *pml4 = npt_table(), *pdpt = NULL, *pd = NULL;
	uint64_t gpa;

	for (gpa = 0; gpa < size; gpa += 1ULL << 21) {
		unsigned int i4 = (gpa >> 39) & 511, i3 = (gpa >> 30) & 511;

		if (!(pml4[i4] & KVM_NPT_PRESENT)) {
			pdpt = npt_table();
			pml4[i4] = (uintptr_t)pdpt | KVM_NPT_DEFAULT;
		}
		pdpt = (uint64_t *)(uintptr_t)(pml4[i4] & KVM_NPT_ADDR_MASK);
		if (!(pdpt[i3] & KVM_NPT_PRESENT)) {
			pd = npt_table();
			pdpt[i3] = (uintptr_t)pd | KVM_NPT_DEFAULT;
		}
		pd = (uint64_t *)(uintptr_t)(pdpt[i3] & KVM_NPT_ADDR_MASK);
		pd[(gpa >> 21) & 511] = gpa | KVM_NPT_DEFAULT | KVM_NPT_LARGE;
	}
	return pml4;
}

/* The tables are in the identity-mapped guest RAM: addresses are pointers */
static uint64_t *npt_next(uint64_t entry)
{
	if (!(entry & KVM_NPT_PRESENT))
		return NULL;
	return (uint64_t *)(uintptr_t)(entry & KVM_NPT_ADDR_MASK);
}

uint64_t *kvm_svm_npt_pte(uint64_t *root, uint64_t gpa)
{
	uint64_t *pdpt, *pd, *pt, big, flags;
	unsigned int i;

	pdpt = npt_next(root[(gpa >> 39) & 511]);
	pd = pdpt ? npt_next(pdpt[(gpa >> 30) & 511]) : NULL;
	if (!pd || !(pd[(gpa >> 21) & 511] & KVM_NPT_PRESENT))
		return NULL;
	big = pd[(gpa >> 21) & 511];
	if (big & KVM_NPT_LARGE) {
		pt = npt_table();
		flags = big & ~KVM_NPT_ADDR_MASK & ~KVM_NPT_LARGE;
		for (i = 0; i < NPT_ENTRIES; i++)
			pt[i] = ((big & KVM_NPT_ADDR_MASK & ~0x1fffffULL) +
				 ((uint64_t)i << 12)) | flags;
		pd[(gpa >> 21) & 511] = (uintptr_t)pt | KVM_NPT_DEFAULT;
	}
	pt = npt_next(pd[(gpa >> 21) & 511]);
	return pt + ((gpa >> 12) & 511);
}

void kvm_svm_enable_npt(struct kvm_vmcb *vmcb, uint64_t *root)
{
	vmcb->enable_nested_paging |= SVM_NP_ENABLE;
	vmcb->nested_cr3 = (uintptr_t)root;
	/* VMRUN checks gPAT when nested paging is on: the reset value */
	vmcb->guest_pat = 0x0007040600070406ULL;
	vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
}
