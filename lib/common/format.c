// SPDX-License-Identifier: MIT
/*
 * The printf core shared by the guest runtime and the host (see format.h).
 * It runs freestanding in the guest and hosted in the host library, so it
 * calls no library function at all; it reads fmt only below fmt_len and
 * writes buf only below size, because on the host both are fed by a
 * hostile guest.
 */
#include "format.h"

#define FMT_INT_MAX	0x7fffffff
#define FMT_LEN_MAX	((size_t)-1)

enum fmt_length {
	LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	LEN_PTRDIFF, LEN_INTMAX
};

struct fmt_spec {
	unsigned int left : 1;		/* '-' */
	unsigned int plus : 1;		/* '+' */
	unsigned int space : 1;		/* ' ' */
	unsigned int alt : 1;		/* '#' */
	unsigned int zero : 1;		/* '0' */
	unsigned int upper : 1;		/* %X */
	size_t width;
	long prec;			/* -1: none given */
	enum fmt_length length;
};

/*
 * The output cursor: len counts every character the full output has, so
 * the return value is right even when the buffer is too small; only the
 * first size - 1 land in buf.  len saturates at FMT_LEN_MAX instead of
 * wrapping: a source's str() may claim any length (a hostile guest's
 * string, or a buggy source), and a wrapped len would look small again
 * and index buf from a bogus position.
 */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

/* The format, read only below its bound */
struct fmt_in {
	const char *s;
	size_t len;
	size_t pos;
};

/*
 * The current character, '\0' at the bound.  The core only ever looks at
 * the character after one that is not a NUL, so a NUL-terminated format
 * given with an unlimited bound is never read past its NUL either.
 */
static char peek(const struct fmt_in *in)
{
	return in->pos < in->len ? in->s[in->pos] : '\0';
}

/*
 * Room left in buf before the terminator's byte.  Written without len + 1,
 * which would wrap to 0 for a saturated len and look like room.
 */
static size_t out_avail(const struct fmt_out *o)
{
	return o->size && o->len < o->size - 1 ? o->size - 1 - o->len : 0;
}

/* Count n more characters of output, saturating */
static void out_advance(struct fmt_out *o, size_t n)
{
	o->len = n > FMT_LEN_MAX - o->len ? FMT_LEN_MAX : o->len + n;
}

static void out_char(struct fmt_out *o, char c)
{
	if (out_avail(o))
		o->buf[o->len] = c;
	out_advance(o, 1);
}

static void out_repeat(struct fmt_out *o, char c, size_t n)
{
	while (n && out_avail(o)) {
		o->buf[o->len++] = c;
		n--;
	}
	/* A huge width past the end of the buffer costs nothing */
	out_advance(o, n);
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

static void out_terminate(struct fmt_out *o)
{
	if (!o->size)
		return;
	o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

static size_t text_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Text (%c, "(nil)", a placeholder) padded to the field width */
static void out_field(struct fmt_out *o, const struct fmt_spec *spec,
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
 * %s: the source copies the string straight into the output, which saves
 * a copy (the guest pays per instruction); a right-aligned field is then
 * moved right by its padding, as far as the buffer goes.
 */
static void out_string(struct fmt_out *o, const struct fmt_spec *spec,
		       struct kvmkit_fmt_source *src, uint64_t addr)
{
	size_t avail = out_avail(o), max = avail, copied, pad, i;
	char *dst = avail ? o->buf + o->len : NULL;
	long n, limit = spec->prec;

	if (spec->prec >= 0 && max > (size_t)spec->prec)
		max = spec->prec;
	if (src->short_count) {
		/* beyond this neither the padding nor the visible text changes */
		size_t need = (spec->width > max ? spec->width : max) + 1;

		if (limit < 0 || (size_t)limit > need)
			limit = need;
	}
	if (addr) {
		n = src->str(src, addr, max ? dst : NULL, max, limit);
	} else {
		/* glibc's spelling, cut by the precision as glibc does not */
		static const char null[] = "(null)";

		n = sizeof(null) - 1;
		if (spec->prec >= 0 && n > spec->prec)
			n = spec->prec;
		for (i = 0; i < max && i < (size_t)n; i++)
			dst[i] = null[i];
	}
	if (n < 0)
		n = 0;
	if (limit >= 0 && n > limit)
		n = limit;
	copied = (size_t)n < max ? (size_t)n : max;
	pad = spec->width > (size_t)n ? spec->width - n : 0;

	if (spec->left || !pad) {
		out_advance(o, n);
		if (spec->left)
			out_repeat(o, ' ', pad);
		return;
	}
	for (i = copied; i-- > 0;)
		if (pad + i < avail)
			dst[pad + i] = dst[i];
	for (i = 0; i < pad && i < avail; i++)
		dst[i] = ' ';
	out_advance(o, pad);
	out_advance(o, n);
}

/*
 * One integer conversion.  The field is: padding, sign, prefix (0x),
 * zeros (from the precision or the '0' flag), digits, padding.
 */
static void out_integer(struct fmt_out *o, const struct fmt_spec *spec,
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
		plen = text_len(prefix);

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
static long parse_decimal(struct fmt_in *in)
{
	long n = 0;
	char c;

	while ((c = peek(in)) >= '0' && c <= '9') {
		n = n * 10 + (c - '0');
		if (n > FMT_INT_MAX)
			return -1;
		in->pos++;
	}
	return n;
}

/* hh or ll: the second letter is looked at only after the first */
static int take_double(struct fmt_in *in)
{
	char c = peek(in);

	in->pos++;
	if (peek(in) != c)
		return 0;
	in->pos++;
	return 1;
}

static enum fmt_length parse_length(struct fmt_in *in)
{
	switch (peek(in)) {
	case 'h':
		return take_double(in) ? LEN_CHAR : LEN_SHORT;
	case 'l':
		return take_double(in) ? LEN_LLONG : LEN_LONG;
	case 'z':
		in->pos++;
		return LEN_SIZE;
	case 't':
		in->pos++;
		return LEN_PTRDIFF;
	case 'j':
		in->pos++;
		return LEN_INTMAX;
	default:
		return LEN_INT;
	}
}

/*
 * A slot as the argument type the length modifier names: the caller put
 * the value in the low bytes and left the rest undefined.  On x86_64
 * long, long long, size_t, ptrdiff_t and intmax_t all fill the slot.
 */
static long long slot_signed(uint64_t v, enum fmt_length length)
{
	switch (length) {
	case LEN_CHAR:
		return (signed char)v;
	case LEN_SHORT:
		return (short)v;
	case LEN_INT:
		return (int)v;
	default:
		return (long long)v;
	}
}

static unsigned long long slot_unsigned(uint64_t v, enum fmt_length length)
{
	switch (length) {
	case LEN_CHAR:
		return (unsigned char)v;
	case LEN_SHORT:
		return (unsigned short)v;
	case LEN_INT:
		return (unsigned int)v;
	default:
		return v;
	}
}

/* The next slot, of size bytes for an ilp32 source, or 0 with *missing set */
static uint64_t next_arg(struct kvmkit_fmt_source *src, unsigned int size,
			 int *missing)
{
	uint64_t v = 0;

	src->arg_size = src->ilp32 ? size : 8;
	if (src->arg(src, &v)) {
		src->error |= KVMKIT_FMT_ERR_ARG;
		*missing = 1;
		return 0;
	}
	return v;
}

/* A '*' width or precision: an int slot */
static long star_arg(struct kvmkit_fmt_source *src)
{
	int missing = 0;

	return (int)next_arg(src, 4, &missing);
}

/*
 * Bytes of an argument in the i386 ABI, where only long long and
 * intmax_t are 8 bytes: long, size_t, ptrdiff_t and pointers are 4.
 */
static unsigned int ilp32_size(char conv, enum fmt_length length)
{
	if (conv == 'c' || conv == 's' || conv == 'p' || conv == 'n')
		return 4;
	return length == LEN_LLONG || length == LEN_INTMAX ? 8 : 4;
}

static const char missing_text[] = "(missing argument)";
static const char n_text[] = "(%n ignored)";

/*
 * The conversion at in->pos (the character after the flags, width,
 * precision and length).  Returns -1 if it is not one kvmkit knows.
 */
static int convert(struct fmt_out *o, struct fmt_spec *spec,
		   struct kvmkit_fmt_source *src, char conv)
{
	unsigned long long uval;
	long long sval;
	int missing = 0;
	unsigned int size = ilp32_size(conv, spec->length);
	uint64_t v;
	char c;

	/* An ilp32 long is an int: truncate and sign-extend it as one */
	if (src->ilp32 && size == 4 && spec->length != LEN_CHAR &&
	    spec->length != LEN_SHORT)
		spec->length = LEN_INT;
	switch (conv) {
	case 'd':
	case 'i':
	case 'u':
	case 'o':
	case 'x':
	case 'X':
	case 'p':
	case 'c':
	case 's':
		v = next_arg(src, size, &missing);
		break;
	case 'n':
		/* Consumed, so that the arguments after it stay in step */
		next_arg(src, size, &missing);
		src->error |= KVMKIT_FMT_ERR_N;
		out_mem(o, n_text, sizeof(n_text) - 1);
		return 0;
	case '%':
		out_char(o, '%');
		return 0;
	default:
		return -1;	/* includes a '%' at the very end */
	}
	if (missing) {
		out_field(o, spec, missing_text, sizeof(missing_text) - 1);
		return 0;
	}

	switch (conv) {
	case 'd':
	case 'i':
		sval = slot_signed(v, spec->length);
		uval = sval < 0 ? 0ULL - (unsigned long long)sval :
				  (unsigned long long)sval;
		out_integer(o, spec, uval, sval < 0, 10, NULL);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		/* '+' and ' ' only apply to signed conversions */
		spec->plus = spec->space = 0;
		spec->upper = conv == 'X';
		uval = slot_unsigned(v, spec->length);
		if (conv == 'u')
			out_integer(o, spec, uval, 0, 10, NULL);
		else if (conv == 'o')
			out_integer(o, spec, uval, 0, 8, NULL);
		else
			out_integer(o, spec, uval, 0, 16,
				    spec->alt && uval ?
				    (spec->upper ? "0X" : "0x") : NULL);
		break;
	case 'p':
		/* glibc's spelling, so guest and host messages match */
		if (!v) {
			out_field(o, spec, "(nil)", 5);
			break;
		}
		/* as glibc: %#lx, '+' and ' ' included */
		spec->alt = 0;
		out_integer(o, spec, v, 0, 16, "0x");
		break;
	case 'c':
		c = (char)v;
		out_field(o, spec, &c, 1);
		break;
	case 's':
		out_string(o, spec, src, v);
		break;
	}
	return 0;
}

/* Flags, width, precision and length of the conversion after a '%' */
static int parse_spec(struct fmt_in *in, struct fmt_spec *spec,
		      struct kvmkit_fmt_source *src)
{
	long n;

	for (;; in->pos++) {
		char c = peek(in);

		if (c == '-')
			spec->left = 1;
		else if (c == '+')
			spec->plus = 1;
		else if (c == ' ')
			spec->space = 1;
		else if (c == '#')
			spec->alt = 1;
		else if (c == '0')
			spec->zero = 1;
		else
			break;
	}

	if (peek(in) == '*') {
		in->pos++;
		n = star_arg(src);
		/* A negative width is a '-' flag and a width */
		if (n < 0) {
			spec->left = 1;
			n = -n;
		}
	} else {
		n = parse_decimal(in);
		if (n < 0)
			return -1;
	}
	spec->width = n;

	if (peek(in) == '.') {
		in->pos++;
		if (peek(in) == '*') {
			in->pos++;
			n = star_arg(src);
			/* A negative precision is taken as omitted */
			spec->prec = n < 0 ? -1 : n;
		} else {
			spec->prec = parse_decimal(in);
			if (spec->prec < 0)
				return -1;
		}
	}

	spec->length = parse_length(in);
	return 0;
}

int kvmkit_vformat(char *buf, size_t size, const char *fmt, size_t fmt_len,
		   struct kvmkit_fmt_source *src)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	struct fmt_in in = { .s = fmt, .len = fmt_len, .pos = 0 };
	char c;

	while ((c = peek(&in))) {
		struct fmt_spec spec = { .prec = -1 };

		in.pos++;
		if (c != '%') {
			out_char(&o, c);
			continue;
		}
		if (parse_spec(&in, &spec, src) ||
		    convert(&o, &spec, src, peek(&in)))
			goto invalid;
		in.pos++;
	}

	out_terminate(&o);
	return o.len > FMT_INT_MAX ? -1 : (int)o.len;

invalid:
	src->error |= KVMKIT_FMT_ERR_INVALID;
	out_terminate(&o);
	return -1;
}
