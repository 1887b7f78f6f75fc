/* SPDX-License-Identifier: MIT */
/*
 * The integer types of the freestanding guest runtime, spelled as LTP's
 * kvm_guest.h spells them: 64-bit types are "long long" (not "long" as
 * in glibc), so that guest code written for LTP passes its uint64_t values
 * to "%llx" without format warnings.  Only the compiler's own freestanding
 * <stdarg.h> may be included next to this header; <stdint.h> would clash.
 */
#ifndef KVMKIT_GUEST_TYPES_H
#define KVMKIT_GUEST_TYPES_H

/* The compiler's own: long on x86-64, int on i386 (KVMKIT_GUEST_MODE(32)) */
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;

#ifndef NULL
# define NULL ((void *)0)
#endif

#ifndef offsetof
# define offsetof(type, member) __builtin_offsetof(type, member)
#endif

_Static_assert(sizeof(size_t) == sizeof(void *), "size_t is pointer-sized");
_Static_assert(sizeof(uintptr_t) == sizeof(void *), "uintptr_t is pointer-sized");
_Static_assert(sizeof(uint64_t) == 8 && sizeof(uint32_t) == 4 &&
	       sizeof(uint16_t) == 2 && sizeof(uint8_t) == 1,
	       "fixed-width types have their width");

#endif /* KVMKIT_GUEST_TYPES_H */
