/* kvmkit-expect: exit=4 match=^printf_stack\.c:701: TINFO: args40 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 (\(missing argument\) ){8}end \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:702: TINFO: sp-outside 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:703: TINFO: sp-ram-end-8 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:704: TINFO: sp-ram-end-16 1 2 4660 \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:705: TINFO: sp-ram-end-12 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:706: TINFO: sp-wrap 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:707: TINFO: sp-result-end 1 2 22136 \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:708: TINFO: sp-result-straddle 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:709: TINFO: sp-noncanonical 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:710: TINFO: sp-canonical-top 1 2 \(missing argument\) \(missing argument\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^printf_stack\.c:711: TINFO: sp-str <\(bad address 0x7ff000000000\)> <r9> stack \[bad format or argument\]$ */
/* kvmkit-expect: count=11 match=^printf_stack\.c:7[0-9][0-9]: TINFO: */
/* kvmkit-expect: match=^printf_stack\.c:[0-9]+: TPASS: survived hostile stack slots$ */
/* kvmkit-expect: count=11 match=^printf_stack\.c:7(0[1-9]|1[01]): TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=11 match=TWARN */
/* kvmkit-expect: nomatch=(^| )33 |TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF's stack slots.  %rsp is switched, for
 * the OUT only, to a buffer or to an address the host cannot read whole.
 *
 * 40 conversions: the host reads KVMKIT_PRINTF_MAX_ARGS (32) slots, %r8,
 * %r9 and 30 from the stack, and prints "(missing argument)" for the
 * other 8 although the guest's buffer holds them (33 must not appear).
 * %rsp outside RAM, at the last 8, 16 or 12 bytes of RAM, at the top of
 * the address space (the slot address wraps to 0, which is RAM: it must
 * not be read), at the end of the result page, non-canonical, at the top
 * of the canonical lower half: every slot that is not wholly in guest
 * memory is missing, the others print, the run goes on.  Each of these
 * reports is flagged and followed by a TWARN at its line (exit status 4,
 * LTP's warning bit).
 *
 * The expected values assume the default 16 MiB of RAM.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

#define D5	"%d %d %d %d %d "
#define D40	D5 D5 D5 D5 D5 D5 D5 D5

static uint64_t stk[64] __attribute__((aligned(16)));

static void sp_case(unsigned int line, const char *fmt, uint64_t sp)
{
	pf_raw_sp(KVMKIT_HC_PRINTF, (uintptr_t)__FILE__, line, TINFO,
		  (uintptr_t)fmt, 1, 2, sp);
}

void main(void)
{
	char *end = pf_ptr(pf_ram_end());
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);
	unsigned int i;

	/* stk[0] is where the return address would be; then 3, 4, ... 40 */
	stk[0] = 0xbadc0de;
	for (i = 1; i < 64; i++)
		stk[i] = i + 2;
	sp_case(701, "args40 " D40 "end", (uintptr_t)stk);

	sp_case(702, "sp-outside %d %d %d %d", 0x7ff000000000ULL);

	memset(end - 16, 0, 16);
	*(uint64_t *)(end - 8) = 0x1234;
	sp_case(703, "sp-ram-end-8 %d %d %d %d", (uintptr_t)(end - 8));
	sp_case(704, "sp-ram-end-16 %d %d %d %d", (uintptr_t)(end - 16));
	sp_case(705, "sp-ram-end-12 %d %d %d %d", (uintptr_t)(end - 12));

	/* the slot at [rsp + 8] would be address 0 */
	sp_case(706, "sp-wrap %d %d %d %d", 0xfffffffffffffff8ULL);

	*(uint64_t *)(page->message + KVMKIT_MESSAGE_MAX - 8) = 0x5678;
	sp_case(707, "sp-result-end %d %d %d %d", 0xfffffff0ULL);
	sp_case(708, "sp-result-straddle %d %d %d %d", 0xfffffff4ULL);

	sp_case(709, "sp-noncanonical %d %d %d %d", 0x8000000000000000ULL);
	sp_case(710, "sp-canonical-top %d %d %d %d", 0x00007ffffffffff8ULL);

	/* %s pointers from a register and from a stack slot */
	stk[1] = (uintptr_t)"stack";
	stk[2] = 3;
	pf_raw_sp(KVMKIT_HC_PRINTF, (uintptr_t)__FILE__, 711, TINFO,
		  (uintptr_t)"sp-str <%s> <%s> %s", 0x7ff000000000ULL,
		  (uintptr_t)"r9", (uintptr_t)stk);

	tst_res(TPASS, "survived hostile stack slots");
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF's stack slots at addresses the host cannot read whole",
};

#endif /* COMPILE_PAYLOAD */
