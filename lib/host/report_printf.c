// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF: tst_res_() formatted on the host.  The guest's stub
 * only rings the doorbell, so its arguments are still where its calling
 * convention put them; the arch code (x86_64/printf_args.c) says where
 * that is, for 64-bit and 32-bit payloads.  This is the hot path of every
 * guest report, so it costs no ioctl when KVM syncs the registers into
 * kvm_run and the strings lie in the payload image, and it allocates
 * nothing.
 */
#include <stdio.h>
#include <string.h>
#include "guest_read.h"
#include "x86_64/printf_args.h"
#include "../common/format.h"

/* The core's argument source over a stopped guest's registers and stack */
struct regs_source {
	struct kvmkit_fmt_source src;	/* first: the core hands it back */
	struct kvmkit_guest_reader *reader;
	struct kvmkit_printf_call call;
};

static int regs_arg(struct kvmkit_fmt_source *src, uint64_t *slot)
{
	struct regs_source *s = (struct regs_source *)src;

	return kvmkit_arch_printf_arg(s->reader, &s->call, src->arg_size, slot);
}

/* Text in place of a %s, under the core's rules for what str() returns */
static long str_placeholder(char *buf, size_t max, long limit,
			    const char *text, size_t len)
{
	if (limit >= 0 && len > (size_t)limit)
		len = limit;
	if (max)
		memcpy(buf, text, len < max ? len : max);
	return len;
}

static long regs_str(struct kvmkit_fmt_source *src, uint64_t addr, char *buf,
		     size_t max, long limit)
{
	struct regs_source *s = (struct regs_source *)src;
	enum kvmkit_guest_stop stop;
	char text[40];
	long n, more;
	int len;

	n = kvmkit_guest_read_string(s->reader, addr, buf, max, &stop);
	if (n < 0) {
		src->error |= KVMKIT_FMT_ERR_STR;
		len = snprintf(text, sizeof(text), "(bad address 0x%llx)",
			       (unsigned long long)addr);
		return str_placeholder(buf, max, limit, text, len);
	}
	/*
	 * Longer than the room left: measure on as far as the core asks
	 * (short_count keeps that to the field's width), copying nothing.
	 */
	if (stop == KVMKIT_GUEST_FULL && (limit < 0 || limit > n)) {
		more = kvmkit_guest_read_string(s->reader, addr + n, NULL,
						limit < 0 ? SIZE_MAX : (size_t)(limit - n),
						&stop);
		if (more > 0)
			n += more;
	}
	/* Runs off RAM or into an unmapped page: print what was there */
	if (stop == KVMKIT_GUEST_FAULT)
		src->error |= KVMKIT_FMT_ERR_STR;
	return n;
}

/* A message of the host's own in place of the guest's */
static void message_placeholder(struct kvmkit_report *rep, const char *what,
				uint64_t fmt)
{
	snprintf(rep->message, KVMKIT_MESSAGE_MAX,
		 "(tst_res format at 0x%llx %s)", (unsigned long long)fmt, what);
	rep->format_error = 1;
}

int kvmkit_report_from_regs(struct kvmkit_vcpu *vcpu,
			    const struct kvm_regs *regs,
			    struct kvmkit_report *rep)
{
	struct kvmkit_guest_reader reader;
	struct regs_source s = {
		.src = { .arg = regs_arg, .str = regs_str, .short_count = 1 },
		.reader = &reader,
	};
	enum kvmkit_guest_stop stop;
	char fmt[KVMKIT_MESSAGE_MAX + 1];	/* + 1: does it end? */
	long fmt_len;
	int ret, args;

	kvmkit_guest_reader_init(&reader, vcpu);
	args = kvmkit_arch_printf_call(&reader, regs, &s.call);
	s.src.ilp32 = s.call.ilp32;
	rep->result = s.call.result;
	rep->lineno = s.call.lineno;
	rep->file_addr = s.call.file;
	rep->message_truncated = 0;
	rep->format_error = 0;
	rep->message[0] = '\0';

	kvmkit_guest_read_file(&reader, rep);

	if (args) {
		snprintf(rep->message, KVMKIT_MESSAGE_MAX,
			 "(tst_res arguments at 0x%llx are not in guest memory)",
			 (unsigned long long)s.call.stack);
		rep->format_error = 1;
		return 0;
	}
	/* NULL is no format even where page 0 is readable RAM */
	if (!s.call.fmt) {
		message_placeholder(rep, "is NULL", s.call.fmt);
		return 0;
	}

	/*
	 * The format is copied first (the guest may rewrite it meanwhile)
	 * and bounded: one longer than any message is formatted as far as
	 * it was read, the output cannot fit anyway.  One byte more than
	 * that is read, so that a format whose last readable byte is the
	 * KVMKIT_MESSAGE_MAX-th (a reader full at the end of a page does not
	 * look at the next one) is not taken for a long one: it does not
	 * end in guest memory.
	 */
	fmt_len = kvmkit_guest_read_string(&reader, s.call.fmt, fmt, sizeof(fmt),
					   &stop);
	if (fmt_len > (long)KVMKIT_MESSAGE_MAX)
		fmt_len = KVMKIT_MESSAGE_MAX;
	if (fmt_len < 0) {
		message_placeholder(rep, "is not in guest memory", s.call.fmt);
		return 0;
	}
	if (stop == KVMKIT_GUEST_FAULT) {
		message_placeholder(rep, "does not end in guest memory",
				    s.call.fmt);
		return 0;
	}

	ret = kvmkit_vformat(rep->message, KVMKIT_MESSAGE_MAX, fmt, fmt_len,
			     &s.src);
	rep->format_error = !!s.src.error;
	if (stop == KVMKIT_GUEST_FULL || ret >= (int)KVMKIT_MESSAGE_MAX ||
	    (ret < 0 && !(s.src.error & KVMKIT_FMT_ERR_INVALID)))
		rep->message_truncated = 1;
	return 0;
}
