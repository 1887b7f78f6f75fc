// SPDX-License-Identifier: MIT
/*
 * x2APIC MSR access rules, timer registers included (in-kernel LAPIC;
 * TCONF without CPUID.1:ECX.x2APIC): before x2APIC mode is enabled the
 * MSRs 800H-8FFH raise #GP; in x2APIC mode RDMSR of the write-only EOI
 * (80BH) and SELF IPI (83FH) raises #GP, WRMSR of the read-only ID (802H),
 * version (803H), PPR (80AH), LDR (80DH), ISR0 (810H), IRR0 (820H) and
 * current count (839H) raises #GP, RDMSR of registers x2APIC mode does
 * not have (801H, 804H, 809H, 80CH, 80EH DFR, 831H ICR2, 840H) raises
 * #GP, and WRMSR of EOI with a non-zero value or of TPR with bit 32 set
 * (reserved bits) raises #GP.  The LDR is
 * derived from the x2APIC ID (cluster ID in 31:16, 1 << ID[3:0] in 15:0);
 * the timer works through MSRs (TMICT 838H, TMCCT 839H counting down,
 * TDCR 83EH); the ICR is one 64-bit MSR (830H), destination in 63:32: a
 * fixed interrupt sent to the own x2APIC ID arrives once and the ICR
 * reads back the whole value.
 *
 * Where it is written: Intel SDM Vol. 3A 11.12.1.2 "x2APIC Register
 * Address Space" (Table 11-6: the MSR of each register and its read/write
 * semantics; "RDMSR ... to write-only registers" and "WRMSR ... to
 * read-only registers" raise #GP; "an attempt to access an MSR address
 * ... that is not listed" raises #GP), 11.12.1.3 "Reserved Bit
 * Checking" ("non-zero writes ... to reserved bits ... will raise a
 * general protection fault": all of EOI's bits, bits 63:32 of the 32-bit
 * registers), 11.12.2 ("in xAPIC mode, accesses to the x2APIC MSRs raise
 * #GP"), 11.12.9 "ICR Operation in x2APIC Mode" (one 64-bit MSR,
 * destination ID in 63:32), 11.12.10.2 "Deriving Logical x2APIC ID from
 * the Local x2APIC ID".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define VEC	0x64
#define X2(r)	(MSR_X2APIC_BASE + ((r) >> 4))

static volatile unsigned int hits;

static int on_ipi(void *userdata, struct kvm_interrupt_frame *ifrm,
		  unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	hits++;
	kvm_apic_eoi();
	return 1;
}

static unsigned int gp_count, gp_bad;

static void expect_gp(const char *what, unsigned int msr, int write,
		      uint64_t val)
{
	uint64_t v = 0;
	int vec = write ? kvm_wrmsr_safe(msr, val) : kvm_rdmsr_safe(msr, &v);

	gp_count++;
	if (vec != INTR_GPF) {
		gp_bad++;
		tst_res(TFAIL, "%s %s MSR 0x%x: %s, expected #GP", write ?
			"WRMSR" : "RDMSR", what, msr,
			vec ? suite_vector_name(vec) : "no exception");
	}
}

static void check_gp_rules(void)
{
	static const struct { const char *name; unsigned int msr; } ro[] = {
		{ "ID", 0x802 }, { "version", 0x803 }, { "PPR", 0x80a },
		{ "LDR", 0x80d }, { "ISR0", 0x810 }, { "IRR0", 0x820 },
		{ "TMCCT", 0x839 },
	}, none[] = {
		{ "801H", 0x801 }, { "804H", 0x804 }, { "APR (809H)", 0x809 },
		{ "RRD (80CH)", 0x80c }, { "DFR (80EH)", 0x80e },
		{ "ICR2 (831H)", 0x831 }, { "840H", 0x840 },
	};
	unsigned int i;
	uint64_t v = 0;

	gp_count = gp_bad = 0;
	expect_gp("write-only EOI", 0x80b, 0, 0);
	expect_gp("write-only SELF IPI", 0x83f, 0, 0);
	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		kvm_rdmsr_safe(ro[i].msr, &v);
		expect_gp(ro[i].name, ro[i].msr, 1, v);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		expect_gp(none[i].name, none[i].msr, 0, 0);
	expect_gp("EOI with value 1", 0x80b, 1, 1);
	expect_gp("TPR with bit 32 set", 0x808, 1, 1ULL << 32);
	if (!gp_bad)
		tst_res(TPASS, "x2APIC mode: %u accesses (RDMSR of write-only, WRMSR of read-only, absent registers, EOI != 0) raised #GP",
			gp_count);
}

static void check_ldr(void)
{
	uint32_t id = kvm_apic_id();
	uint64_t ldr = kvm_rdmsr(0x80d);
	uint64_t want = (uint64_t)(id >> 4) << 16 | 1U << (id & 0xf);

	if (ldr == want)
		tst_res(TPASS, "LDR 0x%llx derived from x2APIC ID %u",
			(unsigned long long)ldr, id);
	else
		tst_res(TFAIL, "LDR 0x%llx for x2APIC ID %u, expected 0x%llx",
			(unsigned long long)ldr, id, (unsigned long long)want);
}

static void check_timer_msrs(void)
{
	uint64_t c1, c2;

	kvm_wrmsr(X2(APIC_LVTT), APIC_LVT_MASKED | VEC);
	kvm_wrmsr(X2(APIC_TDCR), 0x3);		/* divide by 16 */
	kvm_wrmsr(X2(APIC_TMICT), 100000000);
	c1 = kvm_rdmsr(X2(APIC_TMCCT));
	c2 = kvm_rdmsr(X2(APIC_TMCCT));
	if ((kvm_rdmsr(X2(APIC_TDCR)) & 0xb) == 0x3 &&
	    kvm_rdmsr(X2(APIC_TMICT)) == 100000000 && c1 <= 100000000 &&
	    c2 <= c1)
		tst_res(TPASS, "timer through MSRs: TDCR and TMICT read back, TMCCT counts down (%llu, %llu)",
			(unsigned long long)c1, (unsigned long long)c2);
	else
		tst_res(TFAIL, "timer through MSRs: TDCR 0x%llx, TMICT %llu, TMCCT %llu then %llu",
			(unsigned long long)kvm_rdmsr(X2(APIC_TDCR)),
			(unsigned long long)kvm_rdmsr(X2(APIC_TMICT)),
			(unsigned long long)c1, (unsigned long long)c2);
	kvm_wrmsr(X2(APIC_TMICT), 0);
}

static void check_icr(void)
{
	uint64_t icr = (uint64_t)kvm_apic_id() << 32 | VEC, back;
	uint64_t start;

	hits = 0;
	kvm_irq_disable();
	kvm_wrmsr(X2(APIC_ICR), icr);
	back = kvm_rdmsr(X2(APIC_ICR));
	start = kvm_rdtsc();
	kvm_irq_enable();
	while (!hits && kvm_rdtsc() - start < 1000000000ULL)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
	if (hits == 1 && back == icr)
		tst_res(TPASS, "ICR as one 64-bit MSR: 0x%llx (own x2APIC ID in 63:32) delivered vector 0x%x once and reads back whole",
			(unsigned long long)icr, VEC);
	else
		tst_res(TFAIL, "ICR 0x%llx: %u interrupts, reads back 0x%llx",
			(unsigned long long)icr, hits,
			(unsigned long long)back);
}

void main(void)
{
	uint64_t v;
	int vec;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC is 0: no local APIC");
	if (!kvm_x2apic_supported())
		tst_brk(TCONF, "CPUID.1:ECX.x2APIC is 0");
	tst_set_interrupt_callback(VEC, on_ipi, NULL);
	kvm_apic_enable();
	vec = kvm_rdmsr_safe(0x802, &v);
	if (vec == INTR_GPF)
		tst_res(TPASS, "xAPIC mode: RDMSR of x2APIC ID (802H) raises #GP");
	else
		tst_res(TFAIL, "xAPIC mode: RDMSR of x2APIC ID (802H): %s, expected #GP",
			vec ? suite_vector_name(vec) : "no exception");
	if (kvm_x2apic_enable())
		tst_brk(TFAIL, "CPUID offers x2APIC but enabling it failed");
	check_gp_rules();
	check_ldr();
	check_timer_msrs();
	check_icr();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "x2APIC MSR access rules, timer registers included (in-kernel LAPIC)",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,timer" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
