// SPDX-License-Identifier: MIT
/*
 * Payload line-table lookup.  The table is tiny and consulted only when a
 * guest faults, so a linear scan that needs no allocation and no sorting
 * beats building an index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kvmkit/lines.h>

struct line_entry {
	uint64_t addr;
	unsigned long line;
	const char *file;
	size_t filelen;
};

/*
 * Copy the field in [p, the next space) to num as a string; returns where
 * the next field starts, NULL if the field is empty, does not fit or is
 * the last on the line.
 */
static const char *take_field(const char *p, const char *end, char *num,
			      size_t size)
{
	const char *q;
	size_t n;

	for (q = p; q < end && *q != ' '; q++)
		;
	n = q - p;
	if (!n || n >= size || q == end)
		return NULL;
	memcpy(num, p, n);
	num[n] = '\0';
	return q + 1;
}

/* Parse one "0xADDR LINE FILE" line in [p, end); 0 if it does not parse */
static int parse_entry(const char *p, const char *end, struct line_entry *e)
{
	char num[32];
	char *stop;

	p = take_field(p, end, num, sizeof(num));
	if (!p)
		return 0;
	e->addr = strtoull(num, &stop, 0);
	if (*stop)
		return 0;

	p = take_field(p, end, num, sizeof(num));
	if (!p)
		return 0;
	e->line = strtoul(num, &stop, 10);
	if (*stop)
		return 0;

	e->file = p;
	e->filelen = end - e->file;
	return e->filelen > 0;
}

int kvmkit_lines_lookup(const char *table, size_t len, uint64_t addr,
			char *file, size_t filelen, unsigned int *line)
{
	const char *p = table, *end, *eol;
	struct line_entry e, best = { 0 };
	int found = 0;

	/* NULL + 0 is undefined in C: a payload without a table has NULL */
	if (!table || !len)
		return -ENOENT;
	end = table + len;
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', end - p);
		if (!eol)
			eol = end;
		if (!parse_entry(p, eol, &e) || e.addr > addr)
			continue;
		/* Later entries win at equal addresses, but a real line beats
		 * the end marker of a neighbouring sequence. */
		if (!found || e.addr > best.addr ||
		    (e.addr == best.addr && (e.line || !best.line))) {
			best = e;
			found = 1;
		}
	}

	if (!found || !best.line)
		return -ENOENT;
	if (filelen) {
		size_t n = best.filelen < filelen - 1 ? best.filelen : filelen - 1;

		memcpy(file, best.file, n);
		file[n] = '\0';
	}
	*line = best.line;
	return 0;
}
