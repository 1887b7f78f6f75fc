// SPDX-License-Identifier: MIT
/*
 * Editing the 4-level page tables from the guest: map, unmap and change
 * the flags of 4 KiB and 2 MiB pages, splitting a 2 MiB or 1 GiB page
 * when a change inside it is asked for.  New tables come from the guest
 * heap and are reached through the identity map (their address is their
 * physical address), as are the host's (kvm_pagetable).
 *
 * Entries above a leaf that this file creates are present, writable and
 * user (P|W|U), so the leaf alone decides the rights; a split copies the
 * large page's rights into every new leaf, so it changes no translation.
 */
#include "frame.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)	/* in a PDE/PDPTE; PAT in a PTE */
#define PTE_G		(1ULL << 8)
#define PTE_PAT_LARGE	(1ULL << 12)	/* PAT in a 2 MiB/1 GiB leaf */
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL
#define PTE_TABLE	(PTE_P | PTE_W | PTE_U)
/* What a split copies into the smaller leaves */
#define PTE_RIGHTS	(PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_D | \
			 PTE_G | PTE_NX)

#define LEVEL_SHIFT(level)	(12 + 9 * ((level) - 1))
#define LEVEL_SIZE(level)	(1ULL << LEVEL_SHIFT(level))
#define INDEX(va, level)	(((va) >> LEVEL_SHIFT(level)) & 511)

static uint64_t pte_bits(unsigned int flags)
{
	return (flags & KVM_PAGE_WRITE ? PTE_W : 0) |
	       (flags & KVM_PAGE_USER ? PTE_U : 0) |
	       (flags & KVM_PAGE_PWT ? PTE_PWT : 0) |
	       (flags & KVM_PAGE_PCD ? PTE_PCD : 0) |
	       (flags & KVM_PAGE_GLOBAL ? PTE_G : 0) |
	       (flags & KVM_PAGE_NX ? PTE_NX : 0);
}

static volatile uint64_t *table_at(uint64_t entry)
{
	return (volatile uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

static int canonical(uintptr_t va)
{
	return (uintptr_t)((intptr_t)(va << 16) >> 16) == va;
}

void kvm_invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/*
 * Every translation, global ones too: toggling CR4.PGE does that (and
 * flushes all PCIDs); without PGE, reloading CR3 is enough.
 */
static void flush_all(void)
{
	unsigned long cr4 = kvm_read_cr4();

	if (cr4 & CR4_PGE) {
		kvm_set_cr4(cr4 & ~(unsigned long)CR4_PGE);
		kvm_set_cr4(cr4);
	} else {
		kvm_set_cr3(kvm_read_cr3() & ~(1UL << 63));
	}
}

static uint64_t new_table(void)
{
	void *page = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);

	memset(page, 0, PAGESIZE);
	return (uintptr_t)page;
}

/* Replace the large leaf *e at level (2 or 3) by a table of smaller ones */
static void split(volatile uint64_t *e, int level)
{
	uint64_t old = *e, rights = old & PTE_RIGHTS, base, child;
	volatile uint64_t *t;
	unsigned int i;

	base = old & PTE_ADDR & ~(LEVEL_SIZE(level) - 1);
	child = new_table();
	t = table_at(child);
	for (i = 0; i < 512; i++) {
		uint64_t pa = base + (uint64_t)i * LEVEL_SIZE(level - 1);

		if (level - 1 == 1)
			t[i] = pa | PTE_P | rights |
			       (old & PTE_PAT_LARGE ? PTE_PS : 0);
		else
			t[i] = pa | PTE_P | rights | PTE_PS |
			       (old & PTE_PAT_LARGE);
	}
	*e = child | PTE_TABLE;
}

/*
 * The entry for va at leaf_level (1: PTE, 2: PDE), splitting large pages
 * above it and, with create, adding missing tables; with user, the U bit
 * is set on every entry of the path.  NULL when va is not mapped and
 * create is 0.  *flush is set when the TLB needs more than an INVLPG.
 */
static volatile uint64_t *walk(uintptr_t va, int leaf_level, int create,
			       int user, int *flush)
{
	volatile uint64_t *table = table_at(kvm_read_cr3()), *e;
	int level;

	for (level = 4; level > leaf_level; level--) {
		e = &table[INDEX(va, level)];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			*e = new_table() | PTE_TABLE;
		} else if (level <= 3 && (*e & PTE_PS)) {
			split(e, level);
			*flush = 1;
		}
		if (user && !(*e & PTE_U)) {
			*e |= PTE_U;
			*flush = 1;
		}
		table = table_at(*e);
	}
	return &table[INDEX(va, leaf_level)];
}

static void invalidate(uintptr_t va, int flush)
{
	if (flush)
		flush_all();
	else
		kvm_invlpg(va);
}

/*
 * All CPUs of an SMP payload share one set of page tables: an edit is a
 * walk that may create or split tables, then a store, and two at once
 * would lose one CPU's new table (kvm_apic_enable() on every CPU maps
 * the xAPIC page).  Each edit holds this lock.  Invalidation stays the
 * editing CPU's own, as on hardware: other CPUs are the test's to flush.
 */
static kvm_spinlock_t pt_lock;

int kvm_map_page(uintptr_t va, uint64_t pa, unsigned int flags)
{
	int large = !!(flags & KVM_PAGE_LARGE), flush = 0;
	uint64_t align = large ? LEVEL_SIZE(2) - 1 : PAGESIZE - 1;
	volatile uint64_t *e;

	if ((va & align) || (pa & align) || !canonical(va) ||
	    (pa & ~PTE_ADDR))
		return -1;
	kvm_spin_lock(&pt_lock);
	e = walk(va, large ? 2 : 1, 1, flags & KVM_PAGE_USER, &flush);
	/* A 2 MiB page over a table: the old 4 KiB translations must go */
	if (large && (*e & PTE_P) && !(*e & PTE_PS))
		flush = 1;
	*e = pa | PTE_P | pte_bits(flags) | (large ? PTE_PS : 0);
	kvm_spin_unlock(&pt_lock);
	invalidate(va, flush);
	return 0;
}

int kvm_unmap_page(uintptr_t va)
{
	volatile uint64_t *e;
	int flush = 0;

	if (!canonical(va))
		return -1;
	kvm_spin_lock(&pt_lock);
	e = walk(va & ~(uintptr_t)(PAGESIZE - 1), 1, 0, 0, &flush);
	if (!e || !(*e & PTE_P)) {
		kvm_spin_unlock(&pt_lock);
		return -1;
	}
	*e = 0;
	kvm_spin_unlock(&pt_lock);
	invalidate(va, flush);
	return 0;
}

/* The leaf mapping va, whatever its size, without splitting it */
static volatile uint64_t *leaf(uintptr_t va, int *level)
{
	volatile uint64_t *table = table_at(kvm_read_cr3()), *e;
	int l;

	for (l = 4; l >= 1; l--) {
		e = &table[INDEX(va, l)];
		if (!(*e & PTE_P))
			return NULL;
		if (l == 1 || (l <= 3 && (*e & PTE_PS))) {
			*level = l;
			return e;
		}
		table = table_at(*e);
	}
	return NULL;
}

int kvm_set_page_flags(uintptr_t va, unsigned int set, unsigned int clear)
{
	volatile uint64_t *e;
	int flush = 0, level;

	if (!canonical(va))
		return -1;
	kvm_spin_lock(&pt_lock);
	if ((set | clear) & KVM_PAGE_LARGE) {
		/* The 2 MiB or 1 GiB page around va, as a whole */
		e = leaf(va, &level);
		if (!e || level == 1)
			goto fail;
		if (set & KVM_PAGE_USER)
			walk(va, level, 0, 1, &flush);
	} else {
		e = walk(va, 1, 0, set & KVM_PAGE_USER, &flush);
		if (!e || !(*e & PTE_P))
			goto fail;
	}
	*e = (*e | pte_bits(set)) & ~pte_bits(clear);
	kvm_spin_unlock(&pt_lock);
	invalidate(va, flush);
	return 0;
fail:
	kvm_spin_unlock(&pt_lock);
	return -1;
}

uint64_t kvm_get_page_entry(uintptr_t va, int *level)
{
	volatile uint64_t *e;
	int l = 0;

	e = canonical(va) ? leaf(va, &l) : NULL;
	if (level)
		*level = l;
	return e ? *e : 0;
}

/*
 * Make [start, end) reachable from CPL 3: the U bit on every entry of
 * every present path, large leaves included (nothing is split).
 */
void kvmkit_x86_user_range(uintptr_t start, uintptr_t end)
{
	uintptr_t va;
	int flush = 0, level;

	for (va = start & ~(uintptr_t)(PAGESIZE - 1); va < end; va += PAGESIZE) {
		if (!leaf(va, &level))
			continue;
		walk(va, level, 0, 1, &flush);
		*leaf(va, &level) |= PTE_U;
	}
	flush_all();
}

static int has_invpcid(void)
{
	struct kvm_cpuid id;

	kvm_get_cpuid(0, 0, &id);
	if (id.eax < 7)
		return 0;
	kvm_get_cpuid(7, 0, &id);
	return !!(id.ebx & (1U << 10));
}

int kvm_invpcid(unsigned long type, unsigned long pcid, uintptr_t va)
{
	struct {
		uint64_t pcid, va;
	} desc = { pcid, va };
	int vec;

	/* What a CPU without it does, without asking the host to decode it */
	if (!has_invpcid())
		return INTR_BAD_OPCODE;
	asm volatile("1: invpcid %1, %2\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "=a"(vec)
		     : "m"(desc), "r"(type)
		     : "memory");
	return vec;
}

int kvm_pcid_supported(void)
{
	struct kvm_cpuid id;

	kvm_get_cpuid(1, 0, &id);
	return !!(id.ecx & (1U << 17));
}

int kvm_pcid_enable(void)
{
	unsigned long cr3 = kvm_read_cr3();
	int vec;

	/* CR4.PCIDE 0 -> 1 needs CR3[11:0] = 0 (else #GP) */
	if (cr3 & 0xfff) {
		vec = kvm_set_cr3_safe(cr3 & PTE_ADDR);
		if (vec)
			return vec;
	}
	return kvm_set_cr4_safe(kvm_read_cr4() | CR4_PCIDE);
}

int kvm_pcid_disable(void)
{
	int vec;

	if (!(kvm_read_cr4() & CR4_PCIDE))
		return 0;
	/* Back to PCID 0 first, so CR3's low bits mean PWT/PCD again */
	vec = kvm_set_cr3_safe(kvm_read_cr3() & PTE_ADDR);
	if (vec)
		return vec;
	return kvm_set_cr4_safe(kvm_read_cr4() & ~(unsigned long)CR4_PCIDE);
}

int kvm_switch_pcid(unsigned int pcid, int noflush)
{
	return kvm_set_cr3_safe((kvm_read_cr3() & PTE_ADDR) | (pcid & 0xfff) |
				(noflush ? 1UL << 63 : 0));
}
