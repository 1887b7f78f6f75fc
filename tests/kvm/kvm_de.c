// SPDX-License-Identifier: MIT
/*
 * #DE, divide error (vector 0): DIV/IDIV by zero and a quotient too large
 * for its destination (INT_MIN / -1, and 8-bit DIV overflow) must raise a
 * fault-class #DE with no error code whose saved RIP is the divide itself,
 * at every operand size, and leave the destination registers unchanged.
 *
 * Where it is written: Intel SDM Vol. 2A "DIV" and "IDIV" (Protected Mode
 * Exceptions: #DE "If the source operand (divisor) is 0" and "If the
 * quotient is too large for the designated register"); Vol. 3A 6.15
 * "Interrupt 0 - Divide Error Exception (#DE)": Exception class Fault, no
 * error code, saved CS:EIP points to the faulting instruction.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_suite.h"

static void check_regs(const char *what, uint64_t rax, uint64_t rdx,
		       uint64_t want_rax, uint64_t want_rdx)
{
	if (rax != want_rax || rdx != want_rdx)
		tst_res(TFAIL, "%s: RAX:RDX 0x%llx:0x%llx after #DE, expected unchanged 0x%llx:0x%llx",
			what, (unsigned long long)rax, (unsigned long long)rdx,
			(unsigned long long)want_rax,
			(unsigned long long)want_rdx);
}

/* Divide RDX:RAX (or its narrower parts) by divisor with `insn` */
#define DIVIDE(what, insn, a, d, divisor) do {				\
	uint64_t rax_ = (a), rdx_ = (d);				\
									\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn " %2")				\
		     : "+a"(rax_), "+d"(rdx_) : "c"(divisor) : "memory"); \
	suite_end();							\
	suite_expect(what, INTR_ZERODIV, 0, SUITE_FAULT);		\
	check_regs(what, rax_, rdx_, (a), (d));				\
} while (0)

void main(void)
{
	suite_catch_all();

	DIVIDE("divb by 0", "divb", 0x1234, 0x5678, (uint8_t)0);
	DIVIDE("divw by 0", "divw", 0x1234, 0x5678, (uint16_t)0);
	DIVIDE("divl by 0", "divl", 0x1234, 0x5678, (uint32_t)0);
	DIVIDE("divq by 0", "divq", 0x1234, 0x5678, (uint64_t)0);
	DIVIDE("idivl by 0", "idivl", 0x1234, 0x5678, (uint32_t)0);
	DIVIDE("idivq by 0", "idivq", 0x1234, 0x5678, (uint64_t)0);

	/* AX = 0x1000 / 1 does not fit AL */
	DIVIDE("divb quotient 0x1000 > 0xff", "divb", 0x1000, 0, (uint8_t)1);
	/* RDX:RAX = 2^64 / 1 does not fit RAX */
	DIVIDE("divq quotient 2^64", "divq", 0, 1, (uint64_t)1);
	/* INT_MIN / -1 = INT_MAX + 1 */
	DIVIDE("idivl INT32_MIN / -1", "idivl", 0x80000000ULL,
	       0xffffffffULL, (uint32_t)-1);
	DIVIDE("idivq INT64_MIN / -1", "idivq", 0x8000000000000000ULL,
	       0xffffffffffffffffULL, (uint64_t)-1);
	DIVIDE("idivb -128 / -1", "idivb", 0xff80, 0, (uint8_t)-1);

	/* And a divide that fits raises nothing */
	{
		uint64_t rax = 100, rdx = 0;

		suite_begin();
		asm volatile(SUITE_TRY("divq %2")
			     : "+a"(rax), "+d"(rdx) : "c"(7ULL) : "memory");
		suite_end();
		if (suite_expect_none("divq 100 / 7") && (rax != 14 || rdx != 2))
			tst_res(TFAIL, "divq 100 / 7 = %llu rem %llu",
				(unsigned long long)rax, (unsigned long long)rdx);
	}
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "#DE, divide error (vector 0)",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
