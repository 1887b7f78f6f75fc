/* SPDX-License-Identifier: MIT */
/*
 * KVMKIT_GUEST_MODE(mode): the CPU mode a single-source test's payload is
 * built for and booted in, written once at file scope (outside or inside
 * #ifdef COMPILE_PAYLOAD):
 *
 *   KVMKIT_GUEST_MODE(64);	 long mode, the default: a test that says
 *				 nothing, or this, needs 64-bit mode only
 *   KVMKIT_GUEST_MODE(32);	 i386 payload, protected mode, 2-level paging
 *   KVMKIT_GUEST_MODE(32pae);	 i386 payload, protected mode, PAE paging
 *
 * How kvmkit-cc learns it before compiling: it runs the payload pass's
 * preprocessor once and looks for the marker string below
 * ("kvmkit-guest-mode=" followed by the mode's name).  A 32-bit mode is
 * then compiled with -m32 and linked with the i386 runtime
 * (libkvmkit_guest32.a), whose header (abi.h, header.guest_mode) takes
 * the value of the symbol kvmkit_guest_mode that the payload pass defines
 * here, so the host boots the mode the test asked for.  A name that is
 * not a mode fails to compile in both passes.
 */
#ifndef KVMKIT_GUEST_MODE_H
#define KVMKIT_GUEST_MODE_H

/* The KVMKIT_GUEST_MODE_* value of each name, as assembler text */
#define KVMKIT_GUEST_MODE_VALUE_64	"0"
#define KVMKIT_GUEST_MODE_VALUE_32	"1"
#define KVMKIT_GUEST_MODE_VALUE_32pae	"2"

#define KVMKIT_GUEST_MODE_MARKER(m)					\
	_Static_assert(sizeof(KVMKIT_GUEST_MODE_VALUE_##m) == 2,	\
		       "kvmkit-guest-mode=" #m)

#ifdef COMPILE_PAYLOAD
# define KVMKIT_GUEST_MODE(m)						\
	__asm__(".globl kvmkit_guest_mode\n\t"				\
		".set kvmkit_guest_mode, " KVMKIT_GUEST_MODE_VALUE_##m);	\
	KVMKIT_GUEST_MODE_MARKER(m)
#else
# define KVMKIT_GUEST_MODE(m)	KVMKIT_GUEST_MODE_MARKER(m)
#endif

#endif /* KVMKIT_GUEST_MODE_H */
