// SPDX-License-Identifier: MIT
/*
 * The pure formatters: kvmkit_x86_format_regs() and
 * kvmkit_x86_format_exception() on fabricated state, including every
 * truncation length (a canary after the buffer catches overruns).
 */
#include <stdint.h>
#include <kvmkit/kvmkit.h>
#include <kvmkit/x86.h>
#include "unit.h"

/* Show multi-line text as TAP comments */
static void diag_text(const char *what, const char *text)
{
	char line[256];

	unit_diag("%s:", what);
	while (*text) {
		size_t n = strcspn(text, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		unit_diag("  %s", line);
		text += n + (text[n] == '\n');
	}
}

static void fake_state(struct kvm_regs *r, struct kvm_sregs *s)
{
	memset(r, 0, sizeof(*r));
	memset(s, 0, sizeof(*s));
	r->rip = 0x1234;
	r->rflags = 0x202;
	r->rax = 0x1111;
	r->rsp = 0xdeadbeefcafef00dULL;
	r->r15 = 0xf;
	s->cs.selector = 0x08;
	s->ss.selector = 0x10;
	s->ds.selector = 0x10;
	s->tr.selector = 0x18;
	s->cr0 = 0x80010033;
	s->cr2 = 0xdead0000;
	s->cr3 = 0x5000;
	s->cr4 = 0x620;
	s->efer = 0x500;
	s->gdt.base = 0x2000;
	s->gdt.limit = 0xff;
	s->idt.base = 0x3000;
	s->idt.limit = 0xfff;
}

static void test_regs(void)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	char buf[2048];
	size_t n;

	fake_state(&r, &s);
	n = kvmkit_x86_format_regs(&r, &s, buf, sizeof(buf));
	CHECK_EQ(n, strlen(buf), "format_regs returns the length written");
	CHECK(strstr(buf, "RIP 0x0000000000001234") != NULL, "RIP");
	CHECK(strstr(buf, "RFLAGS 0x00000202") != NULL, "RFLAGS");
	CHECK(strstr(buf, "RAX 0x0000000000001111") != NULL, "RAX");
	CHECK(strstr(buf, "RSP 0xdeadbeefcafef00d") != NULL, "RSP");
	CHECK(strstr(buf, "R15 0x000000000000000f\n") != NULL, "R15 ends a line");
	CHECK(strstr(buf, "CS 0x0008  SS 0x0010  DS 0x0010") != NULL, "selectors");
	CHECK(strstr(buf, "TR 0x0018") != NULL, "TR");
	CHECK(strstr(buf, "CR0 0x80010033  CR2 0xdead0000  CR3 0x5000  CR4 0x620  EFER 0x500") != NULL,
	      "control registers and EFER");
	CHECK(strstr(buf, "GDT 0x2000/0xff  IDT 0x3000/0xfff") != NULL,
	      "descriptor tables");
	CHECK(buf[n - 1] == '\n', "ends with a newline");
	diag_text("format_regs", buf);
}

static void frame(struct kvmkit_exception_frame *f, uint64_t vector,
		  uint64_t error_code)
{
	memset(f, 0, sizeof(*f));
	f->vector = vector;
	f->error_code = error_code;
	f->rip = 0x1234;
	f->cs = 0x8;
	f->ss = 0x10;
	f->rflags = 0x10202;
	f->cr2 = 0xdead0000;
	f->cr3 = 0x5000;
	f->rax = 0xaa;
	f->rsp = 0xff00;
	f->r15 = 0x15;
}

static const char *first_line(const char *text, char *line, size_t len)
{
	size_t n = strcspn(text, "\n");

	if (n >= len)
		n = len - 1;
	memcpy(line, text, n);
	line[n] = '\0';
	return line;
}

#define EXC_LINE(vec, err, want) do {					\
	struct kvmkit_exception_frame _f;				\
	char _buf[2048], _line[256];					\
	frame(&_f, vec, err);						\
	kvmkit_x86_format_exception(&_f, _buf, sizeof(_buf));		\
	CHECK_STR(first_line(_buf, _line, sizeof(_line)), want,		\
		  "exception line for vector " #vec);			\
} while (0)

static void test_exception(void)
{
	struct kvmkit_exception_frame f;
	char buf[2048];
	size_t n;

	EXC_LINE(14, 0x2, "Page fault (#PF, vector 14), error code 0x2 at RIP 0x1234, CR2 0xdead0000");
	EXC_LINE(13, 0x18, "General protection fault (#GP, vector 13), error code 0x18 at RIP 0x1234");
	EXC_LINE(6, 0x99, "Illegal instruction error (#UD, vector 6) at RIP 0x1234");
	EXC_LINE(0, 0, "Division by zero (#DE, vector 0) at RIP 0x1234");
	EXC_LINE(8, 0, "Double fault (#DF, vector 8), error code 0x0 at RIP 0x1234");
	EXC_LINE(31, 0, "Reserved exception 31 (#31, vector 31) at RIP 0x1234");
	EXC_LINE(32, 5, "Unexpected interrupt (vector 32) at RIP 0x1234");
	EXC_LINE(255, 0, "Unexpected interrupt (vector 255) at RIP 0x1234");
	EXC_LINE(0xffffffffffffffffULL, 0,
		 "Unexpected interrupt (vector 18446744073709551615) at RIP 0x1234");

	frame(&f, 14, 2);
	n = kvmkit_x86_format_exception(&f, buf, sizeof(buf));
	CHECK_EQ(n, strlen(buf), "format_exception returns the length written");
	CHECK(strstr(buf, "RAX 0x00000000000000aa") != NULL, "registers follow");
	CHECK(strstr(buf, "RSP 0x000000000000ff00") != NULL, "RSP");
	CHECK(strstr(buf, "R15 0x0000000000000015") != NULL, "R15");
	CHECK(strstr(buf, "CS 0x0008  SS 0x0010  RFLAGS 0x00010202") != NULL,
	      "CS, SS, RFLAGS");
	CHECK(strstr(buf, "CR3 0x5000") != NULL, "CR3");
	diag_text("format_exception", buf);

	CHECK_STR(kvmkit_x86_exception_mnemonic(14), "#PF", "mnemonic(14)");
	CHECK_STR(kvmkit_x86_exception_name(2), "Non-maskable interrupt", "name(2)");
	CHECK(kvmkit_x86_exception_name(32) == NULL, "name(32) is NULL");
}

/* Every length from 0 to the full text: terminated, bounded, a prefix */
static void test_truncation(void)
{
	struct kvmkit_exception_frame f;
	struct kvm_regs r;
	struct kvm_sregs s;
	char full[2][2048], buf[2048 + 16];
	size_t full_len[2], len, n;
	int which, bad = 0;

	fake_state(&r, &s);
	frame(&f, 14, 2);
	full_len[0] = kvmkit_x86_format_regs(&r, &s, full[0], sizeof(full[0]));
	full_len[1] = kvmkit_x86_format_exception(&f, full[1], sizeof(full[1]));
	for (which = 0; which < 2; which++) {
		for (len = 0; len <= full_len[which] + 1; len++) {
			memset(buf, 'X', sizeof(buf));
			n = which ? kvmkit_x86_format_exception(&f, buf, len)
				  : kvmkit_x86_format_regs(&r, &s, buf, len);
			if (buf[len] != 'X' || (len && (n >= len || buf[n] ||
			    strncmp(buf, full[which], n))) || (!len && n) ||
			    (len && n != (len - 1 < full_len[which] ?
					  len - 1 : full_len[which])))
				bad++;
		}
	}
	CHECK_EQ(bad, 0, "every truncation length is bounded, terminated and a prefix");
	CHECK_EQ(kvmkit_x86_format_regs(&r, &s, NULL, 0), 0,
		 "format_regs with len 0 writes nothing");
	CHECK_EQ(kvmkit_x86_format_exception(&f, NULL, 0), 0,
		 "format_exception with len 0 writes nothing");
}

int main(void)
{
	test_regs();
	test_exception();
	test_truncation();
	return unit_done();
}
