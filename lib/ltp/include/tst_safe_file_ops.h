/* SPDX-License-Identifier: MIT */
/* Whole-file printf/scanf on /proc, /sys and friends */
#ifndef TST_SAFE_FILE_OPS_H__
#define TST_SAFE_FILE_OPS_H__

/* 0, or 1 (with a TINFO/TWARN-free silence) when the file cannot be used */
int file_printf(const char *file, const int lineno, const char *path,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int file_scanf(const char *file, const int lineno, const char *path,
	       const char *fmt, ...) __attribute__((format(scanf, 4, 5)));
/* Scan the first line that matches fmt completely */
int file_lines_scanf(const char *file, const int lineno, int strict,
		     const char *path, const char *fmt, ...)
	__attribute__((format(scanf, 5, 6)));

#define FILE_PRINTF(path, fmt, ...) \
	file_printf(__FILE__, __LINE__, (path), (fmt), ##__VA_ARGS__)
#define FILE_SCANF(path, fmt, ...) \
	file_scanf(__FILE__, __LINE__, (path), (fmt), ##__VA_ARGS__)
#define FILE_LINES_SCANF(path, fmt, ...) \
	file_lines_scanf(__FILE__, __LINE__, 0, (path), (fmt), ##__VA_ARGS__)

/* Same, TBROK on any failure */
void safe_file_printf(const char *file, const int lineno, const char *path,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void safe_file_scanf(const char *file, const int lineno, const char *path,
		     const char *fmt, ...) __attribute__((format(scanf, 4, 5)));

#define SAFE_FILE_PRINTF(path, fmt, ...) \
	safe_file_printf(__FILE__, __LINE__, (path), (fmt), ##__VA_ARGS__)
#define SAFE_FILE_SCANF(path, fmt, ...) \
	safe_file_scanf(__FILE__, __LINE__, (path), (fmt), ##__VA_ARGS__)
#define SAFE_FILE_LINES_SCANF(path, fmt, ...) \
	file_lines_scanf(__FILE__, __LINE__, 1, (path), (fmt), ##__VA_ARGS__)

#endif /* TST_SAFE_FILE_OPS_H__ */
