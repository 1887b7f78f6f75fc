/* SPDX-License-Identifier: MIT */
/*
 * The guest's printf family over the core shared with the host
 * (lib/common/format.h).  printf.c depends on nothing but a few types, so
 * the host's unit tests compile it as hosted C and compare its output
 * with expected strings.
 */
#ifndef KVMKIT_GUEST_PRINTF_H
#define KVMKIT_GUEST_PRINTF_H

#ifdef KVMKIT_GUEST
# include "kvmkit_guest_types.h"
#else
# include <stddef.h>
#endif
#include <stdarg.h>

/*
 * C99 vsnprintf() semantics for the conversions kvm_guest.h lists: writes
 * at most size bytes including the terminating NUL (always terminated
 * when size > 0), returns the length the full output would have, or -1
 * for an unknown conversion, a length beyond INT_MAX or a %n (never
 * honoured: "(%n ignored)" is printed in its place).
 */
int kvmkit_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif /* KVMKIT_GUEST_PRINTF_H */
