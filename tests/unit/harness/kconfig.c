// SPDX-License-Identifier: MIT
/* needs_kconfigs against the file in $KCONFIG_PATH (set by run.sh) */
#include "tst_test.h"

static void run(void)
{
	tst_res(TPASS, "kernel config is suitable");
}

static struct tst_test test = {
	.test_all = run,
	.needs_kconfigs = (const char *const []) {
		"CONFIG_KVM",
		"CONFIG_MISSING=y | CONFIG_KVM_AMD=m",
		NULL
	},
};
