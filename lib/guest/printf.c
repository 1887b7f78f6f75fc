// SPDX-License-Identifier: MIT
/*
 * The guest's printf family over the shared core (lib/common/format.c):
 * a va_list turned into the core's argument source.  Also compiled as
 * hosted C by tests/unit/host/test_printf.c, so it uses no guest header
 * beyond the types and no library function.
 */
#include "printf.h"
#include "../common/format.h"

/*
 * Every integer and pointer argument of a variadic call is one 8-byte
 * slot in the System V x86-64 ABI (register save area or stack), so the
 * slot can be fetched whole whatever its C type; the core then truncates
 * or sign-extends it as the conversion says, exactly as it does for the
 * host's register source.  In a 32-bit payload (i386 ABI) the core says
 * how big each argument is (ilp32, arg_size): 4 bytes, or 8 for long long.
 */
_Static_assert(sizeof(unsigned long) == sizeof(void *),
	       "an argument slot is an unsigned long");

struct va_source {
	struct kvmkit_fmt_source src;	/* first: the core hands it back */
	va_list ap;
};

static int va_slot(struct kvmkit_fmt_source *src, uint64_t *slot)
{
	struct va_source *s = (struct va_source *)src;

	if (sizeof(unsigned long) == 8 || s->src.arg_size != 4)
		*slot = va_arg(s->ap, unsigned long long);
	else
		*slot = va_arg(s->ap, unsigned int);
	return 0;
}

/* The guest's own memory: the string is read in place */
static long va_str(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		   size_t max, long limit)
{
	const char *s = (const char *)(uintptr_t)addr;
	size_t n = 0;

	(void)src;
	while ((limit < 0 || n < (size_t)limit) && s[n]) {
		if (n < max)
			buf[n] = s[n];
		n++;
	}
	return n;
}

int kvmkit_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct va_source s = { .src = { .arg = va_slot, .str = va_str,
					.ilp32 = sizeof(long) == 4 } };
	int ret;

	va_copy(s.ap, ap);
	ret = kvmkit_vformat(buf, size, fmt, (size_t)-1, &s.src);
	va_end(s.ap);
	/* %n and missing arguments are format errors too */
	return s.src.error ? -1 : ret;
}
