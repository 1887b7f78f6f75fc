// SPDX-License-Identifier: MIT
/*
 * Extended state survives what the guest does not see: with the widest of
 * SSE, AVX and AVX-512 the CPU offers enabled (CR4.OSXSAVE, XCR0), the
 * values in XMM0-15/YMM0-15/ZMM0-31, k0-k7 and MXCSR are unchanged after
 * an OUT and an IN that exit to the host, a load and a store to MMIO
 * that exit to the host, a #UD whose handler loads other values into all
 * of them, and an APIC timer interrupt whose handler does the same (the
 * runtime saves and restores around handlers: FXSAVE64 plus register
 * moves, then XSAVE64/XRSTOR64).  A MOVDQU from MMIO into XMM0 loads the
 * device's 16 bytes and leaves bits 255:128 of YMM0 and everything else
 * as it was.  First it checks that an offered feature runs at all: a VEX
 * (VMOVDQU ymm) or EVEX (VMOVDQU64 zmm, KMOVW) instruction must execute
 * once CPUID offers AVX/AVX-512 and XCR0 enables it, and XCR0 must read
 * back (XGETBV) what XSETBV wrote after an exit to the host.
 *
 * Where it is written: Intel SDM Vol. 1 13.3 (XCR0 enables AVX and
 * AVX-512 state: "if XCR0[2:1] = 11b, AVX instructions can execute"),
 * 14.3 and 15.2 (detection of AVX and AVX-512 through CPUID and XGETBV),
 * Vol. 2C "XGETBV" (reads the XCR XSETBV wrote),
 * 13.4-13.8 (the XSAVE area and XSAVE/XRSTOR); Vol. 3A 6.12.1 (an
 * interrupt or exception saves RFLAGS, CS, RIP and SS:RSP only: vector
 * registers are the handler's business); Vol. 2B "MOVDQU" (legacy SSE
 * form: bits 255:128 of the YMM register are unchanged), "IN", "OUT",
 * "MOV": only the destination changes.  A VM exit is invisible to the
 * guest (KVM api.rst KVM_EXIT_IO and KVM_EXIT_MMIO complete the
 * instruction).
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"
#include "kvm_xsave.h"

#ifdef COMPILE_PAYLOAD

#define VEC_TIMER	0x50
#define MMIO_OFF	0x140

static struct kvm_vregs want, got, junk;
static uint8_t probe_buf[128] __attribute__((aligned(64)));
static uint8_t xsave_buf[8192] __attribute__((aligned(64)));
static uint64_t mask;
static const char *regs_name;
static volatile unsigned int timer_hits, ud_hits;

static int clobber_ud(void *userdata, struct kvm_interrupt_frame *ifrm,
		      unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	kvm_vregs_load(&junk, mask);
	kvm_set_interrupt_ip(ifrm, kvm_get_interrupt_ip(ifrm) + 2);
	ud_hits++;
	return 1;
}

static int clobber_timer(void *userdata, struct kvm_interrupt_frame *ifrm,
			 unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	kvm_vregs_load(&junk, mask);
	kvm_apic_eoi();
	timer_hits++;
	return 1;
}

static void set_mask(uint64_t m)
{
	int ret = kvm_enable_xsave(m);

	if (ret)
		tst_brk(TBROK, "kvm_enable_xsave(0x%llx) = %d",
			(unsigned long long)m, ret);
	mask = m & ~KVM_XSTATE_WITH_XSAVE;
	regs_name = mask & KVM_XFEATURE_AVX512 ? "ZMM0-31, k0-k7" :
		mask & KVM_XFEATURE_AVX ? "YMM0-15" : "XMM0-15";
}

/* Which of the vector instructions run: 0, else the probe's result */
static int probe(const char *what)
{
	int r = suite_end();

	if (r == NO_EXCEPTION)
		return 0;
	tst_res(TFAIL, "%s with XCR0 0x%llx (offered by CPUID): %s instead of executing",
		what, (unsigned long long)mask, suite_vector_name(r));
	return r;
}

/* XCR0 still holds what XSETBV wrote after an exit to the host */
static void check_xcr0(void)
{
	uint32_t lo = 0, hi = 0;
	uint64_t v;
	int r;

	suite_outl(SUITE_DEV_DATA, 0);
	suite_begin();
	asm volatile(SUITE_TRY("xgetbv") : "+a"(lo), "+d"(hi) : "c"(0)
		     : "memory");
	r = suite_end();
	v = (uint64_t)hi << 32 | lo;
	if (r != NO_EXCEPTION)
		tst_res(TFAIL, "XGETBV(0) with CR4.OSXSAVE = 1: %s",
			suite_vector_name(r));
	else if (v != mask)
		tst_res(TFAIL, "XCR0 reads 0x%llx after an exit to the host; XSETBV wrote 0x%llx",
			(unsigned long long)v, (unsigned long long)mask);
	else
		tst_res(TPASS, "XCR0 reads 0x%llx after an exit to the host, as written",
			(unsigned long long)v);
}

/*
 * The widest of SSE, AVX, AVX-512 that CPUID offers, as XCR0 bits and as
 * instructions (CPUID.1:ECX.AVX, CPUID.7.0:EBX.AVX512F)
 */
static void choose_mask(void)
{
	uint64_t m = suite_xsave_enable_widest();

	set_mask(m);
	check_xcr0();
	if (mask & KVM_XFEATURE_AVX) {
		suite_begin();
		asm volatile(SUITE_TRY("vmovdqu %%ymm1, (%0)")
			     : : "r"(probe_buf) : "memory");
		if (probe("VMOVDQU ymm1 (VEX)"))
			m &= ~(KVM_XFEATURE_AVX | KVM_XFEATURE_AVX512);
	}
	if (m & KVM_XFEATURE_AVX512) {
		suite_begin();
		asm volatile(SUITE_TRY("vmovdqu64 %%zmm17, (%0)")
			     : : "r"(probe_buf) : "memory");
		if (probe("VMOVDQU64 zmm17 (EVEX)"))
			m &= ~KVM_XFEATURE_AVX512;
		else {
			suite_begin();
			asm volatile(SUITE_TRY("kmovw %%k1, (%0)")
				     : : "r"(probe_buf) : "memory");
			if (probe("KMOVW k1 (AVX-512 opmask)"))
				m &= ~KVM_XFEATURE_AVX512;
		}
	}
	if (m != mask) {
		tst_res(TINFO, "checking with XCR0 0x%llx instead",
			(unsigned long long)m);
		set_mask(m);
	}
}

/* The registers still hold `want` */
static void check_regs(const char *what)
{
	char diff[120];

	kvm_vregs_store(&got, mask);
	if (kvm_vregs_diff(&want, &got, mask, diff, sizeof(diff)))
		tst_res(TFAIL, "%s: %s", what, diff);
	else
		tst_res(TPASS, "%s: %s and MXCSR kept their values", what,
			regs_name);
}

static void load_want(uint32_t seed)
{
	kvm_vregs_fill(&want, mask, seed);
	kvm_vregs_fill(&junk, mask, seed ^ 0x55);
	kvm_vregs_load(&want, mask);
}

static void check_exits(void)
{
	uintptr_t d = suite_dev_map();
	uint32_t v;
	unsigned int i;
	int r;

	load_want(1);
	suite_outl(SUITE_DEV_DATA, 0x12345678);
	v = suite_inl(SUITE_DEV_DATA);
	(void)v;
	check_regs("OUT and IN exiting to the host");

	load_want(2);
	asm volatile("movl (%1), %0\n\t"
		     "movl %0, 4(%1)" : "=&r"(v) : "r"(d + MMIO_OFF) : "memory");
	check_regs("MMIO load and store exiting to the host");

	suite_dev_reset(9);
	load_want(3);
	suite_begin();
	asm volatile(SUITE_TRY("movdqu (%0), %%xmm0")
		     : : "r"(d + MMIO_OFF) : "memory");
	r = suite_end();
	for (i = 0; i < 16; i++)
		want.zmm[0][i] = suite_dev_pattern(9, MMIO_OFF + i);
	if (r == NO_EXCEPTION)
		check_regs("MOVDQU xmm0 from MMIO (xmm0 = the device's 16 bytes)");
	else
		tst_res(TFAIL, "MOVDQU xmm0 from MMIO: %s",
			suite_vector_name(r));
}

static void check_handlers(const char *how)
{
	tst_interrupt_callback old;
	void *old_data;
	char what[96];
	int i;

	kvm_swap_interrupt_callback(INTR_BAD_OPCODE, clobber_ud, NULL,
				    &old, &old_data);
	ud_hits = 0;
	load_want(4);
	asm volatile("ud2" : : : "memory");
	snprintf(what, sizeof(what), "#UD handler that loads other values (%s)",
		 how);
	if (ud_hits == 1)
		check_regs(what);
	else
		tst_res(TFAIL, "%s: ran %u times", what, ud_hits);
	kvm_swap_interrupt_callback(INTR_BAD_OPCODE, old, old_data, NULL, NULL);

	if (!kvm_apic_present()) {
		tst_res(TCONF, "APIC timer: CPUID.1:EDX.APIC is 0");
		return;
	}
	timer_hits = 0;
	load_want(5);
	kvm_apic_timer_oneshot(VEC_TIMER, 100000, 1);
	for (i = 0; i < 1000000 && !timer_hits; i++) {
		kvm_irq_disable();
		if (!timer_hits)
			kvm_safe_halt();
	}
	kvm_irq_disable();
	snprintf(what, sizeof(what), "APIC timer handler that loads other values (%s)",
		 how);
	if (timer_hits == 1)
		check_regs(what);
	else
		tst_res(TFAIL, "%s: %u interrupts", what, timer_hits);
	kvm_apic_timer_stop();
}

void main(void)
{
	int r;

	suite_catch_all();
	tst_set_interrupt_callback(VEC_TIMER, clobber_timer, NULL);
	choose_mask();
	tst_res(TINFO, "XCR0 0x%llx: %s", (unsigned long long)mask, regs_name);
	check_exits();
	check_handlers("FXSAVE and moves");

	/* The same handlers with the runtime saving through XSAVE */
	suite_begin();
	asm volatile(SUITE_TRY("xsave64 (%0)")
		     : : "r"(xsave_buf), "a"((uint32_t)mask),
		       "d"((uint32_t)(mask >> 32)) : "memory");
	r = suite_end();
	if (r != NO_EXCEPTION) {
		tst_res(TFAIL, "XSAVE64 with CR4.OSXSAVE = 1, XCR0 0x%llx, a 64-byte aligned area: %s instead of executing",
			(unsigned long long)mask, suite_vector_name(r));
	} else {
		set_mask(mask | KVM_XSTATE_WITH_XSAVE);
		check_handlers("XSAVE64");
	}
	kvm_disable_xsave();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "Extended state survives what the guest does not see",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "xsave,mmio,apic" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
