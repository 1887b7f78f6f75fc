// SPDX-License-Identifier: MIT
/* kvmkit_lines_lookup() on hand-written tables, including malformed ones. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kvmkit/lines.h>

static int failures;

static void check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failures += !cond;
}

static int lookup(const char *table, uint64_t addr, char *file, unsigned int *line)
{
	return kvmkit_lines_lookup(table, strlen(table), addr, file, 64, line);
}

int main(void)
{
	const char *table =
		"0x1010 1 a.c\n"
		"0x1013 2 a.c\n"
		"0x1014 0 a.c\n"
		"0x1000 7 b.c\n"
		"0x1000 8 b.c\n"
		"0x1006 0 b.c\n"
		"0x1014 30 c.c\n"
		"garbage line\n"
		"0xzz 5 d.c\n"
		"0x2000 9\n"
		"0x2000 10 long-name.c";
	char file[64];
	unsigned int line = 0;

	check(lookup(table, 0xfff, file, &line) == -ENOENT, "before any code");
	check(!lookup(table, 0x1000, file, &line) && line == 8 && !strcmp(file, "b.c"),
	      "last entry wins at equal address");
	check(!lookup(table, 0x1005, file, &line) && line == 8, "inside a line's range");
	check(lookup(table, 0x1006, file, &line) == -ENOENT, "end of sequence");
	check(!lookup(table, 0x1012, file, &line) && line == 1 && !strcmp(file, "a.c"),
	      "next sequence");
	check(!lookup(table, 0x1014, file, &line) && line == 30 && !strcmp(file, "c.c"),
	      "a real line beats a neighbour's end marker");
	check(!lookup(table, 0x3000, file, &line) && line == 10 &&
	      !strcmp(file, "long-name.c"), "last line without newline; malformed skipped");
	check(kvmkit_lines_lookup(table, 0, 0x1000, file, 64, &line) == -ENOENT, "empty table");
	/* found by fuzzing: NULL + 0 was computed (UBSan under clang) */
	check(kvmkit_lines_lookup(NULL, 0, 0x1000, file, 64, &line) == -ENOENT,
	      "no table at all (NULL, 0)");
	check(!kvmkit_lines_lookup(table, strlen(table), 0x3000, file, 5, &line) &&
	      !strcmp(file, "long"), "file name truncated to the buffer");
	return failures != 0;
}
