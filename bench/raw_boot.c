/* SPDX-License-Identifier: MIT */
/*
 * Baseline for boot-to-first-result: a whole process that creates a VM,
 * enters long mode from the host, runs to the guest's first `out`, prints
 * one result line and tears everything down.
 */
#include <stdio.h>
#include "raw_vm.h"

int main(void)
{
	/* out %al, $RAW_PORT; hlt */
	static const unsigned char code[] = { 0xe6, RAW_PORT, 0xf4 };
	struct raw_vm v;

	raw_vm_create(&v, code, sizeof(code));
	raw_vm_run_to_out(&v, RAW_PORT);
	printf("raw_boot.c:1: TPASS: guest reached its first out\n");
	fflush(stdout);
	raw_vm_destroy(&v);
	return 0;
}
