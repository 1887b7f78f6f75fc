// SPDX-License-Identifier: MIT
/*
 * Port I/O at CPL 3 and what reaches the VMM: with CPL > IOPL and no I/O
 * permission bit map (the TSS's map base beyond its limit), IN, OUT, INS
 * and OUTS raise #GP(0) before any access, so the port's handler in the
 * VMM sees nothing; with IOPL 3 the same OUT and IN at CPL 3 are
 * performed: the VMM serves exactly those accesses, with the value the
 * guest wrote and the one it gave.
 *
 * Where it is written: Intel SDM Vol. 1 19.5.1 "I/O Privilege Level"
 * and 19.5.2 "I/O Permission Bit Map" (CPL > IOPL: the bit map decides;
 * a map that lies beyond the TSS limit denies every port); Vol. 2A "IN",
 * "INS", Vol. 2B "OUT", "OUTS" (#GP(0) "If the CPL is greater than (has
 * less privilege) the I/O privilege level (IOPL) and any of the
 * corresponding I/O permission bits in TSS for the I/O port being
 * accessed is 1"); Linux Documentation/virt/kvm/api.rst, KVM_EXIT_IO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

uint8_t user_buf[16] SUITE_UNUSED;
uint32_t user_in SUITE_UNUSED;

#define USER(what, pre, insn, vector) do {				\
	suite_dev_reset(0);						\
	suite_begin();							\
	asm volatile(pre "\n\t" SUITE_USER_TRY(insn)			\
		     : : : "rax", "rcx", "rdx", "rsi", "rdi", "memory");	\
	suite_end();							\
	suite_user_end();						\
	if ((vector) == NO_EXCEPTION)					\
		suite_expect_none(what);				\
	else								\
		suite_expect(what, vector, 0, SUITE_FAULT);		\
} while (0)

static void nothing_served(const char *what)
{
	unsigned int n = suite_dev_fetch();

	if (!n)
		tst_res(TPASS, "%s: no access reached the VMM", what);
	else
		tst_res(TFAIL, "%s: the VMM served %u access%s (first: %s port 0x%llx)",
			what, n, n == 1 ? "" : "es",
			suite_dev_log[0].is_write ? "out" : "in",
			(unsigned long long)suite_dev_log[0].addr);
}

void main(void)
{
	unsigned int n;

	suite_catch_all();
	suite_user_setup();
	tst_res(TINFO, "TSS I/O map base 0x%x, TSS size 0x%x",
		kvm_tss.iomap_base, (unsigned int)sizeof(kvm_tss));

	USER("OUT to a port at CPL 3, IOPL 0", "mov $0x5a, %%eax",
	     "outb %%al, $0xf0", INTR_GPF);
	nothing_served("OUT at CPL 3, IOPL 0");
	USER("IN from a port at CPL 3, IOPL 0", "mov $0xf1, %%edx",
	     "inb %%dx, %%al", INTR_GPF);
	nothing_served("IN at CPL 3, IOPL 0");
	USER("REP OUTSB at CPL 3, IOPL 0", "lea user_buf(%%rip), %%rsi\n\t"
	     "mov $4, %%ecx\n\tmov $0xf0, %%edx", "rep outsb", INTR_GPF);
	nothing_served("REP OUTSB at CPL 3, IOPL 0");
	USER("REP INSB at CPL 3, IOPL 0", "lea user_buf(%%rip), %%rdi\n\t"
	     "mov $4, %%ecx\n\tmov $0xf0, %%edx", "rep insb", INTR_GPF);
	nothing_served("REP INSB at CPL 3, IOPL 0");

	suite_user_rflags |= 0x3000;
	user_in = 0;
	USER("OUT then IN at CPL 3, IOPL 3", "mov $0xa7, %%eax",
	     "outb %%al, $0xf2\n\tinb $0xf2, %%al\n\tmov %%eax, user_in(%%rip)",
	     NO_EXCEPTION);
	suite_user_rflags &= ~0x3000ULL;
	n = suite_dev_fetch();
	if (n == 2 && suite_dev_log[0].is_write && suite_dev_log[0].addr == 0xf2 &&
	    suite_dev_log[0].data[0] == 0xa7 && !suite_dev_log[1].is_write &&
	    suite_dev_log[1].addr == 0xf2 &&
	    (uint8_t)user_in == suite_dev_in_byte(1))
		tst_res(TPASS, "OUT and IN at CPL 3 with IOPL 3: the VMM served both, the guest read 0x%02x",
			(uint8_t)user_in);
	else
		tst_res(TFAIL, "OUT and IN at CPL 3 with IOPL 3: the VMM served %u access%s (expected out 0xa7, in), the guest read 0x%02x (expected 0x%02x)",
			n, n == 1 ? "" : "es", (uint8_t)user_in,
			suite_dev_in_byte(1));
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Port I/O at CPL 3 and what reaches the VMM",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "pio,privilege" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
