// SPDX-License-Identifier: MIT
/*
 * Alignment checking applies at CPL 3 only: at CPL 0, a misaligned load
 * or store with CR0.AM = 1 and EFLAGS.AC = 1 raises no #AC, and neither
 * does it with only one of the two set.
 *
 * Where it is written: Intel SDM Vol. 3A 6.15 "Interrupt 17 - Alignment
 * Check Exception (#AC)" ("Alignment checks are only carried out in data
 * (or stack) accesses (not in code fetches or system segment accesses)
 * ... the AM flag in CR0 is set, the AC flag in EFLAGS is set, and the CPL
 * is 3"; "Alignment checking is only carried out ... at privilege level
 * 3"); Vol. 3A 2.5 (CR0.AM).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint8_t buf[32] __attribute__((aligned(16)));

static void misaligned(const char *what, unsigned long cr0, int ac)
{
	uint64_t v = 0;

	kvm_set_cr0(cr0);
	suite_begin();
	asm volatile("pushf\n\t"
		     "cmpl $0, %2\n\t"
		     "je 2f\n\t"
		     "orq %3, (%%rsp)\n"
		     "2:\tpopf\n\t"
		     SUITE_TRY("mov 1(%1), %0\n\tmovl $7, 3(%1)")
		     "pushf\n\t"
		     "andq %4, (%%rsp)\n\t"
		     "popf"
		     : "+r"(v) : "r"(buf), "r"(ac), "i"(X86_EFLAGS_AC),
		       "i"(~X86_EFLAGS_AC) : "memory", "cc");
	suite_end();
	suite_expect_none(what);
}

void main(void)
{
	unsigned long cr0 = kvm_read_cr0();

	suite_catch_all();
	misaligned("misaligned load/store at CPL 0, CR0.AM = 1, EFLAGS.AC = 1",
		   cr0 | CR0_AM, 1);
	misaligned("misaligned load/store at CPL 0, CR0.AM = 0, EFLAGS.AC = 1",
		   cr0 & ~(unsigned long)CR0_AM, 1);
	misaligned("misaligned load/store at CPL 0, CR0.AM = 1, EFLAGS.AC = 0",
		   cr0 | CR0_AM, 0);
	kvm_set_cr0(cr0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Alignment checking applies at CPL 3 only",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
