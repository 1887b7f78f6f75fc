// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the printf core (lib/common/format.c) with an arbitrary
 * format, output size and argument source.  The source is as hostile as
 * its contract allows and more: its str() claims any length (negative,
 * or up to LONG_MAX), which is how the output length once wrapped past
 * SIZE_MAX and a byte landed before the buffer.  The output buffer is
 * its own allocation of exactly size bytes and the format a copy without
 * its NUL, so ASan sees any access outside either.
 *
 * Input: u16 size, u8 flags, u8 format length, the format, then per
 * argument slot 8 bytes and per %s 8 bytes of claimed length.
 */
#include <limits.h>
#include "fuzz.h"
#include "format.h"

struct fuzz_source {
	struct kvmkit_fmt_source src;	/* first: the core hands it back */
	struct fuzz_in *in;
	unsigned int slots;		/* left before the source runs dry */
};

static int fuzz_arg(struct kvmkit_fmt_source *src, uint64_t *slot)
{
	struct fuzz_source *s = (struct fuzz_source *)src;

	if (!s->slots)
		return -1;
	s->slots--;
	*slot = fuzz_u64(s->in);
	return 0;
}

/* Copies up to max of what it claims, claims anything */
static long fuzz_str(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		     size_t max, long limit)
{
	struct fuzz_source *s = (struct fuzz_source *)src;
	uint64_t v = fuzz_u64(s->in);
	long n;
	size_t i;

	(void)addr;
	/* the low bits pick a small length, a huge one or a negative one */
	switch (v & 3) {
	case 0:
		n = (long)((v >> 2) % 64);
		break;
	case 1:
		n = LONG_MAX - (long)((v >> 2) % 4);
		break;
	case 2:
		n = -(long)((v >> 2) % 4) - 1;
		break;
	default:
		n = (long)(v >> 2 & LONG_MAX);
		break;
	}
	if (v & 4 && limit >= 0 && n > limit)
		n = limit;		/* a well-behaved source cuts at limit */
	for (i = 0; n > 0 && i < max && i < (size_t)n; i++)
		buf[i] = 'a' + i % 26;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t out_size = fuzz_u16(&in) % 300, fmt_len;
	uint8_t flags = fuzz_u8(&in);
	struct fuzz_source s = {
		.src = { .arg = fuzz_arg, .str = fuzz_str,
			 .short_count = flags & 1 },
		.in = &in,
		.slots = flags >> 1,
	};
	char *out, *fmt;
	int ret;

	fmt_len = fuzz_u8(&in);
	if (fmt_len > in.n)
		fmt_len = in.n;
	out = malloc(out_size ? out_size : 1);
	fmt = malloc(fmt_len ? fmt_len : 1);
	if (!out || !fmt)
		goto done;
	memcpy(fmt, in.p, fmt_len);
	in.p += fmt_len;
	in.n -= fmt_len;

	ret = kvmkit_vformat(out_size ? out : NULL, out_size, fmt, fmt_len,
			     &s.src);
	FUZZ_ASSERT(ret >= -1);
	if (out_size)
		FUZZ_ASSERT(memchr(out, '\0', out_size) != NULL);
	if (s.src.error & KVMKIT_FMT_ERR_INVALID)
		FUZZ_ASSERT(ret == -1);
done:
	free(out);
	free(fmt);
	return 0;
}
