// SPDX-License-Identifier: MIT
/* A TBROK raised inside the library names the library file that raised it */
#include "tst_test.h"

static void run(void)
{
	tst_get_tmpdir();	/* no .needs_tmpdir: TBROK in tst_tmpdir.c */
	tst_res(TFAIL, "tst_get_tmpdir() returned");
}

static struct tst_test test = {
	.test_all = run,
};
