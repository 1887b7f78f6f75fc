// SPDX-License-Identifier: MIT
/* A forked child's result counts in the parent's summary */
#include "tst_test.h"

static void run(void)
{
	if (!SAFE_FORK()) {
		tst_res(TPASS, "child passed");
		exit(0);
	}
	tst_reap_children();
}

static struct tst_test test = {
	.test_all = run,
	.forks_child = 1,
};
