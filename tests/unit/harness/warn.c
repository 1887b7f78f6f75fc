// SPDX-License-Identifier: MIT
/* A TWARN next to a TPASS: exit 4 */
#include "tst_test.h"

static void run(void)
{
	tst_res(TPASS, "passed");
	tst_res(TWARN, "but warned");
}

static struct tst_test test = {
	.test_all = run,
};
