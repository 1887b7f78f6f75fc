// SPDX-License-Identifier: MIT
/*
 * tst_res_() and tst_brk_(): the caller has already put every argument
 * where KVMKIT_HC_PRINTF says the host reads it (System V order: file,
 * line, result, format in %rdi/%esi/%edx/%rcx, the variadic slots in
 * %r8, %r9 and on the stack above the return address), so a report is
 * one mov and the OUT.  The host formats the message from the guest's
 * format string, reading every argument bounded.
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
	/* the host ends the iteration; should it resume, stop properly */
	jmp kvm_exit
	.size tst_brk_, . - tst_brk_

	.section .note.GNU-stack, "", @progbits
