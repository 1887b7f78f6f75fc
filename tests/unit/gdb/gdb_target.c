// SPDX-License-Identifier: MIT
/*
 * The guest that tests/unit/gdb/check.sh debugs with gdb: a counter in
 * memory, a function to break at, a variable written once (watchpoint),
 * and a result that depends on what gdb wrote, so that the check sees
 * gdb's writes reach the guest: undisturbed, gdb_counter ends at
 * 1 + 2 + 3 + 1 = 7 and gdb_poked at 0 (TFAIL).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

volatile unsigned long gdb_counter;
volatile unsigned long gdb_watched;
volatile unsigned long gdb_poked;	/* gdb sets it to 42 */

__attribute__((noinline)) void gdb_break_here(unsigned long n)
{
	gdb_counter += n;
}

__attribute__((noinline)) void gdb_hw_here(void)
{
	gdb_counter++;
	gdb_watched = 7;
}

void main(void)
{
	unsigned long i;

	for (i = 1; i <= 3; i++)
		gdb_break_here(i);
	gdb_hw_here();
	if (gdb_poked == 42)
		tst_res(TPASS, "gdb wrote gdb_poked: %lu, counter %lu",
			gdb_poked, gdb_counter);
	else
		tst_res(TFAIL, "gdb_poked is %lu, not 42 (counter %lu)",
			gdb_poked, gdb_counter);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
