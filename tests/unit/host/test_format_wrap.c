// SPDX-License-Identifier: MIT
/*
 * The printf core (lib/common/format.c) fed by a source whose str()
 * claims huge lengths, as fuzzing found: the output length wrapped past
 * SIZE_MAX and the next character landed one byte before the buffer.
 * The buffer sits between two guard areas that must stay untouched.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "../../../lib/common/format.h"

#define GUARD	0xa5

static struct {
	unsigned char before[64];
	char buf[16];
	unsigned char after[64];
} out;

/* Copies nothing and claims LONG_MAX bytes (cut to limit, as allowed) */
static long huge_str(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		     size_t max, long limit)
{
	(void)src;
	(void)addr;
	(void)buf;
	(void)max;
	return limit >= 0 && limit < LONG_MAX ? limit : LONG_MAX;
}

static int slots_left;

static int one_arg(struct kvmkit_fmt_source *src, uint64_t *slot)
{
	(void)src;
	if (!slots_left)
		return -1;
	slots_left--;
	*slot = 1;		/* any non-NULL address */
	return 0;
}

static int guards_intact(void)
{
	size_t i;

	for (i = 0; i < sizeof(out.before); i++)
		if (out.before[i] != GUARD || out.after[i] != GUARD)
			return 0;
	return 1;
}

/* fmt into out.buf (size bytes of it); returns the core's value */
static int run(const char *fmt, size_t size)
{
	struct kvmkit_fmt_source src = { .arg = one_arg, .str = huge_str };

	memset(&out, GUARD, sizeof(out));
	slots_left = 8;
	return kvmkit_vformat(out.buf, size, fmt, strlen(fmt), &src);
}

static void check_case(const char *fmt, size_t size)
{
	int ret = run(fmt, size);

	CHECK(guards_intact(), "\"%s\" into %zu bytes: nothing written outside",
	      fmt, size);
	CHECK_EQ(ret, -1, "  returns -1 (longer than INT_MAX)");
	if (size)
		CHECK(memchr(out.buf, '\0', size) != NULL, "  terminated");
}

int main(void)
{
	/* the fuzzer's case: 2 * LONG_MAX + 2 wraps to 0 */
	check_case("%s%sxy", sizeof(out.buf));
	check_case("%s%s%s%sxyz", sizeof(out.buf));
	check_case("%s%s%20s|%-5s|%c%d", sizeof(out.buf));
	check_case("%s%s%%", 1);
	check_case("%s%sxy", 0);
	return unit_done();
}
