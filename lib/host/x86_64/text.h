/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host/x86_64: appending formatted text to a caller's
 * buffer that silently truncates, always stays NUL-terminated (len > 0)
 * and never writes past len.  Used by the register and exception dumps.
 */
#ifndef KVMKIT_HOST_X86_64_TEXT_H
#define KVMKIT_HOST_X86_64_TEXT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct kvmkit_text {
	char *buf;
	size_t len;
	size_t pos;	/* always < len when len > 0 */
};

static inline void kvmkit_text_init(struct kvmkit_text *t, char *buf,
				    size_t len)
{
	t->buf = buf;
	t->len = len;
	t->pos = 0;
	if (len)
		buf[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static inline void kvmkit_text_printf(struct kvmkit_text *t,
				      const char *fmt, ...)
{
	size_t room;
	va_list ap;
	int n;

	if (t->pos + 1 >= t->len)
		return;
	room = t->len - t->pos;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->pos, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		t->buf[t->pos] = '\0';
	else
		t->pos += (size_t)n < room ? (size_t)n : room - 1;
}

/*
 * The general-purpose registers, four to a line, in the order
 * rax rbx rcx rdx rsi rdi rbp rsp r8 ... r15 (defined in dump.c)
 */
void kvmkit_x86_text_gprs(struct kvmkit_text *t, const uint64_t gpr[16]);

#endif /* KVMKIT_HOST_X86_64_TEXT_H */
