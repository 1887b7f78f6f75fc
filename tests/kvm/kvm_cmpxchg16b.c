// SPDX-License-Identifier: MIT
/*
 * CMPXCHG16B (with and without LOCK): on a 16-byte aligned operand it
 * compares RDX:RAX with the memory, stores RCX:RBX and sets ZF on a match,
 * or loads the memory into RDX:RAX and clears ZF; on an operand that is
 * not 16-byte aligned it raises #GP(0) and leaves memory alone.
 * CMPXCHG8B on a misaligned operand has no such requirement.
 *
 * Where it is written: Intel SDM Vol. 2A "CMPXCHG8B/CMPXCHG16B - Compare
 * and Exchange Bytes" (64-Bit Mode Exceptions: #GP(0) "If the memory
 * address is in a non-canonical form" and "If memory operand for
 * CMPXCHG16B is not aligned on a 16-byte boundary"; #UD "If
 * CPUID.01H:ECX.CMPXCHG16B[bit 13] = 0").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint64_t mem[6] __attribute__((aligned(16)));

/* Returns ZF; rax/rdx updated as the instruction leaves them */
#define CX16(insn, p, a, d, b, c, zf) do {				\
	uint8_t z_ = 0;							\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn " (%3)") "setz %2"			\
		     : "+a"(a), "+d"(d), "+q"(z_)			\
		     : "r"(p), "b"(b), "c"(c) : "memory", "cc");		\
	suite_end();							\
	(zf) = z_;							\
} while (0)

void main(void)
{
	uint64_t a, d;
	int zf;

	suite_catch_all();
	if (!(suite_cpuid(1, 0).ecx & 1U << 13))
		tst_brk(TCONF, "CPUID.1:ECX.CMPXCHG16B = 0");

	mem[0] = 1;
	mem[1] = 2;
	a = 1;
	d = 2;
	CX16("lock cmpxchg16b", mem, a, d, 3ULL, 4ULL, zf);
	if (suite_expect_none("LOCK CMPXCHG16B, match") &&
	    (!zf || mem[0] != 3 || mem[1] != 4))
		tst_res(TFAIL, "match: ZF=%d, memory 0x%llx:0x%llx, expected ZF=1, 4:3",
			zf, (unsigned long long)mem[1], (unsigned long long)mem[0]);

	a = 9;
	d = 9;
	CX16("cmpxchg16b", mem, a, d, 5ULL, 6ULL, zf);
	if (suite_expect_none("CMPXCHG16B, mismatch") &&
	    (zf || a != 3 || d != 4 || mem[0] != 3 || mem[1] != 4))
		tst_res(TFAIL, "mismatch: ZF=%d, RDX:RAX 0x%llx:0x%llx, memory 0x%llx:0x%llx",
			zf, (unsigned long long)d, (unsigned long long)a,
			(unsigned long long)mem[1], (unsigned long long)mem[0]);

	/* RDX:RAX match the misaligned operand: only alignment may stop it */
	mem[2] = 7;
	mem[3] = 8;
	a = mem[1];
	d = mem[2];
	CX16("lock cmpxchg16b", mem + 1, a, d, 1ULL, 1ULL, zf);
	if (suite_expect("LOCK CMPXCHG16B on an 8-byte aligned operand", INTR_GPF,
			 0, SUITE_FAULT) && (mem[1] == 1 || mem[2] == 1))
		tst_res(TFAIL, "misaligned CMPXCHG16B changed memory");

	{
		uint32_t eax = 0, edx = 0;

		suite_begin();
		asm volatile(SUITE_TRY("lock cmpxchg8b (%2)")
			     : "+a"(eax), "+d"(edx) : "r"((uint8_t *)mem + 12),
			       "b"(0), "c"(0) : "memory", "cc");
		suite_end();
		suite_expect_none("LOCK CMPXCHG8B on a 4-byte aligned operand");
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CMPXCHG16B (with and without LOCK)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "instructions,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
