// SPDX-License-Identifier: MIT
/*
 * The memory map of the boot contract, read from inside the guest: the
 * payload header the host filled, the page tables it built in
 * kvm_pagetable (PML4[0] only; PDPT[0] and [1] map 0-2 GiB, [2] is a hole,
 * [3] leads to the single 4 KiB mapping of the result page), faults in
 * the unmapped ranges, the writable result page, and the 8 KiB stack main()
 * runs on.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define HEADER	((const volatile struct kvmkit_payload_header *)KVMKIT_PAYLOAD_BASE)
#define GiB	0x40000000UL
#define MiB	0x100000UL

typedef struct page_table_entry_pae pte_t;

static int bad;

static void check(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tst_res(TFAIL, "%s", msg);
	bad = 1;
}

static void header(void)
{
	bad = 0;
	check(HEADER->magic == KVMKIT_PAYLOAD_MAGIC, "header magic 0x%x", HEADER->magic);
	check(HEADER->abi_version == KVMKIT_ABI_VERSION, "header ABI version %u",
	      (unsigned int)HEADER->abi_version);
	check(HEADER->pagetable == (uintptr_t)kvm_pagetable &&
	      HEADER->gdt == (uintptr_t)kvm_gdt,
	      "header pagetable 0x%llx gdt 0x%llx", HEADER->pagetable,
	      HEADER->gdt);
	check(HEADER->idt == (uintptr_t)kvm_idt &&
	      HEADER->tss == (uintptr_t)&kvm_tss,
	      "header idt 0x%llx tss 0x%llx", HEADER->idt, HEADER->tss);
	check(HEADER->stack_top == (uintptr_t)kvm_stack_top,
	      "header stack_top 0x%llx, kvm_stack_top %p",
	      HEADER->stack_top, kvm_stack_top);
	check(HEADER->ram_size == KVMKIT_DEFAULT_RAM,
	      "header ram_size 0x%llx", HEADER->ram_size);
	check(!((uintptr_t)kvm_pagetable & 0xfff),
	      "kvm_pagetable %p not page-aligned",
	      (void *)kvm_pagetable);
	if (!bad)
		tst_res(TPASS, "payload header: magic, ABI, table addresses, stack, 16 MiB RAM");
}

static const pte_t *next_table(const pte_t *e)
{
	return (const pte_t *)kvm_get_page_address_pae(e);
}

/* The page below the stack: the identity map's one hole (abi.h) */
#define GUARD	((uintptr_t)kvm_stack_bottom - KVMKIT_STACK_GUARD_SIZE)

/* The 2 MiB around the guard: 4 KiB identity pages but for the guard */
static void guard_pt(const pte_t *pde, uintptr_t base)
{
	const pte_t *pt;
	unsigned int k;

	check(pde->present && pde->writable && !pde->page_type,
	      "PD entry for the stack guard's 2 MiB at 0x%lx is no table",
	      (unsigned long)base);
	if (!pde->present || pde->page_type)
		return;
	pt = next_table(pde);
	for (k = 0; k < 512; k++) {
		uintptr_t want = base + k * 0x1000UL;

		if (want == GUARD) {
			check(!pt[k].present, "stack guard page 0x%lx is mapped",
			      (unsigned long)want);
			continue;
		}
		if (!pt[k].present || !pt[k].writable ||
		    kvm_get_page_address_pae(&pt[k]) != want) {
			check(0, "identity PT entry for 0x%lx maps 0x%lx",
			      (unsigned long)want,
			      (unsigned long)kvm_get_page_address_pae(&pt[k]));
			return;
		}
	}
}

static void page_tables(void)
{
	const pte_t *pml4 = kvm_pagetable, *pdpt, *pd, *pt;
	int big = HEADER->host_flags & KVMKIT_HOST_1G_PAGES;
	unsigned int i;

	bad = 0;
	check(pml4[0].present && pml4[0].writable && !pml4[0].page_type,
	      "PML4[0] not a present writable table");
	for (i = 1; i < 512; i++)
		check(!pml4[i].present, "PML4[%u] present", i);
	pdpt = next_table(&pml4[0]);
	check(pdpt == pml4 + 512, "PDPT at %p, expected page 1 at %p",
	      (const void *)pdpt, (const void *)(pml4 + 512));
	if (bad)
		goto out;

	check(pdpt[0].present && pdpt[1].present && !pdpt[2].present &&
	      pdpt[3].present, "PDPT[0..3] present: %u %u %u %u, expected 1 1 0 1",
	      pdpt[0].present, pdpt[1].present, pdpt[2].present,
	      pdpt[3].present);
	for (i = 4; i < 512; i++)
		check(!pdpt[i].present, "PDPT[%u] present", i);
	check(!pdpt[3].page_type, "PDPT[3] is a leaf");

	for (i = 0; i < 2; i++) {
		unsigned int j;

		/* GiB 0 is always a PD: the stack's guard page needs a PT */
		check(pdpt[i].page_type == (i && big),
		      "PDPT[%u] page size bit %u with host_flags 0x%llx",
		      i, pdpt[i].page_type, HEADER->host_flags);
		if (pdpt[i].page_type) {
			check(kvm_get_page_address_pae(&pdpt[i]) == i * GiB,
			      "PDPT[%u] maps 0x%lx", i,
			      (unsigned long)kvm_get_page_address_pae(&pdpt[i]));
			continue;
		}
		pd = next_table(&pdpt[i]);
		for (j = 0; j < 512; j++) {
			uintptr_t want = i * GiB + j * 2 * MiB;

			if (want == (GUARD & ~(2 * MiB - 1))) {
				guard_pt(&pd[j], want);
				continue;
			}
			if (!pd[j].present || !pd[j].writable ||
			    !pd[j].page_type ||
			    kvm_get_page_address_pae(&pd[j]) != want) {
				check(0, "identity PD entry for 0x%lx maps 0x%lx",
				      (unsigned long)want,
				      (unsigned long)kvm_get_page_address_pae(&pd[j]));
				break;
			}
		}
	}

	pd = next_table(&pdpt[3]);
	for (i = 0; i < 511; i++)
		check(!pd[i].present, "PD of 3-4 GiB: entry %u present", i);
	check(pd[511].present && !pd[511].page_type,
	      "PD[511] of 3-4 GiB not a table");
	pt = next_table(&pd[511]);
	for (i = 0; i < 511; i++)
		check(!pt[i].present, "PT of the last 2 MiB: entry %u present", i);
	check(pt[511].present && pt[511].writable &&
	      kvm_get_page_address_pae(&pt[511]) == KVMKIT_RESULT_BASE,
	      "PT[511] maps 0x%lx",
	      (unsigned long)kvm_get_page_address_pae(&pt[511]));
out:
	if (!bad)
		tst_res(TPASS, "page tables: 0-2 GiB identity (%s pages), 2-3 GiB hole, only 0xfffff000 above",
			big ? "1 GiB" : "2 MiB");
}

static volatile unsigned long pf_count, pf_cr2;
static uintptr_t pf_resume;

static int on_pf(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	pf_count++;
	pf_cr2 = kvm_read_cr2();
	kvm_set_interrupt_ip(ifrm, pf_resume);
	return 1;
}

/* Read one byte at addr; returns whether a #PF hit exactly that address */
static int faults(uintptr_t addr)
{
	pf_count = 0;
	pf_cr2 = 0;
	asm volatile("lea 1f(%%rip), %%rax\n\t"
		     "mov %%rax, %0\n\t"
		     "movb (%1), %%al\n"
		     "1:\n\t"
		     : "=m"(pf_resume) : "r"(addr) : "rax", "memory");
	return pf_count == 1 && pf_cr2 == addr;
}

static void unmapped_ranges(void)
{
	static const uintptr_t holes[] = {
		0x80000000, 0x9abcdef0, 0xbffff000, 0xbfffffff,
		0xc0000000, 0xffc00000, 0xffffe000, 0xffffefff,
		0x100000000UL, 0x7fff00000000UL,
	};
	unsigned int i;

	tst_set_interrupt_callback(14, on_pf, NULL);
	bad = 0;
	for (i = 0; i < ARRAY_SIZE(holes); i++)
		check(faults(holes[i]), "read at 0x%lx: %lu page faults, CR2 0x%lx",
		      (unsigned long)holes[i], pf_count, pf_cr2);
	check(!faults(KVMKIT_DEFAULT_RAM - 1) && !faults(0x1000),
	      "RAM read faulted (count %lu, CR2 0x%lx)", pf_count, pf_cr2);
	check(faults(GUARD) && faults(GUARD + 0xfff),
	      "stack guard page 0x%lx readable", (unsigned long)GUARD);
	check(!faults(GUARD - 1) && !faults((uintptr_t)kvm_stack_bottom),
	      "a neighbour of the stack guard page faulted (CR2 0x%lx)", pf_cr2);
	tst_set_interrupt_callback(14, NULL, NULL);
	if (!bad)
		tst_res(TPASS, "%u reads outside the map and the stack guard page fault with the right CR2; RAM reads do not",
			(unsigned int)ARRAY_SIZE(holes));
}

static void result_page(void)
{
	volatile uint8_t *page = (volatile uint8_t *)KVMKIT_RESULT_BASE;
	unsigned int i, ok = 1;

	/* The last 64 bytes: past any message this test sends */
	for (i = 4032; i < 4096; i++)
		page[i] = (uint8_t)(i ^ 0xa5);
	for (i = 4032; i < 4096; i++)
		if (page[i] != (uint8_t)(i ^ 0xa5))
			ok = 0;
	for (i = 4032; i < 4096; i++)
		page[i] = 0;
	if (ok)
		tst_res(TPASS, "result page at 0xfffff000 is writable to its last byte");
	else
		tst_res(TFAIL, "result page at 0xfffff000 did not keep what was written");
}

static void stack(void)
{
	uintptr_t rsp;
	long size = kvm_stack_top - kvm_stack_bottom;

	asm volatile("mov %%rsp, %0" : "=r"(rsp));
	if (size == KVMKIT_STACK_SIZE && rsp > (uintptr_t)kvm_stack_bottom &&
	    rsp <= (uintptr_t)kvm_stack_top && !((uintptr_t)kvm_stack_top & 0xf))
		tst_res(TPASS, "stack: %ld bytes at 0x%lx-0x%lx, RSP 0x%lx inside",
			size, (unsigned long)kvm_stack_bottom,
			(unsigned long)kvm_stack_top, (unsigned long)rsp);
	else
		tst_res(TFAIL, "stack: %ld bytes at 0x%lx-0x%lx, RSP 0x%lx",
			size, (unsigned long)kvm_stack_bottom,
			(unsigned long)kvm_stack_top, (unsigned long)rsp);
}

void main(void)
{
	header();
	page_tables();
	unmapped_ranges();
	result_page();
	stack();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "the boot memory map, page tables and guard pages from inside",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
