/* kvmkit-expect: exit=0 match=^printf_str_prec\.c:421: TINFO: prec-last <Z> 2$ */
/* kvmkit-expect: match=^printf_str_prec\.c:422: TINFO: prec-end <WXYZ> 2$ */
/* kvmkit-expect: match=^printf_str_prec\.c:423: TINFO: prec-result-end <RRRR> 2$ */
/* kvmkit-expect: match=^printf_str_prec\.c:[0-9]+: TPASS: survived precise strings at the end of memory$ */
/* kvmkit-expect: nomatch=bad format or argument|TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * A %s with a precision need not point to a NUL-terminated string: C
 * reads no more than the precision's bytes (C11 7.21.6.1p8).  So
 * "%.1s" of the last byte of RAM, "%.4s" of its last four bytes and of
 * the result page's, are correct calls and must print the bytes without
 * the "[bad format or argument]" mark, the host never looking at the
 * byte past them.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	char *end = pf_ptr(pf_ram_end());
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	end[-1] = 'Z';
	PF_INFO(421, "prec-last <%.1s> %d", end - 1, 2);
	memcpy(end - 4, "WXYZ", 4);
	PF_INFO(422, "prec-end <%.4s> %d", end - 4, 2);
	memset(page->message + KVMKIT_MESSAGE_MAX - 4, 'R', 4);
	PF_INFO(423, "prec-result-end <%.4s> %d",
		page->message + KVMKIT_MESSAGE_MAX - 4, 2);
	tst_res(TPASS, "survived precise strings at the end of memory");
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
	.kvmkit_desc = "A %s with a precision need not point to a NUL-terminated string",
};

#endif /* COMPILE_PAYLOAD */
