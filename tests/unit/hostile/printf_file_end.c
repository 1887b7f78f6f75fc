/* kvmkit-expect: exit=0 match=^<[^>]*0xfffff0[^>]*>:109: TINFO: file running off RAM 1 2$ */
/* kvmkit-expect: match=^<[^>]*0xfffffff0[^>]*>:110: TINFO: file running off the result page 1 2$ */
/* kvmkit-expect: match=^printf_file_end\.c:[0-9]+: TPASS: survived unterminated file names$ */
/* kvmkit-expect: nomatch=^(F|R)+:|TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF whose file name has no NUL before the
 * end of guest RAM, then before the end of the result page (the last
 * mapped page below 4 GiB).  What was read is not a file name, only
 * bytes that happen to precede unreadable memory: the host must print
 * its placeholder file name (as it does for a format that does not end
 * in guest memory), never the bytes as if they were the name, and go on.
 *
 * The expected addresses assume the default 16 MiB of RAM.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	char *end = pf_ptr(pf_ram_end());
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	memset(end - 16, 'F', 16);
	raw_printf((uintptr_t)(end - 16), 109, TINFO,
		   (uintptr_t)"file running off RAM %d %d", 1, 2);
	memset(page->message + KVMKIT_MESSAGE_MAX - 16, 'R', 16);
	raw_printf((uintptr_t)(page->message + KVMKIT_MESSAGE_MAX - 16), 110,
		   TINFO, (uintptr_t)"file running off the result page %d %d",
		   1, 2);
	tst_res(TPASS, "survived unterminated file names");
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
	.kvmkit_desc = "KVMKIT_HC_PRINTF whose file name has no NUL before the end of guest RAM, then before the end of the result...",
};

#endif /* COMPILE_PAYLOAD */
