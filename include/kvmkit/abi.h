/* SPDX-License-Identifier: MIT */
/*
 * The guest-host ABI of kvmkit: the one place where the memory map, the
 * doorbell port, the hypercall numbers, the result codes and the wire
 * structures are defined.  Both compilation passes include it (the host
 * library, the freestanding guest runtime and the guest's assembly through
 * the C preprocessor), so no constant here may be repeated elsewhere.
 *
 * Wire structures carry guest addresses, never pointers, and use
 * fixed-width types only; the host validates every address and length
 * against guest memory before it reads anything the guest wrote.
 */
#ifndef KVMKIT_ABI_H
#define KVMKIT_ABI_H

#define KVMKIT_ABI_VERSION	5	/* 2: the host sets TSS IST1; 3: stack guard page;
				   4: header.exception_log; 5: header.smp */

/* Memory map (LTP's, kept because LTP tests depend on it) */
#define KVMKIT_PAYLOAD_BASE	0x1000
#define KVMKIT_RESULT_BASE	0xfffff000
#define KVMKIT_RESULT_SIZE	0x1000
#define KVMKIT_IDENTITY_LIMIT	0x80000000	/* identity map of 0..2 GiB */
#define KVMKIT_DEFAULT_RAM	(16 * 1024 * 1024)
#define KVMKIT_STACK_SIZE	0x2000
#define KVMKIT_PAGE_SIZE	0x1000

/*
 * Guest-to-host doorbell: a 32-bit OUT to this port whose value is one of
 * the KVMKIT_HC_* numbers.  The port fits in 8 bits so the guest can use
 * the immediate form of OUT and keep %dx for an argument.
 *
 * Guest instructions are expensive where KVM emulates them (kvm_pvm
 * emulates every one, at about 1-2 us each), so the hot calls pass their
 * arguments in the registers the guest's C calling convention already
 * put them in, and the host does the work: KVMKIT_HC_PRINTF is the whole
 * of tst_res_(), a call, a mov, the OUT and a ret.
 */
#define KVMKIT_HC_PORT		0x9e
#define KVMKIT_HC_REPORT	1	/* print the result page, resume */
#define KVMKIT_HC_EXIT		2	/* iteration over: main() returned or kvm_exit() */
#define KVMKIT_HC_EXCEPTION	3	/* unhandled exception: the result page's
					 * message holds a kvmkit_exception_frame,
					 * the host formats it (TBROK) and stops */
/*
 * tst_res_(file, lineno, result, fmt, ...) by registers, System V x86-64
 * order: %rdi = guest address of the file name, %esi = line, %edx =
 * result, %rcx = guest address of the format, then the variadic
 * arguments as 8-byte slots: %r8, %r9, then [%rsp + 8], [%rsp + 16], ...
 * (the return address is at [%rsp]).  The host formats the message.
 */
#define KVMKIT_HC_PRINTF	4
#define KVMKIT_HC_PRINTF_EXIT	5	/* tst_brk_(): KVMKIT_HC_PRINTF, then the
					 * iteration ends as for KVMKIT_HC_EXIT */
#define KVMKIT_PRINTF_MAX_ARGS	32	/* argument slots the host will read */
/*
 * A CPU that has spun a while waiting for another (spinlock, barrier,
 * kvm_smp_call()): the host lets other threads run (sched_yield()) and
 * resumes it.  vCPUs are host threads; where the host has fewer cores
 * than busy threads, a waiter that only PAUSEs burns the time slice the
 * CPU it waits for needs (ABI 5).
 */
#define KVMKIT_HC_YIELD		6

/* Result codes in tst_kvm_result.result (LTP's values) */
#define KVMKIT_TPASS		0
#define KVMKIT_TFAIL		1
#define KVMKIT_TBROK		2
#define KVMKIT_TWARN		4
#define KVMKIT_TINFO		16
#define KVMKIT_TCONF		32
#define KVMKIT_TTYPE_MASK	0x3f
#define KVMKIT_TNONE		(-1)	/* no result yet */
#define KVMKIT_TSYNC		0xfe	/* tst_signal_host(): asynchronous, no exit */
#define KVMKIT_TEXIT		0xff	/* end of the iteration */

/*
 * Payload header: the first bytes of every payload image, at
 * KVMKIT_PAYLOAD_BASE.  The guest's linker fills the addresses; the host
 * fills the fields marked "host" before the first KVM_RUN and builds the
 * page tables, GDT, TSS and IDT at the addresses given, so that the first
 * guest instruction already runs in 64-bit mode.
 */
#define KVMKIT_PAYLOAD_MAGIC	0x4b4d564bU	/* "KVMK" little-endian */
#define KVMKIT_VECTOR_COUNT	256
#define KVMKIT_VECTOR_STUB_SIZE	16	/* bytes between two vector entry stubs */
#define KVMKIT_GDT_ENTRIES	32
#define KVMKIT_PAGETABLE_PAGES	8	/* PML4, PDPT, 2 PDs (low 2 GiB), PD + PT (result page), PT (stack guard), 1 spare */

/* GDT layout set up by the host */
#define KVMKIT_SEL_CODE64	0x08
#define KVMKIT_SEL_DATA		0x10
#define KVMKIT_SEL_TSS		0x18	/* 16-byte descriptor, slots 3 and 4 */
#define KVMKIT_SEL_CODE32	0x28
#define KVMKIT_DF_IST		1	/* #DF, NMI and #MC run on their own stack */
#define KVMKIT_TSS_IST1_OFFSET	0x24	/* the IST1 stack top, see below */
/*
 * The IST1 stack lies right above the main one: [header.stack_top,
 * header.stack_top + KVMKIT_IST1_SIZE).  The host stores its top at
 * tss + KVMKIT_TSS_IST1_OFFSET while that field is zero (a fresh image),
 * when it fits in the image, so the guest's first instructions need not.
 */
#define KVMKIT_IST1_SIZE	KVMKIT_PAGE_SIZE
/*
 * The page right below the main stack, [stack_top - KVMKIT_STACK_SIZE -
 * KVMKIT_STACK_GUARD_SIZE, stack_top - KVMKIT_STACK_SIZE), is the one hole
 * in the identity map: a stack overflow faults there (#PF, then #DF on the
 * IST1 stack, reported as TBROK) instead of quietly overwriting whatever
 * lies below.  header.stack_top is page-aligned and the guard page lies in
 * the first GiB, inside the image; the host maps that 2 MiB with 4 KiB
 * pages (the KVMKIT_PAGETABLE_PAGES page "PT guard").
 */
#define KVMKIT_STACK_GUARD_SIZE	KVMKIT_PAGE_SIZE

/*
 * x86 exception vectors: X(vector, mnemonic, name, has_error_code).  The
 * guest's tst_interrupt_names[] and the host's reports both expand this list.
 */
#define KVMKIT_X86_EXCEPTIONS(X)					\
	X(0,  "#DE", "Division by zero", 0)				\
	X(1,  "#DB", "Debug interrupt", 0)				\
	X(2,  "NMI", "Non-maskable interrupt", 0)			\
	X(3,  "#BP", "Breakpoint", 0)					\
	X(4,  "#OF", "Arithmetic overflow", 0)				\
	X(5,  "#BR", "Bound range exception", 0)			\
	X(6,  "#UD", "Illegal instruction error", 0)			\
	X(7,  "#NM", "Device not available error", 0)			\
	X(8,  "#DF", "Double fault", 1)					\
	X(9,  "#MF9", "Coprocessor segment overrun", 0)			\
	X(10, "#TS", "Invalid TSS error", 1)				\
	X(11, "#NP", "Segment not present error", 1)			\
	X(12, "#SS", "Stack segment fault", 1)				\
	X(13, "#GP", "General protection fault", 1)			\
	X(14, "#PF", "Page fault", 1)					\
	X(15, "#15", "Reserved exception 15", 0)			\
	X(16, "#MF", "Floating point exception", 0)			\
	X(17, "#AC", "Alignment error", 1)				\
	X(18, "#MC", "Machine check exception", 0)			\
	X(19, "#XM", "SIMD floating point exception", 0)		\
	X(20, "#VE", "Virtualization exception", 0)			\
	X(21, "#CP", "Control protection exception", 1)			\
	X(22, "#22", "Reserved exception 22", 0)			\
	X(23, "#23", "Reserved exception 23", 0)			\
	X(24, "#24", "Reserved exception 24", 0)			\
	X(25, "#25", "Reserved exception 25", 0)			\
	X(26, "#26", "Reserved exception 26", 0)			\
	X(27, "#27", "Reserved exception 27", 0)			\
	X(28, "#HV", "Hypervisor injection exception", 0)		\
	X(29, "#VC", "VMM communication exception", 1)			\
	X(30, "#SX", "Security exception", 1)				\
	X(31, "#31", "Reserved exception 31", 0)

/*
 * header.guest_mode: how the host boots the payload.  The 32-bit modes
 * are protected mode with paging, entered straight at header.entry (no
 * real mode), with the same identity map of 0..2 GiB, result page and
 * stack guard; the 32-bit runtime (lib/guest/i386) fills the header's
 * addresses as 32-bit values with a zero upper half.
 */
#define KVMKIT_GUEST_MODE_64	0	/* long mode, 4-level paging */
#define KVMKIT_GUEST_MODE_32	1	/* 2-level paging, 4 MiB PSE pages */
#define KVMKIT_GUEST_MODE_32PAE	2	/* PAE paging, 2 MiB pages */

#ifndef __ASSEMBLER__

#include "guest_mode.h"		/* KVMKIT_GUEST_MODE(mode) */
#ifdef KVMKIT_GUEST
# include "kvmkit_guest_types.h"
#else
# include <stdint.h>
# include <stddef.h>
#endif

struct kvmkit_payload_header {
	uint32_t magic;
	uint16_t abi_version;
	uint16_t header_size;
	uint64_t entry;		/* first instruction, 64-bit mode */
	uint64_t image_end;	/* end of .bss: the heap starts here */
	uint64_t stack_top;
	uint64_t pagetable;	/* KVMKIT_PAGETABLE_PAGES pages, page-aligned */
	uint64_t gdt;		/* KVMKIT_GDT_ENTRIES 8-byte descriptors */
	uint64_t idt;		/* KVMKIT_VECTOR_COUNT 16-byte gates */
	uint64_t tss;		/* 104 bytes */
	uint64_t vectors;	/* stub for vector v at vectors + v * STUB_SIZE */
	uint64_t ram_size;	/* host: bytes of RAM at guest-physical 0 */
	uint64_t host_flags;	/* host: KVMKIT_HOST_* */
	uint64_t exception_log;	/* struct kvmkit_exception_log, in .bss */
	/* ABI 5 */
	uint64_t guest_mode;	/* KVMKIT_GUEST_MODE_*, from the runtime */
	uint64_t smp;		/* struct kvmkit_smp_desc, or 0: one CPU */
};

/*
 * The last exception the runtime's dispatcher saw, and how many it saw:
 * what is still known when the guest's own state is lost (a triple
 * fault after which SVM has reset the vCPU).  The guest writes it before
 * anything else in the dispatcher; the host only reads it, bounded.
 */
struct kvmkit_exception_log {
	uint64_t count;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cr2;
};

#define KVMKIT_HOST_1G_PAGES	(1u << 0)	/* identity map uses 1 GiB pages */

/*
 * Several CPUs (ABI 5).  A payload that says KVMKIT_GUEST_CPUS(n) at file
 * scope (kvm_guest.h) carries a struct kvmkit_smp_desc, whose address is
 * header.smp (0: one CPU), and n - 1 CPU areas in its .bss, one for each
 * application processor (AP) n >= 1.  CPU 0 keeps the header's stack, IST1
 * stack, GDT, TSS and the result page at KVMKIT_RESULT_BASE, so a
 * one-CPU payload is what it always was.
 *
 * The host boots every CPU straight into 64-bit mode, never through
 * INIT/SIPI and real mode (which KVM may emulate one instruction at a
 * time): the VM-wide part (page tables, the IDT all CPUs share, every
 * CPU's GDT and TSS) once, then per vCPU the registers, with
 *   RIP = entry (CPU 0) or desc.ap_entry (APs), RSP = the CPU's stack
 *   top, RDI = the CPU number (= the vCPU id = its initial APIC id),
 *   TR = KVMKIT_SEL_TSS in the CPU's own GDT, all other GPRs 0,
 * and an AP's MP state RUNNABLE (with an in-kernel LAPIC KVM would leave
 * it waiting for INIT/SIPI).
 *
 * CPU n's area, at desc.areas + (n - 1) * KVMKIT_CPU_AREA_SIZE, page
 * aligned inside the image and the first GiB:
 *   +0x0000 guard page: left unmapped, so a stack overflow faults (#PF,
 *           then #DF on the IST1 stack) instead of writing into the
 *           area below
 *   +0x1000 stack, KVMKIT_STACK_SIZE, its top at +KVMKIT_CPU_STACK_TOP
 *   +0x3000 IST1 stack (#DF, NMI, #MC), its top at +KVMKIT_CPU_IST1_TOP
 *   +0x4000 the CPU's GDT (KVMKIT_GDT_ENTRIES, the layout of CPU 0's,
 *           written by the host), then its TSS at +KVMKIT_CPU_TSS
 *           (IST1 and the I/O map base set by the host), then the
 *           runtime's per-CPU data from +KVMKIT_CPU_DATA (the host never
 *           reads or writes it)
 *   +0x5000 the CPU's result page (struct tst_kvm_result): where its
 *           KVMKIT_HC_EXCEPTION frame, KVMKIT_HC_REPORT and kvm_exit()'s
 *           KVMKIT_TEXIT go, so that concurrent CPUs never share one.
 *           tst_res() passes registers and needs no page at all.
 *   +0x6000 a page-table page for the host: the 4 KiB-page table of the
 *           2 MiB around this area's guard page, where no other guard's
 *           table covers it already (the guest must not touch it)
 */
#define KVMKIT_GUEST_MAX_CPUS	255	/* xAPIC ids 0..254: 255 is broadcast */
#define KVMKIT_CPU_AREA_SIZE	0x7000
#define KVMKIT_CPU_STACK_TOP	0x3000
#define KVMKIT_CPU_IST1_TOP	0x4000
#define KVMKIT_CPU_GDT		0x4000
#define KVMKIT_CPU_TSS		0x4100
#define KVMKIT_CPU_DATA		0x4200
#define KVMKIT_CPU_RESULT	0x5000
#define KVMKIT_CPU_PT		0x6000

struct kvmkit_smp_desc {
	uint32_t cpus;		/* n, CPU 0 included: 1..KVMKIT_GUEST_MAX_CPUS */
	uint32_t area_size;	/* KVMKIT_CPU_AREA_SIZE */
	uint64_t areas;		/* CPU 1's area; n - 1 of them follow */
	uint64_t ap_entry;	/* first instruction of every AP, 64-bit mode */
};

struct tst_kvm_result {
	int32_t result;
	int32_t lineno;
	uint64_t file_addr;	/* guest-virtual address of the file name */
	char message[];
};

#define KVMKIT_MESSAGE_MAX	(KVMKIT_RESULT_SIZE - sizeof(struct tst_kvm_result))

/*
 * KVMKIT_HC_EXCEPTION: the state the guest's default handler saw, in
 * tst_kvm_result.message.  The host formats it (vector name, error code,
 * RIP, CR2 for #PF, registers), so the guest's fault path stays tiny.
 */
struct kvmkit_exception_frame {
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

#define KVMKIT_ABI_ASSERT(expr) _Static_assert(expr, #expr)
KVMKIT_ABI_ASSERT(sizeof(struct kvmkit_payload_header) == 112);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, guest_mode) == 96);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, smp) == 104);
KVMKIT_ABI_ASSERT(sizeof(struct kvmkit_smp_desc) == 24);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_smp_desc, areas) == 8);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_smp_desc, ap_entry) == 16);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_STACK_TOP - KVMKIT_STACK_SIZE >= KVMKIT_PAGE_SIZE);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_IST1_TOP - KVMKIT_IST1_SIZE == KVMKIT_CPU_STACK_TOP);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_GDT + KVMKIT_GDT_ENTRIES * 8 <= KVMKIT_CPU_TSS);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_TSS + 104 <= KVMKIT_CPU_DATA);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_RESULT + KVMKIT_RESULT_SIZE == KVMKIT_CPU_PT);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_PT + KVMKIT_PAGE_SIZE == KVMKIT_CPU_AREA_SIZE);
KVMKIT_ABI_ASSERT(KVMKIT_CPU_AREA_SIZE % KVMKIT_PAGE_SIZE == 0);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, exception_log) == 88);
KVMKIT_ABI_ASSERT(sizeof(struct kvmkit_exception_log) == 40);
KVMKIT_ABI_ASSERT(KVMKIT_IST1_SIZE % 16 == 0 && KVMKIT_STACK_SIZE % 16 == 0);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, entry) == 8);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, vectors) == 64);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, ram_size) == 72);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_payload_header, host_flags) == 80);
KVMKIT_ABI_ASSERT(sizeof(struct tst_kvm_result) == 16);
KVMKIT_ABI_ASSERT(offsetof(struct tst_kvm_result, lineno) == 4);
KVMKIT_ABI_ASSERT(offsetof(struct tst_kvm_result, file_addr) == 8);
KVMKIT_ABI_ASSERT(offsetof(struct tst_kvm_result, message) == 16);
KVMKIT_ABI_ASSERT(sizeof(struct kvmkit_exception_frame) == 26 * 8);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_exception_frame, rip) == 16);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_exception_frame, cr2) == 64);
KVMKIT_ABI_ASSERT(offsetof(struct kvmkit_exception_frame, rax) == 88);
KVMKIT_ABI_ASSERT(sizeof(struct kvmkit_exception_frame) <= KVMKIT_MESSAGE_MAX);

#endif /* __ASSEMBLER__ */
#endif /* KVMKIT_ABI_H */
