/* kvmkit-expect: exit=4 match=^printf_n\.c:501: TINFO: before \(%n ignored\) after 7 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_n\.c:502: TINFO: hhn \(%n ignored\) 7 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_n\.c:503: TINFO: lln \(%n ignored\) 7 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_n\.c:504: TINFO: wild \(%n ignored\) 7 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_n\.c:505: TINFO: self \(%n ignored\) 7 \[bad format or argument\]$ */
/* kvmkit-expect: count=5 match=\(%n ignored\)( after)? 7 \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_n\.c:[0-9]+: TPASS: %n wrote nothing$ */
/* kvmkit-expect: count=5 match=^printf_n\.c:50[1-5]: TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=5 match=TWARN */
/* kvmkit-expect: nomatch=TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: %n, which would have the host write guest memory at an
 * address the guest chose.  It is never honoured: a "(%n ignored)"
 * placeholder, the report flagged, its argument slot consumed so the
 * next conversion (7, in %r9) still gets its own argument.  Whatever
 * the length modifier and wherever the pointer points (a sentinel, the
 * format itself, the result page, non-canonical), guest memory is left
 * as it was, which the guest checks afterwards.  Each flagged report is
 * followed by a TWARN at its line (exit status 4, LTP's warning bit).
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

static volatile uint64_t sentinel = 0x5a5a5a5a5a5a5a5aULL;
static char self_fmt[] = "self %n %d";

void main(void)
{
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	page->result = 0x11223344;
	PF_INFO(501, "before %n after %d", &sentinel, 7);
	PF_INFO(502, "hhn %hhn %d", &sentinel, 7);
	PF_INFO(503, "lln %lln %d", &page->result, 7);
	PF_INFO(504, "wild %n %d", 0xdeadbeefdeadbeefULL, 7);
	PF_INFO(505, self_fmt, self_fmt, 7);

	if (sentinel != 0x5a5a5a5a5a5a5a5aULL ||
	    page->result != 0x11223344 ||
	    memcmp(self_fmt, "self %n %d", sizeof(self_fmt)))
		tst_res(TFAIL, "%%n wrote guest memory: sentinel 0x%llx, result page 0x%x, format '%s'",
			(unsigned long long)sentinel, page->result, self_fmt);
	else
		tst_res(TPASS, "%%n wrote nothing");
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
	.kvmkit_desc = "%n, which would have the host write guest memory at an address the guest chose",
};

#endif /* COMPILE_PAYLOAD */
