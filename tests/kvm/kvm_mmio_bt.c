// SPDX-License-Identifier: MIT
/*
 * BT, BTS, BTR, BTC on memory-mapped I/O.  With a register bit offset the
 * offset is signed and not reduced: the bit lies in the operand-size
 * element at EA + size x floor(offset / (8 x size)), which may be below
 * or above EA; with an immediate offset it is taken modulo the operand
 * size.  CF = the bit's old value; BTS/BTR/BTC write the element back with
 * only that bit changed.  Every access the VMM serves lies within that
 * element (the processor may use a narrower access there, never one
 * elsewhere), and the device's other bytes keep their values.
 *
 * Where it is written: Intel SDM Vol. 2A "BT—Bit Test" (the bit offset
 * operand "can range from -2^31 to 2^31 - 1 ... for a register", the
 * immediate "is taken modulo 16, 32 or 64"; "Effective Address + (4 *
 * (BitOffset DIV 32))" for a 32-bit operand, 2 and 16 for 16-bit),
 * "BTS", "BTR", "BTC"; Linux Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x6d

static uint8_t pat(uint64_t off)
{
	return suite_dev_pattern(SEED, off);
}

/* Accesses since the reset: all inside [lo, lo + len), reads and writes */
static void within(const char *what, uint64_t lo, unsigned int len, int writes)
{
	unsigned int n = suite_dev_fetch(), i, r = 0, w = 0, bad = n > SUITE_DEV_MAX;

	for (i = 0; !bad && i < n; i++) {
		const struct suite_io_rec *e = &suite_dev_log[i];

		if (e->is_pio || e->addr < lo || e->addr + e->size > lo + len)
			bad = 1;
		e->is_write ? w++ : r++;
	}
	if (!bad && r >= 1 && (writes ? w >= 1 : w == 0))
		tst_res(TPASS, "%s: %u access%s, all within the element at 0x%llx",
			what, n, n == 1 ? "" : "es", (unsigned long long)lo);
	else {
		tst_res(TFAIL, "%s: %u reads, %u writes, expected only inside 0x%llx-0x%llx (%s)",
			what, r, w, (unsigned long long)lo,
			(unsigned long long)(lo + len - 1),
			writes ? "a read and a write" : "reads only");
		for (i = 0; i < n && i < SUITE_DEV_MAX; i++)
			tst_res(TINFO, "  served %s 0x%llx size %u",
				suite_dev_log[i].is_write ? "write" : "read",
				(unsigned long long)suite_dev_log[i].addr,
				suite_dev_log[i].size);
	}
}

/* Device bytes [from, to) read back with MOV: pattern, but byte at chg ^ mask */
static void bytes(const char *what, uintptr_t d, uint64_t from, uint64_t to,
		  uint64_t chg, uint8_t mask)
{
	uint64_t off;

	for (off = from; off < to; off++) {
		uint8_t want = pat(off) ^ (off == chg ? mask : 0);
		uint8_t got = *(volatile uint8_t *)(d + off);

		if (got != want) {
			tst_res(TFAIL, "%s: device byte 0x%llx is 0x%02x, expected 0x%02x",
				what, (unsigned long long)off, got, want);
			return;
		}
	}
	tst_res(TPASS, "%s: only the addressed bit changed", what);
}

static void cf(const char *what, unsigned long flags, int want)
{
	if (!!(flags & X86_EFLAGS_CF) == want)
		tst_res(TPASS, "%s: CF = %d (the bit's old value)", what, want);
	else
		tst_res(TFAIL, "%s: CF = %d, expected %d", what, !want, want);
}

void main(void)
{
	uintptr_t d = suite_dev_map();
	unsigned long flags;

	suite_catch_all();

	/* BT m64, r64 = 70: bit 6 of the qword at EA + 8 */
	suite_dev_reset(SEED);
	asm volatile("btq %1, (%2)\n\tpushf\n\tpop %0"
		     : "=r"(flags) : "r"(70UL), "r"(d + 0x100) : "memory", "cc");
	cf("BT m64, r64 = 70", flags, (pat(0x108) >> 6) & 1);
	within("BT m64, r64 = 70", d + 0x108, 8, 0);

	/* BTS m64, r64 = -1: bit 63 of the qword at EA - 8 */
	suite_dev_reset(SEED);
	asm volatile("btsq %1, (%2)\n\tpushf\n\tpop %0"
		     : "=r"(flags) : "r"(-1L), "r"(d + 0x200) : "memory", "cc");
	cf("BTS m64, r64 = -1", flags, pat(0x1ff) >> 7);
	within("BTS m64, r64 = -1", d + 0x1f8, 8, 1);
	bytes("BTS m64, r64 = -1", d, 0x1f0, 0x210, 0x1ff,
	      (pat(0x1ff) & 0x80) ? 0 : 0x80);

	/* BTR m16, imm8 = 19: bit 19 mod 16 = 3 of the word at EA */
	suite_dev_reset(SEED);
	asm volatile("btrw $19, (%1)\n\tpushf\n\tpop %0"
		     : "=r"(flags) : "r"(d + 0x300) : "memory", "cc");
	cf("BTR m16, imm8 = 19", flags, (pat(0x300) >> 3) & 1);
	within("BTR m16, imm8 = 19", d + 0x300, 2, 1);
	bytes("BTR m16, imm8 = 19", d, 0x2f8, 0x308, 0x300,
	      (pat(0x300) & 0x08) ? 0x08 : 0);

	/* BTC m32, r32 = 33: bit 1 of the dword at EA + 4 */
	suite_dev_reset(SEED);
	asm volatile("btcl %1, (%2)\n\tpushf\n\tpop %0"
		     : "=r"(flags) : "r"(33U), "r"(d + 0x400) : "memory", "cc");
	cf("BTC m32, r32 = 33", flags, (pat(0x404) >> 1) & 1);
	within("BTC m32, r32 = 33", d + 0x404, 4, 1);
	bytes("BTC m32, r32 = 33", d, 0x3f8, 0x410, 0x404, 0x02);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "BT, BTS, BTR, BTC on memory-mapped I/O",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
