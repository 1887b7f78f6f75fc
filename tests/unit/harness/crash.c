// SPDX-License-Identifier: MIT
/*
 * Writing one byte past a tst_alloc() buffer hits its guard page; the
 * crash is reported (TBROK, summary, exit 2) and save_restore's value is
 * written back although cleanup() cannot run.  run.sh runs this in a
 * scratch directory holding the file "sr_value".
 */
#include "tst_test.h"

static void run(void)
{
	volatile char *buf = tst_alloc(10);

	tst_res(TINFO, "before the overrun");
	buf[10] = 1;
	tst_res(TFAIL, "wrote past a guarded buffer");
}

static struct tst_test test = {
	.test_all = run,
	.save_restore = (const struct tst_path_val[]) {
		{ "sr_value", "changed", TST_SR_TBROK },
		{}
	},
};
