// SPDX-License-Identifier: MIT
/*
 * The printf core shared by guest and host (lib/common/format.c) through
 * the guest's va_list front (lib/guest/printf.c, compiled here as hosted
 * C): fixed expectations for each conversion, flag and modifier, the
 * bounds (truncation, size 0 and 1, return value), the cases kvmkit
 * defines where C does not (unknown conversions, NULL strings, %n), and
 * a differential sweep against glibc over every flag/width/precision
 * combination of the integer conversions.  Then the core directly with a
 * source of slots: a format bound that is never read past (checked under
 * ASan with unterminated heap copies), missing arguments, and a string
 * source that stops counting.
 */
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "unit.h"
#include "../../../lib/guest/printf.c"
#include "../../../lib/common/format.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* kvmkit_vsnprintf() into a fresh buffer; the format is not checked */
static int fmt_into(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvmkit_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

/* Expect exactly want (and its length as the return value) */
#define EXPECT(want, fmt, ...) do {					\
	char buf_[256];							\
	int ret_;							\
									\
	memset(buf_, 'Z', sizeof(buf_));				\
	ret_ = fmt_into(buf_, sizeof(buf_), fmt, ##__VA_ARGS__);	\
	CHECK_STR(buf_, want, "\"" fmt "\" -> \"" want "\"");		\
	CHECK_EQ(ret_, (int)strlen(want), "\"" fmt "\" returns its length"); \
} while (0)

static void test_basics(void)
{
	EXPECT("", "");
	EXPECT("plain text", "plain text");
	EXPECT("100%", "100%%");
	EXPECT("42 -42 0", "%d %i %d", 42, -42, 0);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	EXPECT("777 1ff 1FF", "%o %x %X", 0777, 0x1ff, 0x1ff);
	EXPECT("a", "%c", 'a');
	EXPECT("[hello]", "[%s]", "hello");
	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("(nil)", "%p", NULL);
	EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
}

static void test_modifiers(void)
{
	EXPECT("-1 255", "%hhd %hhu", 255, 255);
	EXPECT("-1 65535", "%hd %hu", 65535, 65535);
	EXPECT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("ffffffffffffffff", "%llx", ULLONG_MAX);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT("18446744073709551615 -1", "%zu %zd", (size_t)-1, (ssize_t)-1);
	EXPECT("-5 5", "%td %tu", (ptrdiff_t)-5, (ptrdiff_t)5);
	EXPECT("-7 7", "%jd %jx", (intmax_t)-7, (uintmax_t)7);
	/* an int argument after a long one: the va_list stays in step */
	EXPECT("1 2 3", "%ld %d %lld", 1L, 2, 3LL);
}

static void test_flags_width_precision(void)
{
	EXPECT("[   42]", "[%5d]", 42);
	EXPECT("[42   ]", "[%-5d]", 42);
	EXPECT("[00042]", "[%05d]", 42);
	EXPECT("[-0042]", "[%05d]", -42);
	EXPECT("[  -42]", "[%5d]", -42);
	EXPECT("[+42]", "[%+d]", 42);
	EXPECT("[ 42]", "[% d]", 42);
	EXPECT("[+42]", "[%+ d]", 42);
	EXPECT("[42   ]", "[%-05d]", 42);
	EXPECT("[  042]", "[%05.3d]", 42);
	EXPECT("[00042]", "[%.5d]", 42);
	EXPECT("[]", "[%.0d]", 0);
	EXPECT("[   ]", "[%3.0d]", 0);
	EXPECT("[0x2a]", "[%#x]", 42);
	EXPECT("[0X2A]", "[%#X]", 42);
	EXPECT("[0]", "[%#x]", 0);
	EXPECT("[0x002a]", "[%#06x]", 42);
	EXPECT("[052]", "[%#o]", 42);
	EXPECT("[0]", "[%#o]", 0);
	EXPECT("[0]", "[%#.0o]", 0);
	EXPECT("[00052]", "[%#.5o]", 42);
	EXPECT("[42]", "[%+u]", 42);
	EXPECT("[    x]", "[%5c]", 'x');
	EXPECT("[x    ]", "[%-5c]", 'x');
	EXPECT("[  abc]", "[%5s]", "abc");
	EXPECT("[abc  ]", "[%-5s]", "abc");
	EXPECT("[ab]", "[%.2s]", "abc");
	EXPECT("[   ab]", "[%5.2s]", "abc");
	EXPECT("[(nu]", "[%.3s]", (char *)NULL);
	EXPECT("[  0x10]", "[%6p]", (void *)16);
	EXPECT("[0x10  ]", "[%-6p]", (void *)16);
	EXPECT("[(nil) ]", "[%-6p]", NULL);
	/* '*': width and precision from the arguments */
	EXPECT("[   42]", "[%*d]", 5, 42);
	EXPECT("[42   ]", "[%*d]", -5, 42);
	EXPECT("[00042]", "[%.*d]", 5, 42);
	EXPECT("[42]", "[%.*d]", -1, 42);
	EXPECT("[  ab]", "[%*.*s]", 4, 2, "abc");
	/* a string that is not terminated within the precision */
	{
		char raw[3] = { 'x', 'y', 'z' };

		EXPECT("[xyz]", "[%.3s]", raw);
	}
}

static void test_bounds(void)
{
	char buf[16];
	int ret;

	memset(buf, 'Z', sizeof(buf));
	ret = fmt_into(buf, 5, "%s", "0123456789");
	CHECK_STR(buf, "0123", "truncated to size - 1 and terminated");
	CHECK_EQ(ret, 10, "truncation returns the full length");
	CHECK_EQ(buf[5], 'Z', "nothing written past size");

	memset(buf, 'Z', sizeof(buf));
	ret = fmt_into(buf, 1, "abc");
	CHECK_EQ(buf[0], '\0', "size 1 holds just the terminator");
	CHECK_EQ(buf[1], 'Z', "size 1 writes one byte");
	CHECK_EQ(ret, 3, "size 1 returns the full length");

	memset(buf, 'Z', sizeof(buf));
	ret = fmt_into(buf, 0, "abc%d", 12345);
	CHECK_EQ(buf[0], 'Z', "size 0 writes nothing");
	CHECK_EQ(ret, 8, "size 0 returns the full length");
	CHECK_EQ(fmt_into(NULL, 0, "%s", "abc"), 3, "NULL buffer with size 0");

	memset(buf, 'Z', sizeof(buf));
	ret = fmt_into(buf, 8, "%100d|", 1);
	CHECK_EQ(ret, 101, "a wide field past the buffer still counts");
	CHECK_STR(buf, "       ", "a wide field is cut at the buffer");

	/* A field of almost INT_MAX must not take INT_MAX steps */
	ret = fmt_into(buf, sizeof(buf), "%2147483000d", 1);
	CHECK_EQ(ret, 2147483000, "huge width: length without writing it all");
	CHECK_EQ(fmt_into(buf, sizeof(buf), "%2147483647d%d", 1, 1), -1,
		 "output longer than INT_MAX is an error");
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"%y", "abc%", "%ll", "%f", "%n", "%5", "%.", "%hhq", "%h",
		"%l", "%-", "%*", "%.*",
		"%2147483648d", "%.2147483648d",
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(buf, 'Z', sizeof(buf));
		CHECK_EQ(fmt_into(buf, sizeof(buf), bad[i], 1), -1,
			 "invalid format returns -1");
		CHECK(memchr(buf, '\0', sizeof(buf)) != NULL,
		      "invalid format \"%s\" still terminates the buffer", bad[i]);
	}
	fmt_into(buf, sizeof(buf), "ok %d %y", 7);
	CHECK_STR(buf, "ok 7 ", "output up to an invalid conversion is kept");
	/* %n is never honoured; its argument is consumed, the rest printed */
	CHECK_EQ(fmt_into(buf, sizeof(buf), "a%nb%d", (int *)buf, 5), -1,
		 "%n is an error");
	CHECK_STR(buf, "a(%n ignored)b5", "%n prints a placeholder, goes on");
}

/* ---- the core with a source of slots ----------------------------------- */

struct slot_source {
	struct kvmkit_fmt_source src;
	const uint64_t *slots;
	size_t n, next;
};

static int slot_arg(struct kvmkit_fmt_source *src, uint64_t *slot)
{
	struct slot_source *s = (struct slot_source *)src;

	if (s->next >= s->n)
		return -1;
	*slot = s->slots[s->next++];
	return 0;
}

static long slot_str(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		     size_t max, long limit)
{
	(void)src;
	const char *str = (const char *)(uintptr_t)addr;
	size_t n = 0;

	while ((limit < 0 || n < (size_t)limit) && str[n]) {
		if (n < max)
			buf[n] = str[n];
		n++;
	}
	return n;
}

static int core(char *buf, size_t size, const char *fmt, size_t fmt_len,
		struct slot_source *s)
{
	s->src.arg = slot_arg;
	s->src.str = slot_str;
	s->src.error = 0;
	s->next = 0;
	return kvmkit_vformat(buf, size, fmt, fmt_len, &s->src);
}

/* fmt copied to the heap without its NUL: ASan sees any read past it */
static int core_unterminated(char *buf, size_t size, const char *fmt,
			     struct slot_source *s)
{
	size_t len = strlen(fmt);
	char *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		return -2;
	memcpy(copy, fmt, len);
	ret = core(buf, size, copy, len, s);
	free(copy);
	return ret;
}

static void test_core(void)
{
	static const char *const cut[] = {
		"%", "%l", "%h", "%ll", "%hh", "%5", "%.", "%.*", "%*", "%-",
		"%#0", "%z", "abc%",
	};
	static const uint64_t slots[] = {
		0xffffffff00000007ULL, 0xffffffff00000009ULL
	};
	struct slot_source s = { .slots = slots, .n = 2 };
	char buf[64];
	size_t i;

	CHECK_EQ(core_unterminated(buf, sizeof(buf), "x=%d y=%u", &s), 7,
		 "unterminated format within its bound");
	CHECK_STR(buf, "x=7 y=9", "  ... formatted");
	CHECK_EQ(core(buf, sizeof(buf), "abc%dzzz", 3, &s), 3,
		 "the bound ends the format before its NUL");
	CHECK_STR(buf, "abc", "  ... output");
	CHECK_EQ(core(buf, sizeof(buf), "%d", 0, &s), 0, "a bound of 0");
	for (i = 0; i < ARRAY_SIZE(cut); i++) {
		CHECK_EQ(core_unterminated(buf, sizeof(buf), cut[i], &s), -1,
			 "conversion cut by the bound is invalid");
		CHECK(s.src.error == KVMKIT_FMT_ERR_INVALID,
		      "  ... \"%s\" flagged invalid", cut[i]);
	}

	CHECK_EQ(core(buf, sizeof(buf), "%d %d [%20d]", 64, &s), 26,
		 "missing arguments are printed as placeholders");
	CHECK_STR(buf, "7 9 [  (missing argument)]", "  ... output");
	CHECK(s.src.error == KVMKIT_FMT_ERR_ARG, "  ... flagged");
	CHECK_EQ(core(buf, sizeof(buf), "%*d|", 64, &s), 8,
		 "'*' from a slot whose upper half is dirty");
	CHECK_STR(buf, "      9|", "  ... width 7");

	/* short_count: strings measured only as far as the output needs */
	{
		static const char long_str[] = "0123456789abcdef";
		const uint64_t one[] = { (uintptr_t)long_str };
		struct slot_source t = { .slots = one, .n = 1 };

		t.src.short_count = 1;
		CHECK_EQ(core(buf, 8, "%s", 64, &t), 8,
			 "short_count: measured to one past the room");
		CHECK_STR(buf, "0123456", "  ... cut at the buffer");
		CHECK_EQ(core(buf, 8, "%20s", 64, &t), 20,
			 "short_count: right-aligned, measured for its padding");
		CHECK_STR(buf, "    012", "  ... padding first, then the text");
		CHECK_EQ(core(buf, 8, "%-20s|", 64, &t), 21,
			 "short_count: left-aligned");
		CHECK_STR(buf, "0123456", "  ... output");
		CHECK_EQ(core(buf, 8, "%.3s", 64, &t), 3, "precision below room");
		CHECK_STR(buf, "012", "  ... output");
		CHECK_EQ(core(buf, 0, "%5s", 64, &t), 6,
			 "size 0: nothing written, length known to exceed size");
		t.src.short_count = 0;
		CHECK_EQ(core(buf, 8, "%s", 64, &t), 16,
			 "without short_count: the full length");
		CHECK_EQ(core(buf, 0, "%20s", 64, &t), 20, "  ... and with a width");
	}
}

/* Both printfs with the same arguments; mismatches are reported */
static unsigned int mismatches;

static void compare(const char *fmt, ...)
{
	char mine[512], ref[512];
	va_list ap, aq;
	int rm, rr;

	va_start(ap, fmt);
	va_copy(aq, ap);
	rm = kvmkit_vsnprintf(mine, sizeof(mine), fmt, ap);
	rr = vsnprintf(ref, sizeof(ref), fmt, aq);
	va_end(aq);
	va_end(ap);

	if (rm == rr && !strcmp(mine, ref))
		return;
	if (mismatches++ < 10)
		unit_diag("\"%s\": kvmkit \"%s\" (%d), glibc \"%s\" (%d)", fmt,
			  mine, rm, ref, rr);
}

static void test_against_glibc(void)
{
	static const char *const flagsets[] = {
		"", "-", "+", " ", "#", "0", "-+", "+0", " 0", "#0", "-#", "-0",
		"+ ", "#-+ 0",
	};
	static const char *const widths[] = { "", "1", "3", "8", "25" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".20" };
	static const char *const lengths[] = {
		"hh", "h", "", "l", "ll", "z", "t", "j",
	};
	static const char convs[] = "diuoxX";
	static const long long values[] = {
		0, 1, -1, 7, -8, 42, 127, -128, 255, 32767, -32768, 65535,
		INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN,
		0x123456789abcdefLL,
	};
	size_t f, w, p, l, c, v;
	char fmt[64];
	unsigned int checked = 0;

	for (f = 0; f < ARRAY_SIZE(flagsets); f++)
	for (w = 0; w < ARRAY_SIZE(widths); w++)
	for (p = 0; p < ARRAY_SIZE(precs); p++)
	for (l = 0; l < ARRAY_SIZE(lengths); l++)
	for (c = 0; c < sizeof(convs) - 1; c++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flagsets[f],
			 widths[w], precs[p], lengths[l], convs[c]);
		for (v = 0; v < ARRAY_SIZE(values); v++, checked++) {
			/* pass each length modifier its promoted type */
			if (!strcmp(lengths[l], "ll"))
				compare(fmt, values[v]);
			else if (lengths[l][0] && lengths[l][0] != 'h')
				compare(fmt, (long)values[v]);
			else
				compare(fmt, (int)values[v]);
		}
	}

	for (f = 0; f < ARRAY_SIZE(flagsets); f++)
	for (w = 0; w < ARRAY_SIZE(widths); w++) {
		/* '0' and '#' are undefined for %s and %c; glibc ignores them */
		if (strchr(flagsets[f], '0') || strchr(flagsets[f], '#'))
			continue;
		for (p = 0; p < ARRAY_SIZE(precs); p++, checked += 2) {
			snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", flagsets[f],
				 widths[w], precs[p]);
			compare(fmt, "kvmkit");
			compare(fmt, "");
		}
		snprintf(fmt, sizeof(fmt), "[%%%s%sc]", flagsets[f], widths[w]);
		compare(fmt, 'q');
		snprintf(fmt, sizeof(fmt), "[%%%s%sp]", flagsets[f], widths[w]);
		compare(fmt, (void *)0xdeadbeefUL);
		compare(fmt, NULL);
		checked += 3;
	}

	CHECK(mismatches == 0, "%u conversions agree with glibc (%u differ)",
	      checked, mismatches);
}

int main(void)
{
	test_basics();
	test_modifiers();
	test_flags_width_precision();
	test_bounds();
	test_invalid();
	test_core();
	test_against_glibc();
	return unit_done();
}
