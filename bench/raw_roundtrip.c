/* SPDX-License-Identifier: MIT */
/*
 * Baseline for one guest-to-host round trip: the guest loops on `out`,
 * the host re-enters it N times (raw_roundtrip [N [doorbell]]; with
 * "doorbell" the guest also stores a report's fields in the result page
 * first, as kvm_report_bench's doorbell guest does).  Prints nanoseconds per exit
 * (to $BENCH_RESULT_FD when set: bench-driver's value channel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kvmkit/abi.h>	/* the doorbell port only: no kvmkit code here */
#include "raw_vm.h"

_Static_assert(KVMKIT_HC_PORT < 256, "the doorbell OUT takes an 8-bit port");

int main(int argc, char **argv)
{
	/* 1: out %al, $RAW_PORT; jmp 1b */
	static const unsigned char bare[] = { 0xe6, RAW_PORT, 0xeb, 0xfc };
	/*
	 * A report without formatting, instruction for instruction the loop
	 * of kvm_report_bench's "doorbell" guest: the result page's lineno,
	 * file_addr and result stored, then the 32-bit OUT to the doorbell.
	 *	mov $0xfffff000, %edi
	 *	mov $0x2000, %esi
	 *	mov $1, %eax
	 *	mov $0x7fffffff, %ecx
	 * 1:	movl $42, 4(%rdi)
	 *	mov %rsi, 8(%rdi)
	 *	movl $16, (%rdi)
	 *	out %eax, $KVMKIT_HC_PORT
	 *	dec %ecx
	 *	jnz 1b
	 *	hlt
	 */
	static const unsigned char doorbell[] = {
		0xbf, 0x00, 0xf0, 0xff, 0xff,
		0xbe, 0x00, 0x20, 0x00, 0x00,
		0xb8, 0x01, 0x00, 0x00, 0x00,
		0xb9, 0xff, 0xff, 0xff, 0x7f,
		0xc7, 0x47, 0x04, 0x2a, 0x00, 0x00, 0x00,
		0x48, 0x89, 0x77, 0x08,
		0xc7, 0x07, 0x10, 0x00, 0x00, 0x00,
		0xe7, KVMKIT_HC_PORT,
		0xff, 0xc9,
		0x75, 0xe9,
		0xf4,
	};
	long i, n = argc > 1 ? atol(argv[1]) : 20000;
	int use_doorbell = argc > 2 && !strcmp(argv[2], "doorbell");
	unsigned int port = use_doorbell ? KVMKIT_HC_PORT : RAW_PORT;
	struct timespec t0, t1;
	struct raw_vm v;
	double ns;

	if (use_doorbell)
		raw_vm_create(&v, doorbell, sizeof(doorbell));
	else
		raw_vm_create(&v, bare, sizeof(bare));
	raw_vm_run_to_out(&v, port);		/* warm up: first entry faults pages in */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		raw_vm_run_to_out(&v, port);
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
