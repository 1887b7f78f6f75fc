// SPDX-License-Identifier: MIT
/*
 * Guest runtime: sprintf()/snprintf()/vsnprintf() against the strings a C
 * library prints.  Every case goes through sprintf and snprintf with a
 * roomy buffer (both must give the expected string and return its length),
 * then snprintf's truncation rules: the return value is the untruncated
 * length, the output is cut and terminated inside the given size, and not
 * one byte past it is written.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static char buf[512], sbuf[512];
static int bad, cases;

static void verify(int line, const char *fmt, const char *expect, int ret,
		   int sret, int nocase)
{
	int len = strlen(expect), i, same = 1;

	cases++;
	for (i = 0; i <= len; i++) {
		char a = buf[i], b = expect[i];

		if (nocase && a >= 'A' && a <= 'F')
			a += 'a' - 'A';
		if (nocase && b >= 'A' && b <= 'F')
			b += 'a' - 'A';
		if (a != b)
			same = 0;
	}
	if (!same || ret != len) {
		tst_res(TFAIL, "line %d: sprintf(\"%s\") gave \"%s\" returning %d, expected \"%s\" and %d",
			line, fmt, buf, ret, expect, len);
		bad++;
	}
	if (strcmp(buf, sbuf) || sret != ret) {
		tst_res(TFAIL, "line %d: snprintf(\"%s\") gave \"%s\" returning %d, sprintf \"%s\" and %d",
			line, fmt, sbuf, sret, buf, ret);
		bad++;
	}
}

#define CHECK_(nocase, expect, fmt, ...) do {				\
	int r_, s_;							\
	memset(buf, 0x5a, sizeof(buf));					\
	memset(sbuf, 0x5a, sizeof(sbuf));				\
	r_ = sprintf(buf, fmt, ##__VA_ARGS__);				\
	s_ = snprintf(sbuf, sizeof(sbuf), fmt, ##__VA_ARGS__);		\
	verify(__LINE__, fmt, expect, r_, s_, nocase);			\
} while (0)
#define CHECK(expect, fmt, ...) CHECK_(0, expect, fmt, ##__VA_ARGS__)

static void conversions(void)
{
	CHECK("0", "%d", 0);
	CHECK("-123", "%d", -123);
	CHECK("2147483647", "%d", 2147483647);
	CHECK("-2147483648", "%d", -2147483647 - 1);
	CHECK("42", "%i", 42);
	CHECK("-7", "%i", -7);
	CHECK("4294967295", "%u", 4294967295U);
	CHECK("0", "%u", 0U);
	CHECK("10", "%o", 8U);
	CHECK("777", "%o", 0777U);
	CHECK("deadbeef", "%x", 0xdeadbeefU);
	CHECK("DEADBEEF", "%X", 0xdeadbeefU);
	CHECK("0", "%x", 0U);
	CHECK("A", "%c", 'A');
	CHECK("abc", "%c%c%c", 'a', 'b', 'c');
	CHECK("hello", "%s", "hello");
	CHECK("", "%s", "");
	CHECK("%", "%%");
	CHECK("100%", "%d%%", 100);
	CHECK("a1bxc%d", "a%db%sc%%d", 1, "x");
	CHECK_(1, "0xabc0", "%p", (void *)0xabc0);
	CHECK_(1, "0xfffff000", "%p", (void *)0xfffff000UL);
}

/*
 * The narrowing of an int by %hh and %h is the point of these cases, and
 * clang's format check rejects an int for them: hide the format.
 */
static const char *__attribute__((noinline)) hidden(const char *fmt)
{
	asm volatile("" : "+r"(fmt));
	return fmt;
}

static void length_modifiers(void)
{
	CHECK("-5", "%hhd", (signed char)-5);
	CHECK("-128", hidden("%hhd"), 0x180);
	CHECK("44", hidden("%hhu"), 300);
	CHECK("ff", hidden("%hhx"), 0x1ff);
	CHECK("377", hidden("%hho"), 0xff);
	CHECK("-1234", "%hd", (short)-1234);
	CHECK("4464", hidden("%hu"), 70000);
	CHECK("2345", hidden("%hx"), 0x12345);
	CHECK("-1", hidden("%hi"), 0xffff);
	CHECK("-9000000000", "%ld", -9000000000L);
	CHECK("18446744073709551615", "%lu", 18446744073709551615UL);
	CHECK("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	CHECK("-9223372036854775808", "%lld", -9223372036854775807LL - 1);
	CHECK("9223372036854775807", "%lli", 9223372036854775807LL);
	CHECK("18446744073709551615", "%llu", 18446744073709551615ULL);
	CHECK("FFFFFFFFFFFFFFFF", "%llX", 0xffffffffffffffffULL);
	CHECK("1777777777777777777777", "%llo", 0xffffffffffffffffULL);
	CHECK("123456789012", "%zu", (size_t)123456789012UL);
	CHECK("-5", "%zd", (ssize_t)-5);
	CHECK("1000", "%zx", (size_t)4096);
}

static void width_precision_flags(void)
{
	CHECK("   42", "%5d", 42);
	CHECK("42   |", "%-5d|", 42);
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("  -42", "%5d", -42);
	CHECK("-42  |", "%-5d|", -42);
	CHECK("12345", "%3d", 12345);
	CHECK("    beef", "%8x", 0xbeefU);
	CHECK("0000beef", "%08x", 0xbeefU);
	CHECK("BEEF    |", "%-8X|", 0xbeefU);
	CHECK("ab      |", "%-8s|", "ab");
	CHECK("      ab", "%8s", "ab");
	CHECK("abcdef", "%3s", "abcdef");
	CHECK("abc", "%.3s", "abcdef");
	CHECK("  abc", "%5.3s", "abcdef");
	CHECK("00042", "%.5d", 42);
	CHECK("-00042", "%.5d", -42);
	CHECK("     007", "%8.3d", 7);
	CHECK("00a     |", "%-8.3x|", 0xaU);
	CHECK("", "%.0d", 0);
	CHECK("    42", "%*d", 6, 42);
	CHECK("1   |", "%-*d|", 4, 1);
	CHECK("xy", "%.*s", 2, "xyz");
	CHECK("    x", "%5c", 'x');
	CHECK("x    |", "%-5c|", 'x');
	CHECK("+5", "%+d", 5);
	CHECK("-5", "%+d", -5);
	CHECK(" 5", "% d", 5);
	CHECK("0xff", "%#x", 255U);
	CHECK("0XFF", "%#X", 255U);
	CHECK("010", "%#o", 8U);
	CHECK("0000000000000000000000000000000000000000000000000000000000000001",
	      "%064d", 1);
	CHECK("[ffffffffffffffff] [      -1] [-1      ]", "[%llx] [%8d] [%-8ld]",
	      0xffffffffffffffffULL, -1, -1L);
}

/* vsnprintf through a va_list, as the runtime's own tst_res_() uses it */
static int wrap(char *dest, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int wrap(char *dest, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(dest, size, fmt, ap);
	va_end(ap);
	return ret;
}

static void truncation_case(int line, int ret, int want_ret, size_t size,
			    const char *want)
{
	size_t i;
	int ok = ret == want_ret;

	if (size && strcmp(buf, want))
		ok = 0;
	/* Everything from the size-th byte on must still be the canary */
	for (i = size; i < 64; i++)
		if ((uint8_t)buf[i] != 0x5a)
			ok = 0;
	cases++;
	if (!ok) {
		tst_res(TFAIL, "line %d: size %zu: returned %d (expected %d), wrote \"%.*s\" (expected \"%s\") or past the end",
			line, size, ret, want_ret, (int)size, buf, want);
		bad++;
	}
}

#define TRUNC(size, want_ret, want, fmt, ...) do {			\
	memset(buf, 0x5a, 64);						\
	truncation_case(__LINE__, snprintf(buf, size, fmt, ##__VA_ARGS__), \
			want_ret, size, want);				\
	memset(buf, 0x5a, 64);						\
	truncation_case(__LINE__, wrap(buf, size, fmt, ##__VA_ARGS__),	\
			want_ret, size, want);				\
} while (0)

static void truncation(void)
{
	const char *volatile unknown = "%q";
	int ret;

	TRUNC(5, 11, "hell", "%s", "hello world");
	TRUNC(1, 3, "", "abc");
	TRUNC(0, 5, "", "%d", 12345);
	TRUNC(6, 9, "12345", "%d", 123456789);
	TRUNC(4, 6, "   ", "%6d", 42);
	TRUNC(3, 5, "-0", "%05d", -42);
	TRUNC(8, 16, "fffffff", "%llx", 0xffffffffffffffffULL);
	TRUNC(12, 11, "hello world", "%s", "hello world");
	TRUNC(11, 10, "%%%%%%%%%%", "%%%%%%%%%%%%%%%%%%%%");

	ret = snprintf(NULL, 0, "%d-%s", 12345, "abc");
	cases++;
	if (ret != 9) {
		tst_res(TFAIL, "snprintf(NULL, 0) returned %d, expected 9", ret);
		bad++;
	}

	memset(buf, 0x5a, 64);
	ret = snprintf(buf, 16, unknown, 1);
	cases++;
	if (ret != -1) {
		tst_res(TFAIL, "snprintf(\"%%q\") returned %d, expected -1", ret);
		bad++;
	}
}

void main(void)
{
	static char longmsg[3001], buf[4096];
	int len;

	conversions();
	length_modifiers();
	width_precision_flags();
	if (!bad)
		tst_res(TPASS, "sprintf/snprintf: %d conversions, length modifiers, widths, precisions and flags as in C",
			cases);

	cases = bad = 0;
	truncation();
	if (!bad)
		tst_res(TPASS, "snprintf/vsnprintf truncation: %d cases return the full length and stay inside size",
			cases);

	/*
	 * A long message: the guest formatter builds it whole, and the
	 * host's formatting of the same tst_res() is checked end to end by
	 * tests/unit/hostile/long_message.c, which can read the output.
	 */
	memset(longmsg, 'L', sizeof(longmsg) - 1);
	len = snprintf(buf, sizeof(buf), "long message follows: [%s]", longmsg);
	if (len == 3000 + 24 && strlen(buf) == 3000 + 24 && buf[3000 + 23] == ']')
		tst_res(TPASS, "a 3024-character message was formatted whole");
	else
		tst_res(TFAIL, "a 3024-character message came out as %d/%zu characters",
			len, strlen(buf));
	tst_res(TINFO, "long message follows: [%s]", longmsg);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "guest sprintf/snprintf against a C library",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
