// SPDX-License-Identifier: MIT
/*
 * tst_brk() inside cleanup() reports TBROK as TWARN and returns, as in
 * LTP, so the rest of cleanup runs: exit 4 after a pass.
 */
#include "tst_test.h"

static void run(void)
{
	tst_res(TPASS, "passed");
}

static void cleanup(void)
{
	tst_brk(TBROK, "cleanup step failed");
	tst_res(TINFO, "cleanup went on");
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = cleanup,
};
