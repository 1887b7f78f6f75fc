/* SPDX-License-Identifier: MIT */
/*
 * The one printf core of kvmkit, compiled into both the guest runtime
 * (freestanding) and the host library (hosted).  It takes its arguments
 * from a source instead of a va_list: the guest's printf family hands it
 * a va_list, the host hands it the registers and stack of a guest that
 * called tst_res_() by KVMKIT_HC_PRINTF, so guest and host messages are
 * formatted by the same code.
 *
 * Conversions: %d %i %u %o %x %X %c %s %p %%, length modifiers hh h l ll
 * z t j, field width and precision (both may be '*'), flags 0 - + space #.
 * No floating point; %n is never honoured.
 */
#ifndef KVMKIT_COMMON_FORMAT_H
#define KVMKIT_COMMON_FORMAT_H

#ifdef KVMKIT_GUEST
# include "kvmkit_guest_types.h"
#else
# include <stddef.h>
# include <stdint.h>
#endif

/* Bits of kvmkit_fmt_source.error */
#define KVMKIT_FMT_ERR_INVALID	(1u << 0)	/* bad conversion: output stops */
#define KVMKIT_FMT_ERR_N	(1u << 1)	/* %n: a placeholder was printed */
#define KVMKIT_FMT_ERR_ARG	(1u << 2)	/* an argument was missing */
#define KVMKIT_FMT_ERR_STR	(1u << 3)	/* a %s string was unreadable (source) */

/*
 * Where the arguments come from.  Every integer, character and pointer
 * argument is one 8-byte slot, as in the System V x86-64 ABI (but see
 * ilp32 below): an int
 * arrives with an undefined upper half, and the core truncates or
 * sign-extends each slot according to the conversion's length modifier.
 */
struct kvmkit_fmt_source {
	/* The next slot into *slot: 0, or non-zero when there is none */
	int (*arg)(struct kvmkit_fmt_source *src, uint64_t *slot);
	/*
	 * %s of a non-zero address: copy the string's first bytes, at most
	 * max, into buf (no NUL added; buf is NULL when max is 0) and return
	 * its length counted up to limit (limit < 0: to its end).  A source
	 * that cannot read the string puts a placeholder text in its place
	 * (same rules) and sets KVMKIT_FMT_ERR_STR.
	 */
	long (*str)(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		    size_t max, long limit);
	/*
	 * Non-zero: a %s is measured only as far as the output needs (what
	 * fits plus its padding), so a string longer than the room left is
	 * not read to its end; the return value is then only known to be
	 * >= size.  For sources whose strings are costly to read.
	 */
	int short_count;
	unsigned int error;	/* KVMKIT_FMT_ERR_*, or'ed in; start at 0 */
	/*
	 * Non-zero: the arguments follow the i386 ABI (a 32-bit guest,
	 * KVMKIT_GUEST_MODE(32)): long, size_t and pointers are 4 bytes.
	 * The core then sets arg_size before each arg() call to the
	 * argument's size, 4 or 8 (long long, intmax_t), and the source
	 * fetches that many bytes; otherwise arg_size is always 8.
	 */
	unsigned int ilp32;
	unsigned int arg_size;
};

/*
 * Format fmt (at most fmt_len bytes, or up to its NUL if that comes
 * first: the core never reads fmt[fmt_len]) into buf with C99 snprintf()
 * rules: at most size bytes including the NUL (always terminated when
 * size > 0), returns the length the full output would have.  Returns -1
 * when the output would exceed INT_MAX or a conversion is invalid (the
 * output stops there, KVMKIT_FMT_ERR_INVALID).  A missing argument prints
 * "(missing argument)" and %n prints "(%n ignored)"; both go on with the
 * rest and are flagged in src->error.
 */
int kvmkit_vformat(char *buf, size_t size, const char *fmt, size_t fmt_len,
		   struct kvmkit_fmt_source *src);

#endif /* KVMKIT_COMMON_FORMAT_H */
