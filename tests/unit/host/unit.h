/* SPDX-License-Identifier: MIT */
/*
 * A tiny TAP producer for kvmkit's host-only unit tests: one "ok"/"not ok"
 * line per check, the plan at the end, exit status 1 if anything failed
 * and 77 (the kvm-unit-tests skip convention) for a skipped program.
 * Header-only so that every unit stays a single self-contained file.
 */
#ifndef KVMKIT_UNIT_H
#define KVMKIT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit_state {
	unsigned int count;
	unsigned int failed;
};

static struct unit_state unit_state;

static inline int unit_check(int ok, const char *file, int line,
			     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int unit_check(int ok, const char *file, int line,
			     const char *fmt, ...)
{
	va_list ap;

	unit_state.count++;
	if (!ok)
		unit_state.failed++;
	printf("%s %u - ", ok ? "ok" : "not ok", unit_state.count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf("  # at %s:%d", file, line);
	putchar('\n');
	fflush(stdout);
	return ok;
}

/* CHECK(cond, "what is checked", ...): one TAP line */
#define CHECK(cond, ...) unit_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Integer equality, printing both sides on failure */
#define CHECK_EQ(a, b, what) ({						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	int _ok = unit_check(_a == _b, __FILE__, __LINE__, "%s", what);	\
	if (!_ok)							\
		printf("#   got %lld (0x%llx), expected %lld (0x%llx)\n",	\
		       _a, (unsigned long long)_a, _b, (unsigned long long)_b); \
	_ok;								\
})

#define CHECK_STR(a, b, what) ({					\
	const char *_a = (a), *_b = (b);				\
	int _ok = unit_check(_a && _b && !strcmp(_a, _b), __FILE__,	\
			     __LINE__, "%s", what);			\
	if (!_ok)							\
		printf("#   got \"%s\", expected \"%s\"\n",		\
		       _a ? _a : "(null)", _b ? _b : "(null)");		\
	_ok;								\
})

static inline void unit_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void unit_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print the plan and return the exit status for main() */
static inline int unit_done(void)
{
	printf("1..%u\n", unit_state.count);
	if (unit_state.failed)
		printf("# %u of %u checks failed\n", unit_state.failed,
		       unit_state.count);
	fflush(stdout);
	return unit_state.failed ? 1 : 0;
}

/* Skip the whole program (nothing to test here), exit 77 */
static inline void unit_skip_all(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static inline void unit_skip_all(const char *fmt, ...)
{
	va_list ap;

	printf("1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(77);
}

#endif /* KVMKIT_UNIT_H */
