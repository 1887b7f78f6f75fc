// SPDX-License-Identifier: MIT
/*
 * Booting a 32-bit payload (KVMKIT_GUEST_MODE(32) or (32pae), see
 * <kvmkit/guest_mode.h>) straight into protected mode with paging, as
 * boot.c does for long mode: the host writes the page tables, GDT, IDT
 * and TSS fields into the payload's own areas and sets the vCPU with one
 * KVM_SET_SREGS and one KVM_SET_REGS, so the first guest instruction is
 * the payload's entry, never real mode.
 *
 * The memory map is the long-mode one (abi.h): the identity map of
 * 0..2 GiB, the result page at 0xfffff000 and the unmapped guard page
 * below the stack.  2-level paging (Intel SDM Vol. 3A 4.3) maps it with
 * 4 MiB PSE pages, PAE paging (4.4) with 2 MiB pages; in both the 4 MiB
 * or 2 MiB around the guard page and the result page go through tables
 * of 4 KiB pages.  In 32-bit mode selector KVMKIT_SEL_CODE64 (0x08)
 * names a 32-bit code segment, as KVMKIT_SEL_CODE32 does, so the
 * runtime's CS has one value in every mode; the TSS is a 32-bit TSS in
 * one GDT slot; IDT gates are 8-byte 32-bit interrupt gates.  There is no
 * IST in 32-bit mode, so #DF goes through a task gate instead: a second
 * TSS (selector KVMKIT_SEL_TSS + 8, the slot a 64-bit TSS's upper half
 * takes) at the bottom of the IST1 page, running the runtime's
 * kvmkit_df_task (right after the last vector stub) on the rest of that
 * page, so a blown stack is still reported.
 */
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvmkit/x86.h>
#include "x86_64/payload.h"

#define PT_FLAGS	(KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW)
#define PT_LARGE	(PT_FLAGS | KVMKIT_X86_PTE_PS)
#define PAGE(base, i)	((base) + (uint64_t)(i) * KVMKIT_PAGE_SIZE)

#define APIC_DEFAULT_BASE	0xfee00000ULL
#define APIC_BASE_BSP		KVMKIT_BIT(8)
#define APIC_BASE_ENABLE	KVMKIT_BIT(11)
#define TSS32_ESP0		4
#define TSS32_SS0		8
#define TSS_IOMAP_OFFSET	0x66
#define TYPE_TSS32_BUSY		0xb
#define TYPE_TSS32_AVAIL	0x9
#define TYPE_TASK_GATE		0x5
#define TYPE_INTR_GATE32	0xe
#define DF_VECTOR		8
#define SEL_DF_TSS		(KVMKIT_SEL_TSS + 8)

/* The #DF task's TSS and entry, or 0 when the image has no room for them */
static uint64_t df_tss(const struct kvmkit_payload_header *h)
{
	uint64_t entry = h->vectors +
			 KVMKIT_VECTOR_COUNT * KVMKIT_VECTOR_STUB_SIZE;

	if (h->stack_top + KVMKIT_IST1_SIZE > h->image_end ||
	    entry + 16 > h->image_end)
		return 0;
	return h->stack_top;
}

/* Each table is one page-aligned page, inside one slot: written in place */
static int table_pages(struct kvmkit_vm *vm, uint64_t base, void **pg,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pg[i] = kvmkit_gpa_to_hva(vm, PAGE(base, i), KVMKIT_PAGE_SIZE);
		if (!pg[i])
			return -EFAULT;
	}
	return 0;
}

static void set32(void *table, unsigned int i, uint32_t v)
{
	__atomic_store_n(&((uint32_t *)table)[i], v, __ATOMIC_RELAXED);
}

static void set64(void *table, unsigned int i, uint64_t v)
{
	__atomic_store_n(&((uint64_t *)table)[i], v, __ATOMIC_RELAXED);
}

/*
 * 2-level paging, CR4.PSE: page 0 the page directory (4 MiB pages for
 * 0..2 GiB), page 1 the PT of the 4 MiB holding the guard page, page 2
 * the PT of the last 4 MiB (the result page in its last entry).
 */
enum { PG2_PD, PG2_PT_GUARD, PG2_PT_HIGH, PG2_COUNT };

static int build_2level(struct kvmkit_vm *vm, uint64_t base, uint64_t guard)
{
	void *pg[PG2_COUNT];
	unsigned int i, guard_pd = guard >> 22, guard_pt = guard >> 12 & 1023;

	if (table_pages(vm, base, pg, PG2_COUNT))
		return -EFAULT;
	for (i = 0; i < 1024; i++)
		set32(pg[PG2_PT_GUARD], i, i == guard_pt ? 0 :
		      (guard_pd << 22 | i << 12 | PT_FLAGS));
	set32(pg[PG2_PT_HIGH], 1023, KVMKIT_RESULT_BASE | PT_FLAGS);
	set32(pg[PG2_PD], 1023, PAGE(base, PG2_PT_HIGH) | PT_FLAGS);
	for (i = 0; i < KVMKIT_IDENTITY_LIMIT >> 22; i++)
		set32(pg[PG2_PD], i, i == guard_pd ?
		      PAGE(base, PG2_PT_GUARD) | PT_FLAGS : (i << 22 | PT_LARGE));
	return 0;
}

/*
 * PAE paging: page 0 the PDPT (4 entries, in which only P may be set:
 * R/W and U/S are reserved there), pages 1-2 the PDs of 0..2 GiB
 * (2 MiB pages), page 3 the PD of the last GiB, page 4 its last PT (the
 * result page), page 5 the PT of the 2 MiB holding the guard page.
 */
enum { PGP_PDPT, PGP_PD_LOW0, PGP_PD_LOW1, PGP_PD_HIGH, PGP_PT_HIGH,
       PGP_PT_GUARD, PGP_COUNT };

static int build_pae(struct kvmkit_vm *vm, uint64_t base, uint64_t guard)
{
	void *pg[PGP_COUNT];
	unsigned int i, guard_pd = guard >> 21, guard_pt = guard >> 12 & 511;

	if (table_pages(vm, base, pg, PGP_COUNT))
		return -EFAULT;
	for (i = 0; i < 512; i++)
		set64(pg[PGP_PT_GUARD], i, i == guard_pt ? 0 :
		      ((uint64_t)guard_pd << 21 | (uint64_t)i << 12 | PT_FLAGS));
	for (i = 0; i < 1024; i++)
		set64(pg[PGP_PD_LOW0 + i / 512], i % 512, i == guard_pd ?
		      PAGE(base, PGP_PT_GUARD) | PT_FLAGS :
		      ((uint64_t)i << 21 | PT_LARGE));
	set64(pg[PGP_PT_HIGH], 511, KVMKIT_RESULT_BASE | PT_FLAGS);
	set64(pg[PGP_PD_HIGH], 511, PAGE(base, PGP_PT_HIGH) | PT_FLAGS);
	set64(pg[PGP_PDPT], 0, PAGE(base, PGP_PD_LOW0) | KVMKIT_X86_PTE_P);
	set64(pg[PGP_PDPT], 1, PAGE(base, PGP_PD_LOW1) | KVMKIT_X86_PTE_P);
	set64(pg[PGP_PDPT], 3, PAGE(base, PGP_PD_HIGH) | KVMKIT_X86_PTE_P);
	return 0;
}

static uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned int access,
			 unsigned int flags)
{
	return (limit & 0xffffULL) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}

#define ACC_CODE	0x9b	/* present, DPL 0, code, execute/read, accessed */
#define ACC_DATA	0x93	/* present, DPL 0, data, read/write, accessed */
#define FLG_32		0xc	/* G, D/B */

static int build_gdt(struct kvmkit_vm *vm, const struct kvmkit_payload_header *h)
{
	const uint64_t code = seg_desc(0, 0xfffff, ACC_CODE, FLG_32);
	uint64_t gdt[6] = {
		[KVMKIT_SEL_CODE64 >> 3] = code,
		[KVMKIT_SEL_DATA >> 3] = seg_desc(0, 0xfffff, ACC_DATA, FLG_32),
		[KVMKIT_SEL_TSS >> 3] = seg_desc((uint32_t)h->tss,
						 KVMKIT_X86_TSS_SIZE - 1,
						 0x80 | TYPE_TSS32_BUSY, 0),
		[KVMKIT_SEL_CODE32 >> 3] = code,
	};

	if (df_tss(h))
		gdt[SEL_DF_TSS >> 3] = seg_desc((uint32_t)df_tss(h),
						KVMKIT_X86_TSS_SIZE - 1,
						0x80 | TYPE_TSS32_AVAIL, 0);
	return kvmkit_vm_write(vm, h->gdt, gdt, sizeof(gdt));
}

static int build_idt(struct kvmkit_vm *vm, const struct kvmkit_payload_header *h)
{
	uint64_t idt[KVMKIT_VECTOR_COUNT];
	unsigned int v;

	for (v = 0; v < KVMKIT_VECTOR_COUNT; v++) {
		uint32_t off = (uint32_t)h->vectors + v * KVMKIT_VECTOR_STUB_SIZE;

		idt[v] = (off & 0xffff) | ((uint64_t)KVMKIT_SEL_CODE64 << 16) |
			 ((0x80ULL | TYPE_INTR_GATE32) << 40) |
			 ((uint64_t)(off >> 16) << 48);
	}
	if (df_tss(h))
		idt[DF_VECTOR] = ((uint64_t)SEL_DF_TSS << 16) |
				 ((0x80ULL | TYPE_TASK_GATE) << 40);
	return kvmkit_vm_write(vm, h->idt, idt, sizeof(idt));
}

/* The #DF task: flat segments, our tables, its stack the rest of the page */
static int build_df_tss(struct kvmkit_vm *vm,
			const struct kvmkit_payload_header *h)
{
	/* Intel SDM Vol. 3A 8.2.1, Figure 8-2: 32-bit TSS offsets */
	enum { CR3 = 0x1c, EIP = 0x20, EFLAGS = 0x24, ESP = 0x38, ES = 0x48,
	       CS = 0x4c, SS = 0x50, DS = 0x54, FS = 0x58, GS = 0x5c };
	uint32_t tss[KVMKIT_X86_TSS_SIZE / 4] = {
		[CR3 / 4] = (uint32_t)h->pagetable,
		[EIP / 4] = (uint32_t)(h->vectors + KVMKIT_VECTOR_COUNT *
				       KVMKIT_VECTOR_STUB_SIZE),
		[EFLAGS / 4] = KVMKIT_X86_RFLAGS_FIXED,
		[ESP / 4] = (uint32_t)(h->stack_top + KVMKIT_IST1_SIZE),
		[ES / 4] = KVMKIT_SEL_DATA, [CS / 4] = KVMKIT_SEL_CODE64,
		[SS / 4] = KVMKIT_SEL_DATA, [DS / 4] = KVMKIT_SEL_DATA,
		[FS / 4] = KVMKIT_SEL_DATA, [GS / 4] = KVMKIT_SEL_DATA,
		[TSS_IOMAP_OFFSET / 4] = (uint32_t)KVMKIT_X86_TSS_SIZE << 16,
	};

	if (!df_tss(h))
		return 0;
	return kvmkit_vm_write(vm, df_tss(h), tss, sizeof(tss));
}

/* SS0:ESP0, for an interrupt from CPL 3: the page above the main stack */
static int build_tss(struct kvmkit_vm *vm, const struct kvmkit_payload_header *h)
{
	const uint16_t iomap = KVMKIT_X86_TSS_SIZE, ss0 = KVMKIT_SEL_DATA;
	uint32_t esp0 = (uint32_t)(h->stack_top + KVMKIT_IST1_SIZE);

	if (h->stack_top + KVMKIT_IST1_SIZE > h->image_end)
		esp0 = (uint32_t)h->stack_top;
	return kvmkit_vm_write(vm, h->tss + TSS_IOMAP_OFFSET, &iomap,
			       sizeof(iomap)) ?:
	       kvmkit_vm_write(vm, h->tss + TSS32_ESP0, &esp0, sizeof(esp0)) ?:
	       kvmkit_vm_write(vm, h->tss + TSS32_SS0, &ss0, sizeof(ss0));
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->db = 1;
	s->g = 1;
}

static void boot_sregs(struct kvm_sregs *sr, const struct kvmkit_payload_header *h,
		       uint32_t vcpu_id)
{
	memset(sr, 0, sizeof(*sr));
	set_seg(&sr->cs, KVMKIT_SEL_CODE64, 0xb);
	set_seg(&sr->ds, KVMKIT_SEL_DATA, 0x3);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->tr.base = h->tss;
	sr->tr.limit = KVMKIT_X86_TSS_SIZE - 1;
	sr->tr.selector = KVMKIT_SEL_TSS;
	sr->tr.type = TYPE_TSS32_BUSY;
	sr->tr.present = 1;
	sr->ldt.type = 0x2;
	sr->ldt.unusable = 1;
	sr->gdt.base = h->gdt;
	sr->gdt.limit = KVMKIT_GDT_ENTRIES * 8 - 1;
	sr->idt.base = h->idt;
	sr->idt.limit = KVMKIT_VECTOR_COUNT * 8 - 1;
	sr->cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_MP | KVMKIT_X86_CR0_ET |
		  KVMKIT_X86_CR0_NE | KVMKIT_X86_CR0_WP | KVMKIT_X86_CR0_PG;
	sr->cr3 = h->pagetable;
	sr->cr4 = (h->guest_mode == KVMKIT_GUEST_MODE_32PAE ?
		   KVMKIT_X86_CR4_PAE : KVMKIT_X86_CR4_PSE) |
		  KVMKIT_X86_CR4_OSFXSR | KVMKIT_X86_CR4_OSXMMEXCPT;
	sr->efer = 0;		/* no LME: protected mode, not long mode */
	sr->apic_base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
			(vcpu_id == 0 ? APIC_BASE_BSP : 0);
}

/* As boot.c: keep a moved APIC base if KVM refuses the reset value */
static int set_boot_sregs(struct kvmkit_vcpu *vcpu, struct kvm_sregs *sr)
{
	struct kvm_sregs cur;
	int ret;

	if (!kvmkit_ioctl(vcpu->fd, KVM_SET_SREGS, sr))
		return 0;
	if (errno != EINVAL)
		return kvmkit_vcpu_fail(vcpu, errno,
					"KVM_SET_SREGS (32-bit protected mode)");
	ret = kvmkit_vcpu_get_sregs(vcpu, &cur);
	if (ret)
		return ret;
	sr->apic_base = cur.apic_base;
	return kvmkit_vcpu_set_sregs(vcpu, sr);
}

/*
 * Did KVM take the mode?  kvm_pvm (a KVM that runs its guests as
 * unprivileged 64-bit processes) accepts KVM_SET_SREGS with CR0.PG and
 * EFER.LME clear but reads back CR0.PG and CR4.PAE cleared, and the first
 * instruction then triple-faults: it cannot run a protected-mode guest
 * with paging.  Say so, as -EOPNOTSUPP, instead of a guest that dies.
 */
static int check_mode_taken(struct kvmkit_vcpu *vcpu,
			    const struct kvm_sregs *want)
{
	const uint64_t cr4_mode = KVMKIT_X86_CR4_PAE | KVMKIT_X86_CR4_PSE;
	struct kvm_sregs got;
	int ret = kvmkit_vcpu_get_sregs(vcpu, &got);

	if (ret)
		return ret;
	if (!(got.cr0 & KVMKIT_X86_CR0_PG) || got.efer & KVMKIT_X86_EFER_LMA ||
	    (got.cr4 & cr4_mode) != (want->cr4 & cr4_mode))
		return kvmkit_set_error(vcpu->err, EOPNOTSUPP,
					"this KVM does not run 32-bit protected mode with %s paging: after KVM_SET_SREGS with CR0 0x%llx CR4 0x%llx EFER 0 it reads back CR0 0x%llx CR4 0x%llx EFER 0x%llx (vcpu %u)",
					want->cr4 & KVMKIT_X86_CR4_PAE ?
					"PAE" : "2-level",
					(unsigned long long)want->cr0,
					(unsigned long long)want->cr4,
					(unsigned long long)got.cr0,
					(unsigned long long)got.cr4,
					(unsigned long long)got.efer, vcpu->id);
	return 0;
}

int kvmkit_arch_boot32(struct kvmkit_vcpu *vcpu,
		       const struct kvmkit_payload_header *h)
{
	struct kvmkit_vm *vm = vcpu->vm;
	const uint64_t guard = h->stack_top - KVMKIT_STACK_SIZE -
			       KVMKIT_STACK_GUARD_SIZE;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	/* The 32-bit runtime links below 2 GiB; a header that says otherwise lies */
	if (h->entry >> 32 || h->vectors >> 32 || h->tss >> 32 ||
	    h->gdt >> 32 || h->idt >> 32 || h->pagetable >> 32)
		return kvmkit_set_error(vcpu->err, ENOEXEC,
					"payload: 32-bit mode with addresses above 4 GiB (vcpu %u)",
					vcpu->id);
	ret = (h->guest_mode == KVMKIT_GUEST_MODE_32PAE ?
	       build_pae(vm, h->pagetable, guard) :
	       build_2level(vm, h->pagetable, guard)) ?:
	      build_gdt(vm, h) ?:
	      build_idt(vm, h) ?:
	      build_tss(vm, h) ?:
	      build_df_tss(vm, h);
	if (ret)
		return kvmkit_set_error(vcpu->err, -ret,
					"payload: writing 32-bit boot tables failed (vcpu %u)",
					vcpu->id);

	boot_sregs(&sregs, h, vcpu->id);
	ret = set_boot_sregs(vcpu, &sregs) ?: check_mode_taken(vcpu, &sregs);
	if (ret)
		return ret;
	memset(&regs, 0, sizeof(regs));
	regs.rip = h->entry;
	regs.rsp = h->stack_top;
	regs.rflags = KVMKIT_X86_RFLAGS_FIXED | KVMKIT_X86_RFLAGS_IF;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}
