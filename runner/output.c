/* SPDX-License-Identifier: MIT */
/* A test's captured output: bounded head and tail, nothing lost silently. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

static void tail_put(struct output *o, const char *buf, size_t len)
{
	size_t n;

	/* only the last OUT_TAIL bytes of buf can survive */
	if (len > OUT_TAIL) {
		o->dropped += len - OUT_TAIL;
		buf += len - OUT_TAIL;
		len = OUT_TAIL;
	}
	if (o->tail_len + len > OUT_TAIL) {
		size_t lost = o->tail_len + len - OUT_TAIL;

		o->dropped += lost;
		o->tail_len -= lost;
	}
	while (len) {
		n = OUT_TAIL - o->tail_pos;
		if (n > len)
			n = len;
		memcpy(o->tail + o->tail_pos, buf, n);
		o->tail_pos = (o->tail_pos + n) % OUT_TAIL;
		o->tail_len += n;
		buf += n;
		len -= n;
	}
}

int output_append(struct output *o, const char *buf, size_t len)
{
	size_t n;

	if (!o->head) {
		o->head = malloc(OUT_HEAD);
		if (!o->head)
			return -ENOMEM;
	}
	n = OUT_HEAD - o->head_len;
	if (n > len)
		n = len;
	memcpy(o->head + o->head_len, buf, n);
	o->head_len += n;
	buf += n;
	len -= n;
	if (!len)
		return 0;
	if (!o->tail) {
		o->tail = malloc(OUT_TAIL);
		if (!o->tail) {
			o->dropped += len;
			return -ENOMEM;
		}
	}
	tail_put(o, buf, len);
	return 0;
}

void output_foreach(const struct output *o,
		    void (*fn)(void *ctx, const char *buf, size_t len),
		    void *ctx)
{
	size_t start;

	if (o->head_len)
		fn(ctx, o->head, o->head_len);
	if (o->dropped) {
		char note[96];
		int n = snprintf(note, sizeof(note),
				 "\n[kvmkit-run: %llu bytes of output dropped]\n",
				 o->dropped);

		fn(ctx, note, n);
	}
	if (!o->tail_len)
		return;
	start = (o->tail_pos + OUT_TAIL - o->tail_len) % OUT_TAIL;
	if (start + o->tail_len <= OUT_TAIL) {
		fn(ctx, o->tail + start, o->tail_len);
	} else {
		fn(ctx, o->tail + start, OUT_TAIL - start);
		fn(ctx, o->tail, o->tail_len - (OUT_TAIL - start));
	}
}

int output_empty(const struct output *o)
{
	return !o->head_len && !o->tail_len && !o->dropped;
}

void output_free(struct output *o)
{
	free(o->head);
	free(o->tail);
	memset(o, 0, sizeof(*o));
}
