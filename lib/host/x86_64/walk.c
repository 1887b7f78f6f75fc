// SPDX-License-Identifier: MIT
/*
 * Guest-virtual to guest-physical translation by walking the guest's own
 * page tables, as the CPU would for a supervisor read.  The tables are
 * guest memory, hence hostile: every entry is read through a bounds-checked
 * translation, and each mode has a fixed number of levels, so a table that
 * points at itself (or anything else) can never make the walk loop.
 * Accessed/dirty bits are set only when asked (KVMKIT_WALK_SET_AD).
 */
#include <string.h>
#include <kvmkit/x86.h>
#include "internal.h"

#define PAGE_SHIFT	12
#define PAGE_OFFSET	0xfffULL

/*
 * One walk: what it checks, what it marks, where it failed.  Entries used
 * are remembered so that accessed/dirty bits are set only once the walk
 * has succeeded, as the CPU sets them only for a translation it uses.
 */
struct walk {
	struct kvmkit_vm *vm;
	unsigned int flags;
	int check_rw;			/* a write the CPU checks RW for */
	int nxe;			/* EFER.NXE: XD is a bit, not reserved */
	struct kvmkit_walk_fault *f;
	unsigned int n;
	uint64_t used[5];		/* gpa of each entry used */
	size_t used_size[5];
	int markable[5];		/* PAE PDPTEs have no A bit */
};

static int fail(struct walk *w, enum kvmkit_walk_why why, int level, int bit,
		uint64_t entry_gpa, uint64_t entry)
{
	w->f->why = why;
	w->f->level = level;
	w->f->bit = bit;
	w->f->entry_gpa = entry_gpa;
	w->f->entry = entry;
	return -EFAULT;
}

/*
 * One page-table entry of size bytes, present and (when asked) writable
 * and user-accessible.  Tables are naturally aligned, so an atomic load
 * gives a value the guest really wrote even while another vCPU is
 * changing it.  perms 0: an entry without permission bits (PAE PDPTE).
 */
static int read_entry(struct walk *w, int level, uint64_t gpa, size_t size,
		      int perms, uint64_t *entry)
{
	const void *p = kvmkit_gpa_to_hva(w->vm, gpa, size);
	uint64_t e;

	if (!p)
		return fail(w, KVMKIT_WALK_TABLE_NOT_RAM, level, -1, gpa, 0);
	if (size == 8)
		e = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	else
		e = __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
	if (!(e & KVMKIT_X86_PTE_P))
		return fail(w, KVMKIT_WALK_NOT_PRESENT, level, 0, gpa, e);
	if (perms && w->check_rw && !(e & KVMKIT_X86_PTE_RW))
		return fail(w, KVMKIT_WALK_WRITE_PROTECTED, level, 1, gpa, e);
	if (perms && (w->flags & KVMKIT_WALK_USER) && !(e & KVMKIT_X86_PTE_US))
		return fail(w, KVMKIT_WALK_SUPERVISOR, level, 2, gpa, e);
	/*
	 * XD exists in 8-byte entries that carry permissions (not in a PAE
	 * PDPTE, not in legacy 4-byte entries): reserved without EFER.NXE,
	 * else it forbids fetches through this entry at any level.
	 */
	if (perms && size == 8 && (e & KVMKIT_X86_PTE_NX)) {
		if (!w->nxe)
			return fail(w, KVMKIT_WALK_RESERVED, level, 63, gpa, e);
		if (w->flags & KVMKIT_WALK_FETCH)
			return fail(w, KVMKIT_WALK_NO_EXECUTE, level, 63, gpa,
				    e);
	}
	if (w->n < 5) {
		w->used[w->n] = gpa;
		w->used_size[w->n] = size;
		w->markable[w->n++] = perms;
	}
	*entry = e;
	return 0;
}

/* The walk succeeded: A in every entry used, D in the leaf for a write */
static void mark(struct walk *w)
{
	unsigned int i;

	if (!(w->flags & KVMKIT_WALK_SET_AD))
		return;
	for (i = 0; i < w->n; i++) {
		uint64_t bits = KVMKIT_X86_PTE_A;
		void *p = kvmkit_gpa_to_hva(w->vm, w->used[i], w->used_size[i]);

		if (!w->markable[i] || !p)
			continue;
		if (i == w->n - 1 && (w->flags & KVMKIT_WALK_WRITE))
			bits |= KVMKIT_X86_PTE_D;
		if (w->used_size[i] == 8)
			__atomic_fetch_or((uint64_t *)p, bits, __ATOMIC_RELAXED);
		else
			__atomic_fetch_or((uint32_t *)p, (uint32_t)bits,
					  __ATOMIC_RELAXED);
	}
}

/* Bits [shift, shift + bits) of gva: the index into one level's table */
static unsigned int index_of(uint64_t gva, unsigned int shift,
			     unsigned int bits)
{
	return (gva >> shift) & ((1u << bits) - 1);
}

/* A large page: the entry's frame above the page size, gva's offset below */
static uint64_t large_page(uint64_t entry, uint64_t frame_mask,
			   unsigned int shift, uint64_t gva)
{
	uint64_t offset = (1ULL << shift) - 1;

	return (entry & frame_mask & ~offset) | (gva & offset);
}

/*
 * 4-level (or 5-level with CR4.LA57) long-mode paging.  PS is honoured in
 * PDPTEs (1 GiB) and PDEs (2 MiB) only; it is reserved above, where the
 * CPU would raise #PF, so the walk fails there too.
 */
static int walk_long(struct walk *w, uint64_t cr3, int la57, uint64_t gva,
		     uint64_t *gpa)
{
	int levels = la57 ? 5 : 4;
	unsigned int va_bits = PAGE_SHIFT + 9 * levels;
	uint64_t table = cr3 & KVMKIT_X86_PTE_ADDR;
	int64_t canon;
	int level;

	/* Non-canonical addresses #GP before any table is consulted */
	canon = (int64_t)(gva << (64 - va_bits)) >> (64 - va_bits);
	if ((uint64_t)canon != gva)
		return fail(w, KVMKIT_WALK_NON_CANONICAL, 0, -1, 0, 0);

	for (level = levels; level >= 1; level--) {
		unsigned int shift = PAGE_SHIFT + 9 * (level - 1);
		uint64_t at = table + 8 * index_of(gva, shift, 9), e;

		if (read_entry(w, level, at, 8, 1, &e))
			return -EFAULT;
		if (level == 1) {
			*gpa = (e & KVMKIT_X86_PTE_ADDR) | (gva & PAGE_OFFSET);
			return 0;
		}
		if (e & KVMKIT_X86_PTE_PS) {
			if (level > 3)
				return fail(w, KVMKIT_WALK_RESERVED, level, 7, at, e);
			*gpa = large_page(e, KVMKIT_X86_PTE_ADDR, shift, gva);
			return 0;
		}
		table = e & KVMKIT_X86_PTE_ADDR;
	}
	return -EFAULT;	/* not reached: level 1 always returns */
}

/* 32-bit PAE paging: 4 PDPTEs (no PS), then PD (PS = 2 MiB), then PT */
static int walk_pae(struct walk *w, uint64_t cr3, uint64_t gva, uint64_t *gpa)
{
	uint64_t e;

	if (read_entry(w, 3, (cr3 & 0xffffffe0) + 8 * index_of(gva, 30, 2), 8,
		       0, &e) ||
	    read_entry(w, 2, (e & KVMKIT_X86_PTE_ADDR) + 8 * index_of(gva, 21, 9),
		       8, 1, &e))
		return -EFAULT;
	if (e & KVMKIT_X86_PTE_PS) {
		*gpa = large_page(e, KVMKIT_X86_PTE_ADDR, 21, gva);
		return 0;
	}
	if (read_entry(w, 1, (e & KVMKIT_X86_PTE_ADDR) + 8 * index_of(gva, 12, 9),
		       8, 1, &e))
		return -EFAULT;
	*gpa = (e & KVMKIT_X86_PTE_ADDR) | (gva & PAGE_OFFSET);
	return 0;
}

/*
 * Legacy 2-level paging with 4-byte entries; PS (4 MiB, with the PSE-36
 * high address bits 20:13) only when CR4.PSE is set, as the CPU ignores it
 * otherwise.
 */
static int walk_legacy(struct walk *w, uint64_t cr3, int pse, uint64_t gva,
		       uint64_t *gpa)
{
	uint64_t e;

	if (read_entry(w, 2, (cr3 & 0xfffff000) + 4 * index_of(gva, 22, 10), 4,
		       1, &e))
		return -EFAULT;
	if (pse && (e & KVMKIT_X86_PTE_PS)) {
		*gpa = (e & 0xffc00000) | (((e >> 13) & 0xff) << 32) |
		       (gva & 0x3fffff);
		return 0;
	}
	if (read_entry(w, 1, (e & 0xfffff000) + 4 * index_of(gva, 12, 10), 4,
		       1, &e))
		return -EFAULT;
	*gpa = (e & 0xfffff000) | (gva & PAGE_OFFSET);
	return 0;
}

static int walk(struct walk *w, uint64_t cr0, uint64_t cr3, uint64_t cr4,
		uint64_t efer, uint64_t gva, uint64_t *gpa)
{
	if (!(cr0 & KVMKIT_X86_CR0_PG)) {
		/* Without paging, linear addresses are 32 bits wide */
		if (gva >> 32)
			return fail(w, KVMKIT_WALK_TOO_WIDE, 0, -1, 0, 0);
		*gpa = gva;
		return 0;
	}
	/* LMA = LME && PG: either bit tells that long-mode paging is on */
	if (efer & (KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_LME))
		return walk_long(w, cr3, !!(cr4 & KVMKIT_X86_CR4_LA57), gva,
				 gpa);
	if (gva >> 32)
		return fail(w, KVMKIT_WALK_TOO_WIDE, 0, -1, 0, 0);
	if (cr4 & KVMKIT_X86_CR4_PAE)
		return walk_pae(w, cr3, gva, gpa);
	return walk_legacy(w, cr3, !!(cr4 & KVMKIT_X86_CR4_PSE), gva, gpa);
}

int kvmkit_x86_walk_ex(struct kvmkit_vm *vm, uint64_t cr0, uint64_t cr3,
		       uint64_t cr4, uint64_t efer, uint64_t gva,
		       unsigned int flags, uint64_t *gpa,
		       struct kvmkit_walk_fault *fault)
{
	struct kvmkit_walk_fault none;
	struct walk w = {
		.vm = vm, .flags = flags, .f = fault ? fault : &none,
		/* a supervisor write ignores RW unless CR0.WP is set */
		.check_rw = (flags & KVMKIT_WALK_WRITE) &&
			    ((flags & KVMKIT_WALK_USER) || (cr0 & KVMKIT_X86_CR0_WP)),
		.nxe = !!(efer & KVMKIT_X86_EFER_NXE),
	};
	int ret;

	memset(w.f, 0, sizeof(*w.f));
	w.f->bit = -1;
	w.f->gva = gva;
	ret = walk(&w, cr0, cr3, cr4, efer, gva, gpa);
	if (!ret)
		mark(&w);
	return ret;
}

int kvmkit_x86_walk(const struct kvmkit_vm *vm, uint64_t cr0, uint64_t cr3,
		    uint64_t cr4, uint64_t efer, uint64_t gva, uint64_t *gpa)
{
	/* flags 0: nothing is written, the VM stays as const as promised */
	return kvmkit_x86_walk_ex((struct kvmkit_vm *)(uintptr_t)vm, cr0, cr3,
				  cr4, efer, gva, 0, gpa, NULL);
}

static const char *const why_names[] = {
	[KVMKIT_WALK_OK] = "ok",
	[KVMKIT_WALK_NOT_PRESENT] = "not present",
	[KVMKIT_WALK_RESERVED] = "reserved bit set",
	[KVMKIT_WALK_WRITE_PROTECTED] = "read-only",
	[KVMKIT_WALK_SUPERVISOR] = "supervisor-only",
	[KVMKIT_WALK_TABLE_NOT_RAM] = "table outside RAM",
	[KVMKIT_WALK_NON_CANONICAL] = "non-canonical",
	[KVMKIT_WALK_TOO_WIDE] = "above 4 GiB in a 32-bit mode",
	[KVMKIT_WALK_NO_EXECUTE] = "execute-disabled",
};

const char *kvmkit_walk_why_name(enum kvmkit_walk_why why)
{
	if ((unsigned int)why >= sizeof(why_names) / sizeof(why_names[0]) ||
	    !why_names[why])
		return "unknown";
	return why_names[why];
}

/* The _arch_ translation with access flags and the fault (guest_copy.c) */
int kvmkit_arch_mmu_translate_ex(struct kvmkit_vm *vm,
				 const struct kvmkit_arch_mmu *mmu,
				 uint64_t gva, unsigned int flags,
				 uint64_t *gpa, struct kvmkit_walk_fault *fault)
{
	return kvmkit_x86_walk_ex(vm, mmu->cr0, mmu->cr3, mmu->cr4, mmu->efer,
				  gva, flags, gpa, fault);
}

int kvmkit_vcpu_gva_to_gpa(struct kvmkit_vcpu *vcpu, uint64_t gva,
			   uint64_t *gpa)
{
	struct kvmkit_walk_fault f;
	struct kvm_sregs sregs;
	int ret;

	ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	ret = kvmkit_x86_walk_ex(vcpu->vm, sregs.cr0, sregs.cr3, sregs.cr4,
				 sregs.efer, gva, 0, gpa, &f);
	if (ret)
		return kvmkit_set_error(vcpu->err, -ret,
					"guest address 0x%llx is not mapped to RAM: %s at level %d, entry 0x%llx at 0x%llx (cr3 0x%llx, vcpu %u)",
					(unsigned long long)gva,
					kvmkit_walk_why_name(f.why), f.level,
					(unsigned long long)f.entry,
					(unsigned long long)f.entry_gpa,
					(unsigned long long)sregs.cr3, vcpu->id);
	return 0;
}
