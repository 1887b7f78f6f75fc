// SPDX-License-Identifier: MIT
/* The C names of the guest's printf family, over printf.c's core. */
#include "kvm_guest.h"
#include "printf.h"

int vsnprintf(char *dest, size_t size, const char *fmt, va_list ap)
{
	return kvmkit_vsnprintf(dest, size, fmt, ap);
}

int snprintf(char *dest, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvmkit_vsnprintf(dest, size, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Unbounded, as C's vsprintf(): the size only has to exceed any output
 * (the core compares lengths against it, it never computes dest + size).
 */
int vsprintf(char *dest, const char *fmt, va_list ap)
{
	return kvmkit_vsnprintf(dest, (size_t)-1 >> 1, fmt, ap);
}

int sprintf(char *dest, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsprintf(dest, fmt, ap);
	va_end(ap);
	return ret;
}
