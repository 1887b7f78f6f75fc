// SPDX-License-Identifier: MIT
/*
 * Integer instructions compute what the manual defines, results and the
 * flags it defines (undefined flags are masked out), including the
 * corners an instruction emulator gets wrong: carries into OF/AF/PF,
 * double-width MUL/DIV, SHLD, rotates through CF, BSF/BSR, BSWAP, XADD,
 * CMPXCHG, BTS with a register bit offset beyond the operand (the bit
 * string continues in memory), 32-bit operations zero-extending into the
 * upper half (CMOVcc too, even when the condition is false), 16- and
 * 8-bit operations leaving it alone, and REP string moves in both
 * directions.  A KVM that emulates guest kernel code (kvm_pvm) runs every
 * one of these through its instruction emulator.
 *
 * Where it is written: Intel SDM Vol. 1 3.4.3.1 "Status Flags" and
 * Appendix A "EFLAGS Cross-Reference"; Vol. 1 3.4.1.1 ("32-bit operands
 * generate a 32-bit result, zero-extended to a 64-bit result"; 8/16-bit
 * results leave the rest of the register unchanged); Vol. 2 instruction
 * pages for ADD, ADC, SUB, NEG, MUL, IMUL, DIV, SHLD, ROL/RCR ("For RCR,
 * OF = MSB(DEST) XOR CF" for 1-bit rotates), BSF, BSR, BSWAP, XADD,
 * CMPXCHG, BTS ("the bit offset ... can range from -2^63 to 2^63 - 1"
 * with a register offset and memory operand), CMOVcc ("In 64-bit mode,
 * CMOVcc with a 32-bit operand size will clear the upper 32 bits of the
 * destination register, even if the condition is false"), MOVS/REP,
 * POPCNT, LZCNT, TZCNT.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define F_CF	0x001
#define F_PF	0x004
#define F_AF	0x010
#define F_ZF	0x040
#define F_SF	0x080
#define F_OF	0x800
#define F_ALL	(F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

struct r4 {
	uint64_t a, b, c, d, fl;
};

/* Registers to compare: any combination of these */
#define RA 1
#define RB 2
#define RC 4
#define RD 8

uint64_t alu_mem[2] __attribute__((aligned(16)));

#define RUN(r, pre, insn) do {						\
	suite_begin();							\
	asm volatile(pre "\n\t" SUITE_TRY(insn) "pushf\n\tpop %4"	\
		     : "+a"((r).a), "+b"((r).b), "+c"((r).c), "+d"((r).d),	\
		       "=r"((r).fl) : : "memory", "cc");		\
	suite_end();							\
} while (0)

static void check(const char *what, const struct r4 *got, const struct r4 *want,
		  unsigned int regs, unsigned long fmask)
{
	if (suite_trap.vector != NO_EXCEPTION) {
		suite_expect_none(what);
		return;
	}
	if (((regs & RA) && got->a != want->a) || ((regs & RB) && got->b != want->b) ||
	    ((regs & RC) && got->c != want->c) || ((regs & RD) && got->d != want->d) ||
	    (got->fl & fmask) != (want->fl & fmask))
		tst_res(TFAIL, "%s: RAX 0x%llx RBX 0x%llx RCX 0x%llx RDX 0x%llx flags 0x%llx; expected RAX 0x%llx RBX 0x%llx RCX 0x%llx RDX 0x%llx flags 0x%llx (registers 0x%x, flag mask 0x%lx)",
			what, (unsigned long long)got->a, (unsigned long long)got->b,
			(unsigned long long)got->c, (unsigned long long)got->d,
			(unsigned long long)(got->fl & fmask),
			(unsigned long long)want->a, (unsigned long long)want->b,
			(unsigned long long)want->c, (unsigned long long)want->d,
			(unsigned long long)(want->fl & fmask), regs, fmask);
	else
		tst_res(TPASS, "%s", what);
}

#define CASE(what, ia, ib, ic, id, pre, insn, wa, wb, wc, wd, wfl, regs, fmask) do { \
	struct r4 g_ = { ia, ib, ic, id, 0 }, w_ = { wa, wb, wc, wd, wfl };	\
	RUN(g_, pre, insn);						\
	check(what, &g_, &w_, regs, fmask);				\
} while (0)

#define M64 0xffffffffffffffffULL

static void arithmetic(void)
{
	CASE("ADD 0x7fff...ffff + 1: OF SF AF PF", 0x7fffffffffffffffULL, 1, 0, 0,
	     "", "add %%rbx, %%rax", 0x8000000000000000ULL, 1, 0, 0,
	     F_OF | F_SF | F_AF | F_PF, RA, F_ALL);
	CASE("SUB 0 - 1: CF SF AF PF", 0, 1, 0, 0, "", "sub %%rbx, %%rax",
	     M64, 1, 0, 0, F_CF | F_SF | F_AF | F_PF, RA, F_ALL);
	CASE("ADC -1 + 0 + CF: zero with CF ZF AF PF", M64, 0, 0, 0, "stc",
	     "adc %%rbx, %%rax", 0, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, RA, F_ALL);
	CASE("NEG 5", 5, 0, 0, 0, "", "neg %%rax", 0xfffffffffffffffbULL, 0, 0, 0,
	     F_CF | F_SF | F_AF, RA, F_ALL);
	CASE("MUL -1 * 2 (RDX:RAX = 1:-2, CF OF)", M64, 0, 2, 0, "", "mul %%rcx",
	     0xfffffffffffffffeULL, 0, 2, 1, F_CF | F_OF, RA | RD, F_CF | F_OF);
	CASE("IMUL 2^32 * 2^32 (overflow: CF OF)", 1ULL << 32, 1ULL << 32, 0, 0, "",
	     "imul %%rbx, %%rax", 0, 0, 0, 0, F_CF | F_OF, RA, F_CF | F_OF);
	CASE("DIV 2^64 / 2", 0, 0, 2, 1, "", "div %%rcx", 1ULL << 63, 0, 2, 0, 0,
	     RA | RD, 0);
}

static void shifts_and_bits(void)
{
	CASE("SHLD $4", 0x123456789abcdef0ULL, 0xf000000000000000ULL, 0, 0, "",
	     "shld $4, %%rbx, %%rax", 0x23456789abcdef0fULL, 0, 0, 0,
	     F_CF | F_PF, RA, F_CF | F_PF | F_ZF | F_SF);
	CASE("ROL $8", 0x0123456789abcdefULL, 0, 0, 0, "", "rol $8, %%rax",
	     0x23456789abcdef01ULL, 0, 0, 0, F_CF, RA, F_CF);
	CASE("RCR $1 with CF = 1 (OF = MSB XOR CF)", 2, 0, 0, 0, "stc",
	     "rcr $1, %%rax", 0x8000000000000001ULL, 0, 0, 0, F_OF, RA,
	     F_CF | F_OF);
	CASE("BSF 0x80", 0, 0x80, 0, 0, "", "bsf %%rbx, %%rax", 7, 0x80, 0, 0, 0,
	     RA, F_ZF);
	CASE("BSF 0: ZF", 0x1234, 0, 0, 0, "", "bsf %%rbx, %%rax", 0, 0, 0, 0,
	     F_ZF, 0, F_ZF);
	CASE("BSR 0x1000", 0, 0x1000, 0, 0, "", "bsr %%rbx, %%rax", 12, 0, 0, 0, 0,
	     RA, F_ZF);
	CASE("BSWAP", 0x0102030405060708ULL, 0, 0, 0, "", "bswap %%rax",
	     0x0807060504030201ULL, 0, 0, 0, 0, RA, 0);
}

static void memory_ops(void)
{
	alu_mem[0] = 10;
	CASE("XADD 5 + [10]", 5, 0, 0, 0, "", "xadd %%rax, alu_mem(%%rip)",
	     10, 0, 0, 0, F_PF, RA, F_ALL);
	if (alu_mem[0] != 15)
		tst_res(TFAIL, "XADD left 0x%llx in memory, expected 15",
			(unsigned long long)alu_mem[0]);

	alu_mem[0] = 10;
	CASE("CMPXCHG equal: ZF, memory = RCX", 10, 0, 7, 0, "",
	     "cmpxchg %%rcx, alu_mem(%%rip)", 10, 0, 7, 0, F_ZF, RA, F_ZF);
	if (alu_mem[0] != 7)
		tst_res(TFAIL, "CMPXCHG left 0x%llx in memory, expected 7",
			(unsigned long long)alu_mem[0]);

	alu_mem[0] = 0;
	alu_mem[1] = 0;
	CASE("BTS bit 70 of a 64-bit memory operand: CF = 0", 0, 70, 0, 0, "clc",
	     "bts %%rbx, alu_mem(%%rip)", 0, 70, 0, 0, 0, 0, F_CF);
	CASE("BTS bit 70 again: CF = 1", 0, 70, 0, 0, "clc",
	     "bts %%rbx, alu_mem(%%rip)", 0, 70, 0, 0, F_CF, 0, F_CF);
	if (alu_mem[0] != 0 || alu_mem[1] != 1ULL << 6)
		tst_res(TFAIL, "BTS bit 70 left 0x%llx 0x%llx, expected 0 and 0x40",
			(unsigned long long)alu_mem[0],
			(unsigned long long)alu_mem[1]);
}

static void operand_sizes(void)
{
	CASE("ADDL zero-extends into RAX", M64, 0, 0, 0, "", "addl $1, %%eax",
	     0, 0, 0, 0, F_ZF, RA, F_ZF);
	CASE("ADDW keeps RAX[63:16]", M64, 0, 0, 0, "", "addw $1, %%ax",
	     0xffffffffffff0000ULL, 0, 0, 0, 0, RA, 0);
	CASE("MOVB to AH keeps the rest", 0, 0, 0, 0, "", "movb $0x12, %%ah",
	     0x1200, 0, 0, 0, 0, RA, 0);
	CASE("MOVSBQ sign-extends", 0, 0x80, 0, 0, "", "movsbq %%bl, %%rax",
	     0xffffffffffffff80ULL, 0, 0, 0, 0, RA, 0);
	CASE("CMOVZ 32-bit, condition false, still zero-extends", M64, 0, 0, 5,
	     "cmp $1, %%ecx", "cmovz %%edx, %%eax", 0xffffffffULL, 0, 0, 5, 0,
	     RA, 0);
}

static void strings(void)
{
	static const char src[] = "hello, world!";
	char dst[16];
	uint64_t rsi, rdi, rcx;

	memset(dst, 0, sizeof(dst));
	suite_begin();
	asm volatile(SUITE_TRY("rep movsb")
		     : "=S"(rsi), "=D"(rdi), "=c"(rcx)
		     : "0"(src), "1"(dst), "2"(13UL) : "memory");
	suite_end();
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none("REP MOVSB forward");
	else if (memcmp(dst, src, 13) || rcx || rsi != (uintptr_t)src + 13 ||
		 rdi != (uintptr_t)dst + 13)
		tst_res(TFAIL, "REP MOVSB forward: \"%.13s\", RCX %llu, RSI +%lld, RDI +%lld",
			dst, (unsigned long long)rcx,
			(long long)(rsi - (uintptr_t)src),
			(long long)(rdi - (uintptr_t)dst));
	else
		tst_res(TPASS, "REP MOVSB forward: 13 bytes, RCX 0, RSI/RDI +13");

	memset(dst, 0, sizeof(dst));
	suite_begin();
	asm volatile("std\n\t" SUITE_TRY("rep movsb") "cld"
		     : "=S"(rsi), "=D"(rdi), "=c"(rcx)
		     : "0"(src + 12), "1"(dst + 12), "2"(13UL) : "memory", "cc");
	suite_end();
	if (suite_trap.vector != NO_EXCEPTION)
		suite_expect_none("REP MOVSB backward");
	else if (memcmp(dst, src, 13) || rcx || rsi != (uintptr_t)src - 1 ||
		 rdi != (uintptr_t)dst - 1)
		tst_res(TFAIL, "REP MOVSB backward (DF = 1): \"%.13s\", RCX %llu, RSI %lld, RDI %lld from the start",
			dst, (unsigned long long)rcx,
			(long long)(rsi - (uintptr_t)src),
			(long long)(rdi - (uintptr_t)dst));
	else
		tst_res(TPASS, "REP MOVSB backward (DF = 1): 13 bytes, RSI/RDI end one below the start");
}

static void optional(void)
{
	struct kvm_cpuid l1 = suite_cpuid(1, 0), l7 = suite_cpuid7();
	struct kvm_cpuid e1 = suite_cpuid_ext1();

	if (l1.ecx & 1U << 23)
		CASE("POPCNT 0xf0f0: 8, flags but ZF cleared", 0, 0xf0f0, 0, 0, "stc",
		     "popcnt %%rbx, %%rax", 8, 0, 0, 0, 0, RA, F_ALL);
	else
		tst_res(TCONF, "CPUID.1:ECX.POPCNT = 0");
	if (e1.ecx & 1U << 5)
		CASE("LZCNT 1: 63", 0, 1, 0, 0, "", "lzcnt %%rbx, %%rax", 63, 0, 0, 0,
		     0, RA, F_CF | F_ZF);
	else
		tst_res(TCONF, "CPUID.80000001H:ECX.LZCNT = 0");
	if (l7.ebx & 1U << 3)
		CASE("TZCNT 0: 64 with CF", 0, 0, 0, 0, "", "tzcnt %%rbx, %%rax", 64,
		     0, 0, 0, F_CF, RA, F_CF | F_ZF);
	else
		tst_res(TCONF, "CPUID.7.0:EBX.BMI1 = 0");
}

void main(void)
{
	suite_catch_all();
	arithmetic();
	shifts_and_bits();
	memory_ops();
	operand_sizes();
	strings();
	optional();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Integer instructions compute the results and flags the manual defines",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "instructions,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
