// SPDX-License-Identifier: MIT
/*
 * Extended state: kvm_enable_xsave() turns on SSE, AVX and AVX-512 state
 * through CR4 and XCR0, and from then on the dispatcher (interrupt.c)
 * saves that state before an interrupt callback runs and restores it
 * after, so a test can keep values in vector registers across exits,
 * interrupts and exceptions whose handlers use (or clobber) them.
 *
 * The rules: Intel SDM Vol. 1 13.3 "Enabling the XSAVE Feature Set and
 * XSAVE-Enabled Features" (CR4.OSXSAVE, then XCR0 through XSETBV; bit 0
 * always 1, AVX needs SSE, the three AVX-512 bits together and with AVX),
 * 13.5 (the state components) and 13.2 (CPUID.(EAX=0DH,ECX=0): EDX:EAX
 * the XCR0 bits the CPU supports, EBX the XSAVE area size for the current
 * XCR0); Vol. 3A 2.5 and 13.1.3 (CR4.OSFXSR, CR4.OSXMMEXCPT, CR0.EM = 0).
 *
 * How it saves.  By default with FXSAVE64/FXRSTOR64 (x87, MXCSR, XMM)
 * plus register moves for what FXSAVE leaves out (VMOVDQU of YMM0-15, or
 * VMOVDQU64 of ZMM0-31 and KMOV of k0-k7), not with XSAVE: on kvm_pvm,
 * XSAVE, XSAVEOPT, XSAVEC, XRSTOR, XGETBV and STMXCSR in guest kernel
 * code end in KVM_EXIT_INTERNAL_ERROR (emulation failure), while FXSAVE,
 * FXRSTOR and SSE moves run (found by tests/kvm/kvm_xsave_exits probes;
 * VEX and EVEX instructions fail there too, so only SSE state is usable).
 * KVM_XSTATE_WITH_XSAVE in the mask asks for XSAVE64/XRSTOR64 instead,
 * into an area of CPUID.(EAX=0DH,ECX=0).EBX bytes, for any component.
 *
 * Why in C and not in entry.S: the runtime is built with -mno-sse
 * (mk/config.mk), so nothing between the vector stub and this code
 * touches a vector register, and a test that never calls
 * kvm_enable_xsave() pays one load and branch per callback (and links
 * none of this file: interrupt.c only holds pointers it sets).  Expected
 * faults (the fix-up table, kvm_call_safe()) are resolved before any
 * save: the runtime's own code cannot have clobbered anything there.
 *
 * One save area per nesting level (a callback that takes an exception
 * gets the next one), so an inner handler never overwrites the outer
 * save.  One vCPU: the level counter is not per CPU.
 */
#include "frame.h"
#include "xstate.h"

#define CPUID1_EDX_FXSR		(1U << 24)
#define CPUID1_EDX_SSE		(1U << 25)
#define CPUID1_ECX_XSAVE	(1U << 26)
#define CPUID1_ECX_AVX		(1U << 28)
#define CPUID7_EBX_AVX512F	(1U << 16)
#define CPUID7_EBX_AVX512BW	(1U << 30)
#define CR0_EM_BIT		(1UL << 2)

/* The components the register-move method knows */
#define MOVES_MASK	(KVM_XFEATURE_X87 | KVM_XFEATURE_SSE | \
			 KVM_XFEATURE_AVX | KVM_XFEATURE_AVX512)
/* Its area: FXSAVE's 512 bytes, then ZMM0-31 (or YMM0-15), then k0-k7 */
#define MOVES_VEC	512
#define MOVES_K		(MOVES_VEC + 32 * 64)
#define MOVES_SIZE	(MOVES_K + 8 * 8)

static uint64_t enabled_mask;
static void *xstate_push(void);
static void xstate_pop(void *area);
static int use_xsave;		/* 1: XSAVE64/XRSTOR64 of the whole mask */
static int kmovq;		/* AVX512BW: k0-k7 are 64 bits */
static unsigned int area_size;	/* of each level's area, 0: none yet */
/* Per CPU: its nesting level, and its KVM_XSTATE_DEPTH areas in areas[] */
static unsigned int level[KVMKIT_GUEST_MAX_CPUS];
static uint8_t **areas;		/* kvm_cpu_count() * KVM_XSTATE_DEPTH */
static kvm_spinlock_t areas_lock;

static int has_xsave(void)
{
	struct kvm_cpuid c;

	kvm_get_cpuid(0, 0, &c);
	if (c.eax < 0xd)
		return 0;
	kvm_get_cpuid(1, 0, &c);
	return !!(c.ecx & CPUID1_ECX_XSAVE);
}

uint64_t kvm_xstate_supported(void)
{
	struct kvm_cpuid c;

	if (has_xsave()) {
		kvm_get_cpuid(0xd, 0, &c);
		return (uint64_t)c.edx << 32 | c.eax;
	}
	kvm_get_cpuid(1, 0, &c);
	if (!(c.edx & CPUID1_EDX_FXSR))
		return 0;
	return c.edx & CPUID1_EDX_SSE ? KVM_XFEATURE_X87 | KVM_XFEATURE_SSE :
		KVM_XFEATURE_X87;
}

/* SDM Vol. 1 13.3: the combinations XSETBV accepts (beyond support) */
static int mask_valid(uint64_t mask)
{
	uint64_t avx512 = mask & KVM_XFEATURE_AVX512;

	if (!(mask & KVM_XFEATURE_X87))
		return 0;
	if ((mask & KVM_XFEATURE_AVX) && !(mask & KVM_XFEATURE_SSE))
		return 0;
	if (avx512 && (avx512 != KVM_XFEATURE_AVX512 ||
		       !(mask & KVM_XFEATURE_AVX)))
		return 0;
	return 1;
}

/* Every CPU's areas at once: a callback must never allocate */
static void alloc_areas(unsigned int size)
{
	unsigned int i, n = kvm_cpu_count() * KVM_XSTATE_DEPTH;
	uint8_t **a;

	kvm_spin_lock(&areas_lock);
	/* The heap cannot free: a larger mask later gets fresh areas */
	if (size > area_size) {
		a = tst_heap_alloc(n * sizeof(*a));
		for (i = 0; i < n; i++)
			a[i] = tst_heap_alloc_aligned(size, 64);
		areas = a;
		area_size = size;
	}
	kvm_spin_unlock(&areas_lock);
}

int kvm_enable_xsave(uint64_t mask)
{
	int with_xsave = !!(mask & KVM_XSTATE_WITH_XSAVE);
	unsigned long cr4, want;
	struct kvm_cpuid c;
	int xsave = has_xsave();
	int vec;

	mask = (mask & ~KVM_XSTATE_WITH_XSAVE) | KVM_XFEATURE_X87;
	if ((mask & ~kvm_xstate_supported()) || (with_xsave && !xsave) ||
	    (!with_xsave && (mask & ~MOVES_MASK)))
		return KVM_XSTATE_UNSUPPORTED;
	if (!mask_valid(mask))
		return KVM_XSTATE_INVALID;
	/* The state alone is not enough: the moves need the instructions */
	kvm_get_cpuid(1, 0, &c);
	if ((mask & KVM_XFEATURE_AVX) && !(c.ecx & CPUID1_ECX_AVX))
		return KVM_XSTATE_UNSUPPORTED;
	kvm_get_cpuid(7, 0, &c);
	if ((mask & KVM_XFEATURE_AVX512) && !(c.ebx & CPUID7_EBX_AVX512F))
		return KVM_XSTATE_UNSUPPORTED;

	/* x87 and SSE instructions raise #UD (#NM for x87) with CR0.EM */
	if (kvm_read_cr0() & CR0_EM_BIT) {
		vec = kvm_set_cr0_safe(kvm_read_cr0() & ~CR0_EM_BIT);
		if (vec)
			return vec;
	}
	cr4 = kvm_read_cr4();
	want = cr4;
	if (mask & KVM_XFEATURE_SSE)
		want |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (xsave)
		want |= CR4_OSXSAVE;
	if (want != cr4) {
		vec = kvm_set_cr4_safe(want);
		if (vec)
			return vec;
	}
	if (xsave) {
		vec = kvm_xsetbv_safe(0, mask);
		if (vec)
			return vec;
	}
	kvm_get_cpuid(7, 0, &c);
	kmovq = !!(c.ebx & CPUID7_EBX_AVX512BW);
	if (with_xsave) {
		/* EBX: the area XSAVE writes for the XCR0 just set */
		kvm_get_cpuid(0xd, 0, &c);
		alloc_areas(c.ebx);
	} else {
		alloc_areas(MOVES_SIZE);
	}
	use_xsave = with_xsave;
	enabled_mask = mask;
	/* pop before push: the dispatcher tests push only */
	kvmkit_xstate_pop = xstate_pop;
	asm volatile("" : : : "memory");
	kvmkit_xstate_push = xstate_push;
	return 0;
}

void kvm_disable_xsave(void)
{
	kvmkit_xstate_push = NULL;
	asm volatile("" : : : "memory");
	enabled_mask = 0;
}

uint64_t kvm_xstate_enabled(void)
{
	return enabled_mask;
}

unsigned int kvm_xstate_size(void)
{
	return enabled_mask ? area_size : 0;
}

/*
 * Register moves.  No clobbers are named: GCC refuses xmm names with
 * -mno-sse, and no compiler-generated code uses the registers anyway.
 */
#define REGS16 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
#define REGS32 REGS16 ",16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

/*
 * No fix-ups here: every entry in the table costs each unexpected
 * exception a comparison.  The runtime's save and restore run them under
 * kvm_call_safe(); in kvm_vregs_*() a fault is the test's, as if it had
 * run the instruction itself.
 */
#define MOVES(name, type, regs, insn)					\
static void name(type p)						\
{									\
	asm volatile(".irp r," regs "\n\t"				\
		     insn "\n\t"					\
		     ".endr" : : "r"(p) : "memory");			\
}
MOVES(zmm_store, uint8_t *, REGS32, "vmovdqu64 %%zmm\\r, \\r*64(%0)")
MOVES(zmm_load, const uint8_t *, REGS32, "vmovdqu64 \\r*64(%0), %%zmm\\r")
MOVES(ymm_store, uint8_t *, REGS16, "vmovdqu %%ymm\\r, \\r*64(%0)")
MOVES(ymm_load, const uint8_t *, REGS16, "vmovdqu \\r*64(%0), %%ymm\\r")
MOVES(xmm_store, uint8_t *, REGS16, "movdqu %%xmm\\r, \\r*64(%0)")
MOVES(xmm_load, const uint8_t *, REGS16, "movdqu \\r*64(%0), %%xmm\\r")
MOVES(kq_store, uint64_t *, "0,1,2,3,4,5,6,7", "kmovq %%k\\r, \\r*8(%0)")
MOVES(kq_load, const uint64_t *, "0,1,2,3,4,5,6,7", "kmovq \\r*8(%0), %%k\\r")
MOVES(kw_store, uint64_t *, "0,1,2,3,4,5,6,7", "kmovw %%k\\r, \\r*8(%0)")
MOVES(kw_load, const uint64_t *, "0,1,2,3,4,5,6,7", "kmovw \\r*8(%0), %%k\\r")

static void k_store(uint64_t *k)
{
	if (kmovq)
		kq_store(k);
	else
		kw_store(k);
}

static void k_load(const uint64_t *k)
{
	if (kmovq)
		kq_load(k);
	else
		kw_load(k);
}

/*
 * The moves beyond FXSAVE's reach, for kvm_call_safe(): a CPU that
 * offers AVX but does not run it (TCG loses XCR0 across exits, see
 * tests/kvm/README.md) must not turn a callback into a fault loop.
 */
static void save_ymm(void *p)
{
	ymm_store((uint8_t *)p + MOVES_VEC);
}

static void save_zmm_k(void *p)
{
	zmm_store((uint8_t *)p + MOVES_VEC);
	k_store((uint64_t *)((uint8_t *)p + MOVES_K));
}

static void load_ymm(void *p)
{
	ymm_load((uint8_t *)p + MOVES_VEC);
}

static void load_zmm_k(void *p)
{
	zmm_load((uint8_t *)p + MOVES_VEC);
	k_load((uint64_t *)((uint8_t *)p + MOVES_K));
}

/* Each returns 0 or the vector the instruction raised (a fix-up) */
static int fxsave_at(void *p)
{
	int vec;

	asm volatile("1: fxsave64 (%[p])\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "=a"(vec) : [p] "r"(p) : "memory");
	return vec;
}

static int fxrstor_at(const void *p)
{
	int vec;

	asm volatile("1: fxrstor64 (%[p])\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "=a"(vec) : [p] "r"(p) : "memory");
	return vec;
}

static int save_to(uint8_t *p, uint64_t rfbm)
{
	int vec;

	if (use_xsave) {
		asm volatile("1: xsave64 (%[p])\n\t"
			     "xor %%eax, %%eax\n"
			     "2:\n\t"
			     KVM_ASM_FIXUP("1b", "2b")
			     : "=a"(vec)
			     : [p] "r"(p), "0"((uint32_t)rfbm),
			       "d"((uint32_t)(rfbm >> 32))
			     : "memory");
		return vec;
	}
	/* FXSAVE first: it faults (#NM with CR0.TS) if anything does */
	vec = fxsave_at(p);
	if (vec)
		return vec;
	if (rfbm & (KVM_XFEATURE_AVX | KVM_XFEATURE_AVX512))
		return kvm_call_safe(rfbm & KVM_XFEATURE_AVX512 ?
				     save_zmm_k : save_ymm, p, NULL);
	return 0;
}

static int restore_from(const uint8_t *p, uint64_t rfbm)
{
	int vec;

	if (use_xsave) {
		asm volatile("1: xrstor64 (%[p])\n\t"
			     "xor %%eax, %%eax\n"
			     "2:\n\t"
			     KVM_ASM_FIXUP("1b", "2b")
			     : "=a"(vec)
			     : [p] "r"(p), "0"((uint32_t)rfbm),
			       "d"((uint32_t)(rfbm >> 32))
			     : "memory");
		return vec;
	}
	vec = fxrstor_at(p);
	if (vec)
		return vec;
	/* After FXRSTOR: these rewrite XMM with the same low halves */
	if (rfbm & (KVM_XFEATURE_AVX | KVM_XFEATURE_AVX512))
		return kvm_call_safe(rfbm & KVM_XFEATURE_AVX512 ?
				     load_zmm_k : load_ymm, (void *)p, NULL);
	return 0;
}

static void *xstate_push(void)
{
	unsigned int cpu = kvm_cpu_id() % KVMKIT_GUEST_MAX_CPUS;
	uint8_t *area;

	if (level[cpu] >= KVM_XSTATE_DEPTH)
		tst_brk(TBROK, "Interrupt callbacks nested %u deep: extended state has save areas for %u levels",
			level[cpu] + 1, KVM_XSTATE_DEPTH);
	area = areas[cpu * KVM_XSTATE_DEPTH + level[cpu]];
	/*
	 * A fault here (#NM with CR0.TS = 1, #UD after the test cleared
	 * CR4.OSXSAVE) means the test made the state unreachable itself;
	 * the fix-up resolves it without recursing into this function.
	 */
	kvmkit_xstate_busy[cpu] = 1;
	if (save_to(area, enabled_mask)) {
		kvmkit_xstate_busy[cpu] = 0;
		return NULL;
	}
	kvmkit_xstate_busy[cpu] = 0;
	level[cpu]++;
	return area;
}

static void xstate_pop(void *area)
{
	int vec;

	unsigned int cpu = kvm_cpu_id() % KVMKIT_GUEST_MAX_CPUS;

	if (!area)
		return;
	level[cpu]--;
	kvmkit_xstate_busy[cpu] = 1;
	vec = restore_from(area, enabled_mask);
	kvmkit_xstate_busy[cpu] = 0;
	if (vec)
		tst_brk(TBROK, "Extended state lost after an interrupt callback: restoring it raised %s (did the callback change CR0.TS, CR4 or XCR0?)",
			tst_interrupt_names[vec] ? tst_interrupt_names[vec] :
			"an exception");
}

/*
 * MXCSR through FXSAVE/FXRSTOR (byte 24): on kvm_pvm STMXCSR and LDMXCSR
 * end in emulation failures.  The image is on the stack: a callback may
 * use these while the code it interrupted is in the middle of them.
 */
static uint32_t mxcsr_get(void)
{
	uint8_t fx[512] __attribute__((aligned(16)));
	uint32_t v;

	fxsave_at(fx);
	memcpy(&v, fx + 24, 4);
	return v;
}

static void mxcsr_set(uint32_t v)
{
	uint8_t fx[512] __attribute__((aligned(16)));

	fxsave_at(fx);
	memcpy(fx + 24, &v, 4);
	fxrstor_at(fx);
}

void kvm_vregs_load(const struct kvm_vregs *v, uint64_t mask)
{
	if (mask & KVM_XFEATURE_SSE)
		mxcsr_set(v->mxcsr);
	if (mask & KVM_XFEATURE_AVX512) {
		zmm_load(v->zmm[0]);
		k_load(v->k);
	} else if (mask & KVM_XFEATURE_AVX) {
		ymm_load(v->zmm[0]);
	} else if (mask & KVM_XFEATURE_SSE) {
		xmm_load(v->zmm[0]);
	}
}

void kvm_vregs_store(struct kvm_vregs *v, uint64_t mask)
{
	if (mask & KVM_XFEATURE_SSE)
		v->mxcsr = mxcsr_get();
	if (mask & KVM_XFEATURE_AVX512) {
		zmm_store(v->zmm[0]);
		k_store(v->k);
	} else if (mask & KVM_XFEATURE_AVX) {
		ymm_store(v->zmm[0]);
	} else if (mask & KVM_XFEATURE_SSE) {
		xmm_store(v->zmm[0]);
	}
}

/* Bytes the registers of mask hold, for comparing two snapshots */
static int reg_bytes(uint64_t mask, unsigned int *nregs)
{
	if (mask & KVM_XFEATURE_AVX512) {
		*nregs = 32;
		return 64;
	}
	*nregs = 16;
	if (mask & KVM_XFEATURE_AVX)
		return 32;
	return mask & KVM_XFEATURE_SSE ? 16 : 0;
}

/* k0-k7 bits a snapshot holds: KMOVW moves 16 without AVX512BW */
static uint64_t k_bits(void)
{
	struct kvm_cpuid c;

	kvm_get_cpuid(7, 0, &c);
	return c.ebx & CPUID7_EBX_AVX512BW ? ~0ULL : 0xffff;
}

void kvm_vregs_fill(struct kvm_vregs *v, uint64_t mask, uint32_t seed)
{
	unsigned int r, b, nregs;
	int bytes = reg_bytes(mask, &nregs);
	uint64_t kmask = mask & KVM_XFEATURE_AVX512 ? k_bits() : 0;

	memset(v, 0, sizeof(*v));
	for (r = 0; r < nregs; r++)
		for (b = 0; b < (unsigned int)bytes; b++)
			v->zmm[r][b] = kvm_vregs_pattern(seed, r, b);
	for (r = 0; r < 8; r++)
		v->k[r] = (0x9e3779b97f4a7c15ULL * (seed + r + 1)) & kmask;
	/* MXCSR: default 1F80H with RC (bits 14:13) and DAZ from the seed */
	v->mxcsr = 0x1f80 | (seed & 3) << 13 | (seed & 4) << 4;
}

int kvm_vregs_diff(const struct kvm_vregs *a, const struct kvm_vregs *b,
		   uint64_t mask, char *what, size_t len)
{
	unsigned int r, nregs;
	int bytes = reg_bytes(mask, &nregs);
	const char *name = bytes == 64 ? "zmm" : bytes == 32 ? "ymm" : "xmm";

	if ((mask & KVM_XFEATURE_SSE) && a->mxcsr != b->mxcsr) {
		snprintf(what, len, "MXCSR 0x%x, expected 0x%x", b->mxcsr,
			 a->mxcsr);
		return 1;
	}
	for (r = 0; r < nregs; r++) {
		if (memcmp(a->zmm[r], b->zmm[r], bytes)) {
			snprintf(what, len, "%s%u bytes 0-7 0x%llx, expected 0x%llx",
				 name, r,
				 *(const unsigned long long *)b->zmm[r],
				 *(const unsigned long long *)a->zmm[r]);
			return 1;
		}
	}
	if (mask & KVM_XFEATURE_AVX512)
		for (r = 0; r < 8; r++)
			if (a->k[r] != b->k[r]) {
				snprintf(what, len, "k%u 0x%llx, expected 0x%llx",
					 r, (unsigned long long)b->k[r],
					 (unsigned long long)a->k[r]);
				return 1;
			}
	snprintf(what, len, "all equal");
	return 0;
}
