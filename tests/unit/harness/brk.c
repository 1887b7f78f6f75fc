// SPDX-License-Identifier: MIT
/* tst_brk(TBROK) in the test: cleanup once, nothing after it, exit 2 */
#include "tst_test.h"

static void setup(void)
{
	tst_res(TINFO, "setup ran");
}

static void run(void)
{
	errno = ENOENT;
	tst_brk(TBROK | TERRNO, "broken on purpose");
	tst_res(TFAIL, "tst_brk() returned");
}

static void cleanup(void)
{
	tst_res(TINFO, "cleanup ran");
}

static struct tst_test test = {
	.setup = setup,
	.test_all = run,
	.cleanup = cleanup,
};
