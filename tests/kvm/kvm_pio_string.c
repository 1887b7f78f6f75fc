// SPDX-License-Identifier: MIT
/*
 * String port I/O: REP INSB/INSW and REP OUTSB/OUTSD move RCX elements
 * between the port in DX and memory at RDI (INS) or RSI (OUTS), in
 * element order, each element the operand size; afterwards RCX is 0 and
 * RDI/RSI moved by RCX x size (down with EFLAGS.DF = 1); REP with RCX = 0
 * moves nothing.  The host serves the port (KVM_EXIT_IO with count > 1
 * for string I/O) and checks the elements it is handed and hands out.
 *
 * Where it is written: Intel SDM Vol. 2A "INS/INSB/INSW/INSD", Vol. 2B
 * "OUTS/OUTSB/OUTSW/OUTSD", "REP/REPE/REPZ/REPNE/REPNZ"; Vol. 1 19.3.3
 * "I/O Instructions"; Linux Documentation/virt/kvm/api.rst, KVM_EXIT_IO
 * ("count" accesses of "size" bytes at "data_offset").
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static uint8_t buf[64] __attribute__((aligned(64)));

static void regs(const char *what, uint64_t ptr, uint64_t want, uint64_t rcx)
{
	if (ptr == want && rcx == 0)
		tst_res(TPASS, "%s: RSI/RDI and RCX end as defined", what);
	else
		tst_res(TFAIL, "%s: RSI/RDI 0x%llx (expected 0x%llx), RCX %llu (expected 0)",
			what, (unsigned long long)ptr, (unsigned long long)want,
			(unsigned long long)rcx);
}

/* The port records served since the reset: direction, port, size, bytes */
static void served(const char *what, int is_write, uint16_t port,
		   unsigned int size, const uint8_t *bytes, unsigned int len)
{
	unsigned int n = suite_dev_fetch(), i, total = 0, bad = 0;
	uint8_t got[64];

	for (i = 0; i < n && i < SUITE_DEV_MAX; i++) {
		const struct suite_io_rec *r = &suite_dev_log[i];
		unsigned int l = r->size * r->count;

		if (!r->is_pio || r->is_write != (uint32_t)is_write ||
		    r->addr != port || r->size != size || total + l > len) {
			bad = 1;
			break;
		}
		memcpy(got + total, r->data, l);
		total += l;
	}
	if (!bad && n <= SUITE_DEV_MAX && total == len && !memcmp(got, bytes, len)) {
		tst_res(TPASS, "%s: the host served %u bytes in %u exit%s, in order",
			what, len, n, n == 1 ? "" : "s");
		return;
	}
	tst_res(TFAIL, "%s: the host served %u exits, %u bytes (expected %u, port 0x%x, size %u, %s)",
		what, n, total, len, port, size, is_write ? "out" : "in");
	for (i = 0; i < n && i < SUITE_DEV_MAX; i++)
		tst_res(TINFO, "  %s port 0x%llx size %u count %u first bytes 0x%llx",
			suite_dev_log[i].is_write ? "out" : "in",
			(unsigned long long)suite_dev_log[i].addr,
			suite_dev_log[i].size, suite_dev_log[i].count,
			(unsigned long long)suite_rec_value(&suite_dev_log[i]));
}

void main(void)
{
	uint8_t want[64];
	uint64_t di, si, cx;
	unsigned int i;

	suite_catch_all();

	/* REP OUTSB, 5 bytes */
	for (i = 0; i < 64; i++)
		buf[i] = (uint8_t)(0xa0 + i);
	suite_dev_reset(0);
	si = (uintptr_t)buf;
	cx = 5;
	asm volatile("cld\n\trep outsb" : "+S"(si), "+c"(cx)
		     : "d"((uint16_t)SUITE_DEV_DATA) : "memory");
	served("REP OUTSB, RCX = 5", 1, SUITE_DEV_DATA, 1, buf, 5);
	regs("REP OUTSB", si, (uintptr_t)buf + 5, cx);

	/* REP OUTSD, 3 dwords to port DATA + 2 */
	suite_dev_reset(0);
	si = (uintptr_t)buf + 8;
	cx = 3;
	asm volatile("cld\n\trep outsl" : "+S"(si), "+c"(cx)
		     : "d"((uint16_t)(SUITE_DEV_DATA + 2)) : "memory");
	served("REP OUTSD, RCX = 3", 1, SUITE_DEV_DATA + 2, 4, buf + 8, 12);
	regs("REP OUTSD", si, (uintptr_t)buf + 20, cx);

	/* REP INSB, 7 bytes */
	memset(buf, 0, sizeof(buf));
	suite_dev_reset(0);
	di = (uintptr_t)buf + 1;
	cx = 7;
	asm volatile("cld\n\trep insb" : "+D"(di), "+c"(cx)
		     : "d"((uint16_t)SUITE_DEV_DATA) : "memory");
	for (i = 0; i < 7; i++)
		want[i] = suite_dev_in_byte(i);
	served("REP INSB, RCX = 7", 0, SUITE_DEV_DATA, 1, want, 7);
	regs("REP INSB", di, (uintptr_t)buf + 8, cx);
	if (!memcmp(buf + 1, want, 7) && !buf[0] && !buf[8])
		tst_res(TPASS, "REP INSB stored the 7 bytes the port gave, nothing around them");
	else
		tst_res(TFAIL, "REP INSB stored %02x [%02x %02x %02x %02x %02x %02x %02x] %02x, expected 00 [%02x ... %02x] 00",
			buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6],
			buf[7], buf[8], want[0], want[6]);

	/* REP INSW with DF = 1: elements at descending addresses */
	memset(buf, 0, sizeof(buf));
	suite_dev_reset(0);
	di = (uintptr_t)buf + 32;
	cx = 3;
	asm volatile("std\n\trep insw\n\tcld" : "+D"(di), "+c"(cx)
		     : "d"((uint16_t)(SUITE_DEV_DATA + 1)) : "memory", "cc");
	for (i = 0; i < 6; i++)
		want[i] = suite_dev_in_byte(i);
	served("REP INSW with DF = 1, RCX = 3", 0, SUITE_DEV_DATA + 1, 2, want, 6);
	regs("REP INSW with DF = 1", di, (uintptr_t)buf + 26, cx);
	if (buf[32] == want[0] && buf[33] == want[1] && buf[30] == want[2] &&
	    buf[31] == want[3] && buf[28] == want[4] && buf[29] == want[5])
		tst_res(TPASS, "REP INSW with DF = 1 stored the words at 32, 30, 28");
	else
		tst_res(TFAIL, "REP INSW with DF = 1: bytes 28-33 %02x %02x %02x %02x %02x %02x, expected %02x %02x %02x %02x %02x %02x",
			buf[28], buf[29], buf[30], buf[31], buf[32], buf[33],
			want[4], want[5], want[2], want[3], want[0], want[1]);

	/* REP INSB with RCX = 0 */
	suite_dev_reset(0);
	di = (uintptr_t)buf;
	cx = 0;
	asm volatile("cld\n\trep insb" : "+D"(di), "+c"(cx)
		     : "d"((uint16_t)SUITE_DEV_DATA) : "memory");
	served("REP INSB with RCX = 0", 0, SUITE_DEV_DATA, 1, want, 0);
	regs("REP INSB with RCX = 0", di, (uintptr_t)buf, cx);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "String port I/O",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "pio,emulator" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
