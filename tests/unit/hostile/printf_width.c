/* kvmkit-expect: exit=0 timeout=10 match=^printf_width\.c:601: TINFO: w-int {4074} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:602: TINFO: p-str <abc> 2$ */
/* kvmkit-expect: match=^printf_width\.c:603: TINFO: p-int <0{4072} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:604: TINFO: w-str <abc {4069} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:605: TINFO: w-right < {4070} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:606: TINFO: w-intmax < {4069} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:607: TINFO: w-star <1 {4070} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:608: TINFO: p-star-neg <abcdef> 2$ */
/* kvmkit-expect: match=^printf_width\.c:609: TINFO: p-off-ram <Q{4068} \[message truncated\]$ */
/* kvmkit-expect: match=^printf_width\.c:610: TINFO: w-many < {4071} \[message truncated\]$ */
/* kvmkit-expect: count=10 match=^printf_width\.c:6[0-9][0-9]: TINFO: */
/* kvmkit-expect: match=^printf_width\.c:[0-9]+: TPASS: survived huge widths and precisions$ */
/* kvmkit-expect: nomatch=TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: widths and precisions of up to INT_MAX.  The host must
 * cut the output at the message's size without allocating, looping or
 * reading for the full width: each report is one exit like any other
 * (the timeout is 10 s for the whole test), each message is cut and
 * marked truncated, and the guest goes on.  An explicit width past
 * INT_MAX is an invalid conversion (printf_fmt.c).
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	char *end = pf_ptr(pf_ram_end());

	PF_INFO(601, "w-int %999999999d", 7, 2);
	PF_INFO(602, "p-str <%.999999999s> %d", "abc", 2);
	PF_INFO(603, "p-int <%.999999999d> %d", 7, 2);
	PF_INFO(604, "w-str <%-999999999s> %d", "abc", 2);
	PF_INFO(605, "w-right <%999999999s> %d", "abc", 2);
	PF_INFO(606, "w-intmax <%2147483647d> %d", 7, 2);
	/* '*' width INT_MIN: left-justified, 2^31 wide */
	PF_INFO(607, "w-star <%*d>", 0x80000000ULL, 1);
	/* a negative '*' precision is none */
	PF_INFO(608, "p-star-neg <%.*s> 2", 0xffffffffULL, "abcdef");
	/* a huge precision over a string with no NUL before the end of RAM */
	memset(end - 8000, 'Q', 8000);
	PF_INFO(609, "p-off-ram <%.999999999s> %d", end - 8000, 2);
	/* the widths add up past INT_MAX */
	PF_INFO(610, "w-many <%2147483647d%2147483647d%2147483647d%2147483647d>", 1, 2);

	tst_res(TPASS, "survived huge widths and precisions");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "widths and precisions of up to INT_MAX",
};

#endif /* COMPILE_PAYLOAD */
