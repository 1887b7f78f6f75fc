// SPDX-License-Identifier: MIT
/*
 * Checks of the SVM/VMX helper plumbing that needs no SVM/VMX
 * instruction, so it runs on any x86_64 KVM host: VMCB allocation,
 * intercept bits at the APM's offsets, GDT-to-VMCB segment conversion,
 * the guest VMCB built by kvm_create_svm_vcpu(), the nested page table
 * builders (kvm_svm_npt_create(), kvm_svm_npt_pte()), feature detection
 * against raw CPUID, and the VMX error strings.  The LTP tests kvm_svm*
 * and kvm_vmx* cover the nested runs where the CPU allows them.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"
#include "kvm_x86_vmx.h"

#define CHECK(cond, ...) do {				\
	if (cond) {					\
		passed++;				\
	} else {					\
		failed++;				\
		tst_res(TFAIL, __VA_ARGS__);		\
	}						\
	} while (0)

static unsigned int passed, failed;

static int nested_main(void)
{
	return 42;
}

static void check_intercepts(void)
{
	struct kvm_vmcb *vmcb = kvm_alloc_vmcb();
	const uint32_t *vec = (const uint32_t *)vmcb->intercepts;
	unsigned int i, nonzero = 0;

	CHECK(!((uintptr_t)vmcb & (PAGESIZE - 1)), "VMCB %p not page aligned",
		(void *)vmcb);
	for (i = 0; i < sizeof(*vmcb); i++)
		nonzero += ((const uint8_t *)vmcb)[i] != 0;
	CHECK(!nonzero, "fresh VMCB has %u non-zero bytes", nonzero);

	/* APM: HLT is bit 24 of the vector at 00Ch, VMRUN bit 0 and CLGI
	 * bit 5 of the vector at 010h */
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_HLT, 1);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMRUN, 1);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_CLGI, 1);
	CHECK(vec[3] == 1u << 24, "HLT intercept: 00Ch = 0x%x", vec[3]);
	CHECK(vec[4] == (1u << 0 | 1u << 5), "VMRUN|CLGI: 010h = 0x%x",
		vec[4]);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_CLGI, 0);
	CHECK(vec[4] == 1u, "CLGI cleared: 010h = 0x%x", vec[4]);
}

static void check_descriptors(void)
{
	struct kvm_vmcb_descriptor d;
	int id;

	kvm_vmcb_copy_gdt_descriptor(&d, KVMKIT_SEL_CODE64 >> 3);
	CHECK(d.selector == KVMKIT_SEL_CODE64 &&
		(d.attrib & (SEGFLAG_PRESENT | SEGFLAG_CODE64)) ==
		(SEGFLAG_PRESENT | SEGFLAG_CODE64),
		"code64: selector 0x%x attrib 0x%x", d.selector, d.attrib);

	/* The TSS is a 16-byte system descriptor */
	kvm_vmcb_copy_gdt_descriptor(&d, KVMKIT_SEL_TSS >> 3);
	CHECK(d.base == (uintptr_t)&kvm_tss && d.limit == 0x67 &&
		(d.attrib & SEGTYPE_MASK) == SEGTYPE_TSS_BUSY,
		"TSS: base 0x%llx limit 0x%x attrib 0x%x", d.base, d.limit,
		d.attrib);

	/* Page granularity: the VMCB holds the byte limit */
	id = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	kvm_set_segment_descriptor(kvm_gdt + id, 0x123000, 2,
		SEGTYPE_RWDATA | SEGFLAG_PRESENT | SEGFLAG_PAGE_LIMIT);
	kvm_vmcb_copy_gdt_descriptor(&d, id);
	CHECK(d.selector == id << 3 && d.base == 0x123000 &&
		d.limit == 0x2fff && d.attrib ==
		(SEGTYPE_RWDATA | SEGFLAG_PRESENT | SEGFLAG_PAGE_LIMIT),
		"data: selector 0x%x base 0x%llx limit 0x%x attrib 0x%x",
		d.selector, d.base, d.limit, d.attrib);
	memset(kvm_gdt + id, 0, sizeof(kvm_gdt[0]));

	memset(&d, 0xaa, sizeof(d));
	kvm_vmcb_copy_gdt_descriptor(&d, KVM_GDT_SIZE - 1);
	CHECK(!d.selector && !d.attrib && !d.limit && !d.base,
		"non-present descriptor not zeroed");
}

static void check_guest_vmcb(void)
{
	struct kvm_svm_vcpu *cpu = kvm_create_svm_vcpu(nested_main, 1);
	struct kvm_vmcb *v = cpu->vmcb;
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;
	uint64_t base;
	uint32_t limit;
	unsigned int flags;

	kvm_read_cregs(&cregs);
	kvm_read_sregs(&sregs);

	CHECK(v->rip == (uintptr_t)kvm_svm_guest_entry &&
		v->rax == (uintptr_t)nested_main,
		"entry: rip 0x%llx rax 0x%llx", v->rip, v->rax);
	CHECK(v->cr0 == cregs.cr0 && v->cr3 == cregs.cr3 &&
		v->cr4 == cregs.cr4 && v->efer == kvm_rdmsr(MSR_EFER),
		"control registers not copied");
	CHECK(v->cs.selector == sregs.cs && v->ds.selector == sregs.ds,
		"segments: cs 0x%x ds 0x%x", v->cs.selector, v->ds.selector);
	CHECK(v->gdtr.base == (uintptr_t)kvm_gdt &&
		v->gdtr.limit == KVM_GDT_SIZE * 8 - 1 &&
		v->idtr.base == (uintptr_t)kvm_idt &&
		v->idtr.limit == X86_INTR_COUNT * 16 - 1,
		"descriptor tables not copied");
	CHECK(v->guest_asid == 1 && (v->rflags & 0x200),
		"asid %u rflags 0x%llx", v->guest_asid, v->rflags);
	CHECK(v->intercepts[SVM_INTERCEPT_HLT / 8] & 1 &&
		v->intercepts[SVM_INTERCEPT_VMRUN / 8] & 1,
		"HLT/VMRUN not intercepted");

	/* The 8 KiB stack: its own GDT stack descriptor, RSP at its top */
	CHECK(v->ss.selector && !(v->rsp & (PAGESIZE - 1)),
		"stack: ss 0x%x rsp 0x%llx", v->ss.selector, v->rsp);
	kvm_parse_segment_descriptor(kvm_gdt + (v->ss.selector >> 3), &base,
		&limit, &flags);
	CHECK((flags & SEGTYPE_MASK) == SEGTYPE_STACK &&
		(flags & SEGFLAG_PRESENT),
		"stack descriptor flags 0x%x", flags);
}

static void check_detection(void)
{
	struct kvm_cpuid r;
	int svm = 0;

	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &r);
	if (r.eax >= CPUID_GET_EXT_FEATURES) {
		kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &r);
		svm = !!(r.ecx & (1 << 2));
	}
	CHECK(kvm_is_svm_supported() == svm, "SVM detection disagrees");

	kvm_get_cpuid(CPUID_GET_MODEL_INFO, 0, &r);
	CHECK(kvm_is_vmx_supported() == !!(r.ecx & (1 << 5)),
		"VMX detection disagrees");

	tst_res(TINFO, "this vCPU has SVM: %s, VMX: %s",
		kvm_is_svm_supported() ? "yes" : "no",
		kvm_is_vmx_supported() ? "yes" : "no");
}

static void check_vmx_strings(void)
{
	CHECK(!strcmp(kvm_vmx_inst_strerr(5),
		"VMRESUME with non-launched VMCS"), "error 5: %s",
		kvm_vmx_inst_strerr(5));
	CHECK(!strcmp(kvm_vmx_inst_strerr(14), "Unknown error") &&
		!strcmp(kvm_vmx_inst_strerr(1000), "Unknown error"),
		"reserved/out-of-range errors");
	CHECK(strlen(kvm_vmx_inst_strerr(-1)) > 0, "error -1");
}

/* The nested page table builders: pure memory, no SVM needed */
static void check_npt(void)
{
	uint64_t *npt = kvm_svm_npt_create(1ULL << 30), *pdpt, *pd, *pte;
	struct kvm_vmcb *v = kvm_alloc_vmcb();
	uint64_t gpa = 0x345000;

	CHECK((npt[0] & 7) == KVM_NPT_DEFAULT && !npt[1],
	      "NPT PML4[0] 0x%llx, [1] 0x%llx", (unsigned long long)npt[0],
	      (unsigned long long)npt[1]);
	pdpt = (uint64_t *)(uintptr_t)(npt[0] & KVM_NPT_ADDR_MASK);
	CHECK((pdpt[0] & 7) == KVM_NPT_DEFAULT && !pdpt[1],
	      "NPT PDPT[0] 0x%llx, [1] 0x%llx (1 GiB only)",
	      (unsigned long long)pdpt[0], (unsigned long long)pdpt[1]);
	pd = (uint64_t *)(uintptr_t)(pdpt[0] & KVM_NPT_ADDR_MASK);
	CHECK(pd[0] == (KVM_NPT_DEFAULT | KVM_NPT_LARGE) &&
	      pd[511] == ((511ULL << 21) | KVM_NPT_DEFAULT | KVM_NPT_LARGE),
	      "NPT PD[0] 0x%llx, PD[511] 0x%llx", (unsigned long long)pd[0],
	      (unsigned long long)pd[511]);
	pte = kvm_svm_npt_pte(npt, gpa);
	CHECK(pte && *pte == ((gpa & ~0xfffULL) | KVM_NPT_DEFAULT) &&
	      !(pd[1] & KVM_NPT_LARGE) && (pd[1] & 7) == KVM_NPT_DEFAULT &&
	      pte[-5] == ((gpa - 0x5000) | KVM_NPT_DEFAULT),
	      "split of the 2 MiB page at 0x200000: PD[1] 0x%llx, PTE 0x%llx",
	      (unsigned long long)pd[1], pte ? (unsigned long long)*pte : 0);
	CHECK(kvm_svm_npt_pte(npt, gpa + 0x1000) == pte + 1 &&
	      !kvm_svm_npt_pte(npt, 1ULL << 31),
	      "second lookup in the split page, or 2 GiB (unmapped) not NULL");
	kvm_svm_enable_npt(v, npt);
	CHECK((v->enable_nested_paging & SVM_NP_ENABLE) &&
	      v->nested_cr3 == (uintptr_t)npt &&
	      v->guest_pat == 0x0007040600070406ULL,
	      "kvm_svm_enable_npt: NP 0x%llx, nCR3 0x%llx, gPAT 0x%llx",
	      (unsigned long long)v->enable_nested_paging,
	      (unsigned long long)v->nested_cr3,
	      (unsigned long long)v->guest_pat);
}

void main(void)
{
	check_npt();
	check_intercepts();
	check_descriptors();
	check_guest_vmcb();
	check_detection();
	check_vmx_strings();
	if (!failed)
		tst_res(TPASS, "%u nested-helper checks passed", passed);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "SVM/VMX helper plumbing without SVM/VMX instructions",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
