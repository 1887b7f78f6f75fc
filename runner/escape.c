/* SPDX-License-Identifier: MIT */
/*
 * Test output is arbitrary bytes; XML and YAML consumers reject control
 * characters and invalid UTF-8, and one bad byte would lose the whole
 * report.  Replace such bytes with '?' and, for XML, escape markup.
 */
#include <stdio.h>
#include <string.h>
#include "runner.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid */
size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void put_clean(FILE *f, const char *buf, size_t len, int xml)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_len(s + i, len - i);
		unsigned char c = s[i];

		if (!n) {
			fputc('?', f);
			i++;
			continue;
		}
		if (n > 1) {
			fwrite(s + i, 1, n, f);
			i += n;
			continue;
		}
		i++;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			fputc('?', f);
		} else if (xml && c == '&') {
			fputs("&amp;", f);
		} else if (xml && c == '<') {
			fputs("&lt;", f);
		} else if (xml && c == '>') {
			fputs("&gt;", f);
		} else if (xml && c == '"') {
			fputs("&quot;", f);
		} else {
			fputc(c, f);
		}
	}
}

void put_clean_str(FILE *f, const char *s, int xml)
{
	put_clean(f, s, strlen(s), xml);
}
