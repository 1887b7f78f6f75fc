/* kvmkit-expect: exit=0 match=TINFO: begin x{3000} end$ */
/* kvmkit-expect: match=TINFO: overlong y{1000} */
/* kvmkit-expect: match=TPASS: after long messages */
// SPDX-License-Identifier: MIT
/*
 * A 3010-character message must reach the output whole; a 5000-character
 * one must be cut to the result page (the page is the last one below
 * 4 GiB: writing past it would fault) and still be printed.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static char xs[3001], ys[5001];

void main(void)
{
	memset(xs, 'x', 3000);
	memset(ys, 'y', 5000);
	tst_res(TINFO, "begin %s end", xs);
	tst_res(TINFO, "overlong %s", ys);
	tst_res(TPASS, "after long messages");
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
	.kvmkit_desc = "A 3010-character message must reach the output whole; a 5000-character one must be cut to the result page...",
};

#endif /* COMPILE_PAYLOAD */
