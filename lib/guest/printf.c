// SPDX-License-Identifier: MIT
/*
 * Bounded printf-style formatting for the guest (see printf.h).  The file
 * is also compiled as hosted C by tests/unit/host/test_printf.c, so it
 * uses no guest header beyond the types and no library function at all.
 */
#include "printf.h"

#define PRINTF_INT_MAX	0x7fffffff

enum printf_length {
	LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	LEN_PTRDIFF, LEN_INTMAX
};

struct printf_spec {
	unsigned int left : 1;		/* '-' */
	unsigned int plus : 1;		/* '+' */
	unsigned int space : 1;		/* ' ' */
	unsigned int alt : 1;		/* '#' */
	unsigned int zero : 1;		/* '0' */
	unsigned int upper : 1;		/* %X */
	size_t width;
	long prec;			/* -1: none given */
	enum printf_length length;
};

/*
 * The output cursor: len counts every character the full output has, so
 * the return value is right even when the buffer is too small; only the
 * first size - 1 land in buf.
 */
struct printf_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct printf_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct printf_out *o, char c, size_t n)
{
	while (n && o->len + 1 < o->size) {
		o->buf[o->len++] = c;
		n--;
	}
	/* A huge width past the end of the buffer costs nothing */
	o->len += n;
}

static void out_mem(struct printf_out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

static void out_terminate(struct printf_out *o)
{
	if (!o->size)
		return;
	o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

static size_t bounded_strlen(const char *s, long max)
{
	size_t n = 0;

	while ((max < 0 || n < (size_t)max) && s[n])
		n++;
	return n;
}

/* Text (a %s, %c or "(nil)") padded to the field width */
static void out_field(struct printf_out *o, const struct printf_spec *spec,
		      const char *s, size_t n)
{
	size_t pad = spec->width > n ? spec->width - n : 0;

	if (!spec->left)
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (spec->left)
		out_repeat(o, ' ', pad);
}

/*
 * One integer conversion.  The field is: padding, sign, prefix (0x),
 * zeros (from the precision or the '0' flag), digits, padding.
 */
static void out_integer(struct printf_out *o, const struct printf_spec *spec,
			unsigned long long value, int negative,
			unsigned int base, const char *prefix)
{
	const char *digit = spec->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 22 octal digits for 64 bits */
	size_t ndigits = 0, zeros = 0, plen = 0, total, pad = 0;
	char sign = 0;
	unsigned long long v = value;

	/* An explicit precision of 0 prints no digits for 0 */
	if (value || spec->prec != 0) {
		do {
			tmp[ndigits++] = digit[v % base];
			v /= base;
		} while (v);
	}
	if (spec->prec > 0 && (size_t)spec->prec > ndigits)
		zeros = spec->prec - ndigits;
	/* '#' with octal: the first digit must be a 0 */
	if (spec->alt && base == 8 && !zeros &&
	    !(ndigits == 1 && tmp[0] == '0'))
		zeros = 1;

	if (negative)
		sign = '-';
	else if (spec->plus)
		sign = '+';
	else if (spec->space)
		sign = ' ';
	if (prefix)
		plen = bounded_strlen(prefix, -1);

	total = !!sign + plen + zeros + ndigits;
	if (spec->width > total) {
		pad = spec->width - total;
		/* '0' pads with zeros unless '-' or a precision overrides it */
		if (spec->zero && !spec->left && spec->prec < 0) {
			zeros += pad;
			pad = 0;
		}
	}

	if (!spec->left)
		out_repeat(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	out_mem(o, prefix, plen);
	out_repeat(o, '0', zeros);
	while (ndigits)
		out_char(o, tmp[--ndigits]);
	if (spec->left)
		out_repeat(o, ' ', pad);
}

/* Parse a decimal field; -1 if it does not fit in an int */
static long parse_decimal(const char **fmt)
{
	long n = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		n = n * 10 + (**fmt - '0');
		if (n > PRINTF_INT_MAX)
			return -1;
		(*fmt)++;
	}
	return n;
}

static const char *parse_length(const char *fmt, enum printf_length *length)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			*length = LEN_CHAR;
			return fmt + 2;
		}
		*length = LEN_SHORT;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			*length = LEN_LLONG;
			return fmt + 2;
		}
		*length = LEN_LONG;
		return fmt + 1;
	case 'z':
		*length = LEN_SIZE;
		return fmt + 1;
	case 't':
		*length = LEN_PTRDIFF;
		return fmt + 1;
	case 'j':
		*length = LEN_INTMAX;
		return fmt + 1;
	default:
		*length = LEN_INT;
		return fmt;
	}
}

/*
 * The variadic arguments are fetched here and nowhere else: a va_list
 * cannot portably be handed to helpers by pointer.  On x86_64 size_t,
 * ptrdiff_t and intmax_t are all long.
 */
#define FETCH_SIGNED(ap, length)					\
	((length) == LEN_CHAR ? (long long)(signed char)va_arg(ap, int) : \
	 (length) == LEN_SHORT ? (long long)(short)va_arg(ap, int) :	\
	 (length) == LEN_INT ? (long long)va_arg(ap, int) :		\
	 (length) == LEN_LLONG ? va_arg(ap, long long) :		\
	 (long long)va_arg(ap, long))

#define FETCH_UNSIGNED(ap, length)					\
	((length) == LEN_CHAR ?						\
		(unsigned long long)(unsigned char)va_arg(ap, unsigned int) : \
	 (length) == LEN_SHORT ?					\
		(unsigned long long)(unsigned short)va_arg(ap, unsigned int) : \
	 (length) == LEN_INT ?						\
		(unsigned long long)va_arg(ap, unsigned int) :		\
	 (length) == LEN_LLONG ? va_arg(ap, unsigned long long) :	\
	 (unsigned long long)va_arg(ap, unsigned long))

int kvmkit_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct printf_out o = { .buf = buf, .size = size, .len = 0 };

	while (*fmt) {
		struct printf_spec spec = { .prec = -1 };
		unsigned long long uval;
		long long sval;
		const char *str;
		long n;
		char c;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				spec.left = 1;
			else if (*fmt == '+')
				spec.plus = 1;
			else if (*fmt == ' ')
				spec.space = 1;
			else if (*fmt == '#')
				spec.alt = 1;
			else if (*fmt == '0')
				spec.zero = 1;
			else
				break;
		}

		if (*fmt == '*') {
			n = va_arg(ap, int);
			fmt++;
			/* A negative width is a '-' flag and a width */
			if (n < 0) {
				spec.left = 1;
				n = -n;
			}
		} else {
			n = parse_decimal(&fmt);
		}
		if (n < 0)
			goto invalid;
		spec.width = n;

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				n = va_arg(ap, int);
				fmt++;
				/* A negative precision is taken as omitted */
				spec.prec = n < 0 ? -1 : n;
			} else {
				spec.prec = parse_decimal(&fmt);
				if (spec.prec < 0)
					goto invalid;
			}
		}

		fmt = parse_length(fmt, &spec.length);

		switch (*fmt) {
		case 'd':
		case 'i':
			sval = FETCH_SIGNED(ap, spec.length);
			uval = sval < 0 ? 0ULL - (unsigned long long)sval :
					  (unsigned long long)sval;
			out_integer(&o, &spec, uval, sval < 0, 10, NULL);
			break;
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			/* '+' and ' ' only apply to signed conversions */
			spec.plus = spec.space = 0;
			spec.upper = *fmt == 'X';
			uval = FETCH_UNSIGNED(ap, spec.length);
			if (*fmt == 'u')
				out_integer(&o, &spec, uval, 0, 10, NULL);
			else if (*fmt == 'o')
				out_integer(&o, &spec, uval, 0, 8, NULL);
			else
				out_integer(&o, &spec, uval, 0, 16,
					    spec.alt && uval ?
					    (spec.upper ? "0X" : "0x") : NULL);
			break;
		case 'p':
			uval = (unsigned long long)(unsigned long)va_arg(ap, void *);
			/* glibc's spelling, so guest and host messages match */
			if (!uval) {
				out_field(&o, &spec, "(nil)", 5);
				break;
			}
			/* as glibc: %#lx, '+' and ' ' included */
			spec.alt = 0;
			out_integer(&o, &spec, uval, 0, 16, "0x");
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			out_field(&o, &spec, &c, 1);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			out_field(&o, &spec, str, bounded_strlen(str, spec.prec));
			break;
		case '%':
			out_char(&o, '%');
			break;
		default:
			goto invalid;	/* includes a '%' at the very end */
		}
		fmt++;
	}

	out_terminate(&o);
	return o.len > PRINTF_INT_MAX ? -1 : (int)o.len;

invalid:
	out_terminate(&o);
	return -1;
}
