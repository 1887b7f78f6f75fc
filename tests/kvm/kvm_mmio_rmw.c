// SPDX-License-Identifier: MIT
/*
 * Read-modify-write instructions on memory-mapped I/O: XCHG, CMPXCHG
 * (equal and not equal), XADD, ADD/OR/AND/SUB with a memory destination,
 * INC, NOT, with and without LOCK, each make exactly one read of the
 * operand followed by one write of the result, of the operand's size and
 * at its address; CMPXCHG writes even when the comparison fails (the old
 * value, and RAX gets it); the flags are those of the operation.
 *
 * Where it is written: Intel SDM Vol. 2A "CMPXCHG" ("To simplify the
 * interface to the processor's bus, the destination operand receives a
 * write cycle without regard to the result of the comparison. The
 * destination operand is written back if the comparison fails"), Vol. 2B
 * "XCHG", "XADD", "ADD", "OR", "AND", "SUB", "INC", "NOT"; Vol. 3A 9.1.2.2
 * (a locked operation is a read and a write, atomically); Linux
 * Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x5b

/* One read of the old value, one write of new, at d + off */
static void rmw(const char *what, uintptr_t d, uint64_t off, unsigned int size,
		uint64_t old, uint64_t new)
{
	struct suite_mmio_want w[2] = {
		{ d + off, size, 0, old },
		{ d + off, size, 1, new },
	};

	suite_dev_expect(what, w, 2);
}

void main(void)
{
	uintptr_t d = suite_dev_map();
	uint64_t v, a, o, flags;

	suite_catch_all();

	suite_dev_reset(SEED);
	v = 0x0123456789abcdefULL;
	asm volatile("xchg %0, 0x10(%1)" : "+r"(v) : "r"(d) : "memory");
	suite_check_value("XCHG r64, m64 (MMIO): old value in the register", v, suite_dev_value(SEED, 0x10, 8));
	rmw("XCHG r64, m64", d, 0x10, 8, suite_dev_value(SEED, 0x10, 8), 0x0123456789abcdefULL);

	o = suite_dev_value(SEED, 0x20, 4);
	suite_dev_reset(SEED);
	a = o;
	asm volatile("lock cmpxchgl %2, 0x20(%3)\n\tpushf\n\tpop %1"
		     : "+a"(a), "=r"(flags) : "r"(0x600dbeefU), "r"(d) : "memory", "cc");
	suite_check_value("LOCK CMPXCHG m32 (MMIO), equal: ZF", flags & X86_EFLAGS_ZF, X86_EFLAGS_ZF);
	rmw("LOCK CMPXCHG m32, equal", d, 0x20, 4, o, 0x600dbeef);

	suite_dev_reset(SEED);
	a = 0x11;
	asm volatile("cmpxchgl %2, 0x20(%3)\n\tpushf\n\tpop %1"
		     : "+a"(a), "=r"(flags) : "r"(0xbadU), "r"(d) : "memory", "cc");
	suite_check_value("CMPXCHG m32 (MMIO), not equal: ZF", flags & X86_EFLAGS_ZF, 0);
	suite_check_value("CMPXCHG m32 (MMIO), not equal: EAX = the operand", a, o);
	rmw("CMPXCHG m32, not equal (writes the old value back)", d, 0x20, 4, o, o);

	suite_dev_reset(SEED);
	v = 5;
	asm volatile("lock xaddw %w0, 0x32(%1)" : "+r"(v) : "r"(d) : "memory", "cc");
	suite_check_value("LOCK XADD m16 (MMIO): old value in the register", v & 0xffff, suite_dev_value(SEED, 0x32, 2));
	rmw("LOCK XADD m16", d, 0x32, 2, suite_dev_value(SEED, 0x32, 2), (suite_dev_value(SEED, 0x32, 2) + 5) & 0xffff);

	suite_dev_reset(SEED);
	asm volatile("addq %1, 0x40(%2)\n\tpushf\n\tpop %0"
		     : "=r"(flags) : "r"(-suite_dev_value(SEED, 0x40, 8)), "r"(d) : "memory", "cc");
	suite_check_value("ADD m64 (MMIO), r64 = -m64: ZF|CF", flags & (X86_EFLAGS_ZF | X86_EFLAGS_CF),
	      X86_EFLAGS_ZF | X86_EFLAGS_CF);
	rmw("ADD m64, r64", d, 0x40, 8, suite_dev_value(SEED, 0x40, 8), 0);

	suite_dev_reset(SEED);
	asm volatile("lock orb $0x80, 0x51(%0)" : : "r"(d) : "memory", "cc");
	rmw("LOCK OR m8, imm8", d, 0x51, 1, suite_dev_value(SEED, 0x51, 1), suite_dev_value(SEED, 0x51, 1) | 0x80);

	suite_dev_reset(SEED);
	asm volatile("andl $0xff00ff00, 0x64(%0)" : : "r"(d) : "memory", "cc");
	rmw("AND m32, imm32", d, 0x64, 4, suite_dev_value(SEED, 0x64, 4), suite_dev_value(SEED, 0x64, 4) & 0xff00ff00);

	suite_dev_reset(SEED);
	asm volatile("lock subw $3, 0x72(%0)" : : "r"(d) : "memory", "cc");
	rmw("LOCK SUB m16, imm8", d, 0x72, 2, suite_dev_value(SEED, 0x72, 2), (suite_dev_value(SEED, 0x72, 2) - 3) & 0xffff);

	suite_dev_reset(SEED);
	asm volatile("incq 0x88(%0)" : : "r"(d) : "memory", "cc");
	rmw("INC m64", d, 0x88, 8, suite_dev_value(SEED, 0x88, 8), suite_dev_value(SEED, 0x88, 8) + 1);

	suite_dev_reset(SEED);
	asm volatile("notb 0x99(%0)" : : "r"(d) : "memory");
	rmw("NOT m8", d, 0x99, 1, suite_dev_value(SEED, 0x99, 1), ~suite_dev_value(SEED, 0x99, 1) & 0xff);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Read-modify-write instructions on memory-mapped I/O",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
