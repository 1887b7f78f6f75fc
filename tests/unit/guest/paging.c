// SPDX-License-Identifier: MIT
/*
 * Guest runtime: page-table editing.  kvm_map_page() makes a second
 * address of a physical page that sees the same data both ways, 4 KiB and
 * 2 MiB; kvm_unmap_page() makes the next access a #PF with CR2 = the
 * address and P = 0 in the error code; kvm_set_page_flags() on one 4 KiB
 * page inside a 2 MiB page splits it, the page turns read-only (a write is
 * #PF with P|W) and its neighbours stay writable; with EFER.NXE, NX makes
 * a fetch #PF with P|I; INVPCID and PCIDs where CPUID has them.
 *
 * Where it is written: Intel SDM Vol. 3A 4.5 (4-level paging), 4.6
 * (access rights), 4.7 (page-fault error code: P bit 0, W/R bit 1, U/S
 * bit 2, I/D bit 4), 4.10.4.1 (INVLPG), Vol. 2B "INVPCID" (#GP(0) for a
 * type above 3).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define SCRATCH		0x80000000UL	/* the identity map's 2-3 GiB hole */
#define SIZE_2M		0x200000UL
#define PF_P		0x1
#define PF_W		0x2
#define PF_I		0x10

static uintptr_t target;

static void read_target(void *arg)
{
	(void)arg;
	(void)*(volatile uint32_t *)target;
}

static void write_target(void *arg)
{
	*(volatile uint32_t *)target = (uint32_t)(uintptr_t)arg;
}

static void expect_pf(const char *what, uintptr_t va, void (*fn)(void *),
		      uint32_t errcode)
{
	struct kvm_fault f = { -1, 0, 0, 0 };
	int vec;

	target = va;
	vec = kvm_call_safe(fn, (void *)0x5a5a, &f);
	if (vec == INTR_PAGE_FAULT && f.cr2 == va && f.error_code == errcode)
		tst_res(TPASS, "%s: #PF, CR2 0x%lx, error code 0x%x", what,
			(unsigned long)va, errcode);
	else
		tst_res(TFAIL, "%s: vector %d, CR2 0x%llx, error code 0x%x (expected 14, 0x%lx, 0x%x)",
			what, vec, (unsigned long long)f.cr2, f.error_code,
			(unsigned long)va, errcode);
}

static void expect_ok(const char *what, uintptr_t va, void (*fn)(void *))
{
	struct kvm_fault f = { -1, 0, 0, 0 };
	int vec;

	target = va;
	vec = kvm_call_safe(fn, (void *)0x5a5a, &f);
	if (!vec)
		tst_res(TPASS, "%s: no fault", what);
	else
		tst_res(TFAIL, "%s: vector %d, CR2 0x%llx, error code 0x%x", what,
			vec, (unsigned long long)f.cr2, f.error_code);
}

static void alias_4k(void)
{
	volatile uint32_t *page = tst_heap_alloc_aligned(PAGESIZE, PAGESIZE);
	volatile uint32_t *alias = (volatile uint32_t *)(SCRATCH + 0x5000);
	int ret;

	page[3] = 0xfeedf00d;
	ret = kvm_map_page((uintptr_t)alias, (uintptr_t)page, KVM_PAGE_WRITE);
	if (ret || alias[3] != 0xfeedf00d) {
		tst_res(TFAIL, "kvm_map_page: %d, alias reads 0x%x", ret,
			ret ? 0 : alias[3]);
		return;
	}
	alias[5] = 0xc0ffee;
	if (page[5] == 0xc0ffee)
		tst_res(TPASS, "kvm_map_page: a second address of a page reads and writes the same data");
	else
		tst_res(TFAIL, "a write through the alias is not seen at the page: 0x%x",
			page[5]);

	ret = kvm_unmap_page((uintptr_t)alias);
	if (ret)
		tst_res(TFAIL, "kvm_unmap_page: %d", ret);
	expect_pf("read after kvm_unmap_page", (uintptr_t)alias, read_target, 0);
	expect_pf("write after kvm_unmap_page", (uintptr_t)alias + 8,
		  write_target, PF_W);
	if (page[3] != 0xfeedf00d)
		tst_res(TFAIL, "the page changed after unmapping its alias");
	if (kvm_unmap_page((uintptr_t)alias) != -1)
		tst_res(TFAIL, "kvm_unmap_page of an unmapped address did not return -1");
	if (kvm_map_page(SCRATCH + 1, (uintptr_t)page, 0) != -1)
		tst_res(TFAIL, "kvm_map_page of a misaligned address did not return -1");
}

/* A 2 MiB-aligned 2 MiB of RAM: a 2 MiB page of the identity map */
static uintptr_t chunk;

static void alias_2m(void)
{
	volatile uint32_t *alias = (volatile uint32_t *)(SCRATCH + 2 * SIZE_2M);
	int ret, level = 0;

	((volatile uint32_t *)chunk)[0x1234 / 4] = 0x2badbee;
	ret = kvm_map_page((uintptr_t)alias, chunk, KVM_PAGE_WRITE | KVM_PAGE_LARGE);
	kvm_get_page_entry((uintptr_t)alias, &level);
	if (!ret && level == 2 && alias[0x1234 / 4] == 0x2badbee)
		tst_res(TPASS, "kvm_map_page(KVM_PAGE_LARGE): a 2 MiB alias reads the same data");
	else
		tst_res(TFAIL, "kvm_map_page(KVM_PAGE_LARGE): %d, level %d", ret,
			level);
	/* KVM_PAGE_LARGE in clear: the whole 2 MiB page, not split */
	ret = kvm_set_page_flags((uintptr_t)alias + 0x10000, 0,
				 KVM_PAGE_WRITE | KVM_PAGE_LARGE);
	kvm_get_page_entry((uintptr_t)alias + 0x10000, &level);
	if (ret || level != 2)
		tst_res(TFAIL, "kvm_set_page_flags(KVM_PAGE_LARGE): %d, level %d",
			ret, level);
	expect_pf("write to the 2 MiB alias made read-only as a whole",
		  (uintptr_t)alias + 0x1ff000, write_target, PF_P | PF_W);
	kvm_set_page_flags((uintptr_t)alias, KVM_PAGE_WRITE | KVM_PAGE_LARGE, 0);
	expect_ok("write after KVM_PAGE_WRITE | KVM_PAGE_LARGE is set again",
		  (uintptr_t)alias + 0x1ff000, write_target);

	kvm_unmap_page((uintptr_t)alias + 0x3000);
	expect_pf("read of a 4 KiB page unmapped inside the 2 MiB alias",
		  (uintptr_t)alias + 0x3000, read_target, 0);
	expect_ok("read of its neighbour", (uintptr_t)alias + 0x4000, read_target);
}

static void split_flags(void)
{
	uintptr_t ro = chunk + 0x3000;
	uint64_t pte;
	int level = 0;

	kvm_get_page_entry(ro, &level);
	if (level < 2)
		tst_res(TINFO, "0x%lx is not in a large page (level %d)",
			(unsigned long)ro, level);
	if (kvm_set_page_flags(ro, 0, KVM_PAGE_WRITE))
		tst_res(TFAIL, "kvm_set_page_flags(0x%lx) failed", (unsigned long)ro);
	kvm_get_page_entry(ro, &level);
	if (level != 1)
		tst_res(TFAIL, "after kvm_set_page_flags the page is level %d, expected 1 (split)",
			level);
	expect_ok("read of the read-only page", ro, read_target);
	expect_pf("write to the read-only page", ro, write_target, PF_P | PF_W);
	expect_ok("write to its neighbour in the split 2 MiB", ro + PAGESIZE,
		  write_target);
	expect_ok("write to the far end of the split 2 MiB", chunk + SIZE_2M - 4,
		  write_target);
	kvm_set_page_flags(ro, KVM_PAGE_WRITE, 0);
	expect_ok("write after KVM_PAGE_WRITE is set again", ro, write_target);

	/* The other flags land on their PTE bits: G 8, PWT 3, PCD 4 */
	kvm_set_page_flags(ro, KVM_PAGE_GLOBAL | KVM_PAGE_PWT | KVM_PAGE_PCD, 0);
	pte = kvm_get_page_entry(ro, &level);
	kvm_set_page_flags(ro, 0, KVM_PAGE_GLOBAL | KVM_PAGE_PWT | KVM_PAGE_PCD);
	if ((pte & 0x118) == 0x118 && !(kvm_get_page_entry(ro, NULL) & 0x118))
		tst_res(TPASS, "KVM_PAGE_GLOBAL/PWT/PCD set and clear PTE bits 8, 3, 4");
	else
		tst_res(TFAIL, "PTE 0x%llx with GLOBAL|PWT|PCD, 0x%llx without",
			(unsigned long long)pte,
			(unsigned long long)kvm_get_page_entry(ro, NULL));
}

/*
 * The second GiB of the identity map is one 1 GiB page where the CPU has
 * them (abi.h): a 4 KiB change inside splits it twice.  Only the tables
 * are looked at: the RAM ends long before.
 */
static void split_1g(void)
{
	uintptr_t va = 0x40000000UL + 0x12345000UL;
	uint64_t before, after, next;
	int level = 0, l2 = 0, l3 = 0;

	before = kvm_get_page_entry(va, &level);
	if (level != 3) {
		tst_res(TINFO, "the second GiB is not a 1 GiB page (level %d)",
			level);
		return;
	}
	kvm_set_page_flags(va, 0, KVM_PAGE_WRITE);
	after = kvm_get_page_entry(va, &l2);
	next = kvm_get_page_entry(va + SIZE_2M, &l3);
	if (l2 == 1 && (after & ~0xfffULL & ((1ULL << 52) - 1)) == va &&
	    !(after & 2) && l3 == 2 && (next & 2))
		tst_res(TPASS, "a 1 GiB page split down to the 4 KiB page asked for, the rest in 2 MiB pages");
	else
		tst_res(TFAIL, "1 GiB split: PTE 0x%llx level %d (was 0x%llx), next 2 MiB 0x%llx level %d",
			(unsigned long long)after, l2,
			(unsigned long long)before, (unsigned long long)next,
			l3);
	kvm_set_page_flags(va, KVM_PAGE_WRITE, 0);
}

static void nx(void)
{
	struct kvm_cpuid id;
	struct kvm_fault f = { -1, 0, 0, 0 };
	uintptr_t code = chunk + 0x8000;
	uint64_t efer;
	int vec;

	kvm_get_cpuid(0x80000000, 0, &id);
	if (id.eax < 0x80000001)
		id.edx = 0;
	else
		kvm_get_cpuid(0x80000001, 0, &id);
	if (!(id.edx & (1U << 20))) {
		tst_res(TINFO, "no NX (CPUID 8000_0001H:EDX[20])");
		return;
	}
	efer = kvm_rdmsr(MSR_EFER);
	kvm_wrmsr(MSR_EFER, efer | EFER_NXE);
	*(volatile uint8_t *)code = 0xc3;	/* ret */
	vec = kvm_call_safe((void (*)(void *))code, NULL, &f);
	if (vec)
		tst_res(TFAIL, "calling a ret on an executable page: vector %d", vec);
	kvm_set_page_flags(code, KVM_PAGE_NX, 0);
	vec = kvm_call_safe((void (*)(void *))code, NULL, &f);
	if (vec == INTR_PAGE_FAULT && f.ip == code && f.cr2 == code &&
	    f.error_code == (PF_P | PF_I))
		tst_res(TPASS, "KVM_PAGE_NX: a fetch is #PF with P|I, RIP = CR2 = the page");
	else
		tst_res(TFAIL, "KVM_PAGE_NX: vector %d, RIP 0x%lx, CR2 0x%llx, error code 0x%x",
			vec, (unsigned long)f.ip, (unsigned long long)f.cr2,
			f.error_code);
	kvm_set_page_flags(code, 0, KVM_PAGE_NX);
	kvm_wrmsr(MSR_EFER, efer);
}

static void pcid(void)
{
	int vec;

	if (!kvm_pcid_supported()) {
		tst_res(TINFO, "no PCID (CPUID.1:ECX[17])");
		vec = kvm_invpcid(0, 0, 0);
		if (vec != INTR_BAD_OPCODE && vec != 0)
			tst_res(TFAIL, "kvm_invpcid without PCID: %d", vec);
		return;
	}
	vec = kvm_pcid_enable();
	if (vec) {
		tst_res(TFAIL, "kvm_pcid_enable: vector %d", vec);
		return;
	}
	if (!(kvm_read_cr4() & CR4_PCIDE))
		tst_res(TFAIL, "CR4.PCIDE clear after kvm_pcid_enable");
	vec = kvm_switch_pcid(5, 0);
	if (vec || (kvm_read_cr3() & 0xfff) != 5)
		tst_res(TFAIL, "kvm_switch_pcid(5): vector %d, CR3 0x%lx", vec,
			kvm_read_cr3());
	else
		tst_res(TPASS, "PCID 5 in CR3 after kvm_switch_pcid");
	vec = kvm_invpcid(0, 5, chunk);
	if (vec == INTR_BAD_OPCODE) {
		tst_res(TINFO, "no INVPCID (CPUID.7.0:EBX[10])");
	} else {
		if (vec)
			tst_res(TFAIL, "kvm_invpcid(0, 5, va): vector %d", vec);
		vec = kvm_invpcid(4, 0, 0);
		if (vec == INTR_GPF)
			tst_res(TPASS, "kvm_invpcid: type 4 is #GP, type 0 completes");
		else
			tst_res(TFAIL, "kvm_invpcid(type 4): %d, expected 13", vec);
	}
	vec = kvm_pcid_disable();
	if (vec || (kvm_read_cr4() & CR4_PCIDE) || (kvm_read_cr3() & 0xfff))
		tst_res(TFAIL, "kvm_pcid_disable: vector %d, CR4 0x%lx, CR3 0x%lx",
			vec, kvm_read_cr4(), kvm_read_cr3());
	else
		tst_res(TPASS, "kvm_pcid_disable: PCIDE clear, CR3 back to PCID 0");
}

void main(void)
{
	chunk = (uintptr_t)tst_heap_alloc_aligned(SIZE_2M, SIZE_2M);
	alias_4k();
	alias_2m();
	split_flags();
	split_1g();
	nx();
	pcid();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "page tables from the guest: map, unmap, flags, split, PCID",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
