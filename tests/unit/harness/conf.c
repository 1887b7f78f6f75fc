// SPDX-License-Identifier: MIT
/* TCONF from setup: exit 32, cleanup still runs once */
#include "tst_test.h"

static void setup(void)
{
	tst_brk(TCONF, "not on this machine");
}

static void run(void)
{
	tst_res(TFAIL, "test ran after TCONF in setup");
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
