// SPDX-License-Identifier: MIT
/* SAFE_*() for memory, numbers and the environment */
#include <stdio.h>
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

void *safe_malloc(const char *file, const int lineno, size_t size)
{
	void *ret = malloc(size);

	if (!ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "malloc(%zu) failed", size);
	return ret;
}

void *safe_calloc(const char *file, const int lineno, size_t nmemb,
		  size_t size)
{
	void *ret = calloc(nmemb, size);

	if (!ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "calloc(%zu, %zu) failed",
			 nmemb, size);
	return ret;
}

void *safe_realloc(const char *file, const int lineno, void *ptr,
		   size_t size)
{
	void *ret = realloc(ptr, size);

	if (!ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "realloc(%p, %zu) failed",
			 ptr, size);
	return ret;
}

void *safe_mmap(const char *file, const int lineno, void *addr, size_t length,
		int prot, int flags, int fd, off_t offset)
{
	void *ret = mmap(addr, length, prot, flags, fd, offset);

	if (ret == MAP_FAILED)
		tst_brk_(file, lineno, TBROK | TERRNO,
			 "mmap(%p,%zu,%d,%d,%d,%lld) failed", addr, length,
			 prot, flags, fd, (long long)offset);
	return ret;
}

int safe_munmap(const char *file, const int lineno, void *addr,
		size_t length)
{
	int ret = munmap(addr, length);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "munmap(%p,%zu) failed",
			 addr, length);
	return ret;
}

int safe_mprotect(const char *file, const int lineno, void *addr,
		  size_t len, int prot)
{
	int ret = mprotect(addr, len, prot);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO,
			 "mprotect(%p,%zu,%d) failed", addr, len, prot);
	return ret;
}

long safe_sysconf(const char *file, const int lineno, int name)
{
	long ret;

	errno = 0;
	ret = sysconf(name);
	if (ret < 0) {
		if (errno)
			tst_brk_(file, lineno, TBROK | TERRNO,
				 "sysconf(%d) failed", name);
		else
			tst_res_(file, lineno, TINFO,
				 "sysconf(%d): limit is indeterminate", name);
	}
	return ret;
}

int safe_asprintf(const char *file, const int lineno, char **strp,
		  const char *fmt, ...)
{
	va_list va;
	int ret;

	va_start(va, fmt);
	ret = vasprintf(strp, fmt, va);
	va_end(va);
	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "asprintf(%s,...) failed",
			 fmt);
	return ret;
}

long safe_strtol(const char *file, const int lineno, char *str, long min,
		 long max)
{
	long val = 0;
	int ret = tst_parse_long(str, &val, min, max);

	if (ret)
		tst_brk_(file, lineno, TBROK,
			 "Invalid value '%s' (expected %ld..%ld): %s", str, min,
			 max, tst_strerrno(ret));
	return val;
}

unsigned long safe_strtoul(const char *file, const int lineno, char *str,
			   unsigned long min, unsigned long max)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(str, &end, 10);
	if (end == str || *end || errno || val < min || val > max) {
		tst_brk_(file, lineno, TBROK,
			 "Invalid value '%s' (expected %lu..%lu)", str, min, max);
		return 0;
	}
	return val;
}

float safe_strtof(const char *file, const int lineno, char *str, float min,
		  float max)
{
	float val = 0;
	int ret = tst_parse_float(str, &val, min, max);

	if (ret)
		tst_brk_(file, lineno, TBROK,
			 "Invalid value '%s' (expected %f..%f): %s", str,
			 (double)min, (double)max, tst_strerrno(ret));
	return val;
}

int safe_setenv(const char *file, const int lineno, const char *name,
		const char *value, int overwrite)
{
	int ret = setenv(name, value, overwrite);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "setenv(%s, %s, %d) failed",
			 name, value, overwrite);
	return ret;
}
