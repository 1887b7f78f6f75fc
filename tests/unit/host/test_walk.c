// SPDX-License-Identifier: MIT
/*
 * kvmkit_x86_walk on page tables fabricated in a fabricated VM (the layout
 * from lib/host/internal.h): 4 KiB, 2 MiB and 1 GiB pages, not-present
 * entries, tables outside RAM, PS where it is reserved, self-referencing
 * tables, 5-level, 32-bit PAE and legacy paging.  No /dev/kvm needed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"

#define RAM_SIZE	0x20000
#define P	KVMKIT_X86_PTE_P
#define RW	KVMKIT_X86_PTE_RW
#define PS	KVMKIT_X86_PTE_PS
#define CR0	(KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG)
#define CR4	KVMKIT_X86_CR4_PAE
/* NXE: PT[5] has XD, reserved without it (walk.c) */
#define EFER	(KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_NXE)

/* Long-mode tables */
#define PML4	0x1000
#define PDPT	0x2000
#define PD	0x3000
#define PT	0x4000
#define PML5	0x5000
/* 32-bit tables */
#define PAE_PDPT 0x8000
#define PAE_PD	0x9000
#define PAE_PT	0xa000
#define LEG_PD	0xc000
#define LEG_PT	0xd000

static struct kvmkit_vm vm;
static uint8_t *ram;

static void set64(uint64_t gpa, unsigned int i, uint64_t v)
{
	((uint64_t *)(ram + gpa))[i] = v;
}

static void set32(uint64_t gpa, unsigned int i, uint32_t v)
{
	((uint32_t *)(ram + gpa))[i] = v;
}

static void setup(void)
{
	ram = aligned_alloc(KVMKIT_PAGE_SIZE, RAM_SIZE);
	if (!ram)
		unit_skip_all("out of memory");
	memset(ram, 0, RAM_SIZE);
	memset(&vm, 0, sizeof(vm));
	vm.fd = -1;
	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.guest_phys_addr = 0,
		.memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)ram,
	};

	set64(PML4, 0, PDPT | P | RW);
	set64(PML4, 2, 0x200000 | P | RW | PS);	/* PS is reserved here */
	set64(PML4, 3, 0x80000000 | P | RW);		/* PDPT outside RAM */
	set64(PML4, 511, PML4 | P | RW);		/* recursive slot */
	set64(PDPT, 0, PD | P | RW);
	set64(PDPT, 1, 0x140000000ULL | P | RW | PS);	/* 1 GiB */
	set64(PDPT, 2, 0x123400000ULL | P | PS | (1ULL << 12)); /* PAT bit */
	set64(PDPT, 4, 0x7ffff000ULL | P);		/* PD outside RAM */
	set64(PD, 0, PT | P | RW);
	set64(PD, 1, 0x600000 | P | RW | PS);		/* 2 MiB */
	set64(PD, 2, 0x800000 | RW | PS);		/* not present */
	set64(PT, 5, 0x7000 | P | RW | KVMKIT_X86_PTE_NX);
	set64(PT, 6, 0x8000 | RW);			/* not present */
	set64(PT, 7, 0xfff0000000000000ULL | 0x9000 | P); /* high bits ignored */
	set64(PML5, 0, PML4 | P | RW);

	set64(PAE_PDPT, 0, PAE_PD | P);
	set64(PAE_PDPT, 2, 0x40000000 | P);		/* PD outside RAM */
	set64(PAE_PD, 0, PAE_PT | P | RW);
	set64(PAE_PD, 1, 0x400000 | P | RW | PS);
	set64(PAE_PT, 3, 0xb000 | P | RW);

	set32(LEG_PD, 0, LEG_PT | P | RW);
	set32(LEG_PD, 1, 0x00c00000 | (1u << 13) | P | RW | PS);
	set32(LEG_PT, 2, 0xe000 | P | RW);
	set32(LEG_PT, 4, 0xf000 | RW);
}

static int walk(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer,
		uint64_t gva, uint64_t *gpa)
{
	*gpa = 0xbad;
	return kvmkit_x86_walk(&vm, cr0, cr3, cr4, efer, gva, gpa);
}

#define WALK_OK(cr0, cr3, cr4, efer, gva, want, what) do {		\
	uint64_t _gpa;							\
	int _r = walk(cr0, cr3, cr4, efer, gva, &_gpa);			\
	CHECK_EQ(_r, 0, what ": walk succeeds");			\
	CHECK_EQ(_gpa, want, what ": address");				\
} while (0)

#define WALK_FAULT(cr0, cr3, cr4, efer, gva, what) do {		\
	uint64_t _gpa;							\
	CHECK_EQ(walk(cr0, cr3, cr4, efer, gva, &_gpa), -EFAULT, what);	\
} while (0)

static void test_long(void)
{
	WALK_OK(CR0, PML4, CR4, EFER, 0x5123, 0x7123, "4K page");
	WALK_OK(CR0, PML4 | 0x18, CR4, EFER, 0x5123, 0x7123,
		"4K page, CR3 flag bits ignored");
	WALK_OK(CR0, PML4, CR4, EFER, 0x7abc, 0x9abc,
		"4K page, NX and bits above 51 ignored");
	WALK_OK(CR0, PML4, CR4, EFER, 0x212345, 0x612345, "2M page");
	WALK_OK(CR0, PML4, CR4, EFER, 0x5abcdef1, 0x15abcdef1ULL, "1G page");
	WALK_OK(CR0, PML4, CR4, EFER, 0x7fffffff, 0x17fffffffULL, "1G page, last byte");
	WALK_OK(CR0, PML4, CR4, EFER, 0x80000010, 0x100000010ULL,
		"1G page: PAT bit 12 is not an address bit");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x6000, "4K not present");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x400000, "2M not present");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0xc0000000, "PDPT entry not present");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x8000000000ULL, "PML4 entry not present");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x10000000000ULL, "PS in a PML4E is reserved");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x18000000000ULL, "PDPT outside RAM");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x100000000ULL,
		   "PD outside RAM (PDPT[4] -> 0x7ffff000)");
	WALK_FAULT(CR0, 0x100000000ULL, CR4, EFER, 0x5123, "CR3 outside RAM");
	WALK_FAULT(CR0, RAM_SIZE - 8, CR4, EFER, 0x5123,
		   "CR3 pointing at the last entry of RAM, index past it");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0x0000800000000000ULL, "non-canonical");
	WALK_FAULT(CR0, PML4, CR4, EFER, 0xffff7fffffffffffULL, "non-canonical (high)");
	/* PML4[511] -> PML4: each level lands on the PML4 again, then stops */
	WALK_OK(CR0, PML4, CR4, EFER, 0xfffffffffffff008ULL, PML4 + 8,
		"recursive entry: fixed depth, no loop");
	WALK_OK(CR0, PML4, CR4, EFER, 0xffffffffc0000123ULL, PD + 0x123,
		"recursive entry twice, then PML4[0] and PDPT[0] as PT");
	/* LMA alone (as KVM reports it) and LME alone both mean long mode */
	WALK_OK(CR0, PML4, CR4, KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_NXE, 0x5123, 0x7123,
		"EFER.LMA only");
	WALK_OK(CR0, PML4, CR4, KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_NXE, 0x5123, 0x7123,
		"EFER.LME only");
}

static void test_la57(void)
{
	uint64_t cr4 = CR4 | KVMKIT_X86_CR4_LA57;

	WALK_OK(CR0, PML5, cr4, EFER, 0x5123, 0x7123, "5-level: 4K page");
	WALK_OK(CR0, PML5, cr4, EFER, 0x212345, 0x612345, "5-level: 2M page");
	WALK_FAULT(CR0, PML5, cr4, EFER, 0x0100000000000000ULL,
		   "5-level: PML5 entry not present");
	WALK_FAULT(CR0, PML5, cr4, EFER, 0x0080000000000000ULL,
		   "5-level: non-canonical");
	WALK_FAULT(CR0, PML5, cr4, EFER, 0x8000000000ULL * 2,
		   "5-level: PS in PML4E reserved");
}

static void test_paging_off(void)
{
	WALK_OK(KVMKIT_X86_CR0_PE, PML4, CR4, 0, 0x12345678, 0x12345678,
		"paging off: identity");
	WALK_OK(0, 0, 0, 0, 0xfffff000, 0xfffff000,
		"paging off: identity even outside RAM");
	WALK_FAULT(KVMKIT_X86_CR0_PE, 0, 0, 0, 0x100000000ULL,
		   "paging off: beyond 32 bits");
}

static void test_pae(void)
{
	WALK_OK(CR0, PAE_PDPT, CR4, 0, 0x3456, 0xb456, "PAE: 4K page");
	WALK_OK(CR0, PAE_PDPT, CR4, 0, 0x212345, 0x412345, "PAE: 2M page");
	WALK_FAULT(CR0, PAE_PDPT, CR4, 0, 0x4000, "PAE: PTE not present");
	WALK_FAULT(CR0, PAE_PDPT, CR4, 0, 0x40000000, "PAE: PDPTE not present");
	WALK_FAULT(CR0, PAE_PDPT, CR4, 0, 0x80000000, "PAE: PD outside RAM");
	WALK_FAULT(CR0, PAE_PDPT, CR4, 0, 0x100000000ULL, "PAE: beyond 32 bits");
}

static void test_legacy(void)
{
	uint64_t pse = KVMKIT_X86_CR4_PSE;

	WALK_OK(CR0, LEG_PD, 0, 0, 0x2abc, 0xeabc, "legacy: 4K page");
	WALK_OK(CR0, LEG_PD, pse, 0, 0x2abc, 0xeabc, "legacy+PSE: 4K page");
	WALK_OK(CR0, LEG_PD, pse, 0, 0x412345, 0x100c12345ULL,
		"legacy+PSE: 4M page with PSE-36 bits");
	WALK_FAULT(CR0, LEG_PD, 0, 0, 0x412345,
		   "legacy without PSE: PS ignored, PT outside RAM");
	WALK_FAULT(CR0, LEG_PD, 0, 0, 0x4000, "legacy: PTE not present");
	WALK_FAULT(CR0, LEG_PD, 0, 0, 0x800000, "legacy: PDE not present");
}

static void test_bits(void)
{
	/* Against the SDM's tables (vol. 3A 2.5, 4.5; 2.2.1 for EFER) */
	CHECK_EQ(KVMKIT_X86_CR0_PG, 0x80000000ULL, "CR0.PG is bit 31");
	CHECK_EQ(KVMKIT_X86_CR0_WP, 0x10000ULL, "CR0.WP is bit 16");
	CHECK_EQ(KVMKIT_X86_CR0_NE, 0x20ULL, "CR0.NE is bit 5");
	CHECK_EQ(KVMKIT_X86_CR4_PAE, 0x20ULL, "CR4.PAE is bit 5");
	CHECK_EQ(KVMKIT_X86_CR4_OSFXSR, 0x200ULL, "CR4.OSFXSR is bit 9");
	CHECK_EQ(KVMKIT_X86_CR4_OSXMMEXCPT, 0x400ULL, "CR4.OSXMMEXCPT is bit 10");
	CHECK_EQ(KVMKIT_X86_CR4_LA57, 0x1000ULL, "CR4.LA57 is bit 12");
	CHECK_EQ(KVMKIT_X86_EFER_LME, 0x100ULL, "EFER.LME is bit 8");
	CHECK_EQ(KVMKIT_X86_EFER_LMA, 0x400ULL, "EFER.LMA is bit 10");
	CHECK_EQ(KVMKIT_X86_PTE_PS, 0x80ULL, "PTE.PS is bit 7");
	CHECK_EQ(KVMKIT_X86_CPUID_PDPE1GB, 1ULL << 26, "CPUID Page1GB is EDX bit 26");
}

static uint64_t get64(uint64_t gpa, unsigned int i)
{
	return ((uint64_t *)(ram + gpa))[i];
}

#define A	KVMKIT_X86_PTE_A
#define D	KVMKIT_X86_PTE_D

/* Fault descriptions, access checks and A/D bits: last, as it marks */
static void test_walk_ex(void)
{
	struct kvmkit_walk_fault f;
	uint64_t gpa;

	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x6000, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NOT_PRESENT && f.level == 1 && f.bit == 0 &&
	      f.entry_gpa == PT + 6 * 8 && f.entry == (0x8000 | RW),
	      "not present: level 1 (PT), bit 0, the entry and where it lies");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x10000000000ULL, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_RESERVED && f.level == 4 && f.bit == 7,
	      "PS in a PML4E: reserved, level 4, bit 7");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x18000000000ULL, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_TABLE_NOT_RAM && f.level == 3 &&
	      f.entry_gpa == 0x80000000,
	      "a PDPT outside RAM: level 3, its address");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x0000800000000000ULL, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NON_CANONICAL && f.level == 0 && f.bit == -1,
	      "non-canonical: level 0, no bit");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PAE_PDPT, CR4, 0, 0x100000000ULL, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_TOO_WIDE, "above 4 GiB in PAE: too wide");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x5123, KVMKIT_WALK_USER, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_SUPERVISOR && f.level == 4 && f.bit == 2,
	      "a user access to supervisor tables: level 4, bit 2");
	CHECK(kvmkit_x86_walk_ex(&vm, CR0 | KVMKIT_X86_CR0_WP, PML4, CR4, EFER, 0x7abc,
				 KVMKIT_WALK_WRITE, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_WRITE_PROTECTED && f.level == 1 && f.bit == 1,
	      "a write to a read-only page with CR0.WP: level 1, bit 1");
	CHECK(!kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x7abc,
				  KVMKIT_WALK_WRITE, &gpa, &f) && gpa == 0x9abc &&
	      f.why == KVMKIT_WALK_OK,
	      "the same supervisor write without CR0.WP: allowed");

	CHECK(kvmkit_x86_walk_ex(&vm, CR0, PML4, CR4, EFER, 0x6000,
				 KVMKIT_WALK_SET_AD, &gpa, &f) == -EFAULT &&
	      !(get64(PD, 0) & A) && !(get64(PML4, 0) & A),
	      "a failed walk sets no accessed bit");
	CHECK(!kvmkit_x86_walk_ex(&vm, CR0 | KVMKIT_X86_CR0_WP, PML4, CR4, EFER, 0x5123,
				  KVMKIT_WALK_WRITE | KVMKIT_WALK_SET_AD, &gpa, &f) &&
	      gpa == 0x7123, "a write walk with SET_AD succeeds");
	CHECK((get64(PML4, 0) & (A | D)) == A && (get64(PDPT, 0) & (A | D)) == A &&
	      (get64(PD, 0) & (A | D)) == A && (get64(PT, 5) & (A | D)) == (A | D),
	      "A in every entry used, D in the leaf only");
	CHECK(!kvmkit_x86_walk_ex(&vm, CR0, PAE_PDPT, CR4, 0, 0x3123,
				  KVMKIT_WALK_SET_AD, &gpa, &f) && gpa == 0xb123 &&
	      !(get64(PAE_PDPT, 0) & A) && (get64(PAE_PD, 0) & A) &&
	      (get64(PAE_PT, 3) & (A | D)) == A,
	      "PAE read: no A in the PDPTE (it has none), A below, no D");
}

int main(void)
{
	setup();
	test_long();
	test_la57();
	test_paging_off();
	test_pae();
	test_legacy();
	test_bits();
	test_walk_ex();
	free(ram);
	return unit_done();
}
