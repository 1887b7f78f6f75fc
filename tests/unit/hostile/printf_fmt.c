/* kvmkit-expect: exit=4 match=^printf_fmt\.c:201: TINFO: \(tst_res format at 0x7ff000000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:202: TINFO: \(tst_res format at 0x40000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:203: TINFO: \(tst_res format at 0x80000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:204: TINFO: \(tst_res format at 0xc0000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:205: TINFO: \(tst_res format at 0xffffe000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:206: TINFO: \(tst_res format at 0x100000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:207: TINFO: \(tst_res format at 0x8000000000000000 is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:208: TINFO: \(tst_res format at 0xffffffffffffffff is not in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:209: TINFO: \(tst_res format at 0xfffff0 does not end in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:210: TINFO: \(tst_res format at 0xfffff010 does not end in guest memory\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:211: TINFO: A{4079} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:212: TINFO: B{4079} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:213: TINFO: before  \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:214: TINFO: trailing  \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:215: TINFO: wide  \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_fmt\.c:216: TINFO: result page format 7$ */
/* kvmkit-expect: count=16 match=^printf_fmt\.c:2[0-9][0-9]: TINFO: */
/* kvmkit-expect: match=^printf_fmt\.c:[0-9]+: TPASS: survived hostile formats$ */
/* kvmkit-expect: count=13 match=^printf_fmt\.c:2(0[1-9]|10|1[345]): TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=13 match=TWARN */
/* kvmkit-expect: nomatch=after|TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF with a format the host cannot or must
 * not read whole.  Outside RAM (above it, in the 1-2 GiB part of the
 * identity map that has no RAM behind it, in the unmapped 2-4 GiB hole
 * around the result page, above 4 GiB, non-canonical, the last byte of
 * the address space): a placeholder naming the address.  Running into
 * the end of RAM or of the result page without a NUL: a placeholder
 * too.  Longer than any message (5000 bytes, terminated or running to
 * the end of RAM): formatted as far as a message goes, marked truncated.
 * A bad conversion stops the output there and is marked.  The host
 * resumes the guest after each; the final TPASS proves it.  Each flagged
 * report is followed by a TWARN at its line, so the run exits with LTP's
 * warning bit (4): a report with garbage is no clean run.
 *
 * The expected addresses assume the default 16 MiB of RAM.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

static char long_fmt[5001];

void main(void)
{
	char *end = pf_ptr(pf_ram_end());
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	PF_INFO(201, 0x7ff000000000ULL, 1, 2);
	PF_INFO(202, 0x40000000ULL, 1, 2);
	PF_INFO(203, 0x80000000ULL, 1, 2);
	PF_INFO(204, 0xc0000000ULL, 1, 2);
	PF_INFO(205, 0xffffe000ULL, 1, 2);
	PF_INFO(206, 0x100000000ULL, 1, 2);
	PF_INFO(207, 0x8000000000000000ULL, 1, 2);
	PF_INFO(208, 0xffffffffffffffffULL, 1, 2);

	/* no NUL before the end of RAM, then of the result page */
	memset(end - 16, 'G', 16);
	PF_INFO(209, end - 16, 1, 2);
	memset(page->message, 'R', KVMKIT_MESSAGE_MAX);
	PF_INFO(210, page->message, 1, 2);

	/* longer than a message: terminated, then running off RAM */
	memset(long_fmt, 'A', 5000);
	PF_INFO(211, long_fmt, 1, 2);
	memset(end - 5000, 'B', 5000);
	PF_INFO(212, end - 5000, 1, 2);

	/* conversions the core does not know: the output stops there */
	PF_INFO(213, "before %q after", 1, 2);
	PF_INFO(214, "trailing %", 1, 2);
	PF_INFO(215, "wide %2147483648d after", 1, 2);

	/* a format in the result page is fine (it is guest memory) */
	strcpy(page->message, "result page format %d");
	PF_INFO(216, page->message, 7, 2);

	tst_res(TPASS, "survived hostile formats");
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF with a format the host cannot or must not read whole",
};

#endif /* COMPILE_PAYLOAD */
