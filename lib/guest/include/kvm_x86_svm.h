/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM helpers for payloads that run a nested guest (LTP's
 * kvm_x86_svm.h API).  The VMCB layout follows the AMD64 Architecture
 * Programmer's Manual, Volume 2, Appendix B ("Layout of VMCB"); every
 * field a test may touch is pinned by a _Static_assert below so that a
 * typo cannot silently move it.
 *
 * Usage: kvm_init_svm(); vcpu = kvm_create_svm_vcpu(fn, 1);
 * kvm_svm_vmrun(vcpu); then look at vcpu->vmcb->exitcode and
 * vcpu->regs / vcpu->vmcb->rax (fn's return value after SVM_EXIT_HLT).
 */
#ifndef KVM_X86_SVM_H_
#define KVM_X86_SVM_H_

#ifndef __x86_64__
# error "kvm_x86_svm.h: the SVM helpers are 64-bit mode only; a 32-bit payload (KVMKIT_GUEST_MODE(32) or (32pae)) cannot use them"
#endif

/*
 * Offsets svm_vmrun.S needs (asserted against the structs below): struct
 * kvm_svm_vcpu and the VMCB's rax/rsp slots.  Those of struct kvm_regs64
 * are in lib/guest/x86_64/regs64.h.
 */
#define KVM_SVM_VCPU_VMCB	0x00
#define KVM_SVM_VCPU_REGS	0x08
#define KVM_VMCB_RSP		0x5d8
#define KVM_VMCB_RAX		0x5f8

#ifndef __ASSEMBLER__

#include "kvm_x86.h"

/* CPUID 0x8000000a (CPUID_GET_SVM_FEATURES): feature flags in EDX */
#define SVM_CPUID_NESTED_PAGING		(1 << 0)
#define SVM_CPUID_LBR_VIRT		(1 << 1)
#define SVM_CPUID_LOCK			(1 << 2)
#define SVM_CPUID_NRIP_SAVE		(1 << 3)
#define SVM_CPUID_TSC_RATE_MSR		(1 << 4)
#define SVM_CPUID_VMCB_CLEAN		(1 << 5)
#define SVM_CPUID_FLUSH_ASID		(1 << 6)
#define SVM_CPUID_DECODE_ASSIST		(1 << 7)
#define SVM_CPUID_PAUSE_FILTER		(1 << 10)
#define SVM_CPUID_PAUSE_THRESHOLD	(1 << 12)
#define SVM_CPUID_AVIC			(1 << 13)
#define SVM_CPUID_VMSAVE_VIRT		(1 << 15)
#define SVM_CPUID_VGIF			(1 << 16)
#define SVM_CPUID_GMET			(1 << 17)
#define SVM_CPUID_X2AVIC		(1 << 18)
#define SVM_CPUID_SSSCHECK		(1 << 19)
#define SVM_CPUID_SPEC_CTRL		(1 << 20)
#define SVM_CPUID_ROGPT			(1 << 21)
#define SVM_CPUID_HOST_MCE_OVERRIDE	(1 << 23)
#define SVM_CPUID_TLBI_CTL		(1 << 24)
#define SVM_CPUID_NMI_VIRT		(1 << 25)
#define SVM_CPUID_IBS_VIRT		(1 << 26)

/* CPUID 0x80000001 ECX: SVM available */
#define SVM_CPUID_EXT_SVM		(1 << 2)

/*
 * Intercept IDs are bit numbers into the intercept vectors at VMCB offset
 * 0 (id / 8 = byte, id % 8 = bit).  They equal the matching exit code for
 * instruction intercepts, which is why both lists share their values.
 */
#define SVM_INTERCEPT_HLT	0x78	/* 00Ch bit 24 */
#define SVM_INTERCEPT_VMRUN	0x80	/* 010h bit 0 */
#define SVM_INTERCEPT_VMMCALL	0x81
#define SVM_INTERCEPT_VMLOAD	0x82
#define SVM_INTERCEPT_VMSAVE	0x83
#define SVM_INTERCEPT_STGI	0x84
#define SVM_INTERCEPT_CLGI	0x85
#define SVM_INTERCEPT_MAX	0x95	/* first ID past the last vector bit */

/* #VMEXIT codes in kvm_vmcb.exitcode */
#define SVM_EXIT_HLT		0x78
#define SVM_EXIT_VMRUN		0x80
#define SVM_EXIT_VMMCALL	0x81
#define SVM_EXIT_VMLOAD		0x82
#define SVM_EXIT_VMSAVE		0x83
#define SVM_EXIT_STGI		0x84
#define SVM_EXIT_CLGI		0x85
#define SVM_EXIT_AVIC_NOACCEL	0x402
#define SVM_EXIT_INVALID	((uint64_t)-1)

/* kvm_vmcb.virt_intr_ctl: bits 31:24 of the V_INTR control at 060h */
#define SVM_INTR_AVIC		(1 << 7)	/* AVIC enable, 060h bit 31 */

/*
 * A segment as the VMCB stores it.  attrib packs descriptor bits 47:40
 * (type, S, DPL, P) into 7:0 and bits 55:52 (AVL, L, D/B, G) into 11:8,
 * which is exactly the SEGFLAG_* / SEGTYPE_* encoding of kvm_x86.h.
 */
struct kvm_vmcb_descriptor {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct kvm_vmcb {
	/* Control area, 000h-3FFh */
	uint8_t intercepts[20];		/* 000h: CR, DR, exception, misc vectors */
	uint8_t reserved1[40];		/* 014h */
	uint16_t pause_filter_thresh;	/* 03Ch */
	uint16_t pause_filter_count;	/* 03Eh */
	uint64_t iopm_base_addr;	/* 040h */
	uint64_t msrpm_base_addr;	/* 048h */
	uint64_t tsc_offset;		/* 050h */
	uint32_t guest_asid;		/* 058h */
	uint32_t tlb_control;		/* 05Ch */
	uint8_t virtual_tpr;		/* 060h: V_TPR */
	uint8_t virtual_irq;		/* 061h: V_IRQ (bit 0), VGIF (bits 1-2) */
	unsigned char virt_intr_prio: 4;	/* 062h: V_INTR_PRIO */
	unsigned char virt_ignore_tpr: 4;	/* V_IGN_TPR */
	uint8_t virt_intr_ctl;		/* 063h: V_INTR_MASKING, AVIC enable */
	uint8_t virt_intr_vector;	/* 064h: V_INTR_VECTOR */
	uint8_t reserved2[3];
	uint64_t interrupt_shadow;	/* 068h */
	uint64_t exitcode;		/* 070h */
	uint64_t exitinfo1;		/* 078h */
	uint64_t exitinfo2;		/* 080h */
	uint64_t exit_int_info;		/* 088h */
	uint64_t enable_nested_paging;	/* 090h: NP, SEV, SEV-ES enables */
	uint64_t avic_bar;		/* 098h */
	uint64_t ghcb_gpa;		/* 0A0h */
	uint64_t event_injection;	/* 0A8h */
	uint64_t nested_cr3;		/* 0B0h */
	uint64_t virt_ext;		/* 0B8h: LBR virt, virtual VMSAVE/VMLOAD */
	uint32_t vmcb_clean;		/* 0C0h */
	uint8_t reserved3[4];
	uint64_t next_rip;		/* 0C8h */
	uint8_t instr_len;		/* 0D0h: bytes fetched */
	uint8_t instr_bytes[15];	/* 0D1h */
	uint64_t avic_backing_page;	/* 0E0h */
	uint8_t reserved4[8];
	uint64_t avic_logical_ptr;	/* 0F0h */
	uint64_t avic_physical_ptr;	/* 0F8h */
	uint8_t reserved5[8];
	uint64_t vmsa_pa;		/* 108h */
	uint64_t vmgexit_rax;		/* 110h */
	uint8_t vmgexit_cpl;		/* 118h */
	uint8_t reserved6[0x2e7];

	/* State save area, 400h-FFFh (offsets below are from 400h) */
	struct kvm_vmcb_descriptor es, cs, ss, ds, fs, gs;	/* 000h-05Fh */
	struct kvm_vmcb_descriptor gdtr, ldtr, idtr, tr;	/* 060h-09Fh */
	uint8_t reserved7[43];
	uint8_t cpl;			/* 0CBh */
	uint8_t reserved8[4];
	uint64_t efer;			/* 0D0h */
	uint8_t reserved9[112];
	uint64_t cr4;			/* 148h */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip;			/* 178h */
	uint8_t reserved10[88];
	uint64_t rsp;			/* 1D8h */
	uint64_t s_cet;
	uint64_t ssp;
	uint64_t isst_addr;
	uint64_t rax;			/* 1F8h */
	uint64_t star;			/* 200h */
	uint64_t lstar;
	uint64_t cstar;
	uint64_t sfmask;
	uint64_t kernel_gs_base;	/* 220h */
	uint64_t sysenter_cs;
	uint64_t sysenter_esp;
	uint64_t sysenter_eip;
	uint64_t cr2;			/* 240h */
	uint8_t reserved11[32];
	uint64_t guest_pat;		/* 268h */
	uint64_t dbgctl;		/* 270h */
	uint64_t br_from;
	uint64_t br_to;
	uint64_t last_excp_from;
	uint64_t last_excp_to;		/* 290h */
	uint8_t padding[0x968];
};

#define KVM_VMCB_ASSERT_AT(field, off) \
	_Static_assert(__builtin_offsetof(struct kvm_vmcb, field) == (off), \
		"VMCB field " #field " not at APM offset " #off)
KVM_VMCB_ASSERT_AT(pause_filter_thresh, 0x03c);
KVM_VMCB_ASSERT_AT(iopm_base_addr, 0x040);
KVM_VMCB_ASSERT_AT(guest_asid, 0x058);
KVM_VMCB_ASSERT_AT(tlb_control, 0x05c);
KVM_VMCB_ASSERT_AT(virtual_tpr, 0x060);
KVM_VMCB_ASSERT_AT(virt_intr_ctl, 0x063);
KVM_VMCB_ASSERT_AT(virt_intr_vector, 0x064);
KVM_VMCB_ASSERT_AT(interrupt_shadow, 0x068);
KVM_VMCB_ASSERT_AT(exitcode, 0x070);
KVM_VMCB_ASSERT_AT(exitinfo1, 0x078);
KVM_VMCB_ASSERT_AT(enable_nested_paging, 0x090);
KVM_VMCB_ASSERT_AT(avic_bar, 0x098);
KVM_VMCB_ASSERT_AT(event_injection, 0x0a8);
KVM_VMCB_ASSERT_AT(vmcb_clean, 0x0c0);
KVM_VMCB_ASSERT_AT(next_rip, 0x0c8);
KVM_VMCB_ASSERT_AT(avic_backing_page, 0x0e0);
KVM_VMCB_ASSERT_AT(avic_logical_ptr, 0x0f0);
KVM_VMCB_ASSERT_AT(vmsa_pa, 0x108);
KVM_VMCB_ASSERT_AT(vmgexit_cpl, 0x118);
KVM_VMCB_ASSERT_AT(es, 0x400);
KVM_VMCB_ASSERT_AT(fs, 0x440);
KVM_VMCB_ASSERT_AT(gdtr, 0x460);
KVM_VMCB_ASSERT_AT(ldtr, 0x470);
KVM_VMCB_ASSERT_AT(tr, 0x490);
KVM_VMCB_ASSERT_AT(cpl, 0x4cb);
KVM_VMCB_ASSERT_AT(efer, 0x4d0);
KVM_VMCB_ASSERT_AT(cr4, 0x548);
KVM_VMCB_ASSERT_AT(cr0, 0x558);
KVM_VMCB_ASSERT_AT(rflags, 0x570);
KVM_VMCB_ASSERT_AT(rip, 0x578);
KVM_VMCB_ASSERT_AT(rsp, 0x5d8);
KVM_VMCB_ASSERT_AT(rax, 0x5f8);
KVM_VMCB_ASSERT_AT(star, 0x600);
KVM_VMCB_ASSERT_AT(kernel_gs_base, 0x620);
KVM_VMCB_ASSERT_AT(sysenter_eip, 0x638);
KVM_VMCB_ASSERT_AT(cr2, 0x640);
KVM_VMCB_ASSERT_AT(guest_pat, 0x668);
KVM_VMCB_ASSERT_AT(last_excp_to, 0x690);
_Static_assert(sizeof(struct kvm_vmcb_descriptor) == 16, "VMCB segment size");
_Static_assert(sizeof(struct kvm_vmcb) == 4096, "VMCB is one page");

/*
 * A nested virtual CPU: its VMCB plus the general-purpose registers the
 * VMCB does not hold.  regs.rax and regs.rsp mirror vmcb->rax/rsp after
 * each kvm_svm_vmrun(); on entry they are taken from the VMCB instead.
 */
struct kvm_svm_vcpu {
	struct kvm_vmcb *vmcb;
	struct kvm_regs64 regs;
};

/* Detection and enabling.  The setters end the test with TCONF when the
 * virtual CPU has no SVM or the (virtual) firmware disabled it. */
int kvm_is_svm_supported(void);
int kvm_get_svm_state(void);
void kvm_set_svm_state(int enabled);

/* Enable SVM and install the host save area (MSR_VM_HSAVE_PA) */
void kvm_init_svm(void);

/* A zeroed, page-aligned VMCB from the guest heap */
struct kvm_vmcb *kvm_alloc_vmcb(void);

/* Fill *dst from GDT entry gdt_id; a non-present entry gives all zeroes */
void kvm_vmcb_copy_gdt_descriptor(struct kvm_vmcb_descriptor *dst,
	unsigned int gdt_id);
void kvm_vmcb_set_intercept(struct kvm_vmcb *vmcb, unsigned int id,
	unsigned int state);

/*
 * Make vmcb run guest_main() on stack ss:rsp (ss is a GDT index, not a
 * selector) with the current CPU's control registers, segments, GDT and
 * IDT.  VMRUN and HLT are intercepted; guest_main's return value ends up
 * in vmcb->rax when it exits with SVM_EXIT_HLT.
 */
void kvm_init_guest_vmcb(struct kvm_vmcb *vmcb, uint32_t asid, uint16_t ss,
	void *rsp, int (*guest_main)(void));

/* VMCB + optional 8 KiB stack (with its own GDT stack descriptor) */
struct kvm_svm_vcpu *kvm_create_svm_vcpu(int (*guest_main)(void),
	int alloc_stack);

/*
 * Run the nested guest until its next #VMEXIT.  The FPU/SSE state is not
 * switched: nested guest code must not use floating point, nor call
 * tst_res()/tst_brk().
 */
void kvm_svm_vmrun(struct kvm_svm_vcpu *cpu);

/* VMLOAD / VMSAVE of FS, GS, TR, LDTR, KernelGSBase, STAR family and
 * SYSENTER MSRs from / to buf */
void kvm_svm_vmload(struct kvm_vmcb *buf);
void kvm_svm_vmsave(struct kvm_vmcb *buf);

/*
 * Nested paging (AMD APM Vol. 2 15.25).  The nested page table is a
 * 4-level long-mode table the nested guest's physical addresses go
 * through; every access through it is a user access (15.25.5), so the
 * entries need U/S.  kvm_svm_npt_create() builds an identity map of
 * [0, size) (size rounded up to 2 MiB) out of 2 MiB pages, present,
 * writable, user, from the heap.  kvm_svm_npt_pte() returns the 4 KiB
 * entry that maps gpa, splitting its 2 MiB page into 512 identity 4 KiB
 * entries with the same flags first (NULL when gpa is not mapped); the
 * test edits it and must flush (vmcb->tlb_control = SVM_TLB_FLUSH_ALL)
 * before the next VMRUN.  kvm_svm_enable_npt() sets NP_ENABLE, nCR3 and
 * the power-on gPAT.
 */
#define KVM_NPT_PRESENT		(1ULL << 0)
#define KVM_NPT_WRITE		(1ULL << 1)
#define KVM_NPT_USER		(1ULL << 2)
#define KVM_NPT_LARGE		(1ULL << 7)
#define KVM_NPT_DEFAULT		(KVM_NPT_PRESENT | KVM_NPT_WRITE | KVM_NPT_USER)
#define KVM_NPT_ADDR_MASK	0x000ffffffffff000ULL

#define SVM_NP_ENABLE		(1ULL << 0)	/* VMCB 090h bit 0 */
#define SVM_TLB_FLUSH_ALL	1		/* VMCB 05Ch TLB_CONTROL */
#define SVM_EXIT_NPF		0x400
/* EXITINFO1 of #VMEXIT(NPF): #PF error-code bits plus these two */
#define SVM_NPF_FINAL_GPA	(1ULL << 32)	/* at the final GPA access */
#define SVM_NPF_GUEST_PT	(1ULL << 33)	/* at a guest page-table access */

uint64_t *kvm_svm_npt_create(uint64_t size);
uint64_t *kvm_svm_npt_pte(uint64_t *root, uint64_t gpa);
void kvm_svm_enable_npt(struct kvm_vmcb *vmcb, uint64_t *root);

/* Entry point of nested guests: calls the function in RAX, then HLTs */
void kvm_svm_guest_entry(void);

_Static_assert(__builtin_offsetof(struct kvm_svm_vcpu, vmcb) ==
	KVM_SVM_VCPU_VMCB, "svm_vmrun.S vcpu layout");
_Static_assert(__builtin_offsetof(struct kvm_svm_vcpu, regs) ==
	KVM_SVM_VCPU_REGS, "svm_vmrun.S vcpu layout");
_Static_assert(__builtin_offsetof(struct kvm_vmcb, rsp) == KVM_VMCB_RSP &&
	__builtin_offsetof(struct kvm_vmcb, rax) == KVM_VMCB_RAX,
	"svm_vmrun.S VMCB layout");

#endif /* __ASSEMBLER__ */
#endif /* KVM_X86_SVM_H_ */
