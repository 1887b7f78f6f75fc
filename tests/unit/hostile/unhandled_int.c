/* kvmkit-expect: exit=2 match=TBROK.*[Uu]nhandled */
/* kvmkit-expect: match=(vector|[Ii]nterrupt) 200\b */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The default handler beyond the 32 exceptions: vector 200 arriving
 * without a callback (injected by the controller, see
 * ../guest/inject.h) is a TBROK naming vector 200.
 */
#include "kvm_test.h"
#include "../guest/inject.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	inject_interrupt(200);
	tst_res(TFAIL, "vector 200 without a callback returned");
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	inject_test(0);
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = inject_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "vector 200 without a callback: TBROK naming it",
};

#endif /* COMPILE_PAYLOAD */
