// SPDX-License-Identifier: MIT
/* A TFAIL among passes: exit 1 */
#include "tst_test.h"

static void run(unsigned int n)
{
	if (n == 1)
		tst_res(TFAIL, "case %u failed", n);
	else
		tst_res(TPASS, "case %u passed", n);
}

static struct tst_test test = {
	.test = run,
	.tcnt = 3,
};
