// SPDX-License-Identifier: MIT
/* A test_all() that reports nothing is broken: exit 2 */
#include "tst_test.h"

static void run(void)
{
}

static struct tst_test test = {
	.test_all = run,
};
