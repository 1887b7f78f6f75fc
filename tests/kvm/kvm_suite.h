/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the tests of tests/kvm.
 *
 * 1. Probes in the style of kvm-unit-tests' *_safe() helpers: run one
 *    instruction and learn which exception, if any, it raised.  Inside an
 *    extended asm statement, SUITE_TRY(insn) records the address of insn
 *    (label 0) and of the instruction after it (label 1); suite_record(),
 *    installed on the vectors a test wants to catch, notes the first
 *    exception (vector, error code, saved RIP, CR2, RFLAGS) and resumes at
 *    label 1, so a fault is stepped over and a trap resumes where it would
 *    anyway.  suite_begin() before and suite_end() after the asm; outside a
 *    probe suite_record() declines and the default handler ends the test
 *    (TBROK), so a stray exception is never swallowed.
 *
 *    The labels go to memory as 32-bit immediates: the payload is linked
 *    non-PIE below 2 GiB (mk/config.mk: -mcmodel=small -fno-pie).
 *
 * 2. A scratch mapping: the identity map leaves 2-3 GiB unmapped (PDPT[2],
 *    see <kvmkit/abi.h>), so a test can build its own page table there and
 *    set any PTE bit it likes without touching the pages it runs from.
 *
 * 3. Host side, suite_kvm_run()/suite_kvm_cleanup(): tst_kvm_run() plus
 *    three things.  An emulation failure on a SUITE_TRY probe (a KVM that
 *    emulates guest kernel code, such as kvm_pvm, may not know the
 *    instruction) is a TFAIL with the instruction's bytes, and the guest
 *    resumes after the probe, which then reads NOT_EMULATED; a guest that
 *    exits before main() called suite_finish() fails; a guest that breaks
 *    or times out inside a probe is reported with the probe's bytes.
 *
 * Results are checked against the manuals, never against what KVM
 * happened to return: see each test's header for the rule and its source.
 */
#ifndef KVMKIT_TESTS_KVM_SUITE_H
#define KVMKIT_TESTS_KVM_SUITE_H

#define SUITE_UNUSED __attribute__((unused))


/* ---- The suite's device (a test that defines SUITE_DEVICE) -------------- */
/*
 * Host side (suite_kvm_run()), served through kvmkit's handler table:
 * - SUITE_DEV_MMIO: 8 KiB of device memory at a guest-physical range no
 *   memory slot backs, so every access exits to user space.  It reads and
 *   writes like RAM; SUITE_DEV_CTL's reset fills it with
 *   suite_dev_pattern(seed, offset).
 * - SUITE_DEV_DATA (4 ports) and port 80H: IN returns the byte stream
 *   suite_dev_in_byte(k), k counting bytes since the reset; OUT is kept.
 * Every MMIO and data-port access the host serves is logged (address,
 * size, count, direction, the bytes); OUT to SUITE_DEV_CTL resets the log
 * (32 bits: the seed), IN from it gives the number of accesses since,
 * IN from SUITE_DEV_BYTES the number of data-port bytes, and OUT to
 * SUITE_DEV_DUMP copies the first SUITE_DEV_MAX records to that
 * guest-physical address.  The control ports are not logged.
 */
#define SUITE_DEV_MMIO		0x20000000UL
#define SUITE_DEV_MMIO_LEN	0x2000UL
#define SUITE_DEV_CTL		0xe0
#define SUITE_DEV_DUMP		0xe4
#define SUITE_DEV_BYTES		0xe8
#define SUITE_DEV_DATA		0xf0
#define SUITE_DEV_MAX		64

struct suite_io_rec {
	uint64_t addr;		/* guest-physical address or port */
	uint32_t size;		/* bytes per access */
	uint32_t count;		/* accesses (string port I/O), else 1 */
	uint32_t is_write;
	uint32_t is_pio;
	uint8_t data[64];	/* the first 64 bytes moved */
};

static inline SUITE_UNUSED uint8_t suite_dev_pattern(uint32_t seed, uint64_t off)
{
	return (uint8_t)(off * 3 + seed);
}

static inline SUITE_UNUSED uint8_t suite_dev_in_byte(uint64_t k)
{
	return (uint8_t)(0x10 + k * 5);
}

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* suite_end()'s value when the probed instruction raised nothing */
#define NO_EXCEPTION	(-1)
/*
 * ... and when the host could not run it at all: suite_kvm_run() found an
 * emulation failure on the probe, reported it, set suite_at to 1 and
 * resumed at label 1
 */
#define NOT_EMULATED	(-2)

struct suite_trap {
	unsigned int count;	/* exceptions taken during the probe */
	int vector;		/* the first one's */
	unsigned long errcode;
	uintptr_t rip;		/* saved in its frame */
	uintptr_t cr2;
	unsigned long rflags;	/* saved in its frame */
	unsigned long dr6;	/* for #DB; DR6 is then reset to FFFF0FF0H */
};

#define DR6_INIT	0xffff0ff0UL	/* SDM Vol. 3B 17.2.3 */
#define DR6_B(n)	(1UL << (n))
#define DR6_BD		(1UL << 13)
#define DR6_BS		(1UL << 14)

/* Global, not static: the asm of SUITE_TRY names them */
volatile struct suite_trap suite_trap SUITE_UNUSED;
volatile uintptr_t suite_at SUITE_UNUSED, suite_resume SUITE_UNUSED;
/* RFLAGS bits cleared in the frame on resume (X86_EFLAGS_TF after a step) */
volatile unsigned long suite_rflags_clear SUITE_UNUSED;

#define X86_EFLAGS_CF	(1UL << 0)
#define X86_EFLAGS_ZF	(1UL << 6)
#define X86_EFLAGS_TF	(1UL << 8)
#define X86_EFLAGS_IF	(1UL << 9)
#define X86_EFLAGS_DF	(1UL << 10)
#define X86_EFLAGS_OF	(1UL << 11)
#define X86_EFLAGS_RF	(1UL << 16)
#define X86_EFLAGS_AC	(1UL << 18)

/* In an extended asm statement: insn between labels 0 and 1 */
#define SUITE_TRY(insn)						\
	"movq $0f, suite_at(%%rip)\n\t"				\
	"movq $1f, suite_resume(%%rip)\n"			\
	"0:\t" insn "\n"					\
	"1:\n\t"

/* User-mode probes (SUITE_USER_TRY), see suite_user_setup() */
volatile int suite_user_active SUITE_UNUSED;
volatile uintptr_t suite_user_done SUITE_UNUSED, suite_kernel_rsp SUITE_UNUSED;
volatile uint64_t suite_kernel_rflags SUITE_UNUSED;
volatile uint64_t suite_user_cs SUITE_UNUSED, suite_user_ss SUITE_UNUSED;
volatile uint64_t suite_user_rsp SUITE_UNUSED, suite_user_rflags SUITE_UNUSED;

static SUITE_UNUSED int suite_record(void *userdata,
	struct kvm_interrupt_frame *ifrm, unsigned long errcode)
{
	volatile struct suite_trap *t = &suite_trap;
	int from_user = suite_user_active && (ifrm->cs & 3);

	if (!suite_resume)
		return 0;
	/* The ud2 a user probe ends with is its way home, not a result */
	if (from_user && (int)(uintptr_t)userdata == INTR_BAD_OPCODE &&
	    ifrm->rip == suite_user_done)
		goto home;
	if (++t->count == 1) {
		t->vector = (int)(uintptr_t)userdata;
		t->errcode = errcode;
		t->rip = ifrm->rip;
		t->rflags = ifrm->rflags;
		t->cr2 = kvm_read_cr2();
		if (t->vector == INTR_DEBUG) {
			unsigned long dr6;

			asm volatile("mov %%dr6, %0" : "=r"(dr6));
			t->dr6 = dr6;
			asm volatile("mov %0, %%dr6" : : "r"(DR6_INIT));
		}
	}
	/* A probe that keeps faulting must not hang the test */
	if (t->count > 8)
		tst_brk(TBROK, "exception %d repeats after resuming at 0x%lx",
			(int)(uintptr_t)userdata, (unsigned long)suite_resume);
	if (!from_user) {
		ifrm->rip = suite_resume;
		ifrm->rflags &= ~suite_rflags_clear;
		return 1;
	}
home:
	/* Back to CPL 0, on the stack and flags the probe left from */
	ifrm->rip = suite_resume;
	ifrm->cs = KVMKIT_SEL_CODE64;
	ifrm->ss = KVMKIT_SEL_DATA;
	ifrm->rsp = suite_kernel_rsp;
	ifrm->rflags = suite_kernel_rflags;
	return 1;
}

static inline SUITE_UNUSED void suite_catch(unsigned int vector)
{
	tst_set_interrupt_callback(vector, suite_record,
				   (void *)(uintptr_t)vector);
}

/* Catch every architectural exception vector (0-31) */
static inline SUITE_UNUSED void suite_catch_all(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++)
		suite_catch(v);
}

static inline SUITE_UNUSED void suite_begin(void)
{
	suite_trap.count = 0;
	suite_trap.vector = NO_EXCEPTION;
	suite_trap.errcode = 0;
	suite_trap.rip = 0;
	suite_trap.cr2 = 0;
	suite_trap.rflags = 0;
	suite_trap.dr6 = 0;
	asm volatile("" : : : "memory");
}

/* Label 1 of the last probe, kept after suite_end() */
volatile uintptr_t suite_after SUITE_UNUSED;

static inline SUITE_UNUSED int suite_end(void)
{
	asm volatile("" : : : "memory");
	suite_after = suite_resume;
	suite_resume = 0;
	if (suite_at == 1)
		suite_trap.vector = NOT_EMULATED;
	return suite_trap.vector;
}

static inline SUITE_UNUSED const char *suite_vector_name(int vector)
{
	if (vector == NO_EXCEPTION)
		return "no exception";
	if (vector == NOT_EMULATED)
		return "KVM emulation failure";
	if (vector >= 0 && vector < INTERRUPT_COUNT)
		return tst_interrupt_names[vector];
	return "interrupt";
}

/*
 * An error code spelt out, so a wrong one says which part is wrong:
 * selector format (Vol. 3A 6.13) for #TS, #NP, #SS, #GP (EXT, IDT, TI and
 * the index: for IDT = 1 the index is the vector), the flag names for #PF.
 */
static SUITE_UNUSED const char *suite_errcode_text(int vector,
						    unsigned long code,
						    char *buf, size_t len)
{
	static const char *const pf[] = { "P", "W/R", "U/S", "RSVD", "I/D", "PK" };
	unsigned int i;

	buf[0] = '\0';
	if (vector >= 10 && vector <= 13) {
		snprintf(buf, len, "EXT %lu, %s index 0x%lx", code & 1,
			 code & 2 ? "IDT" : code & 4 ? "LDT" : "GDT",
			 (code & 0xffff) >> 3);
	} else if (vector == 14) {
		for (i = 0; i < 6; i++)
			if (code & 1UL << i)
				snprintf(buf + strlen(buf), len - strlen(buf),
					 "%s%s", buf[0] ? "|" : "", pf[i]);
		if (!buf[0])
			snprintf(buf, len, "none");
	}
	return buf;
}

#define SUITE_FAULT	0	/* saved RIP: the instruction (label 0) */
#define SUITE_TRAP	1	/* saved RIP: the next one (label 1) */
/* any other value of suite_expect()'s kind: the saved RIP itself */
#define SUITE_ANY_ERR	(~0UL)

/*
 * Judge the last probe: exactly one exception `vector` with error code
 * `errcode` (SUITE_ANY_ERR: not checked) and the saved RIP of a fault or
 * a trap.  One TPASS or TFAIL line naming `what`; returns 1 on a pass.
 */
#define suite_expect(...) suite_expect_(__FILE__, __LINE__, __VA_ARGS__)
static SUITE_UNUSED int suite_expect_(const char *file, int line,
				      const char *what, int vector,
				      unsigned long errcode, uintptr_t kind)
{
	const volatile struct suite_trap *t = &suite_trap;
	uintptr_t want_rip = kind == SUITE_TRAP ? suite_after :
			     kind == SUITE_FAULT ? suite_at : kind;

	if (t->vector != vector) {
		tst_res_(file, line, TFAIL, "%s: got %s (%d), expected %s (%d)", what,
			suite_vector_name(t->vector), t->vector,
			suite_vector_name(vector), vector);
		return 0;
	}
	if (t->count != 1) {
		tst_res_(file, line, TFAIL, "%s: %u exceptions, expected one %s", what,
			t->count, suite_vector_name(vector));
		return 0;
	}
	if (errcode != SUITE_ANY_ERR && t->errcode != errcode) {
		char got[64], want[64];

		suite_errcode_text(vector, t->errcode, got, sizeof(got));
		suite_errcode_text(vector, errcode, want, sizeof(want));
		if (got[0])
			tst_res_(file, line, TFAIL, "%s: %s with error code 0x%lx (%s), expected 0x%lx (%s)",
				 what, suite_vector_name(vector), t->errcode,
				 got, errcode, want);
		else
			tst_res_(file, line, TFAIL, "%s: %s with error code 0x%lx, expected 0x%lx",
				 what, suite_vector_name(vector), t->errcode,
				 errcode);
		return 0;
	}
	if (t->rip != want_rip) {
		tst_res_(file, line, TFAIL, "%s: %s with saved RIP 0x%lx, expected 0x%lx (%s)",
			what, suite_vector_name(vector), (unsigned long)t->rip,
			(unsigned long)want_rip,
			kind == SUITE_TRAP ? "the next instruction" :
			kind == SUITE_FAULT ? "the faulting instruction" :
			"the fetched address");
		return 0;
	}
	tst_res_(file, line, TPASS, "%s: %s, error code 0x%lx", what,
		suite_vector_name(vector), t->errcode);
	return 1;
}

/* The last probe raised nothing */
#define suite_expect_none(what) suite_expect_none_(__FILE__, __LINE__, what)
static SUITE_UNUSED int suite_expect_none_(const char *file, int line,
					   const char *what)
{
	const volatile struct suite_trap *t = &suite_trap;

	if (t->vector == NOT_EMULATED) {
		tst_res_(file, line, TFAIL, "%s: KVM could not emulate the instruction",
			 what);
		return 0;
	}
	if (t->count) {
		tst_res_(file, line, TFAIL, "%s: %s (%d) with error code 0x%lx at RIP 0x%lx, expected no exception",
			what, suite_vector_name(t->vector), t->vector,
			t->errcode, (unsigned long)t->rip);
		return 0;
	}
	tst_res_(file, line, TPASS, "%s: no exception", what);
	return 1;
}

/* A #PF with errcode and CR2 == addr (kind as for suite_expect()) */
#define suite_expect_pf(what, errcode, addr, kind) \
	suite_expect_pf_(__FILE__, __LINE__, what, errcode, addr, kind)
static SUITE_UNUSED int suite_expect_pf_(const char *file, int line,
					 const char *what, unsigned long errcode,
					 uintptr_t addr, uintptr_t kind)
{
	if (suite_trap.vector == INTR_PAGE_FAULT && suite_trap.cr2 != addr) {
		tst_res_(file, line, TFAIL, "%s: #PF with CR2 0x%lx, expected 0x%lx (error code 0x%lx)",
			 what, (unsigned long)suite_trap.cr2,
			 (unsigned long)addr, suite_trap.errcode);
		return 0;
	}
	return suite_expect_(file, line, what, INTR_PAGE_FAULT, errcode, kind);
}

/*
 * The last line of main(): suite_kvm_run() fails a guest that exits (main()
 * returned, or kvm_exit()) without having said this, so a guest knocked off
 * course by a broken host cannot end quietly with a pass.
 */
#define SUITE_FINISHED	"all checks ran"
static inline SUITE_UNUSED void suite_finish(void)
{
	tst_res(TINFO, SUITE_FINISHED);
}

/* ---- *_safe() helpers: the vector raised, or NO_EXCEPTION ------------- */

static inline SUITE_UNUSED int wrmsr_safe(uint32_t msr, uint64_t val)
{
	suite_begin();
	asm volatile(SUITE_TRY("wrmsr")
		     : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return suite_end();
}

static inline SUITE_UNUSED int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	suite_begin();
	asm volatile(SUITE_TRY("rdmsr")
		     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = (uint64_t)hi << 32 | lo;
	return suite_end();
}

#define SUITE_WRITE_CR_SAFE(n)						\
static inline SUITE_UNUSED int write_cr##n##_safe(unsigned long val)	\
{									\
	suite_begin();							\
	asm volatile(SUITE_TRY("mov %0, %%cr" #n)			\
		     : : "r"(val) : "memory");				\
	return suite_end();						\
}
SUITE_WRITE_CR_SAFE(0)
SUITE_WRITE_CR_SAFE(3)
SUITE_WRITE_CR_SAFE(4)
SUITE_WRITE_CR_SAFE(8)

static inline SUITE_UNUSED unsigned long read_cr8(void)
{
	unsigned long val;

	asm volatile("mov %%cr8, %0" : "=r"(val));
	return val;
}

static inline SUITE_UNUSED int xsetbv_safe(uint32_t xcr, uint64_t val)
{
	suite_begin();
	asm volatile(SUITE_TRY("xsetbv")
		     : : "c"(xcr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return suite_end();
}

static inline SUITE_UNUSED int xgetbv_safe(uint32_t xcr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	suite_begin();
	asm volatile(SUITE_TRY("xgetbv")
		     : "+a"(lo), "+d"(hi) : "c"(xcr) : "memory");
	*val = (uint64_t)hi << 32 | lo;
	return suite_end();
}

/* Load 8 bytes from addr into *val (left alone on a fault) */
static inline SUITE_UNUSED int suite_read(uintptr_t addr, uint64_t *val)
{
	uint64_t v = *val;

	suite_begin();
	asm volatile(SUITE_TRY("mov (%1), %0") : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return suite_end();
}

static inline SUITE_UNUSED int suite_write(uintptr_t addr, uint64_t val)
{
	suite_begin();
	asm volatile(SUITE_TRY("mov %1, (%0)") : : "r"(addr), "r"(val) : "memory");
	return suite_end();
}

static inline SUITE_UNUSED uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* ---- CPUID --------------------------------------------------------------- */

static inline SUITE_UNUSED struct kvm_cpuid suite_cpuid(unsigned int leaf,
							 unsigned int sub)
{
	struct kvm_cpuid id;

	kvm_get_cpuid(leaf, sub, &id);
	return id;
}

static inline SUITE_UNUSED unsigned int suite_max_leaf(void)
{
	return suite_cpuid(0, 0).eax;
}

/* CPUID.7.0 register, 0 when leaf 7 does not exist */
static inline SUITE_UNUSED struct kvm_cpuid suite_cpuid7(void)
{
	struct kvm_cpuid zero = { 0 };

	return suite_max_leaf() >= 7 ? suite_cpuid(7, 0) : zero;
}

static inline SUITE_UNUSED unsigned int suite_max_ext_leaf(void)
{
	return suite_cpuid(0x80000000, 0).eax;
}

static inline SUITE_UNUSED struct kvm_cpuid suite_cpuid_ext1(void)
{
	struct kvm_cpuid zero = { 0 };

	return suite_max_ext_leaf() >= 0x80000001 ?
	       suite_cpuid(0x80000001, 0) : zero;
}

/* "GenuineIntel" / "AuthenticAMD" / "HygonGenuine" ... */
static inline SUITE_UNUSED int suite_vendor_is(const char *vendor)
{
	struct kvm_cpuid id = suite_cpuid(0, 0);
	char v[13];

	memcpy(v, &id.ebx, 4);
	memcpy(v + 4, &id.edx, 4);
	memcpy(v + 8, &id.ecx, 4);
	v[12] = 0;
	return !strcmp(v, vendor);
}

/* MAXPHYADDR (CPUID.80000008H:EAX[7:0]), 36 without that leaf */
static inline SUITE_UNUSED unsigned int suite_maxphyaddr(void)
{
	if (suite_max_ext_leaf() < 0x80000008)
		return 36;
	return suite_cpuid(0x80000008, 0).eax & 0xff;
}

/* ---- Scratch mappings in the identity map's 2-3 GiB hole ---------------- */

#define SUITE_PTE_P	(1ULL << 0)
#define SUITE_PTE_W	(1ULL << 1)
#define SUITE_PTE_U	(1ULL << 2)
#define SUITE_PTE_PWT	(1ULL << 3)
#define SUITE_PTE_PCD	(1ULL << 4)
#define SUITE_PTE_A	(1ULL << 5)
#define SUITE_PTE_D	(1ULL << 6)
#define SUITE_PTE_PS	(1ULL << 7)
#define SUITE_PTE_G	(1ULL << 8)
#define SUITE_PTE_NX	(1ULL << 63)
#define SUITE_PTE_ADDR	0x000ffffffffff000ULL

/* Page-fault error code bits (SDM Vol. 3A 4.7) */
#define PFERR_P		(1UL << 0)
#define PFERR_W		(1UL << 1)
#define PFERR_U		(1UL << 2)
#define PFERR_RSVD	(1UL << 3)
#define PFERR_I		(1UL << 4)
#define PFERR_PK	(1UL << 5)

#define SUITE_SCRATCH_VA	0x80000000UL

uint64_t *suite_scratch_pd SUITE_UNUSED, *suite_scratch_pt SUITE_UNUSED;

static inline SUITE_UNUSED void suite_invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline SUITE_UNUSED uint64_t *suite_pml4(void)
{
	return (uint64_t *)(kvm_read_cr3() & SUITE_PTE_ADDR);
}

static inline SUITE_UNUSED void *suite_alloc_page(void)
{
	void *p = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);

	memset(p, 0, KVMKIT_PAGE_SIZE);
	return p;
}

/*
 * The PTE of scratch page i (0-511) at SUITE_SCRATCH_VA + i * 4 KiB.  The
 * PD and PT of the scratch 2 MiB are writable and user-accessible, so a
 * PTE alone decides its page's rights below PML4[0] (supervisor unless a
 * test sets its U bit).
 */
static inline SUITE_UNUSED volatile uint64_t *suite_scratch_pte(unsigned int i)
{
	if (!suite_scratch_pt) {
		uint64_t *pml4 = suite_pml4();
		uint64_t *pdpt = (uint64_t *)(pml4[0] & SUITE_PTE_ADDR);

		if (pdpt[2] & SUITE_PTE_P)
			tst_brk(TBROK, "PDPT[2] is mapped: no scratch hole");
		suite_scratch_pd = suite_alloc_page();
		suite_scratch_pt = suite_alloc_page();
		suite_scratch_pd[0] = (uintptr_t)suite_scratch_pt |
				      SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_U;
		pdpt[2] = (uintptr_t)suite_scratch_pd |
			  SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_U;
	}
	return &suite_scratch_pt[i & 511];
}

/*
 * Jump to target, where a suite_exec_stub() waits to jump back to the
 * probe's label 1 (through RCX); a fetch fault there resumes at label 1
 * too.  The saved RIP of such a fault is target, not the jump.
 */
static inline SUITE_UNUSED int suite_exec(uintptr_t target)
{
	suite_begin();
	asm volatile("lea 1f(%%rip), %%rcx\n\t"
		     SUITE_TRY("jmp *%0")
		     : : "r"(target) : "rcx", "memory");
	return suite_end();
}

static inline SUITE_UNUSED void suite_exec_stub(void *code)
{
	((volatile uint8_t *)code)[0] = 0xff;	/* jmp *%rcx */
	((volatile uint8_t *)code)[1] = 0xe1;
}

/* Map scratch page i to the frame at phys with flags; returns its address */
static inline SUITE_UNUSED uintptr_t suite_map(unsigned int i, uintptr_t phys,
					       uint64_t flags)
{
	uintptr_t va = SUITE_SCRATCH_VA + (uintptr_t)(i & 511) * KVMKIT_PAGE_SIZE;

	*suite_scratch_pte(i) = (phys & SUITE_PTE_ADDR) | flags;
	suite_invlpg(va);
	return va;
}

/*
 * SUITE_USER_TRY(insn): like SUITE_TRY, but insn runs at CPL 3.  The
 * probe IRETs to label 0 in user mode; insn is followed by a UD2 (label 2)
 * whose #UD brings the CPU back to CPL 0 at label 1 without counting as a
 * result, and any other exception is recorded and does the same.  Needs
 * suite_user_setup() first, and suite_user_end() after suite_end() (IRET to
 * CPL 3 loads null into DS and ES, whose DPL 0 is below the new CPL).
 */
#define SUITE_USER_TRY(insn)					\
	"mov %%rsp, suite_kernel_rsp(%%rip)\n\t"			\
	"pushf\n\t"						\
	"pop suite_kernel_rflags(%%rip)\n\t"			\
	"movq $0f, suite_at(%%rip)\n\t"				\
	"movq $1f, suite_resume(%%rip)\n\t"			\
	"movq $2f, suite_user_done(%%rip)\n\t"			\
	"pushq suite_user_ss(%%rip)\n\t"				\
	"pushq suite_user_rsp(%%rip)\n\t"				\
	"pushq suite_user_rflags(%%rip)\n\t"			\
	"pushq suite_user_cs(%%rip)\n\t"				\
	"pushq $0f\n\t"						\
	"iretq\n"							\
	"0:\t" insn "\n"						\
	"2:\tud2\n"						\
	"1:\n\t"

static inline SUITE_UNUSED void suite_user_end(void)
{
	asm volatile("mov %0, %%ds\n\tmov %0, %%es"
		     : : "r"((uint32_t)KVMKIT_SEL_DATA));
}

/* Make every present entry of the first GiB user-accessible */
static inline SUITE_UNUSED void suite_user_pages(void)
{
	uint64_t *pml4 = suite_pml4(), *pdpt, *pd, *pt;
	unsigned int j, k;

	pml4[0] |= SUITE_PTE_U;
	pdpt = (uint64_t *)(pml4[0] & SUITE_PTE_ADDR);
	pdpt[0] |= SUITE_PTE_U;
	pd = (uint64_t *)(pdpt[0] & SUITE_PTE_ADDR);
	for (j = 0; j < 512; j++) {
		if (!(pd[j] & SUITE_PTE_P))
			continue;
		pd[j] |= SUITE_PTE_U;
		if (pd[j] & SUITE_PTE_PS)
			continue;
		pt = (uint64_t *)(pd[j] & SUITE_PTE_ADDR);
		for (k = 0; k < 512; k++)
			if (pt[k] & SUITE_PTE_P)
				pt[k] |= SUITE_PTE_U;
	}
	kvm_set_cr3(kvm_read_cr3());
}

/*
 * User mode for SUITE_USER_TRY: the first GiB (code, data, heap, stacks)
 * user-accessible, 64-bit user code and data descriptors (DPL 3) in free
 * GDT slots, a user stack, and TSS.RSP0 for exceptions taken from CPL 3.
 * The scratch mapping's PTEs (suite_map()) keep their own U/S bit.
 */
static inline SUITE_UNUSED void suite_user_setup(void)
{
	uint8_t *ustack = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);
	uint8_t *kstack = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);
	int code, data;

	suite_user_pages();
	code = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	if (code < 0)
		tst_brk(TBROK, "no free GDT slot for user code");
	kvm_set_segment_descriptor(&kvm_gdt[code], 0, 0xfffff, SEGTYPE_CODE |
				   SEGFLAG_PRESENT | 0x60 | SEGFLAG_CODE64 |
				   SEGFLAG_PAGE_LIMIT);
	data = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	if (data < 0)
		tst_brk(TBROK, "no free GDT slot for user data");
	kvm_set_segment_descriptor(&kvm_gdt[data], 0, 0xfffff, SEGTYPE_RWDATA |
				   SEGFLAG_PRESENT | 0x60 | SEGFLAG_32BIT |
				   SEGFLAG_PAGE_LIMIT);
	suite_user_cs = code * 8 | 3;
	suite_user_ss = data * 8 | 3;
	suite_user_rsp = (uintptr_t)ustack + KVMKIT_PAGE_SIZE - 64;
	suite_user_rflags = X86_EFLAGS_IF | 0x2;
	kvm_tss.rsp[0] = (uintptr_t)kstack + KVMKIT_PAGE_SIZE;
	suite_user_active = 1;
}


#ifdef SUITE_DEVICE
/* ---- The suite's device, guest side ------------------------------------ */

static inline SUITE_UNUSED void suite_outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline SUITE_UNUSED uint32_t suite_inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline SUITE_UNUSED void suite_dev_reset(uint32_t seed)
{
	suite_outl(SUITE_DEV_CTL, seed);
}

struct suite_io_rec suite_dev_log[SUITE_DEV_MAX] SUITE_UNUSED;

/* Map the device's pages at their own address (uncached); returns it */
static inline SUITE_UNUSED uintptr_t suite_dev_map(void)
{
	uintptr_t va;

	for (va = SUITE_DEV_MMIO; va < SUITE_DEV_MMIO + SUITE_DEV_MMIO_LEN;
	     va += KVMKIT_PAGE_SIZE)
		if (kvm_map_page(va, va, KVM_PAGE_WRITE | KVM_PAGE_PCD))
			tst_brk(TBROK, "cannot map the device page 0x%lx",
				(unsigned long)va);
	return SUITE_DEV_MMIO;
}

/* Fetch the log into suite_dev_log[]; returns the number of accesses */
static inline SUITE_UNUSED unsigned int suite_dev_fetch(void)
{
	memset(suite_dev_log, 0, sizeof(suite_dev_log));
	suite_outl(SUITE_DEV_DUMP, (uint32_t)(uintptr_t)suite_dev_log);
	return suite_inl(SUITE_DEV_CTL);
}

static inline SUITE_UNUSED uint64_t suite_rec_value(const struct suite_io_rec *r)
{
	uint64_t v = 0;

	memcpy(&v, r->data, r->size < 8 ? r->size : 8);
	return v;
}

/* One expected MMIO access */
struct suite_mmio_want {
	uint64_t addr;
	uint32_t size;
	uint32_t is_write;
	uint64_t value;
};

/*
 * One TPASS when the host served exactly the n MMIO accesses of want[], in
 * that order, else one TFAIL listing what it served.
 */
static SUITE_UNUSED int suite_dev_expect(const char *what,
	const struct suite_mmio_want *want, unsigned int n)
{
	unsigned int got = suite_dev_fetch(), i, bad = got != n;

	for (i = 0; !bad && i < n; i++) {
		const struct suite_io_rec *r = &suite_dev_log[i];

		bad = r->is_pio || r->addr != want[i].addr ||
		      r->size != want[i].size || r->count != 1 ||
		      r->is_write != want[i].is_write ||
		      suite_rec_value(r) != want[i].value;
	}
	if (!bad) {
		tst_res(TPASS, "%s: the host served the %u expected MMIO access%s",
			what, n, n == 1 ? "" : "es");
		return 1;
	}
	tst_res(TFAIL, "%s: the host served %u MMIO access%s, expected %u:",
		what, got, got == 1 ? "" : "es", n);
	for (i = 0; i < n; i++)
		tst_res(TINFO, "  expected %s 0x%llx size %u value 0x%llx",
			want[i].is_write ? "write" : "read",
			(unsigned long long)want[i].addr, want[i].size,
			(unsigned long long)want[i].value);
	for (i = 0; i < got && i < SUITE_DEV_MAX; i++)
		tst_res(TINFO, "  served   %s %s 0x%llx size %u count %u value 0x%llx",
			suite_dev_log[i].is_pio ? "port" : "mmio",
			suite_dev_log[i].is_write ? "write" : "read",
			(unsigned long long)suite_dev_log[i].addr,
			suite_dev_log[i].size, suite_dev_log[i].count,
			(unsigned long long)suite_rec_value(&suite_dev_log[i]));
	return 0;
}

/* The SIZE bytes at OFF of the device's SEED pattern, little-endian */
static inline SUITE_UNUSED uint64_t suite_dev_value(uint32_t seed, uint64_t off,
						    unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)suite_dev_pattern(seed, off + i) << (8 * i);
	return v;
}

/* TPASS when a value read back is the one the rule gives, else TFAIL */
static inline SUITE_UNUSED void suite_check_value(const char *what, uint64_t got,
						  uint64_t want)
{
	if (got == want)
		tst_res(TPASS, "%s: 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: 0x%llx, expected 0x%llx", what,
			(unsigned long long)got, (unsigned long long)want);
}

#endif /* SUITE_DEVICE */

#else /* COMPILE_PAYLOAD */

/*
 * Host side: suite_kvm_run() is tst_kvm_run() plus one thing.  A host
 * whose KVM emulates guest kernel code (kvm_pvm) may stop the VM with an
 * emulation failure where a CPU would run the instruction or raise an
 * exception.  When that instruction is a SUITE_TRY probe, the failure is
 * reported as TFAIL with the instruction's bytes and the guest resumes
 * after the probe (which then sees no exception and says so), so one
 * failure does not hide the rest of the test.  Anything else is TBROK,
 * as in tst_kvm_run().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kvmkit/kvmkit.h>
#include <kvmkit/exit.h>
#include <kvmkit/x86.h>

/* A test may lower it in its setup(); every check here takes milliseconds */
static uint64_t suite_timeout_ns = 5000000000ULL;

static struct tst_kvm_instance suite_vm = { .vm_fd = -1 };
static struct kvmkit_report suite_rep;
static int suite_finished;

#define SUITE_FINISHED	"all checks ran"	/* the guest's suite_finish() */

/*
 * SUITE_TRY assembles to two "movq $imm32, disp32(%rip)" (48 c7 05 disp32
 * imm32, 11 bytes each) right before the probed instruction: the first
 * stores label 0 (the instruction), the second label 1 (the next one).
 * Returns label 1 when rip is such a probe, else 0.
 */
static uint64_t suite_probe_after(uint64_t rip)
{
	const uint8_t *p;
	uint32_t at, after;

	if (rip < KVMKIT_PAYLOAD_BASE + 22 || rip > 0x7fffffff)
		return 0;
	p = tst_kvm_get_memptr(&suite_vm, rip - 22);
	if (!p || memcmp(p, "\x48\xc7\x05", 3) || memcmp(p + 11, "\x48\xc7\x05", 3))
		return 0;
	memcpy(&at, p + 7, 4);
	memcpy(&after, p + 18, 4);
	if (at != rip || after <= rip || after > rip + 15)
		return 0;
	return after;
}

/* The address of suite_at, from the first movq's disp32 (ends at rip - 11) */
static uint64_t suite_probe_at_var(uint64_t rip)
{
	const uint8_t *p = tst_kvm_get_memptr(&suite_vm, rip - 22);
	int32_t disp;

	memcpy(&disp, p + 3, 4);
	return rip - 11 + (int64_t)disp;
}

static int suite_emulation_failure(const struct kvmkit_exit *e)
{
	struct kvmkit_vcpu *vcpu = suite_vm.kvmkit_vcpu;
	struct kvm_regs regs;
	const uint8_t *insn;
	char hex[64] = "";
	uint64_t after, i, one = 1;
	void *marker;

	if (e->internal.suberror != KVM_INTERNAL_ERROR_EMULATION ||
	    kvmkit_vcpu_get_regs(vcpu, &regs))
		return 0;
	after = suite_probe_after(regs.rip);
	insn = tst_kvm_get_memptr(&suite_vm, regs.rip);
	if (!after || !insn)
		return 0;
	for (i = 0; i < after - regs.rip; i++)
		snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%s%02x",
			 i ? " " : "", insn[i]);
	tst_res(TFAIL, "KVM failed to emulate the probed instruction (%s) at guest RIP 0x%llx: KVM_EXIT_INTERNAL_ERROR, emulation failure; a CPU executes it or raises the exception the guest checks for. Skipping it",
		hex, (unsigned long long)regs.rip);
	/* Tell the guest: suite_at, RIP-relative in the first movq, = 1 */
	marker = tst_kvm_get_memptr(&suite_vm, suite_probe_at_var(regs.rip));
	if (!marker)
		tst_brk(TBROK, "Cannot find the probe's suite_at");
	memcpy(marker, &one, sizeof(one));
	regs.rip = after;
	if (kvmkit_vcpu_set_regs(vcpu, &regs))
		tst_brk(TBROK, "Cannot skip the probe: %s", kvmkit_vcpu_error(vcpu));
	return 1;
}

static void suite_print(const struct kvmkit_report *r)
{
	const char *file = r->file_ok ? r->file : "(guest)";

	tst_kvm_validate_result(r->result);
	if (r->result == TINFO && !strcmp(r->message, SUITE_FINISHED))
		suite_finished = 1;
	if (TTYPE_RESULT(r->result) == TBROK)
		tst_brk_(file, r->lineno, TBROK, "%s", r->message);
	tst_res_(file, r->lineno, r->result, "%s", r->message);
}

/*
 * One kvmkit hypercall, as the library decoded it (the guest's registers
 * come with the calls that pass them); returns 1 when the iteration is
 * over
 */
static int suite_hypercall(struct kvmkit_vcpu *vcpu,
			   const struct kvmkit_hypercall *hc)
{
	struct kvmkit_exception_frame frame;
	char text[2048];

	switch (hc->nr) {
	case KVMKIT_HC_PRINTF:
	case KVMKIT_HC_PRINTF_EXIT:
	case KVMKIT_HC_REPORT:
		if (kvmkit_report_from_hypercall(vcpu, hc, &suite_rep))
			tst_brk(TBROK, "Cannot read the guest's report: %s",
				kvmkit_vcpu_error(vcpu));
		suite_print(&suite_rep);
		if (hc->nr == KVMKIT_HC_REPORT)
			suite_vm.result->result = KVM_TNONE;
		return hc->nr == KVMKIT_HC_PRINTF_EXIT;
	case KVMKIT_HC_EXIT:
		if (!suite_finished)
			tst_res(TFAIL, "the guest exited before main() reached suite_finish(): checks after the last result above did not run");
		return 1;
	case KVMKIT_HC_EXCEPTION:
		if (kvmkit_report_from_hypercall(vcpu, hc, &suite_rep))
			tst_brk(TBROK, "Cannot read the result page: %s",
				kvmkit_vcpu_error(vcpu));
		memcpy(&frame, suite_rep.message, sizeof(frame));
		kvmkit_x86_format_exception(&frame, text, sizeof(text));
		tst_brk(TBROK, "Unhandled exception: %s", text);
	}
	tst_brk(TBROK, "unknown hypercall 0x%x", hc->nr);
	return 1;
}

/* kvmkit_vcpu_run_loop()'s hypercall callback: opaque is the done flag */
static int suite_on_hypercall(struct kvmkit_vcpu *vcpu,
			      const struct kvmkit_hypercall *hc, void *opaque)
{
	int *done = opaque;

	*done = suite_hypercall(vcpu, hc);
	return *done ? KVMKIT_STOP : KVMKIT_RESUME;
}

/* "; RIP is at the probed instruction (bytes)" or "" */
static void suite_where(char *buf, size_t len)
{
	struct kvm_regs regs;
	const uint8_t *insn;
	uint64_t after, i;

	buf[0] = '\0';
	if (kvmkit_vcpu_get_regs(suite_vm.kvmkit_vcpu, &regs))
		return;
	after = suite_probe_after(regs.rip);
	insn = tst_kvm_get_memptr(&suite_vm, regs.rip);
	if (!after || !insn)
		return;
	snprintf(buf, len, "; RIP is at a probed instruction (");
	for (i = 0; i < after - regs.rip; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%02x",
			 i ? " " : "", insn[i]);
	snprintf(buf + strlen(buf), len - strlen(buf), ")");
}

static void suite_broke(const struct kvmkit_exit *e)
{
	char desc[384], regs[4096], where[128];

	kvmkit_exit_describe(e, desc, sizeof(desc));
	/* kvm_amd: #VMEXIT(SVM_EXIT_ERR) on the guest's VMRUN or from an L0 */
	if (e->type == KVMKIT_EXIT_FAIL_ENTRY &&
	    e->fail_entry.hardware_reason == 0xffffffffULL)
		snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc),
			 " (SVM_EXIT_ERR, VMEXIT_INVALID: the guest state failed a VMRUN consistency check, or a nested L0 that emulates SVM exited with it)");
	suite_where(where, sizeof(where));
	if (kvmkit_vcpu_dump(suite_vm.kvmkit_vcpu, regs, sizeof(regs)))
		regs[0] = '\0';
	tst_brk(TBROK, "unexpected VM exit: %s%s\n%s", desc, where, regs);
}


#ifdef SUITE_DEVICE
/* ---- The suite's device, host side -------------------------------------- */
static SUITE_UNUSED uint8_t suite_dev_mem[SUITE_DEV_MMIO_LEN];
static SUITE_UNUSED struct suite_io_rec suite_dev_recs[SUITE_DEV_MAX];
static SUITE_UNUSED uint32_t suite_dev_n, suite_dev_bytes;

static SUITE_UNUSED void suite_dev_log_access(const struct kvmkit_io *io, int pio)
{
	struct suite_io_rec *r;
	uint32_t len = io->size * io->count;

	if (suite_dev_n++ >= SUITE_DEV_MAX)
		return;
	r = &suite_dev_recs[suite_dev_n - 1];
	memset(r, 0, sizeof(*r));
	r->addr = io->addr;
	r->size = io->size;
	r->count = io->count;
	r->is_write = !!io->is_write;
	r->is_pio = pio;
	memcpy(r->data, io->data, len < sizeof(r->data) ? len : sizeof(r->data));
}

static SUITE_UNUSED int suite_dev_mmio(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
			  void *opaque)
{
	(void)vcpu;
	(void)opaque;
	if (io->size < 1 || io->size > 8 || io->offset + io->size > SUITE_DEV_MMIO_LEN) {
		tst_res(TFAIL, "MMIO access the device cannot serve: 0x%llx size %u",
			(unsigned long long)io->addr, io->size);
		return -EINVAL;
	}
	if (io->is_write)
		memcpy(suite_dev_mem + io->offset, io->data, io->size);
	else
		memcpy(io->data, suite_dev_mem + io->offset, io->size);
	suite_dev_log_access(io, 0);
	return KVMKIT_RESUME;
}

static SUITE_UNUSED int suite_dev_data(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
			  void *opaque)
{
	uint32_t i, len = io->size * io->count;

	(void)vcpu;
	(void)opaque;
	if (!io->is_write)
		for (i = 0; i < len; i++)
			io->data[i] = suite_dev_in_byte(suite_dev_bytes + i);
	suite_dev_bytes += len;
	suite_dev_log_access(io, 1);
	return KVMKIT_RESUME;
}

static SUITE_UNUSED int suite_dev_ctl(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
			 void *opaque)
{
	uint32_t v = 0, i;
	void *p;

	(void)vcpu;
	(void)opaque;
	if (io->size != 4 || io->count != 1)
		tst_brk(TBROK, "suite device: control port 0x%llx access of %u x %u bytes",
			(unsigned long long)io->addr, io->count, io->size);
	if (!io->is_write) {
		v = io->addr == SUITE_DEV_BYTES ? suite_dev_bytes : suite_dev_n;
		memcpy(io->data, &v, 4);
		return KVMKIT_RESUME;
	}
	memcpy(&v, io->data, 4);
	if (io->addr == SUITE_DEV_CTL) {
		suite_dev_n = suite_dev_bytes = 0;
		for (i = 0; i < SUITE_DEV_MMIO_LEN; i++)
			suite_dev_mem[i] = suite_dev_pattern(v, i);
	} else if (io->addr == SUITE_DEV_DUMP) {
		p = tst_kvm_get_memptr(&suite_vm, v);
		if (!p || !tst_kvm_get_memptr(&suite_vm, v + sizeof(suite_dev_recs) - 1))
			tst_brk(TBROK, "suite device: dump to 0x%x, not RAM", v);
		memcpy(p, suite_dev_recs, sizeof(suite_dev_recs));
	}
	return KVMKIT_RESUME;
}

static SUITE_UNUSED void suite_dev_attach(void)
{
	struct kvmkit_vm *vm = suite_vm.kvmkit_vm;

	memset(suite_dev_recs, 0, sizeof(suite_dev_recs));
	suite_dev_n = suite_dev_bytes = 0;
	if (kvmkit_vm_add_mmio_handler(vm, SUITE_DEV_MMIO, SUITE_DEV_MMIO_LEN,
				       suite_dev_mmio, NULL) ||
	    kvmkit_vm_add_pio_handler(vm, SUITE_DEV_CTL, 12, suite_dev_ctl, NULL) ||
	    kvmkit_vm_add_pio_handler(vm, SUITE_DEV_DATA, 4, suite_dev_data, NULL) ||
	    kvmkit_vm_add_pio_handler(vm, 0x80, 1, suite_dev_data, NULL))
		tst_brk(TBROK, "suite device: %s", kvmkit_vm_error(vm));
}

#endif /* SUITE_DEVICE */

/* Every exit to KVMKIT_TRACE / kvmkit-run --trace */
static void suite_observe(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			  void *opaque)
{
	(void)opaque;
	tst_kvm_trace_exit(vcpu, e);
}

/* A test's own handlers, added to the VM before the guest runs, or NULL */
static void (*suite_attach)(struct kvmkit_vm *vm) SUITE_UNUSED;

/*
 * The doorbell is the library's: kvmkit_vcpu_run_loop() decodes each
 * kvmkit hypercall for suite_on_hypercall() and serves the suite device
 * from the VM's handler table; what comes back is an exit nobody took.
 */
static inline SUITE_UNUSED void suite_kvm_run(void)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	int done = 0, rc;
	struct kvmkit_run_ops ops = {
		.hypercall = suite_on_hypercall, .observe = suite_observe,
		.opaque = &done,
	};

	suite_finished = 0;
	tst_kvm_create_instance(&suite_vm, DEFAULT_RAM_SIZE);
	vcpu = suite_vm.kvmkit_vcpu;
#ifdef SUITE_DEVICE
	suite_dev_attach();
#endif
	if (suite_attach)
		suite_attach(suite_vm.kvmkit_vm);
	if (kvmkit_vcpu_set_timeout(vcpu, suite_timeout_ns))
		tst_brk(TBROK, "Cannot arm the guest timeout: %s",
			kvmkit_vcpu_error(vcpu));
	while (!done) {
		rc = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
		if (rc == KVMKIT_STOP)
			continue;
		/* a handler failed, or a report's registers could not be read */
		if (rc < 0 && e.type != KVMKIT_EXIT_ERROR)
			tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
		switch (e.type) {
		case KVMKIT_EXIT_INTERRUPTED:
			break;
		case KVMKIT_EXIT_UNKNOWN:
			/*
			 * Without an in-kernel local APIC, KVM leaves KVM_RUN
			 * with KVM_EXIT_SET_TPR (no payload) when the guest
			 * lowers CR8 (svm.c cr8_write_interception()): a
			 * notice to the VMM, which just resumes (as QEMU's
			 * kvm_arch_handle_exit() does).
			 */
			if (e.reason != KVM_EXIT_SET_TPR)
				suite_broke(&e);
			break;
		case KVMKIT_EXIT_INTERNAL_ERROR:
			if (!suite_emulation_failure(&e))
				suite_broke(&e);
			break;
		default:
			/* an OUT to no handler, a doorbell OUT of the wrong size too */
			suite_broke(&e);
		}
	}
	kvmkit_vcpu_set_timeout(vcpu, 0);
	tst_kvm_destroy_instance(&suite_vm);
	tst_free_all();
}

static inline SUITE_UNUSED void suite_kvm_cleanup(void)
{
	tst_kvm_destroy_instance(&suite_vm);
}

#endif /* COMPILE_PAYLOAD */
#endif /* KVMKIT_TESTS_KVM_SUITE_H */
