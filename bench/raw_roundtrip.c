/* SPDX-License-Identifier: MIT */
/*
 * Baseline for one guest-to-host round trip: the guest loops on `out`,
 * the host re-enters it N times.  Prints nanoseconds per exit
 * (to $BENCH_RESULT_FD when set: bench-driver's value channel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "raw_vm.h"

int main(int argc, char **argv)
{
	/* 1: out %al, $RAW_PORT; jmp 1b */
	static const unsigned char code[] = { 0xe6, RAW_PORT, 0xeb, 0xfc };
	long i, n = argc > 1 ? atol(argv[1]) : 20000;
	struct timespec t0, t1;
	struct raw_vm v;
	double ns;

	raw_vm_create(&v, code, sizeof(code));
	raw_vm_run_to_out(&v);		/* warm up: first entry faults pages in */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		raw_vm_run_to_out(&v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
	/* bench-driver's result channel; stdout when run by hand */
	if (getenv("BENCH_RESULT_FD"))
		dprintf(atoi(getenv("BENCH_RESULT_FD")), "%.0f\n", ns);
	else
		printf("%.0f ns per exit\n", ns);
	raw_vm_destroy(&v);
	return 0;
}
