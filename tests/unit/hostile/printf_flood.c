/* kvmkit-expect: exit=0 timeout=60 env=KVMKIT_TIMEOUT=50 count=200000 match=^printf_flood\.c:[0-9]+: TINFO: flood [0-9]+ x$ */
/* kvmkit-expect: match=^printf_flood\.c:[0-9]+: TINFO: flood 199999 x$ */
/* kvmkit-expect: match=^printf_flood\.c:[0-9]+: TPASS: flood done$ */
/* kvmkit-expect: nomatch=TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * 200000 KVMKIT_HC_PRINTF reports in a row, each one OUT with the
 * registers already loaded: every one is printed, in order, up to the
 * last, and the host's register path (sync regs, format copied from the
 * payload image, one %d and one %s) keeps up, a few seconds in all.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	unsigned int i;

	for (i = 0; i < 200000; i++)
		PF_INFO(__LINE__, "flood %u %s", i, "x");
	tst_res(TPASS, "flood done");
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
	.kvmkit_desc = "200000 KVMKIT_HC_PRINTF reports in a row, every one printed in order",
};

#endif /* COMPILE_PAYLOAD */
