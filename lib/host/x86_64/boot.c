// SPDX-License-Identifier: MIT
/*
 * Booting a payload straight into 64-bit mode: the host writes the page
 * tables, GDT, IDT and TSS fields the boot contract (abi.h) defines into
 * the payload's own areas, then sets the vCPU state with exactly one
 * KVM_SET_SREGS and one KVM_SET_REGS.  Here privileged and real-mode guest
 * instructions are emulated one by one, so doing this in the guest would
 * cost far more than these few microseconds on the host.
 *
 * Only the entries the contract defines are stored, each with its final
 * value in a single 8-byte store, and nothing is cleared: the payload's
 * areas are already zero (kvmkit_payload_load() clears .bss).  So booting
 * another vCPU of a running payload never makes a mapping vanish, not even
 * for an instant, and leaves the tests' own page-table entries alone; the
 * IST1 stack pointer is stored only while it is still zero.
 *
 * The work is split as a machine's would be: kvmkit_payload_setup() does
 * what the VM shares (page tables, IDT) and every CPU's own GDT and TSS
 * (abi.h), once; kvmkit_payload_boot_cpu() sets one vCPU's registers.
 * Application processors start in long mode like CPU 0, never through
 * INIT/SIPI and real mode, which KVM may emulate one instruction at a
 * time (about 1 us each on kvm_pvm).
 *
 * The general registers start at zero but RDI, the CPU number (KVM_SET_REGS
 * below): the entry code relies on RBP = 0 to end frame-pointer backtraces.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvmkit/x86.h>
#include "x86_64/payload.h"

#define PT_FLAGS	(KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW)
#define PT_LARGE	(PT_FLAGS | KVMKIT_X86_PTE_PS)
#define ENTRIES		512

/* Page indices inside the payload's page-table area (see abi.h) */
enum { PG_PML4, PG_PDPT, PG_PD_LOW0, PG_PD_LOW1, PG_PD_HIGH, PG_PT_HIGH,
       PG_PT_GUARD };

#define APIC_DEFAULT_BASE	0xfee00000ULL
#define APIC_BASE_BSP		KVMKIT_BIT(8)
#define APIC_BASE_ENABLE	KVMKIT_BIT(11)
#define TSS_IOMAP_OFFSET	0x66

static int has_1g_pages(const struct kvm_cpuid2 *cpuid)
{
	const struct kvm_cpuid_entry2 *e = kvmkit_cpuid_find(cpuid, 0x80000001, 0);

	return e && (e->edx & KVMKIT_X86_CPUID_PDPE1GB);
}

static void set_entry(uint64_t *table, unsigned int i, uint64_t value)
{
	__atomic_store_n(&table[i], value, __ATOMIC_RELAXED);
}

/*
 * The guard pages (abi.h): CPU 0's below the header's stack, each AP's at
 * the start of its area.  Each 2 MiB with a guard is mapped through a
 * table of 4 KiB pages, CPU 0's the page-table area's PG_PT_GUARD, an
 * AP's the page-table page of the first area whose guard lies there.
 */
struct guards {
	uint64_t cpu0;
	const struct kvmkit_smp_desc *d;
};

static uint64_t guard_of(const struct guards *g, uint32_t cpu)
{
	return cpu ? g->d->areas + (uint64_t)(cpu - 1) * KVMKIT_CPU_AREA_SIZE :
		     g->cpu0;
}

/* Fill the 4 KiB table of the 2 MiB at pd: identity, but every guard */
static int build_guard_pt(struct kvmkit_vm *vm, uint64_t pt_gpa, uint64_t pd,
			  const struct guards *g)
{
	uint64_t *pt = kvmkit_gpa_to_hva(vm, pt_gpa, KVMKIT_PAGE_SIZE);
	unsigned int i;
	uint32_t cpu;

	if (!pt)
		return -EFAULT;
	for (i = 0; i < ENTRIES; i++) {
		uint64_t va = (pd << 21) + ((uint64_t)i << 12), hole = 0;

		for (cpu = 0; cpu < g->d->cpus && !hole; cpu++)
			hole = guard_of(g, cpu) == va;
		set_entry(pt, i, hole ? 0 : va | PT_FLAGS);
	}
	return 0;
}

/*
 * The table of 4 KiB pages for PD entry pd, or 0 when no guard lies in
 * its 2 MiB: the first CPU's (in CPU order) whose guard is there
 */
static uint64_t guard_table(const struct guards *g, uint64_t pt0,
			    unsigned int pd)
{
	uint32_t cpu;

	for (cpu = 0; cpu < g->d->cpus; cpu++) {
		if (guard_of(g, cpu) >> 21 == pd)
			return cpu ? guard_of(g, cpu) + KVMKIT_CPU_PT : pt0;
	}
	return 0;
}

/*
 * The identity map of 0..2 GiB plus the result page, with the guard
 * pages as its only holes.  The first GiB always goes through a PD of
 * 2 MiB pages so that the 2 MiB around a guard can be a PT of 4 KiB
 * pages; the second uses a 1 GiB page where the CPU has them.  Each
 * table is a page-aligned page, and memory slots are page-granular, so
 * every table lies in one slot and is written in place.
 */
static int build_page_tables(struct kvmkit_vm *vm, uint64_t base, int gb,
			     const struct guards *g)
{
	uint64_t *pg[PG_PT_GUARD + 1];
	unsigned int i;
	int ret;

	for (i = 0; i <= PG_PT_GUARD; i++) {
		pg[i] = kvmkit_gpa_to_hva(vm, base + i * KVMKIT_PAGE_SIZE,
					  KVMKIT_PAGE_SIZE);
		if (!pg[i])
			return -EFAULT;
	}
#define PAGE(i)	(base + (uint64_t)(i) * KVMKIT_PAGE_SIZE)
	for (i = 0; i < (gb ? 1 : 2) * ENTRIES; i++) {
		uint64_t pt = i < ENTRIES ?
			      guard_table(g, PAGE(PG_PT_GUARD), i) : 0;

		/* the table first: the PD entry points at a whole one */
		if (pt) {
			ret = build_guard_pt(vm, pt, i, g);
			if (ret)
				return ret;
		}
		set_entry(pg[PG_PD_LOW0 + i / ENTRIES], i % ENTRIES,
			  pt ? pt | PT_FLAGS : ((uint64_t)i << 21) | PT_LARGE);
	}
	set_entry(pg[PG_PDPT], 0, PAGE(PG_PD_LOW0) | PT_FLAGS);
	set_entry(pg[PG_PDPT], 1, gb ? (1ULL << 30) | PT_LARGE :
				      PAGE(PG_PD_LOW1) | PT_FLAGS);
	set_entry(pg[PG_PT_HIGH], 511, KVMKIT_RESULT_BASE | PT_FLAGS);
	set_entry(pg[PG_PD_HIGH], 511, PAGE(PG_PT_HIGH) | PT_FLAGS);
	set_entry(pg[PG_PDPT], 3, PAGE(PG_PD_HIGH) | PT_FLAGS);
	/* Last, so that the map appears whole to a vCPU already running */
	set_entry(pg[PG_PML4], 0, PAGE(PG_PDPT) | PT_FLAGS);
#undef PAGE
	return 0;
}

static uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned int access,
			 unsigned int flags)
{
	return (limit & 0xffffULL) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}

/* Access bytes have the accessed bit set so the CPU never writes the GDT */
#define ACC_CODE	0x9b	/* present, DPL 0, code, execute/read */
#define ACC_DATA	0x93	/* present, DPL 0, data, read/write */
#define ACC_TSS		(0x80 | KVMKIT_X86_TYPE_TSS64_BUSY)
#define FLG_LONG	0xa	/* G, L */
#define FLG_32		0xc	/* G, D/B */

/* One CPU's GDT: the boot entries of abi.h, its TSS descriptor at tss */
static int build_gdt(struct kvmkit_vm *vm, uint64_t where, uint64_t tss)
{
	uint64_t gdt[6] = {
		[KVMKIT_SEL_CODE64 >> 3] = seg_desc(0, 0xfffff, ACC_CODE, FLG_LONG),
		[KVMKIT_SEL_DATA >> 3] = seg_desc(0, 0xfffff, ACC_DATA, FLG_32),
		[KVMKIT_SEL_TSS >> 3] = seg_desc((uint32_t)tss,
						 KVMKIT_X86_TSS_SIZE - 1,
						 ACC_TSS, 0),
		[(KVMKIT_SEL_TSS >> 3) + 1] = tss >> 32,
		[KVMKIT_SEL_CODE32 >> 3] = seg_desc(0, 0xfffff, ACC_CODE, FLG_32),
	};

	return kvmkit_vm_write(vm, where, gdt, sizeof(gdt));
}

static int build_idt(struct kvmkit_vm *vm, const struct kvmkit_payload_header *h)
{
	uint64_t idt[KVMKIT_VECTOR_COUNT][2];
	unsigned int v;

	for (v = 0; v < KVMKIT_VECTOR_COUNT; v++) {
		uint64_t off = h->vectors + (uint64_t)v * KVMKIT_VECTOR_STUB_SIZE;
		uint64_t ist = (v == 2 || v == 8 || v == 18) ? KVMKIT_DF_IST : 0;

		idt[v][0] = (off & 0xffff) | ((uint64_t)KVMKIT_SEL_CODE64 << 16) |
			    (ist << 32) |
			    ((0x80ULL | KVMKIT_X86_TYPE_INTR_GATE) << 40) |
			    ((off >> 16 & 0xffff) << 48);
		idt[v][1] = off >> 32;
	}
	return kvmkit_vm_write(vm, h->idt, idt, sizeof(idt));
}

/*
 * TSS IST1 -> the top of the IST1 stack, which abi.h puts right above
 * the CPU's main stack.  Stored by the host because every guest
 * instruction may be emulated and the store's page is one more shadow
 * fault before main().  Only while the field is still zero, so a payload
 * that sets its own keeps it, and only when the stack fits the image:
 * otherwise the header is not the runtime's layout.
 */
static int set_ist1(struct kvmkit_vm *vm, uint64_t tss, uint64_t stack_top,
		    uint64_t image_end)
{
	const uint64_t where = tss + KVMKIT_TSS_IST1_OFFSET;
	uint64_t top = stack_top + KVMKIT_IST1_SIZE, cur;
	int ret;

	if (top < stack_top || top > image_end)
		return 0;
	ret = kvmkit_vm_read(vm, where, &cur, sizeof(cur));
	if (ret || cur)
		return ret;
	return kvmkit_vm_write(vm, where, &top, sizeof(top));
}

/* A CPU's TSS: no I/O bitmap, IST1 */
static int build_tss(struct kvmkit_vm *vm, uint64_t tss, uint64_t stack_top,
		     uint64_t image_end)
{
	const uint16_t iomap = KVMKIT_X86_TSS_SIZE;

	return kvmkit_vm_write(vm, tss + TSS_IOMAP_OFFSET, &iomap,
			       sizeof(iomap)) ?:
	       set_ist1(vm, tss, stack_top, image_end);
}

/* Where CPU cpu's tables and stack are (abi.h: CPU 0's in the header) */
struct cpu_layout {
	uint64_t gdt, tss, stack_top, rip;
};

static void cpu_layout(const struct kvmkit_payload_header *h,
		       const struct kvmkit_smp_desc *d, uint32_t cpu,
		       struct cpu_layout *l)
{
	uint64_t area = d->areas + (uint64_t)(cpu - 1) * KVMKIT_CPU_AREA_SIZE;

	if (!cpu) {
		l->gdt = h->gdt;
		l->tss = h->tss;
		l->stack_top = h->stack_top;
		l->rip = h->entry;
		return;
	}
	l->gdt = area + KVMKIT_CPU_GDT;
	l->tss = area + KVMKIT_CPU_TSS;
	l->stack_top = area + KVMKIT_CPU_STACK_TOP;
	l->rip = d->ap_entry;
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		    int code64)
{
	memset(s, 0, sizeof(*s));
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->l = code64;
	s->db = !code64;
	s->g = 1;
}

static void boot_sregs(struct kvm_sregs *sr, const struct cpu_layout *l,
		       uint64_t cr3, uint32_t vcpu_id)
{
	memset(sr, 0, sizeof(*sr));
	set_seg(&sr->cs, KVMKIT_SEL_CODE64, 0xb, 1);
	set_seg(&sr->ds, KVMKIT_SEL_DATA, 0x3, 0);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->tr.base = l->tss;
	sr->tr.limit = KVMKIT_X86_TSS_SIZE - 1;
	sr->tr.selector = KVMKIT_SEL_TSS;
	sr->tr.type = KVMKIT_X86_TYPE_TSS64_BUSY;
	sr->tr.present = 1;
	sr->ldt.type = 0x2;
	sr->ldt.unusable = 1;
	sr->gdt.base = l->gdt;
	sr->gdt.limit = KVMKIT_GDT_ENTRIES * 8 - 1;
	sr->idt.limit = KVMKIT_VECTOR_COUNT * 16 - 1;
	sr->cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_MP | KVMKIT_X86_CR0_ET |
		  KVMKIT_X86_CR0_NE | KVMKIT_X86_CR0_WP | KVMKIT_X86_CR0_PG;
	sr->cr3 = cr3;
	sr->cr4 = KVMKIT_X86_CR4_PAE | KVMKIT_X86_CR4_OSFXSR |
		  KVMKIT_X86_CR4_OSXMMEXCPT;
	sr->efer = KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA;
	/* KVM's reset value, so that no KVM_GET_SREGS is needed first */
	sr->apic_base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
			(vcpu_id == 0 ? APIC_BASE_BSP : 0);
}

/*
 * KVM_SET_SREGS also sets the APIC base, which has no neutral value.  The
 * reset value is right unless the caller moved the APIC (or switched it to
 * x2APIC mode, which KVM will not leave this way): only then is a
 * KVM_GET_SREGS worth its cost, to keep the current base.
 */
static int set_boot_sregs(struct kvmkit_vcpu *vcpu, struct kvm_sregs *sr)
{
	struct kvm_sregs cur;
	int ret;

	if (!kvmkit_ioctl(vcpu->fd, KVM_SET_SREGS, sr))
		return 0;
	if (errno != EINVAL)
		return kvmkit_vcpu_fail(vcpu, errno, "KVM_SET_SREGS");
	ret = kvmkit_vcpu_get_sregs(vcpu, &cur);
	if (ret)
		return ret;
	sr->apic_base = cur.apic_base;
	return kvmkit_vcpu_set_sregs(vcpu, sr);
}

/* The header in guest memory, checked again: the guest can change it */
static int read_header(const struct kvmkit_vm *vm,
		       struct kvmkit_payload_header *h,
		       struct kvmkit_smp_desc *d, char *why, size_t len)
{
	int ret;

	if (kvmkit_vm_read(vm, KVMKIT_PAYLOAD_BASE, h, sizeof(*h))) {
		snprintf(why, len, "payload: no RAM at 0x%x", KVMKIT_PAYLOAD_BASE);
		return -EFAULT;
	}
	ret = kvmkit_arch_payload_check(h, h->image_end, kvmkit_ram_size(vm),
					why, len);
	return ret ?: kvmkit_payload_smp_read(vm, d, why, len);
}

int kvmkit_payload_setup(struct kvmkit_vm *vm, const struct kvm_cpuid2 *cpuid)
{
	struct kvmkit_payload_header h;
	struct kvmkit_smp_desc d;
	char why[KVMKIT_ERR_MAX];
	struct cpu_layout l;
	struct guards g;
	int gb = has_1g_pages(cpuid);
	uint32_t cpu;
	int ret = read_header(vm, &h, &d, why, sizeof(why));

	if (ret)
		return KVMKIT_VM_ERR(vm, -ret, "%s", why);
	/* 32-bit payloads run one CPU: boot32.c builds it all per vCPU */
	if (h.guest_mode != KVMKIT_GUEST_MODE_64)
		return 0;

	h.host_flags |= gb ? KVMKIT_HOST_1G_PAGES : 0;
	g.cpu0 = h.stack_top - KVMKIT_STACK_SIZE - KVMKIT_STACK_GUARD_SIZE;
	g.d = &d;
	ret = build_page_tables(vm, h.pagetable, gb, &g) ?:
	      build_idt(vm, &h) ?:
	      kvmkit_vm_write(vm, KVMKIT_PAYLOAD_BASE +
			      offsetof(struct kvmkit_payload_header, host_flags),
			      &h.host_flags, sizeof(h.host_flags));
	/* every CPU's GDT and TSS: all are in place before any CPU runs */
	for (cpu = 0; !ret && cpu < d.cpus; cpu++) {
		cpu_layout(&h, &d, cpu, &l);
		ret = build_gdt(vm, l.gdt, l.tss) ?:
		      build_tss(vm, l.tss, l.stack_top, h.image_end);
	}
	if (ret)
		return KVMKIT_VM_ERR(vm, -ret,
				     "payload: writing boot tables failed");
	return 0;
}

/*
 * With an in-kernel LAPIC KVM starts every vCPU but the BSP waiting for
 * INIT/SIPI (KVM_MP_STATE_UNINITIALIZED); an AP booted here is already in
 * long mode, so it is made runnable.  Without one the state is RUNNABLE
 * already and KVM accepts setting it again.
 */
static int make_runnable(struct kvmkit_vcpu *vcpu)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	return kvmkit_vcpu_set_mp_state(vcpu, &mp);
}

int kvmkit_payload_boot_cpu(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_payload_header h;
	struct kvmkit_smp_desc d;
	char why[KVMKIT_ERR_MAX];
	struct cpu_layout l;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret = read_header(vcpu->vm, &h, &d, why, sizeof(why));

	if (ret)
		return kvmkit_set_error(vcpu->err, -ret, "%s (vcpu %u)", why,
					vcpu->id);
	if (vcpu->id >= d.cpus)
		return kvmkit_set_error(vcpu->err, EINVAL,
					"payload: runs on %u CPU(s) (KVMKIT_GUEST_CPUS), vcpu %u has none",
					d.cpus, vcpu->id);
	if (h.guest_mode != KVMKIT_GUEST_MODE_64)
		return kvmkit_arch_boot32(vcpu, &h);
	cpu_layout(&h, &d, vcpu->id, &l);
	boot_sregs(&sregs, &l, h.pagetable, vcpu->id);
	sregs.idt.base = h.idt;
	ret = set_boot_sregs(vcpu, &sregs);
	if (!ret && vcpu->id)
		ret = make_runnable(vcpu);
	if (ret)
		return ret;
	memset(&regs, 0, sizeof(regs));
	regs.rip = l.rip;
	regs.rsp = l.stack_top;
	regs.rdi = vcpu->id;
	regs.rflags = KVMKIT_X86_RFLAGS_FIXED | KVMKIT_X86_RFLAGS_IF;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

int kvmkit_payload_boot(struct kvmkit_vcpu *vcpu,
			const struct kvm_cpuid2 *cpuid)
{
	int ret = kvmkit_payload_setup(vcpu->vm, cpuid);

	if (ret)
		return kvmkit_set_error(vcpu->err, -ret, "%s (vcpu %u)",
					vcpu->vm->err, vcpu->id);
	return kvmkit_payload_boot_cpu(vcpu);
}
