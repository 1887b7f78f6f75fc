// SPDX-License-Identifier: MIT
/*
 * UMIP restricts SGDT, SIDT, SLDT, SMSW and STR at CPL > 0 only: with
 * CR4.UMIP = 1 they still work at CPL 0 and return the same values as
 * with UMIP clear.  Where CPUID does not offer UMIP, setting CR4.UMIP
 * raises #GP(0) (see kvm_cr4).
 *
 * Where it is written: Intel SDM Vol. 3A 2.5 "Control Registers"
 * (CR4.UMIP: "When set, the following instructions cannot be executed if
 * CPL > 0: SGDT, SIDT, SLDT, SMSW, and STR. An attempt at such execution
 * causes a general-protection exception (#GP)"); Vol. 2B "SGDT" etc.
 * (#GP(0) "If CR4.UMIP = 1 and CPL > 0").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct snap {
	struct dtr gdt, idt;
	uint16_t ldt, tr, msw;
};

static int take(struct snap *s)
{
	suite_begin();
	asm volatile(SUITE_TRY("sgdt %0\n\tsidt %1\n\tsldt %2\n\tstr %3\n\tsmsw %4")
		     : "=m"(s->gdt), "=m"(s->idt), "=m"(s->ldt), "=m"(s->tr),
		       "=m"(s->msw) : : "memory");
	return suite_end();
}

void main(void)
{
	unsigned long cr4 = kvm_read_cr4();
	struct snap a, b;

	suite_catch_all();
	if (!(suite_cpuid7().ecx & 1U << 2))
		tst_brk(TCONF, "CPUID.7.0:ECX.UMIP = 0");
	memset(&a, 0, sizeof(a));
	memset(&b, 0x55, sizeof(b));
	take(&a);
	kvm_set_cr4(cr4 | CR4_UMIP);
	take(&b);
	kvm_set_cr4(cr4);
	if (suite_expect_none("SGDT SIDT SLDT STR SMSW at CPL 0 with CR4.UMIP = 1") &&
	    memcmp(&a, &b, sizeof(a)))
		tst_res(TFAIL, "with UMIP: GDT 0x%llx/0x%x IDT 0x%llx/0x%x LDT 0x%x TR 0x%x MSW 0x%x; without: GDT 0x%llx/0x%x IDT 0x%llx/0x%x LDT 0x%x TR 0x%x MSW 0x%x",
			(unsigned long long)b.gdt.base, b.gdt.limit,
			(unsigned long long)b.idt.base, b.idt.limit, b.ldt, b.tr,
			b.msw, (unsigned long long)a.gdt.base, a.gdt.limit,
			(unsigned long long)a.idt.base, a.idt.limit, a.ldt, a.tr,
			a.msw);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "UMIP restricts SGDT, SIDT, SLDT, SMSW and STR at CPL > 0 only",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "control-registers,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
