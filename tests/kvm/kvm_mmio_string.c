// SPDX-License-Identifier: MIT
/*
 * String instructions on memory-mapped I/O: MOVS, STOS, LODS (with and
 * without REP, EFLAGS.DF = 0 and 1) whose source or destination is MMIO
 * make one access per element, of the element's size, at the address RSI
 * or RDI held for that element, in element order; afterwards RSI/RDI have
 * moved by count x size in the direction DF gives and RCX is 0.  The MMIO
 * page is mapped uncached (PCD), so fast-string operation, which may
 * merge or reorder the stores, does not apply.
 *
 * Where it is written: Intel SDM Vol. 2B "MOVS/MOVSB/MOVSW/MOVSD/MOVSQ",
 * "STOS", "LODS", Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ" (the element loop,
 * RCX decremented to 0); Vol. 1 7.3.9.3 "Fast-String Operation" (only for
 * WB or WC memory; otherwise each element in order); Linux
 * Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x21

static void regs(const char *what, uint64_t rsi, uint64_t want_rsi,
		 uint64_t rdi, uint64_t want_rdi, uint64_t rcx)
{
	if (rsi == want_rsi && rdi == want_rdi && rcx == 0)
		tst_res(TPASS, "%s: RSI, RDI and RCX end as defined", what);
	else
		tst_res(TFAIL, "%s: RSI 0x%llx (expected 0x%llx), RDI 0x%llx (expected 0x%llx), RCX %llu (expected 0)",
			what, (unsigned long long)rsi,
			(unsigned long long)want_rsi, (unsigned long long)rdi,
			(unsigned long long)want_rdi, (unsigned long long)rcx);
}

static uint64_t ram[8] __attribute__((aligned(64)));

void main(void)
{
	uintptr_t d = suite_dev_map();
	struct suite_mmio_want w[8];
	uint64_t si, di, cx, ax;
	unsigned int i;

	suite_catch_all();

	/* REP MOVSQ, RAM to MMIO */
	for (i = 0; i < 4; i++)
		ram[i] = 0x1111111111111111ULL * (i + 1);
	suite_dev_reset(SEED);
	si = (uintptr_t)ram;
	di = d + 0x100;
	cx = 4;
	asm volatile("cld\n\trep movsq" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	for (i = 0; i < 4; i++)
		w[i] = (struct suite_mmio_want){ d + 0x100 + 8 * i, 8, 1, ram[i] };
	suite_dev_expect("REP MOVSQ RAM -> MMIO, 4 elements", w, 4);
	regs("REP MOVSQ RAM -> MMIO", si, (uintptr_t)ram + 32, di, d + 0x120, cx);

	/* REP MOVSB, MMIO to RAM */
	memset(ram, 0, sizeof(ram));
	suite_dev_reset(SEED);
	si = d + 0x201;
	di = (uintptr_t)ram;
	cx = 3;
	asm volatile("cld\n\trep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	for (i = 0; i < 3; i++)
		w[i] = (struct suite_mmio_want){ d + 0x201 + i, 1, 0, suite_dev_value(SEED, 0x201 + i, 1) };
	suite_dev_expect("REP MOVSB MMIO -> RAM, 3 elements", w, 3);
	regs("REP MOVSB MMIO -> RAM", si, d + 0x204, di, (uintptr_t)ram + 3, cx);
	if (ram[0] == suite_dev_value(SEED, 0x201, 3))
		tst_res(TPASS, "REP MOVSB MMIO -> RAM stored the device's bytes");
	else
		tst_res(TFAIL, "REP MOVSB MMIO -> RAM stored 0x%llx, expected 0x%llx",
			(unsigned long long)ram[0],
			(unsigned long long)suite_dev_value(SEED, 0x201, 3));

	/* MOVSW, MMIO to MMIO: a read then a write of the same 2 bytes */
	suite_dev_reset(SEED);
	si = d + 0x302;
	di = d + 0x1404;
	asm volatile("cld\n\tmovsw" : "+S"(si), "+D"(di) : : "memory");
	w[0] = (struct suite_mmio_want){ d + 0x302, 2, 0, suite_dev_value(SEED, 0x302, 2) };
	w[1] = (struct suite_mmio_want){ d + 0x1404, 2, 1, suite_dev_value(SEED, 0x302, 2) };
	suite_dev_expect("MOVSW MMIO -> MMIO", w, 2);
	regs("MOVSW MMIO -> MMIO", si, d + 0x304, di, d + 0x1406, 0);

	/* REP STOSL with DF = 1: descending addresses */
	suite_dev_reset(SEED);
	di = d + 0x408;
	cx = 3;
	ax = 0xa5a5a5a5cafef00dULL;
	asm volatile("std\n\trep stosl\n\tcld" : "+D"(di), "+c"(cx) : "a"(ax)
		     : "memory", "cc");
	for (i = 0; i < 3; i++)
		w[i] = (struct suite_mmio_want){ d + 0x408 - 4 * i, 4, 1, 0xcafef00d };
	suite_dev_expect("REP STOSD to MMIO with DF = 1, 3 elements", w, 3);
	regs("REP STOSD with DF = 1", 0, 0, di, d + 0x3fc, cx);

	/* LODSQ from MMIO */
	suite_dev_reset(SEED);
	si = d + 0x508;
	asm volatile("cld\n\tlodsq" : "+S"(si), "=a"(ax) : : "memory");
	w[0] = (struct suite_mmio_want){ d + 0x508, 8, 0, suite_dev_value(SEED, 0x508, 8) };
	suite_dev_expect("LODSQ from MMIO", w, 1);
	if (ax == suite_dev_value(SEED, 0x508, 8) && si == d + 0x510)
		tst_res(TPASS, "LODSQ from MMIO: RAX 0x%llx, RSI advanced by 8",
			(unsigned long long)ax);
	else
		tst_res(TFAIL, "LODSQ from MMIO: RAX 0x%llx (expected 0x%llx), RSI 0x%llx (expected 0x%llx)",
			(unsigned long long)ax, (unsigned long long)suite_dev_value(SEED, 0x508, 8),
			(unsigned long long)si, (unsigned long long)(d + 0x510));

	/* REP MOVSB with RCX = 0: no access at all */
	suite_dev_reset(SEED);
	si = d + 0x600;
	di = (uintptr_t)ram;
	cx = 0;
	asm volatile("cld\n\trep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	suite_dev_expect("REP MOVSB with RCX = 0", w, 0);
	regs("REP MOVSB with RCX = 0", si, d + 0x600, di, (uintptr_t)ram, cx);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "String instructions on memory-mapped I/O",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
