// SPDX-License-Identifier: MIT
/* FILE_PRINTF/FILE_SCANF and their SAFE_ forms */
#include <stdio.h>
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

static int vfile_printf(const char *file, int lineno, int brk,
			const char *path, const char *fmt, va_list va)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f) {
		if (brk)
			tst_brk_(file, lineno, TBROK | TERRNO,
				 "Failed to open FILE '%s' for writing", path);
		return 1;
	}
	if (vfprintf(f, fmt, va) < 0)
		ret = 1;
	if (fclose(f))
		ret = 1;
	if (ret && brk)
		tst_brk_(file, lineno, TBROK | TERRNO,
			 "Failed to print to FILE '%s'", path);
	return ret;
}

static int vfile_scanf(const char *file, int lineno, int brk,
		       const char *path, const char *fmt, va_list va)
{
	FILE *f = fopen(path, "r");
	int exp = 0, ret;
	const char *p;

	if (!f) {
		if (brk)
			tst_brk_(file, lineno, TBROK | TERRNO,
				 "Failed to open FILE '%s' for reading", path);
		return 1;
	}
	/* every conversion but %% and %*x must be assigned */
	for (p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p && *p != '%' && *p != '*')
			exp++;
	}
	ret = vfscanf(f, fmt, va);
	fclose(f);
	if (ret == exp)
		return 0;
	if (brk)
		tst_brk_(file, lineno, TBROK,
			 "Expected %d conversions got %d FILE '%s'", exp, ret,
			 path);
	return 1;
}

int file_printf(const char *file, const int lineno, const char *path,
		const char *fmt, ...)
{
	va_list va;
	int ret;

	va_start(va, fmt);
	ret = vfile_printf(file, lineno, 0, path, fmt, va);
	va_end(va);
	return ret;
}

int file_scanf(const char *file, const int lineno, const char *path,
	       const char *fmt, ...)
{
	va_list va;
	int ret;

	va_start(va, fmt);
	ret = vfile_scanf(file, lineno, 0, path, fmt, va);
	va_end(va);
	return ret;
}

void safe_file_printf(const char *file, const int lineno, const char *path,
		      const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	vfile_printf(file, lineno, 1, path, fmt, va);
	va_end(va);
}

void safe_file_scanf(const char *file, const int lineno, const char *path,
		     const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	vfile_scanf(file, lineno, 1, path, fmt, va);
	va_end(va);
}

int file_lines_scanf(const char *file, const int lineno, int strict,
		     const char *path, const char *fmt, ...)
{
	char line[BUFSIZ];
	const char *p;
	int exp = 0, ret = -1;
	va_list va;
	FILE *f;

	for (p = fmt; *p; p++) {
		if (*p == '%' && p[1] && p[1] != '%' && p[1] != '*')
			exp++;
		if (*p == '%' && p[1])
			p++;
	}
	f = fopen(path, "r");
	if (!f) {
		if (strict)
			tst_brk_(file, lineno, TBROK | TERRNO,
				 "Failed to open FILE '%s' for reading", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		va_start(va, fmt);
		ret = vsscanf(line, fmt, va);
		va_end(va);
		if (ret == exp)
			break;
	}
	fclose(f);
	if (ret == exp)
		return 0;
	if (strict)
		tst_brk_(file, lineno, TBROK,
			 "Expected %d conversions got %d FILE '%s'", exp, ret,
			 path);
	return 1;
}
