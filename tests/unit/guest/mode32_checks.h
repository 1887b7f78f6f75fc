/* SPDX-License-Identifier: MIT */
/*
 * The runtime checks of a 32-bit payload, shared by mode32.c
 * (KVMKIT_GUEST_MODE(32): 2-level paging) and mode32pae.c
 * (KVMKIT_GUEST_MODE(32pae)), which define MODE32_PAE to 0 or 1 first.
 *
 * - the mode is what was asked for: CR0.PE and PG, CR4.PAE (and PSE for
 *   2-level), EFER.LME and LMA clear, 4-byte pointers;
 * - the paging structures really are 2-level (4-byte entries, 4 MiB
 *   pages) or PAE (a 4-entry PDPT whose entries have only P, 8-byte
 *   entries, 2 MiB pages): a variable's address and the result page are
 *   translated by hand through CR3;
 * - exceptions with their error codes through kvm_call_safe(), the fix-up
 *   table (kvm_rdmsr_safe) and tst_set_interrupt_callback() (#UD without
 *   an error code, #GP with the selector as one);
 * - INTO, which exists only outside 64-bit mode;
 * - the heap and the string functions (4-byte string instructions);
 * - the guest's printf of 64-bit and 32-bit values, and 64-bit division
 *   (the runtime's own __udivdi3 family);
 * - tst_res() of 64-bit values formatted by the host from the i386 stack
 *   (the TINFO line; tests/unit/hostile/mode32_printf.c matches its text).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define UNMAPPED	0x80000000u	/* first byte above the identity map */
#define BAD_SELECTOR	0x1238u		/* GDT index 0x247: past the limit */
#define PTE_PS		0x80u		/* PS: a large page (SDM Vol. 3A 4.3, 4.4) */

static void expect(int ok, const char *what, unsigned long long got)
{
	if (ok)
		tst_res(TPASS, "%s (0x%llx)", what, got);
	else
		tst_res(TFAIL, "%s: got 0x%llx", what, got);
}

static void mode_registers(void)
{
	unsigned long cr0 = kvm_read_cr0(), cr4 = kvm_read_cr4();
	uint64_t efer = kvm_rdmsr(MSR_EFER);

	expect(sizeof(void *) == 4 && sizeof(long) == 4,
	       "4-byte pointers and longs", sizeof(void *));
	expect((cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG), "CR0.PE and PG",
	       cr0);
	expect(!(efer & (EFER_LME | EFER_LMA)), "EFER.LME and LMA clear", efer);
	if (MODE32_PAE)
		expect(cr4 & CR4_PAE, "CR4.PAE set (PAE paging)", cr4);
	else
		expect(!(cr4 & CR4_PAE) && (cr4 & CR4_PSE),
		       "CR4.PAE clear, PSE set (2-level paging, 4 MiB pages)",
		       cr4);
}

static volatile uint32_t probe_var = 0x5a5a5a5a;

/* Translate va through the live tables, as the CPU would for a read */
static uint64_t translate(uintptr_t va, int *levels)
{
	uintptr_t cr3 = kvm_read_cr3();

	if (MODE32_PAE) {
		const uint64_t *pdpt = (const uint64_t *)(cr3 & ~0x1fu);
		uint64_t e = pdpt[va >> 30];
		const uint64_t *pd;

		if (!(e & 1) || (e & 0x6))	/* R/W, U/S reserved in a PDPTE */
			return ~0ULL;
		pd = (const uint64_t *)(uintptr_t)(e & 0xfffff000u);
		e = pd[va >> 21 & 511];
		*levels = 2;
		if (!(e & 1))
			return ~0ULL;
		if (e & PTE_PS)
			return (e & 0xfffe00000ULL) | (va & 0x1fffff);
		*levels = 3;
		e = ((const uint64_t *)(uintptr_t)(e & 0xfffff000u))[va >> 12 & 511];
		return e & 1 ? (e & 0xffffff000ULL) | (va & 0xfff) : ~0ULL;
	} else {
		const uint32_t *pd = (const uint32_t *)(cr3 & ~0xfffu);
		uint32_t e = pd[va >> 22];

		*levels = 1;
		if (!(e & 1))
			return ~0ULL;
		if (e & PTE_PS)
			return (e & 0xffc00000u) | (va & 0x3fffff);
		*levels = 2;
		e = ((const uint32_t *)(uintptr_t)(e & 0xfffff000u))[va >> 12 & 1023];
		return e & 1 ? (e & 0xfffff000u) | (va & 0xfff) : ~0ULL;
	}
}

static void paging_structures(void)
{
	int levels = 0;
	uint64_t pa = translate((uintptr_t)&probe_var, &levels);

	expect(pa == (uintptr_t)&probe_var,
	       MODE32_PAE ? "PAE walk of a variable: identity" :
			    "2-level walk of a variable: identity", pa);
	pa = translate(KVMKIT_RESULT_BASE, &levels);
	expect(pa == KVMKIT_RESULT_BASE && levels == (MODE32_PAE ? 3 : 2),
	       "result page mapped through a 4 KiB page table", pa);
	pa = translate(0x40000000u + 0x1234, &levels);
	expect(pa == 0x40001234u && levels == (MODE32_PAE ? 2 : 1),
	       MODE32_PAE ? "1 GiB + 0x1234: a 2 MiB page" :
			    "1 GiB + 0x1234: a 4 MiB page", pa);
	pa = translate(UNMAPPED, &levels);
	expect(pa == ~0ULL, "2 GiB is not mapped", pa);
}

static void load_bad_ds(void *arg)
{
	(void)arg;
	asm volatile("mov %0, %%ds" : : "r"(BAD_SELECTOR) : "memory");
}

static void read_unmapped(void *arg)
{
	(void)arg;
	(void)*(volatile uint32_t *)(uintptr_t)UNMAPPED;
}

static void write_unmapped(void *arg)
{
	(void)arg;
	*(volatile uint32_t *)(uintptr_t)(UNMAPPED + 8) = 1;
}

static void divide_by_zero(void *arg)
{
	unsigned int lo = 1, hi = 0, d = *(volatile unsigned int *)arg;

	asm volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(d));
}

static void into_overflow(void *arg)
{
	(void)arg;
	/* 0x7fffffff + 1 sets OF; INTO (0xce) is #UD in 64-bit mode */
	asm volatile("mov $0x7fffffff, %%eax\n\t"
		     "add $1, %%eax\n\t"
		     "into" : : : "eax", "cc");
}

static void into_no_overflow(void *arg)
{
	(void)arg;
	asm volatile("xor %%eax, %%eax\n\t"
		     "into" : : : "eax", "cc");
}

static void check_fault(void (*fn)(void *), void *arg, int vector,
			uint32_t code, uint64_t cr2, const char *what)
{
	struct kvm_fault f = { 0 };
	int got = kvm_call_safe(fn, arg, &f);

	if (got == vector && f.error_code == code && (!cr2 || f.cr2 == cr2))
		tst_res(TPASS, "%s: vector %d, error code 0x%x", what, got,
			f.error_code);
	else
		tst_res(TFAIL, "%s: vector %d error code 0x%x CR2 0x%llx, expected %d, 0x%x",
			what, got, f.error_code, f.cr2, vector, code);
}

static int ud_seen;

static int ud_handler(void *userdata, struct kvm_interrupt_frame *ifrm,
		      unsigned long errcode)
{
	(void)userdata;
	ud_seen = ifrm->cs == KVMKIT_SEL_CODE64 && errcode == 0 ? 1 : -1;
	kvm_set_interrupt_ip(ifrm, kvm_get_interrupt_ip(ifrm) + 2);
	return 1;
}

static uintptr_t gp_resume;
static unsigned long gp_code = ~0UL;

/* A #GP with an error code: the stub pushes none, the frame is the CPU's */
static int gp_handler(void *userdata, struct kvm_interrupt_frame *ifrm,
		      unsigned long errcode)
{
	(void)userdata;
	gp_code = ifrm->cs == KVMKIT_SEL_CODE64 ? errcode : ~0UL;
	kvm_set_interrupt_ip(ifrm, gp_resume);
	return 1;
}

static void exceptions(void)
{
	unsigned int zero = 0;
	uint64_t v = 1;

	check_fault(load_bad_ds, NULL, INTR_GPF, BAD_SELECTOR, 0,
		    "MOV DS past the GDT limit: #GP(selector)");
	check_fault(read_unmapped, NULL, INTR_PAGE_FAULT, 0, UNMAPPED,
		    "read of an unmapped page: #PF(0), CR2");
	check_fault(write_unmapped, NULL, INTR_PAGE_FAULT, 2, UNMAPPED + 8,
		    "write of an unmapped page: #PF(W), CR2");
	check_fault(divide_by_zero, &zero, INTR_ZERODIV, 0, 0, "DIV by 0: #DE");
	check_fault(into_overflow, NULL, INTR_OVERFLOW, 0, 0,
		    "INTO with OF=1: #OF");
	check_fault(into_no_overflow, NULL, 0, 0, 0, "INTO with OF=0: no fault");
	expect(kvm_rdmsr_safe(0x12345678, &v) == INTR_GPF && v == 0,
	       "kvm_rdmsr_safe(bad MSR) == #GP (fix-up table)", v);

	tst_set_interrupt_callback(INTR_BAD_OPCODE, ud_handler, NULL);
	asm volatile("ud2");
	tst_set_interrupt_callback(INTR_BAD_OPCODE, NULL, NULL);
	expect(ud_seen == 1, "UD2 -> callback (CS 0x08, no error code), resumed",
	       ud_seen);

	tst_set_interrupt_callback(INTR_GPF, gp_handler, NULL);
	asm volatile("movl $1f, %0\n\t"
		     "mov %1, %%ds\n"
		     "1:"
		     : "=m"(gp_resume) : "r"(BAD_SELECTOR) : "memory");
	tst_set_interrupt_callback(INTR_GPF, NULL, NULL);
	expect(gp_code == BAD_SELECTOR,
	       "MOV DS -> #GP callback with the selector as error code, resumed",
	       gp_code);
}

static void expect_str(const char *got, const char *want, const char *what)
{
	if (!strcmp(got, want))
		tst_res(TPASS, "%s: \"%s\"", what, got);
	else
		tst_res(TFAIL, "%s: \"%s\", expected \"%s\"", what, got, want);
}

static void formatting(void)
{
	volatile uint64_t big = 0x123456789abcdef0ULL, ten = 10;
	volatile int64_t neg = -1234567890123LL;
	volatile int wide = 0x1ff;	/* %hhx truncates it to ff */
	/* not a literal: %hhx of an int is the point, compilers would object */
	static const char *volatile fmt =
		"%llx|%lld|%ld|%lu|%zu|%p|%d|%s|%c|%hhx|%llu";
	char buf[160];

	snprintf(buf, sizeof(buf), fmt, big, neg, -5L, 4000000000UL,
		 (size_t)7, (void *)0x1000, -42, "str", 'z', wide,
		 18446744073709551615ULL);
	expect_str(buf, "123456789abcdef0|-1234567890123|-5|4000000000|7|0x1000|-42|str|z|ff|18446744073709551615",
		   "guest snprintf of i386 arguments");
	/* values from Python: 0x123456789abcdef0 // 10, % 7; C truncates */
	snprintf(buf, sizeof(buf), "%llu %llu %lld %lld", big / ten, big % 7,
		 neg / (int64_t)ten, neg % 7);
	expect_str(buf, "131176846746379032 5 -123456789012 -1",
		   "64-bit division (runtime __udivdi3 family)");
	tst_res(TINFO, "host-formatted: %llx %lld %d %lu %s %c %llu end",
		0x123456789abcdef0ULL, -1234567890123LL, -42, 4000000000UL,
		"str", 'z', 18446744073709551615ULL);
}

/* The heap starts at the image's end and hands out 4-byte pointers */
static void heap(void)
{
	extern char kvmkit_image_end[];
	char *a = tst_heap_alloc(100), *b = tst_heap_alloc_aligned(64, 4096);

	expect(a && (uintptr_t)a >= (uintptr_t)kvmkit_image_end && b &&
	       !((uintptr_t)b & 4095) && b >= a + 100,
	       "tst_heap_alloc/_aligned above the image, aligned, apart",
	       (uintptr_t)b);
	memset(a, 0x5a, 100);
	memcpy(b, a, 64);
	expect(!memcmp(a, b, 64) && b[63] == 0x5a,
	       "memset/memcpy/memcmp on heap memory", (unsigned char)b[63]);
}

void main(void)
{
	mode_registers();
	heap();
	paging_structures();
	exceptions();
	formatting();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = MODE32_PAE ?
		"32-bit protected mode with PAE paging: mode, tables, exceptions, printf" :
		"32-bit protected mode with 2-level paging: mode, tables, exceptions, printf",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
