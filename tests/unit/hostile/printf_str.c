/* kvmkit-expect: exit=4 match=^printf_str\.c:401: TINFO: s-null <\(null\)> 2$ */
/* kvmkit-expect: match=^printf_str\.c:402: TINFO: s-noncanonical <\(bad address 0xdeadbeefdeadbeef\)> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:403: TINFO: s-outside <\(bad address 0x7ff000000000\)> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:404: TINFO: s-past-ram <\(bad address 0x40000000\)> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:405: TINFO: s-hole <\(bad address 0x80000000\)> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:406: TINFO: s-last <Z> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:407: TINFO: s-last-nul <> 2$ */
/* kvmkit-expect: match=^printf_str\.c:408: TINFO: s-result-end <RRRR> 2 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_str\.c:409: TINFO: s-long <S{4071} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_str\.c:410: TINFO: s-off-ram <Q{4068} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_str\.c:411: TINFO: s-dot3 <\(ba> 2 \[bad format or argument\]$ */
/* kvmkit-expect: count=11 match=^printf_str\.c:4[0-9][0-9]: TINFO: */
/* kvmkit-expect: match=^printf_str\.c:[0-9]+: TPASS: survived hostile %s arguments$ */
/* kvmkit-expect: count=7 match=^printf_str\.c:4(0[2-6]|08|11): TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=7 match=TWARN */
/* kvmkit-expect: nomatch=TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: %s arguments the host cannot read whole.  NULL prints
 * glibc's "(null)"; a non-canonical, out-of-RAM, past-RAM or unmapped
 * pointer a "(bad address 0x...)" placeholder, flagged; a string whose
 * last byte is the last byte of RAM (or of the result page) prints what
 * was there, flagged; a string longer than a message, terminated or
 * running off RAM, is cut to the message without reading it to its end.
 * The argument after the %s (2, in %r9) proves the arguments stay in step.
 * Each flagged report is followed by a TWARN at its line (exit status 4,
 * LTP's warning bit).
 *
 * A precision that ends the string before the end of RAM is
 * printf_str_prec.c.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

static char long_str[5001];

void main(void)
{
	char *end = pf_ptr(pf_ram_end());
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	PF_INFO(401, "s-null <%s> %d", 0, 2);
	PF_INFO(402, "s-noncanonical <%s> %d", 0xdeadbeefdeadbeefULL, 2);
	PF_INFO(403, "s-outside <%s> %d", 0x7ff000000000ULL, 2);
	PF_INFO(404, "s-past-ram <%s> %d", 0x40000000ULL, 2);
	PF_INFO(405, "s-hole <%s> %d", 0x80000000ULL, 2);

	end[-1] = 'Z';
	PF_INFO(406, "s-last <%s> %d", end - 1, 2);
	end[-1] = '\0';
	PF_INFO(407, "s-last-nul <%s> %d", end - 1, 2);

	memset(page->message + KVMKIT_MESSAGE_MAX - 4, 'R', 4);
	PF_INFO(408, "s-result-end <%s> %d", page->message + KVMKIT_MESSAGE_MAX - 4, 2);

	memset(long_str, 'S', 5000);
	PF_INFO(409, "s-long <%s> %d", long_str, 2);
	memset(end - 8000, 'Q', 8000);
	PF_INFO(410, "s-off-ram <%s> %d", end - 8000, 2);

	/* the placeholder obeys the precision like any string */
	PF_INFO(411, "s-dot3 <%.3s> %d", 0x7ff000000000ULL, 2);

	tst_res(TPASS, "survived hostile %%s arguments");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TWARN" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "%s arguments the host cannot read whole",
};

#endif /* COMPILE_PAYLOAD */
