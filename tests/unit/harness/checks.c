// SPDX-License-Identifier: MIT
/* An impossible requirement (min_cpus) is a TCONF before setup() */
#include "tst_test.h"

static void setup(void)
{
	tst_res(TFAIL, "setup ran");
}

static void run(void)
{
	tst_res(TFAIL, "test ran");
}

static struct tst_test test = {
	.setup = setup,
	.test_all = run,
	.min_cpus = 100000,
	.needs_drivers = (const char *const []) { "kvm", NULL },
};
