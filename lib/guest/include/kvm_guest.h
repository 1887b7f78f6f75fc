/* SPDX-License-Identifier: MIT */
/*
 * The guest runtime every payload links against: the LTP KVM Test API's
 * guest library (spec sections 3.1-3.3) with the names and signatures of
 * LTP's kvm_guest.h, so that an LTP test compiles unchanged.  Arch
 * specifics live in kvm_x86.h.
 *
 * Differences a test may notice, all of them stricter than LTP: the heap
 * is bounded by the guest's RAM (running out is a TBROK, not silent
 * corruption), every formatted message is bounded by the result page,
 * and interrupt callbacks exist for all 256 vectors.
 */
#ifndef KVM_GUEST_H_
#define KVM_GUEST_H_

#include <stdarg.h>		/* the compiler's own, freestanding */
#include <kvmkit/abi.h>		/* pulls in kvmkit_guest_types.h */
#include "kvm_common.h"

/* Result types (LTP's tst_res_flags.h without the errno flags) */
#define TPASS		KVMKIT_TPASS
#define TFAIL		KVMKIT_TFAIL
#define TBROK		KVMKIT_TBROK
#define TWARN		KVMKIT_TWARN
#define TDEBUG		8
#define TINFO		KVMKIT_TINFO
#define TCONF		KVMKIT_TCONF
#define TTYPE_MASK	KVMKIT_TTYPE_MASK
#define TTYPE_RESULT(ttype)	((ttype) & TTYPE_MASK)

/* A payload that only reports TCONF (missing dependencies, wrong arch) */
#define TST_TEST_TCONF(message) \
	void main(void) { tst_brk(TCONF, message); }

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/* Round x up to a multiple of a, which must be a power of 2 */
#ifndef LTP_ALIGN
# define LTP_ALIGN(x, a)	__LTP_ALIGN_MASK((x), (typeof(x))(a) - 1)
# define __LTP_ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#endif

#ifndef LTP_ATTRIBUTE_NORETURN
# define LTP_ATTRIBUTE_NORETURN		__attribute__((noreturn))
# define LTP_ATTRIBUTE_UNUSED		__attribute__((unused))
# define LTP_ATTRIBUTE_UNUSED_RESULT	__attribute__((warn_unused_result))
#endif

#ifndef TST_BUILD_BUG_ON
# define TST_BUILD_BUG_ON(condition) \
	do { ((void)sizeof(char[1 - 2 * !!(condition)])); } while (0)
#endif

/* Exception names kept by LTP's tst_interrupt_names[]; vectors go to 256 */
#define INTERRUPT_COUNT 32

/* ---- Standard C functions (section 3.1) -------------------------------- */

void *memset(void *dest, int val, size_t size);
void *memzero(void *dest, size_t size);
void *memcpy(void *dest, const void *src, size_t size);
void *memmove(void *dest, const void *src, size_t size);
int memcmp(const void *a, const void *b, size_t size);

char *strcpy(char *dest, const char *src);
char *strcat(char *dest, const char *src);
size_t strlen(const char *str);
size_t strnlen(const char *str, size_t maxlen);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * printf-style formatting: %d %i %u %o %x %X %c %s %p %%, the length
 * modifiers hh h l ll z t j, the flags - + space # 0, width and precision
 * (both may be *).  No floating point.  An unknown conversion makes the
 * call return -1.  sprintf()/vsprintf() are unbounded as in C: prefer the
 * n variants.
 */
int vsnprintf(char *dest, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *dest, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsprintf(char *dest, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int sprintf(char *dest, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- LTP library functions (section 3.2) ------------------------------- */

/*
 * Report a result: the message (formatted, truncated to the result page)
 * is printed by the host as "file:lineno: RESULT: message" and the guest
 * resumes.  tst_brk_() then ends the iteration like kvm_exit().
 */
void tst_res_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define tst_res(result, fmt, ...) \
	tst_res_(__FILE__, __LINE__, (result), (fmt), ##__VA_ARGS__)

void tst_brk_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
#define tst_brk(result, fmt, ...) \
	tst_brk_(__FILE__, __LINE__, (result), (fmt), ##__VA_ARGS__)

/*
 * Asynchronous notification to a host thread without leaving the guest:
 * data reaches the host in the result page's file_addr.  tst_wait_host()
 * then spins, still inside KVM_RUN, until the host clears the signal
 * (tst_kvm_clear_guest_signal()); tests such as kvm_svm03 need exactly
 * that, so it must never become an exit.
 */
void tst_signal_host(void *data);
void tst_wait_host(void *data);

/* Terminate this iteration of the test (like exit(0) in a normal test) */
void kvm_exit(void) __attribute__((noreturn));

/* Leave the guest with HLT; the host may resume it */
void kvm_yield(void);

/* ---- Arch independent functions (section 3.3) -------------------------- */

/*
 * Linear allocator from the end of the payload image to the end of RAM
 * (the host says how much there is).  Memory is not zeroed by the
 * allocator (fresh guest RAM is) and cannot be freed.  Exhaustion or an
 * absurd request is a TBROK, so the result is never NULL.
 */
void *tst_heap_alloc_aligned(size_t size, size_t align);
void *tst_heap_alloc(size_t size);

/* The 8 KiB boot stack main() runs on */
extern char kvm_stack_bottom[], kvm_stack_top[];

/* ---- Several CPUs (kvmkit; lib/guest/x86_64/smp.c) --------------------- */

/*
 * KVMKIT_GUEST_CPUS(n); at file scope of the payload source runs the test
 * on n CPUs (1 <= n <= KVMKIT_GUEST_MAX_CPUS, checked at compile time;
 * the host says TCONF when its KVM takes fewer vCPUs).  It reserves each
 * extra CPU's area in the image (abi.h: stack, IST1 stack, GDT, TSS,
 * result page; 24 KiB each) and tells the host through the payload
 * header; an LTP-style host (tst_kvm_run()) needs no change.
 *
 * CPU 0 runs main().  The others (application processors, APs) start in
 * 64-bit mode in the runtime's idle loop and run what kvm_smp_call()
 * hands them.  The test ends when main() returns on CPU 0, or when any
 * CPU calls kvm_exit() or tst_brk() or takes an unhandled exception; the
 * host then stops every CPU, whatever it is doing.  tst_res() works on
 * any CPU; with more than one CPU the host prefixes each message with
 * "CPU n: ".
 *
 * What is per CPU: stack, TSS, GDT (kvm_gdt is CPU 0's; an AP's starts
 * as a copy of its boot entries), the local APIC and its mode (apic.c).
 * What is shared: memory, page tables, the IDT and interrupt callbacks,
 * LTP's result page (tst_signal_host()/tst_wait_host(): one CPU at a
 * time), the heap (tst_heap_alloc() takes a lock).  kvm_call_safe()
 * and the *_safe() helpers work on every CPU at once (each CPU keeps its
 * own chain of calls); kvm_call_user() runs on CPU 0 only (a TBROK
 * elsewhere: it switches CPU 0's TSS.RSP0).
 */
#define KVMKIT_GUEST_CPUS(n)						\
	_Static_assert((n) >= 1 && (n) <= KVMKIT_GUEST_MAX_CPUS,	\
		       "KVMKIT_GUEST_CPUS(n): n must be 1.." 		\
		       "KVMKIT_GUEST_MAX_CPUS");			\
	unsigned char kvmkit_cpu_areas[(n) > 1 ? (n) - 1 : 1]		\
		[KVMKIT_CPU_AREA_SIZE]					\
		__attribute__((aligned(KVMKIT_PAGE_SIZE)));		\
	const struct kvmkit_smp_desc kvmkit_smp = {			\
		(n), KVMKIT_CPU_AREA_SIZE,				\
		(uint64_t)(uintptr_t)kvmkit_cpu_areas,			\
		(uint64_t)(uintptr_t)kvmkit_ap_entry			\
	}
extern char kvmkit_ap_entry[];

/*
 * This CPU's number, 0..kvm_cpu_count() - 1: the vCPU id, which is also
 * its initial APIC id.  Found from the CPU's own GDT (SGDT, no exit);
 * after a test's LGDT, from CPUID's initial APIC id (an exit).
 */
unsigned int kvm_cpu_id(void);
/* How many CPUs the payload runs on (KVMKIT_GUEST_CPUS(), else 1) */
unsigned int kvm_cpu_count(void);

/*
 * Run fn(arg) on every CPU, this one included, and return when all have
 * returned.  Only CPU 0 may call it (the APs wait for it in their idle
 * loop; main() runs on CPU 0), and not from inside fn: anything else is
 * a TBROK.  An AP stuck in fn leaves CPU 0 waiting until the guest
 * timeout, reported with both CPUs' registers.
 */
void kvm_smp_call(void (*fn)(void *arg), void *arg);
/*
 * The two halves of kvm_smp_call() for a CPU 0 that has its own part to
 * play meanwhile: start fn(arg) on every AP (not on CPU 0) and return at
 * once; kvm_smp_wait() returns when all of them have returned.  One call
 * at a time: a second kvm_smp_call*() before kvm_smp_wait() is a TBROK.
 * An AP still in fn when main() returns is stopped by the host.
 */
void kvm_smp_call_async(void (*fn)(void *arg), void *arg);
void kvm_smp_wait(void);

/* The top of CPU cpu's boot stack (kvm_stack_top for CPU 0), or NULL */
void *kvm_cpu_stack_top(unsigned int cpu);

/*
 * A test-and-set spinlock (with PAUSE while it waits).  Not a ticket
 * lock on purpose: vCPUs are host threads that the host may preempt,
 * and a ticket lock would make every waiter behind a preempted one wait
 * too.  Not recursive; interrupts are left as they are.
 */
typedef struct {
	volatile uint32_t locked;
} kvm_spinlock_t;
#define KVM_SPINLOCK_INIT	{ 0 }
void kvm_spin_lock(kvm_spinlock_t *lock);
/* 1 when taken, 0 when somebody holds it */
int kvm_spin_trylock(kvm_spinlock_t *lock);
void kvm_spin_unlock(kvm_spinlock_t *lock);

/*
 * Memory barriers between CPUs: kvm_smp_mb() orders everything (MFENCE
 * on x86, the only one x86 needs: a store followed by a load);
 * kvm_smp_rmb()/kvm_smp_wmb() order loads/stores (compiler barriers on
 * x86, whose loads and stores are not reordered with their own kind).
 */
#define kvm_smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define kvm_smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define kvm_smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

/*
 * A rendezvous of every CPU: kvm_barrier_wait() returns on each CPU once
 * all kvm_cpu_count() CPUs have called it; reusable at once.  Typically
 * inside a kvm_smp_call() function, so that every CPU gets there.
 */
typedef struct {
	volatile uint32_t count;
	volatile uint32_t generation;
} kvm_barrier_t;
#define KVM_BARRIER_INIT	{ 0, 0 }
void kvm_barrier_wait(kvm_barrier_t *barrier);

/* ---- Arch dependent types and functions -------------------------------- */

/* x86: CPU cpu's TSS (&kvm_tss for CPU 0), or 0 */
uintptr_t kvm_cpu_tss(unsigned int cpu);

struct kvm_interrupt_frame;

/*
 * Interrupt callback: userdata as registered, the interrupted context and
 * the vector's error code (0 for vectors without one).  Return non-zero
 * when the interrupt was handled and the guest may resume where the frame
 * says; 0 falls back to the default handler, which reports the exception
 * (TBROK) and ends the test.
 */
typedef int (*tst_interrupt_callback)(void *userdata,
	struct kvm_interrupt_frame *ifrm, unsigned long errcode);

extern const char *tst_interrupt_names[INTERRUPT_COUNT];

/* Any vector 0-255; func NULL restores the default (fatal) handler */
void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata);

/* The instruction pointer saved in the frame, and how to change it */
uintptr_t kvm_get_interrupt_ip(const struct kvm_interrupt_frame *ifrm);
void kvm_set_interrupt_ip(struct kvm_interrupt_frame *ifrm, uintptr_t ip);

#endif /* KVM_GUEST_H_ */
