// SPDX-License-Identifier: MIT
/* TPASS only: exit 0; run.sh also counts the iterations of -i */
#include "tst_test.h"

static int iteration;

static void run(void)
{
	tst_res(TPASS, "iteration %d", ++iteration);
}

static struct tst_test test = {
	.test_all = run,
};
