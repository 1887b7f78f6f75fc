// SPDX-License-Identifier: MIT
/* Number parsing for options: 0 or an errno value, *val untouched on error */
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

int tst_parse_long(const char *str, long *val, long min, long max)
{
	long rval;
	char *end;

	if (!str)
		return 0;
	errno = 0;
	rval = strtol(str, &end, 10);
	if (str == end || *end)
		return EINVAL;
	if (errno)
		return errno;
	if (rval < min || rval > max)
		return ERANGE;
	*val = rval;
	return 0;
}

int tst_parse_int(const char *str, int *val, int min, int max)
{
	long rval;
	int ret;

	if (!str)
		return 0;
	ret = tst_parse_long(str, &rval, min, max);
	if (!ret)
		*val = (int)rval;
	return ret;
}

int tst_parse_float(const char *str, float *val, float min, float max)
{
	double rval;
	char *end;

	if (!str)
		return 0;
	errno = 0;
	rval = strtod(str, &end);
	if (str == end || *end)
		return EINVAL;
	if (errno)
		return errno;
	/* NaN compares false both ways: it must not slip through as in range */
	if (rval != rval)
		return EINVAL;
	if (rval < (double)min || rval > (double)max)
		return ERANGE;
	*val = (float)rval;
	return 0;
}

int tst_parse_filesize(const char *str, long long *val, long long min,
		       long long max)
{
	long long rval, mul = 1;
	char *end;

	if (!str)
		return 0;
	errno = 0;
	rval = strtoll(str, &end, 0);
	if (str == end || (end[0] && end[1]))
		return EINVAL;
	if (errno)
		return errno;
	switch (*end) {
	case 'g': case 'G': mul = 1024 * 1024 * 1024; break;
	case 'm': case 'M': mul = 1024 * 1024; break;
	case 'k': case 'K': mul = 1024; break;
	case 0: break;
	default: return EINVAL;
	}
	if (__builtin_mul_overflow(rval, mul, &rval))
		return ERANGE;
	if (rval < min || rval > max)
		return ERANGE;
	*val = rval;
	return 0;
}
