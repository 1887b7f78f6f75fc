/* SPDX-License-Identifier: MIT */
/*
 * mini_vmm's flat guest: 16-bit real mode, loaded and entered at
 * CS:IP = 0x100:0 on every vCPU (stack below 0x1000, set by the VMM).
 * Each vCPU asks the MMIO device who it is, waits for its turn (so the
 * transcript is the same on every run), prints "Hello from vCPU n"
 * through the 16550 by polling LSR, and passes the turn on.  The last
 * prints the device's ID and writes the power-off register; vCPU 0 spins
 * meanwhile, so the VMM must kick it out of KVM_RUN.
 */
	.set COM1, 0x3f8
	.set LSR_THRE, 0x20
	.set DEV_SEG, 0x1000		/* the device at 0x10000 */
	.set DEV_ID, 0
	.set DEV_CPU, 4
	.set DEV_POWER, 8
	.set LAST_CPU, 1

	.code16
	.text
	.globl _start
_start:
	mov	%cs, %ax
	mov	%ax, %ds
	mov	$DEV_SEG, %ax
	mov	%ax, %es
	mov	%es:DEV_CPU, %ebx	/* which vCPU am I */
1:	cmp	%bx, turn
	je	2f
	pause
	jmp	1b
2:	mov	$hello, %si
	call	puts
	mov	%bl, %al
	add	$'0', %al
	call	putc
	mov	$'\n', %al
	call	putc
	incw	turn
	cmp	$LAST_CPU, %bx
	je	3f
spin:	pause				/* until the VMM stops the VM */
	jmp	spin
3:	mov	$device, %si
	call	puts
	mov	%es:DEV_ID, %ebx	/* four ASCII bytes, lowest first */
	mov	$4, %cx
4:	mov	%bl, %al
	call	putc
	shr	$8, %ebx
	loop	4b
	mov	$'\n', %al
	call	putc
	movl	$1, %es:DEV_POWER
	hlt				/* not reached: the VMM stopped */

/* Transmit %al once the transmitter holding register is empty */
putc:	push	%ax
	mov	$COM1 + 5, %dx
1:	in	%dx, %al
	test	$LSR_THRE, %al
	jz	1b
	pop	%ax
	mov	$COM1, %dx
	out	%al, %dx
	ret

/* The NUL-terminated string at %ds:%si */
puts:	lodsb
	test	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

turn:	.word	0
hello:	.asciz	"Hello from vCPU "
device:	.asciz	"device "
