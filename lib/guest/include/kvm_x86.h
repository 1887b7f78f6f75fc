/* SPDX-License-Identifier: MIT */
/*
 * x86 part of the guest runtime (spec section 3.4), with the names of
 * LTP's kvm_x86.h.  Bit constants are the Intel SDM's / AMD APM's and are
 * checked against the manuals' tables in lib/guest/x86_64/bits.c.
 *
 * Macros LTP tests are known to redefine after including this header
 * (PAGESIZE in kvm_pagefault01) keep LTP's exact spelling, because a
 * redefinition with different tokens is a warning, and payloads build
 * with -Werror.
 */
#ifndef KVM_X86_H_
#define KVM_X86_H_

#include "kvm_test.h"

#define PAGESIZE 0x1000
#define KVM_GDT_SIZE KVMKIT_GDT_ENTRIES

/* Interrupts */
#define X86_INTR_COUNT KVMKIT_VECTOR_COUNT

#define INTR_ZERODIV 0
#define INTR_DEBUG 1
#define INTR_NMI 2
#define INTR_BREAKPOINT 3
#define INTR_OVERFLOW 4
#define INTR_BOUND_RANGE_EXC 5
#define INTR_BAD_OPCODE 6
#define INTR_DEVICE_ERROR 7
#define INTR_DOUBLE_FAULT 8
#define INTR_INVALID_TSS 10
#define INTR_SEGFAULT 11
#define INTR_STACK_FAULT 12
#define INTR_GPF 13
#define INTR_PAGE_FAULT 14
#define INTR_FPU_ERROR 16
#define INTR_ALIGNMENT_ERROR 17
#define INTR_MACHINE_CHECK 18
#define INTR_SIMD_ERROR 19
#define INTR_VIRT_ERROR 20
#define INTR_CPE 21
#define INTR_HV_INJECTION 28
#define INTR_VMM_COMM 29
#define INTR_SECURITY_ERROR 30

/*
 * Segment descriptor flags for kvm_set_segment_descriptor(): bits 0-7 are
 * the access byte (type, S, DPL, P), bits 8-11 the flags nibble (AVL, L,
 * D/B, G).  A descriptor without SEGFLAG_NSYSTEM is a system descriptor,
 * 16 bytes long in 64-bit mode.
 */
#define SEGTYPE_LDT 0x02
#define SEGTYPE_TSS 0x09
#define SEGTYPE_TSS_BUSY 0x0b
#define SEGTYPE_CALL_GATE 0x0c
#define SEGTYPE_INTR_GATE 0x0e
#define SEGTYPE_TRAP_GATE 0x0f
#define SEGTYPE_RODATA 0x10
#define SEGTYPE_RWDATA 0x12
#define SEGTYPE_STACK 0x16
#define SEGTYPE_CODE 0x1a
#define SEGTYPE_MASK 0x1f

#define SEGFLAG_NSYSTEM 0x10
#define SEGFLAG_PRESENT 0x80
#define SEGFLAG_CODE64 0x200
#define SEGFLAG_32BIT 0x400
#define SEGFLAG_PAGE_LIMIT 0x800

/* CPUID leaves */
#define CPUID_GET_MODEL_INFO 0x1
#define CPUID_GET_INPUT_RANGE 0x80000000
#define CPUID_GET_EXT_FEATURES 0x80000001
#define CPUID_GET_SVM_FEATURES 0x8000000a

/* Model-specific registers */
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117

#define EFER_SCE (1 << 0)	/* SYSCALL/SYSRET instructions enabled */
#define EFER_LME (1 << 8)	/* long mode enabled */
#define EFER_LMA (1 << 10)	/* long mode active (read-only) */
#define EFER_NXE (1 << 11)	/* execute-disable bit active */
#define EFER_SVME (1 << 12)	/* AMD SVM instructions enabled */

#define VM_CR_DPD (1 << 0)
#define VM_CR_R_INIT (1 << 1)
#define VM_CR_DIS_A20M (1 << 2)
#define VM_CR_LOCK (1 << 3)
#define VM_CR_SVMDIS (1 << 4)

/* Control registers */
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_AM (1 << 18)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
/*
 * Unsigned: (1 << 31) is INT_MIN, and "cr0 | CR0_PG" would sign-extend it
 * into CR0's reserved upper half, which faults.
 */
#define CR0_PG (1UL << 31)

#define CR4_VME (1 << 0)
#define CR4_PVI (1 << 1)
#define CR4_TSD (1 << 2)
#define CR4_DE (1 << 3)
#define CR4_PSE (1 << 4)
#define CR4_PAE (1 << 5)
#define CR4_MCE (1 << 6)
#define CR4_PGE (1 << 7)
#define CR4_PCE (1 << 8)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP (1 << 11)
#define CR4_LA57 (1 << 12)
#define CR4_VMXE (1 << 13)
#define CR4_SMXE (1 << 14)
#define CR4_FSGSBASE (1 << 16)
#define CR4_PCIDE (1 << 17)
#define CR4_OSXSAVE (1 << 18)
#define CR4_KL (1 << 19)
#define CR4_SMEP (1 << 20)
#define CR4_SMAP (1 << 21)
#define CR4_PKE (1 << 22)
#define CR4_CET (1 << 23)
#define CR4_PKS (1 << 24)

/* A 64-bit IDT gate (16 bytes) */
struct intr_descriptor {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t flags;
	uint64_t offset_hi;	/* bits 16-63 of the offset; top 16 bits 0 */
	uint16_t padding;
} __attribute__((__packed__));

/* A code/data segment descriptor, or the low half of a system one */
struct segment_descriptor {
	unsigned int limit_lo : 16;
	unsigned int baseaddr_lo : 24;
	unsigned int flags_lo : 8;
	unsigned int limit_hi : 4;
	unsigned int flags_hi : 4;
	unsigned int baseaddr_hi : 8;
} __attribute__((__packed__));

/* A 64-bit system descriptor (LDT, TSS): two GDT slots */
struct segment_descriptor64 {
	unsigned int limit_lo : 16;
	unsigned int baseaddr_lo : 24;
	unsigned int flags_lo : 8;
	unsigned int limit_hi : 4;
	unsigned int flags_hi : 4;
	uint64_t baseaddr_hi : 40;
	uint32_t reserved;
} __attribute__((__packed__));

/* A page-table entry of PAE, 4-level and 5-level paging */
struct page_table_entry_pae {
	unsigned int present: 1;
	unsigned int writable: 1;
	unsigned int user_access: 1;
	unsigned int write_through: 1;
	unsigned int disable_cache: 1;
	unsigned int accessed: 1;
	unsigned int dirty: 1;
	unsigned int page_type: 1;
	unsigned int global: 1;
	unsigned int padding: 3;
	uint64_t address: 40;
	unsigned int padding2: 7;
	unsigned int prot_key: 4;
	unsigned int noexec: 1;
} __attribute__((__packed__));

/* The 64-bit task-state segment (104 bytes) */
struct kvm_tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stacks for CPL 0-2 */
	uint64_t reserved1;
	uint64_t ist[7];	/* IST1 is ist[0] */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((__packed__));

struct kvm_cpuid {
	unsigned int eax, ebx, ecx, edx;
};

struct kvm_cregs {
	unsigned long cr0, cr2, cr3, cr4;
};

struct kvm_sregs {
	uint16_t cs, ds, es, fs, gs, ss, tr;
};

/* General-purpose registers of a nested guest (SVM/VMX helpers) */
struct kvm_regs64 {
	uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * What the CPU pushed on interrupt delivery (64-bit mode always pushes
 * SS:RSP).  Changes made by a callback that returns non-zero take effect
 * on resume.
 */
struct kvm_interrupt_frame {
	uintptr_t rip, cs, rflags, rsp, ss;
};

/*
 * The tables the host fills before the first instruction (see
 * <kvmkit/abi.h>): kvm_pagetable is the PML4 followed by the other
 * KVMKIT_PAGETABLE_PAGES - 1 pages of the identity map; the GDT holds
 * null, code64 (0x08), data (0x10), the TSS (0x18, two slots) and code32
 * (0x28), the rest is free for tests.
 */
extern struct page_table_entry_pae kvm_pagetable[];
extern struct intr_descriptor kvm_idt[X86_INTR_COUNT];
extern struct segment_descriptor kvm_gdt[KVM_GDT_SIZE];
extern struct kvm_tss64 kvm_tss;

/* Page table helper functions */
uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry);

/* Segment descriptor table functions (LTP semantics) */
void kvm_set_segment_descriptor(struct segment_descriptor *dst,
	uint64_t baseaddr, uint32_t limit, unsigned int flags);
void kvm_parse_segment_descriptor(struct segment_descriptor *src,
	uint64_t *baseaddr, uint32_t *limit, unsigned int *flags);
int kvm_find_free_descriptor(const struct segment_descriptor *table,
	size_t size);
unsigned int kvm_create_stack_descriptor(struct segment_descriptor *table,
	size_t tabsize, void *stack_base);

/* Functions for querying and changing CPU state */
void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf);
void kvm_read_cregs(struct kvm_cregs *buf);
void kvm_read_sregs(struct kvm_sregs *buf);
unsigned long kvm_read_cr0(void);
unsigned long kvm_read_cr2(void);
unsigned long kvm_read_cr3(void);
unsigned long kvm_read_cr4(void);
void kvm_set_cr0(unsigned long val);
void kvm_set_cr3(unsigned long val);
void kvm_set_cr4(unsigned long val);
uint64_t kvm_rdmsr(unsigned int msr);
void kvm_wrmsr(unsigned int msr, uint64_t value);


/* ---- kvmkit extensions: expected faults ------------------------------- */

/*
 * In an extended asm statement: add the instruction at label `insn` to
 * the fix-up table, so that an exception (0-31 but NMI, #MC) it raises
 * resumes at label `fixup` with the vector in %eax instead of reaching
 * callbacks or the default handler, as kvm-unit-tests' .data.ex does.  The code
 * after a completed instruction must leave its own value in %eax (0):
 *
 *	asm volatile("1: rdmsr\n\txor %%eax, %%eax\n2:\n"
 *		     KVM_ASM_FIXUP("1b", "2b") : "=a"(vec), ...);
 */
/*
 * Helpers of the 64-bit runtime only: a 32-bit payload
 * (KVMKIT_GUEST_MODE(32) or (32pae)) that calls one fails to compile
 * with this message instead of failing to link.
 */
#ifdef __x86_64__
# define KVM_LONG_MODE_ONLY
#else
# define KVM_LONG_MODE_ONLY __attribute__((error(			\
	"64-bit mode only: not in the 32-bit runtime (see docs/guest-modes.md)")))
#endif

#ifdef __x86_64__
# define KVM_ASM_FIXUP_PAIR(insn, fixup) ".quad " insn ", " fixup "\n\t"
#else	/* a 32-bit payload: the same 16-byte pairs, upper halves 0 */
# define KVM_ASM_FIXUP_PAIR(insn, fixup) \
	".long " insn ", 0, " fixup ", 0\n\t"
#endif
#define KVM_ASM_FIXUP(insn, fixup)					\
	".pushsection .kvmkit_fixup, \"a\"\n\t"			\
	".balign 8\n\t"						\
	KVM_ASM_FIXUP_PAIR(insn, fixup)					\
	".popsection\n\t"

/* Each returns 0 when the instruction completed, else the vector (13: #GP) */
int kvm_rdmsr_safe(unsigned int msr, uint64_t *value);	/* *value 0 on a fault */
int kvm_wrmsr_safe(unsigned int msr, uint64_t value);
int kvm_set_cr0_safe(unsigned long val);
int kvm_set_cr3_safe(unsigned long val);
int kvm_set_cr4_safe(unsigned long val);
int kvm_xsetbv_safe(uint32_t index, uint64_t value);
int kvm_xgetbv_safe(uint32_t index, uint64_t *value);	/* *value 0 on a fault */

/* The first exception a kvm_call_safe() or kvm_call_user() function raised */
struct kvm_fault {
	int vector;
	uint32_t error_code;	/* 0 for vectors without one */
	uint64_t cr2;		/* CR2 when it was raised (meaningful for #PF) */
	uintptr_t ip;		/* RIP saved in its frame */
};

/*
 * Run fn(arg) on the current stack, at the caller's CPL.  Returns 0
 * when fn returned; when fn raised an exception (0-31 but NMI, #MC), the
 * call ends there: the vector is returned, *fault (may be NULL) is
 * filled, and the caller's callee-saved registers, stack, RFLAGS and CPL
 * are restored.  Calls nest; interrupt callbacks do not see exceptions raised inside,
 * external interrupts (32-255) still reach theirs.  Whatever fn left half
 * done (locks, partial writes) stays so.  One vCPU at a time.  It also
 * works at CPL 3, inside a kvm_call_user() function.
 */
int kvm_call_safe(void (*fn)(void *arg), void *arg, struct kvm_fault *fault);

/*
 * tst_set_interrupt_callback() that hands back the previous callback and
 * its userdata (either pointer may be NULL), so helpers can nest and
 * restore what they found.
 */
void kvm_swap_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata,
	tst_interrupt_callback *old_func, void **old_userdata);

/* ---- kvmkit extensions: extended state (xstate.c) ---------------------- */

/* XCR0 state components (SDM Vol. 1 13.1, Table 13-1) */
#define KVM_XFEATURE_X87	(1ULL << 0)
#define KVM_XFEATURE_SSE	(1ULL << 1)	/* XMM0-15, MXCSR */
#define KVM_XFEATURE_AVX	(1ULL << 2)	/* upper halves of YMM0-15 */
#define KVM_XFEATURE_OPMASK	(1ULL << 5)	/* k0-k7 */
#define KVM_XFEATURE_ZMM_HI256	(1ULL << 6)	/* upper halves of ZMM0-15 */
#define KVM_XFEATURE_HI16_ZMM	(1ULL << 7)	/* ZMM16-31 */
#define KVM_XFEATURE_AVX512	(KVM_XFEATURE_OPMASK | KVM_XFEATURE_ZMM_HI256 | \
				 KVM_XFEATURE_HI16_ZMM)

/* kvm_enable_xsave()'s errors; positive values are exception vectors */
#define KVM_XSTATE_UNSUPPORTED	(-1)	/* CPUID does not offer a bit of mask */
#define KVM_XSTATE_INVALID	(-2)	/* a combination XSETBV would refuse */

/*
 * In kvm_enable_xsave()'s mask (XCR0 bit 63 is reserved): save with
 * XSAVE64/XRSTOR64 instead of FXSAVE and register moves (see xstate.c:
 * kvm_pvm cannot run XSAVE in the guest)
 */
#define KVM_XSTATE_WITH_XSAVE	(1ULL << 63)

/* Save areas per CPU: interrupt callbacks may nest this deep */
#define KVM_XSTATE_DEPTH	8

/*
 * The XCR0 bits this CPU supports (CPUID.(EAX=0DH,ECX=0):EDX:EAX), or
 * without XSAVE what FXSAVE covers (x87, plus SSE with CPUID.1:EDX.SSE).
 */
uint64_t kvm_xstate_supported(void);

/*
 * Enable the state components in mask (x87 is always added): CR0.EM
 * cleared, CR4.OSFXSR and OSXMMEXCPT for SSE, CR4.OSXSAVE and XCR0 = mask
 * where the CPU has XSAVE (else SSE at most).  Without
 * KVM_XSTATE_WITH_XSAVE, mask may hold x87, SSE, AVX and AVX-512 only
 * (what FXSAVE and register moves cover).  Returns 0, or
 * KVM_XSTATE_UNSUPPORTED / KVM_XSTATE_INVALID with nothing changed, or
 * the vector a MOV to CR0/CR4 or XSETBV raised (state then partly set).
 * From then on every interrupt callback runs between a save and a
 * restore of those components, so a callback's vector-register changes
 * do not reach the interrupted code; expected faults (KVM_ASM_FIXUP,
 * kvm_call_safe()) do not pay for it.  A test that never calls it pays
 * nothing.  A callback that sets CR0.TS, or changes CR4.OSXSAVE or XCR0,
 * breaks the restore: TBROK.  With several CPUs (KVMKIT_GUEST_CPUS), CR0,
 * CR4 and XCR0 are each CPU's own: call it on every CPU that uses vector
 * registers (kvm_smp_call()), with the same mask; each CPU has its own
 * save areas.
 */
int kvm_enable_xsave(uint64_t mask);
/* Stop saving (CR4 and XCR0 stay as they are) */
void kvm_disable_xsave(void);
/* The components saved around callbacks (0: none) and each area's size */
uint64_t kvm_xstate_enabled(void);
unsigned int kvm_xstate_size(void);

/*
 * The registers a test checks: XMM n is zmm[n][0..15], YMM n [0..31],
 * ZMM n all 64 bytes (n up to 31 with AVX-512), k0-k7 (64 bits with
 * AVX512BW, else the 16 KMOVW moves), and MXCSR (through FXSAVE/FXRSTOR).
 * kvm_vregs_load()/_store() move what mask covers (KVM_XFEATURE_SSE:
 * XMM0-15 and MXCSR; AVX: YMM0-15; AVX512: ZMM0-31 and k0-k7), so mask
 * must be enabled.  kvm_vregs_fill() zeroes *v and fills what mask covers with
 * kvm_vregs_pattern(seed, reg, byte) (the host side of a single-source
 * test can compute it too); kvm_vregs_diff() returns 0 when a and b agree
 * on what mask covers, else 1, with the first difference described in
 * what.
 */
struct kvm_vregs {
	uint8_t zmm[32][64];
	uint64_t k[8];
	uint32_t mxcsr;
};

static inline uint8_t kvm_vregs_pattern(uint32_t seed, unsigned int reg,
					unsigned int byte)
{
	return (uint8_t)(seed * 37 + reg * 64 + byte * 7 + (seed >> 8));
}

void kvm_vregs_load(const struct kvm_vregs *v, uint64_t mask);
void kvm_vregs_store(struct kvm_vregs *v, uint64_t mask);
void kvm_vregs_fill(struct kvm_vregs *v, uint64_t mask, uint32_t seed);
int kvm_vregs_diff(const struct kvm_vregs *a, const struct kvm_vregs *b,
		   uint64_t mask, char *what, size_t len);

/* ---- kvmkit extensions: page tables ------------------------------------ */

/* Flags of kvm_map_page() and kvm_set_page_flags() (not the PTE's bits) */
#define KVM_PAGE_WRITE	(1U << 0)
#define KVM_PAGE_USER	(1U << 1)
#define KVM_PAGE_NX	(1U << 2)	/* needs EFER.NXE, else a reserved bit */
#define KVM_PAGE_GLOBAL	(1U << 3)	/* honoured with CR4.PGE */
#define KVM_PAGE_PWT	(1U << 4)
#define KVM_PAGE_PCD	(1U << 5)
#define KVM_PAGE_LARGE	(1U << 6)	/* a 2 MiB page (map), see below */

/*
 * Edit the current 4-level page tables (CR3); each call invalidates what
 * it changed (INVLPG, or a full flush after a split).  They return 0, or
 * -1 for a misaligned or non-canonical address (and, for unmap and set,
 * an address that is not mapped).  New tables come from the guest heap,
 * with P|W|U above the leaf, so the leaf's flags decide.
 *
 * kvm_map_page(): va -> pa, present, with flags; KVM_PAGE_LARGE maps a
 * 2 MiB page (va and pa 2 MiB-aligned).  A 2 MiB or 1 GiB page around a
 * 4 KiB va is split first, keeping its other translations.
 * kvm_unmap_page(): the 4 KiB page at va is made not present (splitting
 * likewise).  kvm_set_page_flags(): set, then clear, flags of the 4 KiB
 * page at va (splitting likewise); with KVM_PAGE_LARGE in set or clear,
 * of the whole 2 MiB/1 GiB page around va instead (-1 if it is 4 KiB).
 * KVM_PAGE_USER in set also sets the U bit on the path above the leaf.
 */
int kvm_map_page(uintptr_t va, uint64_t pa, unsigned int flags)
	KVM_LONG_MODE_ONLY;
int kvm_unmap_page(uintptr_t va) KVM_LONG_MODE_ONLY;
int kvm_set_page_flags(uintptr_t va, unsigned int set, unsigned int clear)
	KVM_LONG_MODE_ONLY;
/* The leaf entry mapping va (0 if none) and its level (1: 4 KiB, 2, 3) */
uint64_t kvm_get_page_entry(uintptr_t va, int *level) KVM_LONG_MODE_ONLY;

void kvm_invlpg(uintptr_t va);
/*
 * INVPCID type (0: address, 1: PCID, 2: all incl. global, 3: all but
 * global) for pcid/va: 0, or the vector (#UD where CPUID says the CPU has
 * no INVPCID, #GP for a bad type or PCID).
 */
int kvm_invpcid(unsigned long type, unsigned long pcid, uintptr_t va)
	KVM_LONG_MODE_ONLY;

/* PCIDs: CPUID.1:ECX.PCID; enable/disable CR4.PCIDE; switch CR3's PCID */
int kvm_pcid_supported(void) KVM_LONG_MODE_ONLY;
int kvm_pcid_enable(void)	/* 0 or the vector (#GP if unsupported) */
	KVM_LONG_MODE_ONLY;
int kvm_pcid_disable(void)	/* back to PCID 0, then CR4.PCIDE = 0 */
	KVM_LONG_MODE_ONLY;
int kvm_switch_pcid(unsigned int pcid, int noflush)	/* MOV to CR3 */
	KVM_LONG_MODE_ONLY;

/* ---- kvmkit extensions: CPL 3 ------------------------------------------ */

/*
 * Run fn(arg) at CPL 3 on its own 16 KiB user stack and return 0 when it
 * returns, or, like kvm_call_safe(), the vector of the first exception it
 * raised with *fault (may be NULL) filled, back at CPL 0.  The first call
 * allocates two GDT slots (64-bit user code and data, DPL 3) and the
 * stack, and sets the U bit on the page-table paths to the payload image
 * and the stack; other
 * memory fn touches needs kvm_set_page_flags(va, KVM_PAGE_USER, 0).  So
 * the image is user memory from then on: with CR4.SMEP/SMAP set, CPL 0
 * faults on it.  During the call TSS.RSP0 is kvmkit's (restored on
 * return), and fn's return is a #UD at kvmkit's trampoline that no
 * callback sees.  fn cannot report (OUT and the result page are CPL 0's):
 * it should store what it saw for the caller.
 */
int kvm_call_user(void (*fn)(void *arg), void *arg, struct kvm_fault *fault)
	KVM_LONG_MODE_ONLY;

/* ---- kvmkit extensions: interrupts, local APIC, timers ----------------- */

/*
 * These need a VM with an in-kernel LAPIC: the host side calls
 * tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT) (or _FULL) before
 * tst_kvm_setup()/tst_kvm_create_instance().
 */
#define MSR_IA32_APICBASE	0x1b
#define MSR_IA32_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_BASE		0x800
#define APICBASE_BSP		(1 << 8)
#define APICBASE_X2APIC		(1 << 10)
#define APICBASE_ENABLE		(1 << 11)
#define APIC_DEFAULT_BASE	0xfee00000UL

/* xAPIC register offsets; the x2APIC MSR is 0x800 + (offset >> 4) */
#define APIC_ID		0x20
#define APIC_LVR	0x30
#define APIC_TPR	0x80
#define APIC_APR	0x90
#define APIC_PPR	0xa0
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_SPIV	0xf0
#define APIC_ISR	0x100	/* 8 registers, 0x10 apart */
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0	/* x2APIC only */

#define APIC_SPIV_ENABLE	(1 << 8)
#define APIC_LVT_MASKED		(1 << 16)
#define APIC_LVT_PERIODIC	(1 << 17)
#define APIC_LVT_TSC_DEADLINE	(2 << 17)
#define APIC_ICR_SELF		(1 << 18)	/* destination shorthand: self */
#define APIC_ICR_BUSY		(1 << 12)
#define APIC_ICR_NMI		(4 << 8)	/* delivery mode NMI */
#define APIC_ICR_ASSERT		(1 << 14)	/* level: assert */

/* CPUID.1:ECX bits */
#define CPUID1_ECX_X2APIC	(1 << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1 << 24)
#define CPUID1_EDX_APIC		(1 << 9)

void kvm_irq_enable(void);	/* sti */
void kvm_irq_disable(void);	/* cli */
void kvm_safe_halt(void);	/* sti; hlt: an interrupt in between wakes it */
uint64_t kvm_rdtsc(void);

/*
 * kvm_apic_read()/kvm_apic_write() take xAPIC offsets (APIC_*) and go
 * through MMIO at the APICBASE MSR's address (mapped uncached on first
 * use) or, once kvm_x2apic_enable() succeeded, through MSR 0x800 +
 * reg / 16 (APIC_ICR then is the whole 64-bit ICR).  kvm_apic_enable()
 * sets APICBASE.EN and the spurious vector (0xff) with SPIV.EN;
 * every helper below calls it first.
 */
int kvm_apic_present(void) KVM_LONG_MODE_ONLY;	/* CPUID.1:EDX.APIC */
void kvm_apic_enable(void) KVM_LONG_MODE_ONLY;
int kvm_x2apic_supported(void) KVM_LONG_MODE_ONLY;	/* CPUID.1:ECX.x2APIC */
int kvm_x2apic_enable(void) KVM_LONG_MODE_ONLY;	/* 0, or -1 unsupported/#GP */
int kvm_x2apic_mode(void) KVM_LONG_MODE_ONLY;
uint64_t kvm_apic_read(unsigned int reg) KVM_LONG_MODE_ONLY;
void kvm_apic_write(unsigned int reg, uint64_t val) KVM_LONG_MODE_ONLY;
uint32_t kvm_apic_id(void)	/* 8-bit xAPIC ID or 32-bit x2APIC ID */
	KVM_LONG_MODE_ONLY;
void kvm_apic_eoi(void) KVM_LONG_MODE_ONLY;
/* Bit `vector` of the ISR/IRR (1 while in service / requested) */
int kvm_apic_isr(unsigned int vector) KVM_LONG_MODE_ONLY;
int kvm_apic_irr(unsigned int vector) KVM_LONG_MODE_ONLY;
/* Fixed self-IPI through the ICR (x2APIC: the SELF_IPI register) */
void kvm_apic_self_ipi(unsigned int vector) KVM_LONG_MODE_ONLY;
/*
 * IPIs to another CPU by APIC id (physical destination; a CPU's APIC id
 * is its kvm_cpu_id()), in this CPU's APIC mode: a fixed interrupt of
 * vector, an NMI, or any ICR low half (delivery mode, level, trigger;
 * no shorthand).  xAPIC waits until the ICR reads idle.
 */
void kvm_apic_send_ipi(uint32_t dest, unsigned int vector) KVM_LONG_MODE_ONLY;
void kvm_apic_send_nmi(uint32_t dest) KVM_LONG_MODE_ONLY;
void kvm_apic_send_icr(uint32_t dest, uint32_t low) KVM_LONG_MODE_ONLY;

/*
 * LVT timer.  divide is 1, 2, 4 ... 128 (else 1); count the initial
 * count.  kvm_apic_timer_stop() masks the LVT and zeroes the count.
 */
void kvm_apic_timer_oneshot(unsigned int vector, uint32_t count,
	unsigned int divide) KVM_LONG_MODE_ONLY;
void kvm_apic_timer_periodic(unsigned int vector, uint32_t count,
	unsigned int divide) KVM_LONG_MODE_ONLY;
void kvm_apic_timer_stop(void) KVM_LONG_MODE_ONLY;

/*
 * TSC-deadline mode: vector fires once the TSC reaches tsc (0 disarms).
 * Returns 0, or -1 when CPUID.1:ECX.TSC_DEADLINE is 0 (nothing changed).
 */
int kvm_tsc_deadline_supported(void) KVM_LONG_MODE_ONLY;
int kvm_tsc_deadline_arm(unsigned int vector, uint64_t tsc) KVM_LONG_MODE_ONLY;

#endif /* KVM_X86_H_ */
