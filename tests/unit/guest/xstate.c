// SPDX-License-Identifier: MIT
/*
 * Guest runtime: extended state (xstate.c).  kvm_enable_xsave() refuses
 * masks XSETBV would refuse (AVX without SSE, AVX-512 in part) and bits
 * CPUID does not offer, without touching CR4 or XCR0; with SSE it sets
 * CR4.OSFXSR/OSXMMEXCPT (and OSXSAVE where CPUID has XSAVE).
 * Then a #UD callback sees the interrupted code's registers, clobbers
 * them and raises a second #UD whose callback clobbers them again: the
 * outer callback gets its own values back, the interrupted code its own
 * (one save area per nesting level).  Finally the cost: TSC cycles of a
 * #UD round trip through a callback with and without the save (FXSAVE64
 * and FXRSTOR64), and through the fix-up table (never saved).  SDM Vol. 1 13.3, 13.2.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define ROUNDS	200

static struct kvm_vregs outer_set, inner_set, seen, want;
static uint64_t mask;
static volatile int depth, outer_ok, outer_ran, inner_ran;
static char outer_what[96];

static void ud2_here(void)
{
	asm volatile("ud2" : : : "memory");
}

static int on_ud(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	kvm_set_interrupt_ip(ifrm, kvm_get_interrupt_ip(ifrm) + 2);
	if (depth == 0)
		return 1;	/* the cost loop */
	if (depth == 1) {
		depth = 2;
		outer_ran = 1;
		kvm_vregs_store(&seen, mask);
		outer_ok = !kvm_vregs_diff(&want, &seen, mask, outer_what,
					   sizeof(outer_what));
		kvm_vregs_load(&outer_set, mask);
		ud2_here();
		kvm_vregs_store(&seen, mask);
		if (outer_ok)
			outer_ok = !kvm_vregs_diff(&outer_set, &seen, mask,
						   outer_what,
						   sizeof(outer_what)) ? 2 : 0;
		depth = 1;
		return 1;
	}
	inner_ran = 1;
	kvm_vregs_load(&inner_set, mask);
	return 1;
}

static void check_refusals(void)
{
	uint64_t sup = kvm_xstate_supported();
	unsigned long cr4 = kvm_read_cr4();
	int r1, r2, r3 = KVM_XSTATE_INVALID;

	r1 = kvm_enable_xsave(KVM_XFEATURE_AVX);
	r2 = kvm_enable_xsave(1ULL << 62);
	if ((sup & KVM_XFEATURE_AVX512) == KVM_XFEATURE_AVX512)
		r3 = kvm_enable_xsave(KVM_XFEATURE_SSE | KVM_XFEATURE_AVX |
				      KVM_XFEATURE_OPMASK);
	if ((r1 == KVM_XSTATE_INVALID ||
	     (!(sup & KVM_XFEATURE_AVX) && r1 == KVM_XSTATE_UNSUPPORTED)) &&
	    r2 == KVM_XSTATE_UNSUPPORTED && r3 == KVM_XSTATE_INVALID &&
	    kvm_read_cr4() == cr4 && !kvm_xstate_enabled())
		tst_res(TPASS, "kvm_enable_xsave() refuses AVX without SSE, bit 62 and AVX-512 in part, CR4 untouched");
	else
		tst_res(TFAIL, "kvm_enable_xsave() refusals: %d, %d, %d, CR4 0x%lx -> 0x%lx",
			r1, r2, r3, cr4, kvm_read_cr4());
}

/*
 * SSE only: kvm_pvm cannot run VEX or EVEX instructions, XSAVE or XGETBV
 * in guest kernel code (KVM_EXIT_INTERNAL_ERROR), so the wider masks and
 * the XSAVE method are checked by tests/kvm/kvm_xsave_*, whose probes
 * survive that.
 */
static void check_enable(void)
{
	uint64_t sup = kvm_xstate_supported();
	unsigned long cr4;
	struct kvm_cpuid c;
	int ret, xsave;

	mask = KVM_XFEATURE_X87 | KVM_XFEATURE_SSE;
	if (!(sup & KVM_XFEATURE_SSE))
		tst_brk(TCONF, "CPUID offers no SSE state (supported 0x%llx)",
			(unsigned long long)sup);
	ret = kvm_enable_xsave(mask);
	if (ret)
		tst_brk(TFAIL, "kvm_enable_xsave(0x%llx) = %d",
			(unsigned long long)mask, ret);
	cr4 = kvm_read_cr4();
	kvm_get_cpuid(1, 0, &c);
	xsave = !!(c.ecx & 1U << 26);	/* CPUID.1:ECX.XSAVE */
	if ((cr4 & (CR4_OSFXSR | CR4_OSXMMEXCPT)) ==
	    (CR4_OSFXSR | CR4_OSXMMEXCPT) &&
	    !!(cr4 & CR4_OSXSAVE) == xsave && kvm_xstate_enabled() == mask &&
	    kvm_xstate_size() >= 512)
		tst_res(TPASS, "kvm_enable_xsave(0x%llx): CR4 0x%lx (OSXSAVE %s), save area %u bytes",
			(unsigned long long)mask, cr4,
			xsave ? "set: CPUID has XSAVE" : "clear: no XSAVE",
			kvm_xstate_size());
	else
		tst_res(TFAIL, "kvm_enable_xsave(0x%llx): CR4 0x%lx, CPUID XSAVE %d, enabled 0x%llx, size %u",
			(unsigned long long)mask, cr4, xsave,
			(unsigned long long)kvm_xstate_enabled(),
			kvm_xstate_size());
}

static void check_nesting(void)
{
	char what[96];

	kvm_vregs_fill(&want, mask, 1);
	kvm_vregs_fill(&outer_set, mask, 2);
	kvm_vregs_fill(&inner_set, mask, 3);
	depth = 1;
	kvm_vregs_load(&want, mask);
	ud2_here();
	kvm_vregs_store(&seen, mask);
	depth = 0;
	if (!outer_ran || !inner_ran)
		tst_res(TFAIL, "nested #UD callbacks did not both run (%d, %d)",
			outer_ran, inner_ran);
	else if (outer_ok != 2)
		tst_res(TFAIL, "outer #UD callback: %s", outer_what);
	else if (kvm_vregs_diff(&want, &seen, mask, what, sizeof(what)))
		tst_res(TFAIL, "after nested callbacks: %s", what);
	else
		tst_res(TPASS, "nested #UD callbacks: each level got its registers back, the interrupted code too");
}

static uint64_t ud_cycles(void)
{
	uint64_t t0, best = ~0ULL, dt;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		t0 = kvm_rdtsc();
		ud2_here();
		dt = kvm_rdtsc() - t0;
		if (dt < best)
			best = dt;
	}
	return best;
}

static uint64_t fixup_cycles(void)
{
	uint64_t t0, best = ~0ULL, dt;
	int i, vec;

	for (i = 0; i < ROUNDS; i++) {
		t0 = kvm_rdtsc();
		asm volatile("1: ud2\n\t"
			     "xor %%eax, %%eax\n"
			     "2:\n\t"
			     KVM_ASM_FIXUP("1b", "2b") : "=a"(vec) : : "memory");
		dt = kvm_rdtsc() - t0;
		if (vec == INTR_BAD_OPCODE && dt < best)
			best = dt;
	}
	return best;
}

static void measure(void)
{
	uint64_t off, on, fix;

	on = ud_cycles();
	fix = fixup_cycles();
	kvm_disable_xsave();
	off = ud_cycles();
	tst_res(TINFO, "#UD round trip through a callback: %llu TSC cycles without the save, %llu with it; through the fix-up table: %llu (best of %d)",
		(unsigned long long)off, (unsigned long long)on,
		(unsigned long long)fix, ROUNDS);
}

void main(void)
{
	tst_set_interrupt_callback(INTR_BAD_OPCODE, on_ud, NULL);
	check_refusals();
	check_enable();
	check_nesting();
	measure();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "extended state: kvm_enable_xsave(), save and restore around nested callbacks, cost",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
