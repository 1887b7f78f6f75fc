// SPDX-License-Identifier: MIT
/*
 * tst_res_() and tst_brk_() of the 32-bit runtime.  In the i386 calling
 * convention every argument is on the stack: file [esp + 4], line
 * [esp + 8], result [esp + 12], format [esp + 16], then the variadic
 * arguments in 4-byte slots (8 for long long) from [esp + 20]; the
 * return address is at [esp].  The host reads them there, through the
 * guest's paging and bounded (lib/host/x86_64/printf_args.c).
 */
#include <kvmkit/abi.h>

	.text
	.globl tst_res_
	.type tst_res_, @function
tst_res_:
	mov $KVMKIT_HC_PRINTF, %eax
	out %eax, $KVMKIT_HC_PORT
	ret
	.size tst_res_, . - tst_res_

	.globl tst_brk_
	.type tst_brk_, @function
tst_brk_:
	mov $KVMKIT_HC_PRINTF_EXIT, %eax
	out %eax, $KVMKIT_HC_PORT
	jmp kvm_exit
	.size tst_brk_, . - tst_brk_

	.section .note.GNU-stack, "", @progbits
