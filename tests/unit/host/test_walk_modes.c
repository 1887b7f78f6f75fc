// SPDX-License-Identifier: MIT
/*
 * Guest linear memory in every x86 paging mode, on page tables fabricated
 * in a fabricated VM's memory (no /dev/kvm): kvmkit_guest_copy_ex(), the
 * core of kvmkit_vcpu_copy_{from,to}_guest_ex(), reads and writes 16
 * bytes across two virtual pages whose physical pages are not adjacent,
 * in legacy 2-level paging (4 KiB, and 4 MiB with CR4.PSE), PAE (4 KiB,
 * 2 MiB), 4-level (4 KiB, 1 GiB) and 5-level paging, and without paging.
 * Then what the CPU would do: accessed and dirty bits set only after the
 * whole copy passed (none in a PAE PDPTE), and faults named by level and
 * bit: XD reserved without EFER.NXE, XD refusing a fetch, US refusing a
 * user access, RW refusing a write under CR0.WP, a page outside RAM.
 * ASan sees any read past the fabricated RAM.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"

#define RAM_SIZE	0x100000
#define P		KVMKIT_X86_PTE_P
#define RW		KVMKIT_X86_PTE_RW
#define US		KVMKIT_X86_PTE_US
#define PS		KVMKIT_X86_PTE_PS
#define A		KVMKIT_X86_PTE_A
#define D		KVMKIT_X86_PTE_D
#define NX		KVMKIT_X86_PTE_NX
#define PAGE_A		0x80000		/* the first data page */
#define PAGE_B		0x90000		/* the second: not adjacent */

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

static uint64_t get64(uint64_t gpa, unsigned int i)
{
	return ((uint64_t *)(ram + gpa))[i];
}

static uint32_t get32(uint64_t gpa, unsigned int i)
{
	return ((uint32_t *)(ram + gpa))[i];
}

/*
 * Tables (each mode its own, all in the first 64 KiB):
 *   legacy  PD 0x1000: [1] -> PT 0x2000 ([0] A, [1] B, [2] outside RAM),
 *           [2] a 4 MiB page at 0
 *   PAE     PDPT 0x3000: [0] -> PD 0x4000: [2] -> PT 0x5000 ([0] A,
 *           [1] B read-only), [3] a 2 MiB page at 0
 *   long    PML5 0xa000: [0] -> PML4 0x6000: [0] -> PDPT 0x7000: [0] ->
 *           PD 0x8000: [2] -> PT 0x9000 ([0] A, [1] B), and PDPT[1] a
 *           1 GiB page at 0
 */
static void setup(void)
{
	unsigned int i;

	ram = aligned_alloc(KVMKIT_PAGE_SIZE, RAM_SIZE);
	if (!ram)
		unit_skip_all("out of memory");
	for (i = 0; i < RAM_SIZE; i++)
		ram[i] = (uint8_t)(i * 13 + 1);
	memset(ram, 0, 0x10000);
	vm.fd = -1;
	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram,
	};
	set32(0x1000, 1, 0x2000 | P | RW);
	set32(0x1000, 2, 0x0 | P | RW | PS);
	set32(0x2000, 0, PAGE_A | P | RW);
	set32(0x2000, 1, PAGE_B | P | RW);
	set32(0x2000, 2, 0x200000 | P | RW);

	set64(0x3000, 0, 0x4000 | P);
	set64(0x4000, 2, 0x5000 | P | RW);
	set64(0x4000, 3, 0x0 | P | RW | PS);
	set64(0x5000, 0, PAGE_A | P | RW);
	set64(0x5000, 1, PAGE_B | P);

	set64(0xa000, 0, 0x6000 | P | RW);
	set64(0x6000, 0, 0x7000 | P | RW);
	set64(0x7000, 0, 0x8000 | P | RW);
	set64(0x7000, 1, 0x0 | P | RW | PS);
	set64(0x8000, 2, 0x9000 | P | RW);
	set64(0x9000, 0, PAGE_A | P | RW);
	set64(0x9000, 1, PAGE_B | P | RW);
}

#define PG	(KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG)
#define LONG	(KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA)

static const struct kvmkit_arch_mmu legacy = { .cr0 = PG, .cr3 = 0x1000 };
static const struct kvmkit_arch_mmu pse = {
	.cr0 = PG, .cr3 = 0x1000, .cr4 = KVMKIT_X86_CR4_PSE,
};
static const struct kvmkit_arch_mmu pae = {
	.cr0 = PG | KVMKIT_X86_CR0_WP, .cr3 = 0x3000, .cr4 = KVMKIT_X86_CR4_PAE,
};
static const struct kvmkit_arch_mmu lm4 = {
	.cr0 = PG, .cr3 = 0x6000, .cr4 = KVMKIT_X86_CR4_PAE, .efer = LONG,
};
static const struct kvmkit_arch_mmu lm5 = {
	.cr0 = PG, .cr3 = 0xa000,
	.cr4 = KVMKIT_X86_CR4_PAE | KVMKIT_X86_CR4_LA57, .efer = LONG,
};
static const struct kvmkit_arch_mmu flat = { 0 };

/*
 * Write 16 bytes at gva (8 before a page boundary), check they landed at
 * gpa_a and gpa_b (8 bytes each), read them back.
 */
static void copy_across(const char *mode, const struct kvmkit_arch_mmu *mmu,
			uint64_t gva, uint64_t gpa_a, uint64_t gpa_b)
{
	uint8_t out[16], in[16];
	struct kvmkit_walk_fault f;
	unsigned int i;
	int ret;

	for (i = 0; i < 16; i++)
		out[i] = (uint8_t)(0xa0 + i + gva);
	ret = kvmkit_guest_copy_ex(&vm, mmu, gva, out, 16, 1, 0, &f);
	CHECK(ret == 0, "%s: write 16 bytes across two pages", mode);
	if (ret)
		unit_diag("%s at level %d bit %d, gva 0x%llx",
			  kvmkit_walk_why_name(f.why), f.level, f.bit,
			  (unsigned long long)f.gva);
	CHECK(!memcmp(ram + gpa_a, out, 8) && !memcmp(ram + gpa_b, out + 8, 8),
	      "%s: landed at 0x%llx and 0x%llx", mode,
	      (unsigned long long)gpa_a, (unsigned long long)gpa_b);
	memset(in, 0, sizeof(in));
	CHECK(kvmkit_guest_copy_ex(&vm, mmu, gva, in, 16, 0, 0, NULL) == 0 &&
	      !memcmp(in, out, 16), "%s: read back the same", mode);
}

static void test_modes(void)
{
	copy_across("no paging", &flat, PAGE_A + 0xff8, PAGE_A + 0xff8,
		    PAGE_A + 0x1000);
	copy_across("legacy 4 KiB", &legacy, 0x400ff8, PAGE_A + 0xff8, PAGE_B);
	copy_across("legacy 4 MiB (PSE)", &pse, 0x880ff8, PAGE_A + 0xff8,
		    PAGE_A + 0x1000);
	copy_across("PAE 2 MiB", &pae, 0x680ff8, PAGE_A + 0xff8,
		    PAGE_A + 0x1000);
	copy_across("4-level 4 KiB", &lm4, 0x400ff8, PAGE_A + 0xff8, PAGE_B);
	copy_across("4-level 1 GiB", &lm4, 0x40080ff8, PAGE_A + 0xff8,
		    PAGE_A + 0x1000);
	copy_across("5-level 4 KiB", &lm5, 0x400ff8, PAGE_A + 0xff8, PAGE_B);
}

static void test_legacy_not_pse(void)
{
	struct kvmkit_walk_fault f;
	uint8_t b;

	/* without CR4.PSE the PS bit is ignored: PD[2] points at a table */
	CHECK(kvmkit_guest_copy_ex(&vm, &legacy, 0x800000, &b, 1, 0, 0, &f) ==
	      -EFAULT && f.why == KVMKIT_WALK_NOT_PRESENT && f.level == 1,
	      "legacy without PSE: PD[2]'s PS is ignored, its 'table' at 0 has no present entry");
	CHECK(kvmkit_guest_copy_ex(&vm, &legacy, 0x401ff8, &b, 1, 0, 0, &f) == 0,
	      "legacy: last byte of page B");
	CHECK(kvmkit_guest_copy_ex(&vm, &legacy, 0x402000, &b, 1, 0, 0, &f) ==
	      -EFAULT && f.why == KVMKIT_WALK_PAGE_NOT_RAM && f.level == 0 &&
	      f.entry_gpa == 0x200000 && f.gva == 0x402000,
	      "legacy: a PTE mapping past RAM: PAGE_NOT_RAM at 0x200000");
	CHECK(kvmkit_guest_copy_ex(&vm, &flat, 0x100000000ULL, &b, 1, 0, 0, &f) ==
	      -EFAULT && f.why == KVMKIT_WALK_TOO_WIDE,
	      "no paging: an address past 4 GiB is refused");
}

static void test_ad_bits(void)
{
	struct kvmkit_walk_fault f;
	uint8_t buf[16] = { 0 };

	/* 4-level, a write with SET_AD: A everywhere, D in both leaves */
	CHECK_EQ(kvmkit_guest_copy_ex(&vm, &lm4, 0x400ff8, buf, 16, 1,
				      KVMKIT_WALK_SET_AD | KVMKIT_WALK_WRITE, &f),
		 0, "4-level: write with SET_AD");
	CHECK((get64(0x6000, 0) & A) && (get64(0x7000, 0) & A) &&
	      (get64(0x8000, 2) & A), "4-level: A in PML4E, PDPTE, PDE");
	CHECK(!(get64(0x6000, 0) & D) && !(get64(0x8000, 2) & D),
	      "4-level: no D in non-leaf entries");
	CHECK((get64(0x9000, 0) & (A | D)) == (A | D) &&
	      (get64(0x9000, 1) & (A | D)) == (A | D),
	      "4-level: A and D in both leaf PTEs");

	/* legacy, a read with SET_AD: A in the 4-byte entries, no D */
	CHECK_EQ(kvmkit_guest_copy_ex(&vm, &legacy, 0x400ff8, buf, 16, 0,
				      KVMKIT_WALK_SET_AD, &f), 0,
		 "legacy: read with SET_AD");
	CHECK((get32(0x1000, 1) & A) && (get32(0x2000, 0) & A) &&
	      (get32(0x2000, 1) & A), "legacy: A in the PDE and both PTEs");
	CHECK(!(get32(0x2000, 0) & D) && !(get32(0x2000, 1) & D),
	      "legacy: a read sets no D");

	/* PAE: page B read-only, CR0.WP: the write fails whole, marks nothing */
	memset(buf, 0x77, sizeof(buf));
	CHECK_EQ(kvmkit_guest_copy_ex(&vm, &pae, 0x400ff8, buf, 16, 1,
				      KVMKIT_WALK_SET_AD | KVMKIT_WALK_WRITE, &f),
		 -EFAULT, "PAE: a write into a read-only page under CR0.WP fails");
	CHECK(f.why == KVMKIT_WALK_WRITE_PROTECTED && f.level == 1 &&
	      f.bit == 1 && f.gva == 0x401000 && f.entry_gpa == 0x5008,
	      "PAE: fault: RW (bit 1) of the PTE at 0x5008 for 0x401000");
	CHECK(ram[PAGE_A + 0xff8] != 0x77, "PAE: page A not written either");
	CHECK(!(get64(0x5000, 0) & A) && !(get64(0x4000, 2) & A),
	      "PAE: no A bit set by the failed copy");
	CHECK_EQ(kvmkit_guest_copy_ex(&vm, &pae, 0x400ff8, buf, 8, 1,
				      KVMKIT_WALK_SET_AD | KVMKIT_WALK_WRITE, &f),
		 0, "PAE: the 8 bytes in page A alone pass");
	CHECK((get64(0x5000, 0) & (A | D)) == (A | D) && (get64(0x4000, 2) & A),
	      "PAE: A and D in the PTE, A in the PDE");
	CHECK_EQ(get64(0x3000, 0), 0x4000 | P, "PAE: the PDPTE has no A bit to set");
}

static void test_faults(void)
{
	const struct kvmkit_arch_mmu nxe = {
		.cr0 = PG, .cr3 = 0x6000, .cr4 = KVMKIT_X86_CR4_PAE,
		.efer = LONG | KVMKIT_X86_EFER_NXE,
	};
	struct kvmkit_walk_fault f;
	uint8_t b;

	set64(0x8000, 2, get64(0x8000, 2) | NX);
	CHECK(kvmkit_guest_copy_ex(&vm, &lm4, 0x400000, &b, 1, 0, 0, &f) ==
	      -EFAULT && f.why == KVMKIT_WALK_RESERVED && f.level == 2 &&
	      f.bit == 63, "XD without EFER.NXE: reserved bit 63 at level 2");
	CHECK(kvmkit_guest_copy_ex(&vm, &nxe, 0x400000, &b, 1, 0, 0, &f) == 0,
	      "XD with EFER.NXE: a data read passes");
	CHECK(kvmkit_guest_copy_ex(&vm, &nxe, 0x400000, &b, 1, 0,
				   KVMKIT_WALK_FETCH, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NO_EXECUTE && f.level == 2 && f.bit == 63,
	      "XD with EFER.NXE: a fetch faults at level 2, bit 63");
	set64(0x8000, 2, get64(0x8000, 2) & ~NX);
	CHECK(kvmkit_guest_copy_ex(&vm, &nxe, 0x400000, &b, 1, 0,
				   KVMKIT_WALK_FETCH, &f) == 0,
	      "XD cleared: the fetch passes");
	CHECK(kvmkit_guest_copy_ex(&vm, &lm5, 0x400000, &b, 1, 0,
				   KVMKIT_WALK_USER, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_SUPERVISOR && f.level == 5 && f.bit == 2,
	      "5-level: a user access faults on US (bit 2) of the PML5E");
	CHECK(kvmkit_guest_copy_ex(&vm, &lm4, 0x0000800000000000ULL, &b, 1, 0, 0,
				   &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NON_CANONICAL && f.level == 0,
	      "4-level: a non-canonical address, level 0");
	CHECK(kvmkit_guest_copy_ex(&vm, &lm5, 0x0000800000000000ULL, &b, 1, 0, 0,
				   &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NOT_PRESENT && f.level == 4,
	      "5-level: the same address is canonical, not present in the PML4");
	CHECK_STR(kvmkit_walk_why_name(KVMKIT_WALK_NO_EXECUTE), "execute-disabled",
		  "why name of NO_EXECUTE");
	CHECK_STR(kvmkit_walk_why_name((enum kvmkit_walk_why)99), "unknown",
		  "why name out of range");
}

int main(void)
{
	setup();
	test_modes();
	test_legacy_not_pse();
	test_ad_bits();
	test_faults();
	free(ram);
	return unit_done();
}
