// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF on the host: kvmkit_report_from_regs() on registers
 * and guest memory fabricated in a fabricated VM (lib/host/internal.h),
 * no /dev/kvm needed.  Every conversion with its argument in %r8, %r9
 * and on the stack, int slots with dirty upper halves, '*' from a slot,
 * %s from guest memory (walked, unterminated at the end of RAM, a
 * precision ending at its last byte, NULL, bad addresses), stack slots outside RAM or wrapping, more conversions than
 * KVMKIT_PRINTF_MAX_ARGS, %n, formats that are unterminated, outside RAM
 * or longer than the message, and kvmkit_vcpu_exit_regs() from kvm_run.
 * Then the cost of a typical report, and on KVM (skipped without it) a
 * real guest's doorbell read through KVM's synced registers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"
#include "image.h"

#define RAM_SIZE	0x100000
#define IMAGE_END	RAM_SIZE	/* identity up to the end of RAM */
#define FILE_GPA	0x2000
#define FMT_GPA		0x3000		/* up to 0x5000 for long formats */
#define STR_GPA		0x6000
#define STACK		0x8000		/* rsp: [rsp] is the return address */
/* Guest page tables for the walked cases (synced sregs) */
#define PML4		0x80000
#define PDPT		0x81000
#define PD		0x82000
#define PT		0x83000
#define HIGH		0x8000000000ULL	/* PML4[1]: walked, not identity */
#define HIGH_GPA0	0x90000		/* HIGH + 0 KiB -> here */
#define HIGH_GPA2	0xa0000		/* HIGH + 8 KiB -> here; + 4 KiB unmapped */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A list of argument slots: pointer and count */
#define SLOTS(...) (const uint64_t[]){ __VA_ARGS__ }, \
	ARRAY_SIZE(((const uint64_t[]){ __VA_ARGS__ }))
#define NO_SLOTS NULL, 0

static struct kvmkit_vm vm;
static struct kvmkit_vcpu vcpu;
static uint8_t *ram;
static struct kvmkit_report rep;
static uint64_t rsp = STACK;

static void put(uint64_t gpa, const void *data, size_t len)
{
	memcpy(ram + gpa, data, len);
}

static void put_str(uint64_t gpa, const char *s)
{
	put(gpa, s, strlen(s) + 1);
}

static void put64(uint64_t gpa, uint64_t v)
{
	put(gpa, &v, sizeof(v));
}

static void setup(void)
{
	struct kvmkit_payload_header h = { .image_end = IMAGE_END };

	ram = aligned_alloc(KVMKIT_PAGE_SIZE, RAM_SIZE);
	vcpu.run = calloc(1, sizeof(*vcpu.run));
	if (!ram || !vcpu.run)
		unit_skip_all("out of memory");
	memset(ram, 0xee, RAM_SIZE);
	vm.fd = -1;
	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)ram,
	};
	vcpu.fd = -1;		/* any ioctl fails: EBADF */
	vcpu.vm = &vm;
	put(KVMKIT_PAYLOAD_BASE, &h, sizeof(h));
	put_str(FILE_GPA, "kvm_test.c");
	put_str(STR_GPA, "hello");

	memset(ram + PML4, 0, 4 * KVMKIT_PAGE_SIZE);
	put64(PML4 + 8, PDPT | KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW);
	put64(PDPT, PD | KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW);
	put64(PD, PT | KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW);
	put64(PT, HIGH_GPA0 | KVMKIT_X86_PTE_P);
	put64(PT + 16, HIGH_GPA2 | KVMKIT_X86_PTE_P);
}

/* Walks use the control registers KVM would sync into kvm_run */
static void sync_sregs(int on)
{
	struct kvm_sregs *s = &vcpu.run->s.regs.sregs;

	vcpu.run->kvm_valid_regs = on ? KVM_SYNC_X86_SREGS : 0;
	s->cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG;
	s->cr3 = PML4;
	s->cr4 = KVMKIT_X86_CR4_PAE;
	s->efer = KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA;
}

/*
 * tst_res_(TINFO, fmt, slots...) as the guest's stub leaves it: upper
 * halves of the int registers dirty, slots 0 and 1 in %r8/%r9, the rest
 * above a return address at rsp.
 */
static int report_at(uint64_t fmt_addr, const uint64_t *slots, size_t n)
{
	struct kvm_regs regs = {
		.rdi = FILE_GPA,
		.rsi = 0xdeadbeef00000000ULL | 321,
		.rdx = 0xfeedface00000000ULL | KVMKIT_TINFO,
		.rcx = fmt_addr,
		.rsp = rsp,
		.r8 = 0x5a5a5a5a5a5a5a5aULL,
		.r9 = 0x5a5a5a5a5a5a5a5aULL,
	};
	size_t i;

	if (n > 0)
		regs.r8 = slots[0];
	if (n > 1)
		regs.r9 = slots[1];
	if (rsp == STACK) {
		put64(rsp, 0x1234);	/* return address */
		for (i = 2; i < n; i++)
			put64(rsp + 8 * (i - 1), slots[i]);
	}
	memset(&rep, 0x5a, sizeof(rep));	/* every field must be set */
	return kvmkit_report_from_regs(&vcpu, &regs, &rep);
}

static int report(const char *fmt, const uint64_t *slots, size_t n)
{
	put_str(FMT_GPA, fmt);
	return report_at(FMT_GPA, slots, n);
}

/* The message and its flags after report() */
static void expect(const char *want, int format_error, const char *what)
{
	CHECK_STR(rep.message, want, what);
	if (!CHECK_EQ(rep.format_error, format_error, "  ... format_error"))
		unit_diag("%s", what);
	CHECK_EQ(rep.message_truncated, 0, "  ... message not truncated");
}

#define EXPECT(want, fmt, slots) do {					\
	CHECK_EQ(report(fmt, slots), 0, "report \"" fmt "\"");		\
	expect(want, 0, "\"" fmt "\" -> \"" want "\"");			\
} while (0)

#define EXPECT_ERR(want, fmt, slots) do {				\
	CHECK_EQ(report(fmt, slots), 0, "report \"" fmt "\"");		\
	expect(want, 1, "\"" fmt "\" -> \"" want "\" (format error)");	\
} while (0)

static void test_fields(void)
{
	CHECK_EQ(report("%s %d", SLOTS(STR_GPA, 42)), 0, "report");
	CHECK_EQ(rep.result, KVMKIT_TINFO, "result from %edx, upper half ignored");
	CHECK_EQ(rep.lineno, 321, "line from %esi, upper half ignored");
	CHECK_EQ(rep.file_addr, FILE_GPA, "file_addr from %rdi");
	CHECK(rep.file_ok && !rep.file_truncated, "file name read");
	CHECK_STR(rep.file, "kvm_test.c", "file name");
	expect("hello 42", 0, "message");
}

/*
 * Each conversion with its argument in %r8, in %r9 and on the stack:
 * "%.0d" with a zero slot prints nothing and moves the argument along.
 */
static void test_conversions(void)
{
	static const struct {
		const char *fmt;
		uint64_t slot;
		const char *want;
	} t[] = {
		{ "%d", 0xdeadbeeffffffffbULL, "-5" },
		{ "%d", 0x1234567800000007ULL, "7" },
		{ "%i", 0xffffffff80000000ULL, "-2147483648" },
		{ "%u", 0xdeadbeefee6b2800ULL, "4000000000" },
		{ "%o", 0xff00000000000008ULL, "10" },
		{ "%x", 0xffff0000000000ffULL, "ff" },
		{ "%X", 0x00000001000000abULL, "AB" },
		{ "%c", 0x1234567800000071ULL, "q" },
		{ "%s", STR_GPA, "hello" },
		{ "%p", 0x1234, "0x1234" },
		{ "%p", 0, "(nil)" },
		{ "%hhd", 0xdeadbeef000001ffULL, "-1" },
		{ "%hhu", 0xdeadbeef000001ffULL, "255" },
		{ "%hhx", 0x0000000000001280ULL, "80" },
		{ "%hd", 0xdeadbeef0001ffffULL, "-1" },
		{ "%hu", 0xdeadbeef0001ffffULL, "65535" },
		{ "%ld", 0xfffffffffffffffbULL, "-5" },
		{ "%lu", 0xffffffffffffffffULL, "18446744073709551615" },
		{ "%lx", 0xffff0000000000ffULL, "ffff0000000000ff" },
		{ "%lld", 0x8000000000000000ULL, "-9223372036854775808" },
		{ "%llo", 0xffffffffffffffffULL, "1777777777777777777777" },
		{ "%zu", 0x100000000ULL, "4294967296" },
		{ "%zd", 0xffffffffffffffffULL, "-1" },
		{ "%td", 0xfffffffffffffff9ULL, "-7" },
		{ "%jd", 0x7fffffffffffffffULL, "9223372036854775807" },
		{ "%jx", 0xabcdef0123456789ULL, "abcdef0123456789" },
		{ "[%5d]", 0xffffffff0000002aULL, "[   42]" },
		{ "[%-5d]", 42, "[42   ]" },
		{ "[%05d]", 0xaaaaaaaaffffffd6ULL, "[-0042]" },
		{ "[%+d]", 42, "[+42]" },
		{ "[% d]", 42, "[ 42]" },
		{ "[%.4x]", 0xff, "[00ff]" },
		{ "[%#x]", 0xff, "[0xff]" },
		{ "[%#o]", 8, "[010]" },
		{ "[%8s]", STR_GPA, "[   hello]" },
		{ "[%-8s]", STR_GPA, "[hello   ]" },
		{ "[%.2s]", STR_GPA, "[he]" },
		{ "[%3c]", 'z', "[  z]" },
		{ "[%10p]", 0xbeef, "[    0xbeef]" },
	};
	static const char *const where[] = { "%r8", "%r9", "the stack" };
	static const unsigned int skip[] = { 0, 1, 5 };
	char fmt[64], what[128];
	uint64_t slots[8];
	size_t i, w, k;

	for (i = 0; i < ARRAY_SIZE(t); i++)
	for (w = 0; w < ARRAY_SIZE(where); w++) {
		fmt[0] = '\0';
		for (k = 0; k < skip[w]; k++) {
			strcat(fmt, "%.0d");
			slots[k] = 0xffffffff00000000ULL;	/* int 0 */
		}
		strcat(fmt, t[i].fmt);
		slots[k] = t[i].slot;
		snprintf(what, sizeof(what), "\"%s\" in %s -> \"%s\"",
			 t[i].fmt, where[w], t[i].want);
		CHECK_EQ(report(fmt, slots, k + 1), 0, "report");
		expect(t[i].want, 0, what);
	}

	EXPECT("100% sure", "100%% sure", NO_SLOTS);
	EXPECT("no conversion", "no conversion", NO_SLOTS);
	EXPECT("1 2 3 4 5 6 7 8", "%d %d %d %d %d %d %d %d",
	       SLOTS(1, 2, 3, 4, 5, 6, 7, 8));
	/* a long and ints interleaved stay in step: one slot each */
	EXPECT("-1 ffffffffffffffff -1", "%hhd %lx %d",
	       SLOTS(0xff, 0xffffffffffffffffULL, 0x00000000ffffffffULL));
}

static void test_star(void)
{
	/* '*' takes an int slot: only the low half counts */
	EXPECT("[   42]", "[%*d]", SLOTS(0xffffffff00000005ULL, 42));
	EXPECT("[42   ]", "[%*d]", SLOTS(0x00000000fffffffbULL, 42));
	EXPECT("[he]", "[%.*s]", SLOTS(0xabcdef0000000002ULL, STR_GPA));
	EXPECT("[hello]", "[%.*s]", SLOTS(0x00000000ffffffffULL, STR_GPA));
	/* width and precision from the stack */
	EXPECT("[a] [  007]", "[%c] [%*.*d]", SLOTS('a', 5, 3, 7));
}

static void test_strings(void)
{
	char big[300];

	EXPECT("[(null)]", "[%s]", SLOTS(0));
	EXPECT("[(nu]", "[%.3s]", SLOTS(0));
	EXPECT("[hello][hello]", "[%s][%s]", SLOTS(STR_GPA, STR_GPA));

	/* Not in the identity window: walked with the synced sregs */
	put_str(HIGH_GPA0 + 0x10, "walked");
	sync_sregs(1);
	EXPECT("[walked]", "[%s]", SLOTS(HIGH + 0x10));
	/* across two virtual pages far apart in RAM */
	memcpy(ram + HIGH_GPA0 + 0xffd, "abc", 3);
	put_str(HIGH_GPA2, "def");
	EXPECT_ERR("[abc]", "[%s]", SLOTS(HIGH + 0xffd));	/* +4 KiB unmapped */
	put64(PT + 8, HIGH_GPA2 | KVMKIT_X86_PTE_P);
	EXPECT("[abcdef]", "[%s]", SLOTS(HIGH + 0xffd));
	put64(PT + 8, 0);
	EXPECT_ERR("[(bad address 0x8000001000)]", "[%s]", SLOTS(HIGH + 0x1000));
	EXPECT_ERR("[(bad address 0x7fff0000)]", "[%s]", SLOTS(0x7fff0000));
	EXPECT_ERR("[(bad address 0xffff800000000000)]", "[%s]",
		   SLOTS(0xffff800000000000ULL));
	/* The precision cuts a placeholder like any string */
	EXPECT_ERR("[(bad]", "[%.4s]", SLOTS(0x7fff0000));
	sync_sregs(0);
	/* No synced sregs: KVM_GET_SREGS, which fails here (no vCPU fd) */
	EXPECT_ERR("[(bad address 0x8000000010)]", "[%s]", SLOTS(HIGH + 0x10));

	/* Unterminated at the very end of RAM */
	memcpy(ram + RAM_SIZE - 5, "tail!", 5);
	EXPECT_ERR("[tail!]", "[%s]", SLOTS(RAM_SIZE - 5));
	EXPECT("[tai]", "[%.3s]", SLOTS(RAM_SIZE - 5));
	/* A precision ending at the last byte of RAM: C reads no further */
	EXPECT("[il!]", "[%.3s]", SLOTS(RAM_SIZE - 3));
	EXPECT("[!]", "[%.1s]", SLOTS(RAM_SIZE - 1));
	EXPECT("[  il!]", "[%5.3s]", SLOTS(RAM_SIZE - 3));
	EXPECT_ERR("[il!]", "[%.4s]", SLOTS(RAM_SIZE - 3));
	EXPECT_ERR("[     tail!]", "[%10s]", SLOTS(RAM_SIZE - 5));
	EXPECT_ERR("[(bad address 0x100000)]", "[%s]", SLOTS(RAM_SIZE));

	/* A long string is read as far as the message goes */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put_str(STR_GPA + 0x100, big);
	CHECK_EQ(report("%s", SLOTS(STR_GPA + 0x100)), 0, "report");
	CHECK_STR(rep.message, big, "a 299-byte string");

	/* Fields at the end of the message: padding measured, text cut */
	CHECK_EQ(report("%4070d%20s", SLOTS(1, STR_GPA + 0x100)), 0, "report");
	CHECK(rep.message_truncated && strlen(rep.message) == 4079 &&
	      rep.message[4069] == '1' && !strcmp(rep.message + 4070, "xxxxxxxxx"),
	      "a long string after a wide field: cut at the end");
	CHECK_EQ(report("%4075s", SLOTS(STR_GPA)), 0, "report");
	CHECK(!rep.message_truncated && strlen(rep.message) == 4075 &&
	      !strcmp(rep.message + 4070, "hello"),
	      "a right-aligned field that just fits");
	CHECK_EQ(report("%4090s", SLOTS(STR_GPA)), 0, "report");
	CHECK(rep.message_truncated && strlen(rep.message) == 4079 &&
	      rep.message[4078] == ' ', "padding past the end: truncated");
	CHECK_EQ(report("%4000d%100s|", SLOTS(1, STR_GPA + 0x100)), 0, "report");
	CHECK(rep.message_truncated && rep.message[4000] == 'x' &&
	      rep.message[4078] == 'x', "string longer than its width");
}

static void test_bad_slots(void)
{
	char fmt[KVMKIT_PRINTF_MAX_ARGS * 4 + 8], want[512];
	uint64_t slots[KVMKIT_PRINTF_MAX_ARGS + 1];
	size_t i, len = 0;

	/* More conversions than slots the host reads: the last one is missing */
	fmt[0] = want[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		slots[i] = i;
		strcat(fmt, "%d ");
		if (i < KVMKIT_PRINTF_MAX_ARGS)
			len += snprintf(want + len, sizeof(want) - len, "%zu ", i);
	}
	strcat(want, "(missing argument) ");
	CHECK_EQ(report(fmt, slots, ARRAY_SIZE(slots)), 0, "report");
	expect(want, 1, "conversion 33 of 32 slots: missing, slot 33 not read");
	/* 32 slots of int 0 printing nothing, then a %s with none left */
	memset(fmt, 0, sizeof(fmt));
	for (i = 0; i < KVMKIT_PRINTF_MAX_ARGS; i++) {
		slots[i] = 0xffffffff00000000ULL;
		strcat(fmt, "%.0d");
	}
	strcat(fmt, "[%s]");
	CHECK_EQ(report(fmt, slots, KVMKIT_PRINTF_MAX_ARGS), 0, "report");
	expect("[(missing argument)]", 1, "%s after 32 slots: missing");

	/* Stack outside RAM: the register slots still print */
	rsp = 0x7fff0000;
	EXPECT_ERR("1 2 (missing argument) (missing argument)", "%d %d %d %s",
		   SLOTS(1, 2));
	EXPECT_ERR("[1  (missing argument)]", "[%d%*d]", SLOTS(1, 20));
	/* rsp at the end of RAM: [rsp + 8] is the last slot that exists */
	rsp = RAM_SIZE - 16;
	put64(RAM_SIZE - 8, 77);
	EXPECT_ERR("1 2 77 (missing argument)", "%d %d %d %d", SLOTS(1, 2));
	/* a slot straddling the end of RAM is not read in part */
	rsp = RAM_SIZE - 12;
	EXPECT_ERR("1 2 (missing argument)", "%d %d %d", SLOTS(1, 2));
	/* the stack wrapping around the address space */
	rsp = UINT64_MAX - 8;
	EXPECT_ERR("1 2 (missing argument) (missing argument)", "%d %d %d %d",
		   SLOTS(1, 2));
	rsp = STACK;

	/* %n: never honoured, its slot consumed so the rest stays in step */
	EXPECT_ERR("a(%n ignored)b 7", "a%nb %d", SLOTS(STR_GPA, 7));
	EXPECT_ERR("(%n ignored)(%n ignored)3", "%hhn%lln%d", SLOTS(1, 2, 3));
}

static void test_formats(void)
{
	static char fmt[KVMKIT_MESSAGE_MAX + 100];
	char want[96];

	/* An invalid conversion stops the message there */
	EXPECT_ERR("ok 7 ", "ok %d %y and more", SLOTS(7));
	EXPECT_ERR("50", "50%", NO_SLOTS);

	CHECK_EQ(report_at(0x7fff0000, NO_SLOTS), 0, "report");
	expect("(tst_res format at 0x7fff0000 is not in guest memory)", 1,
	       "format outside RAM");
	CHECK_EQ(report_at(0, NO_SLOTS), 0, "report");
	expect("(tst_res format at 0x0 is NULL)", 1, "NULL format");
	CHECK(rep.file_ok && !strcmp(rep.file, "kvm_test.c") &&
	      rep.lineno == 321 && rep.result == KVMKIT_TINFO,
	      "a bad format keeps the file, line and result");

	memcpy(ram + RAM_SIZE - 6, "%d abc", 6);
	CHECK_EQ(report_at(RAM_SIZE - 6, SLOTS(1)), 0, "report");
	snprintf(want, sizeof(want),
		 "(tst_res format at 0x%x does not end in guest memory)",
		 RAM_SIZE - 6);
	expect(want, 1, "format unterminated at the end of RAM");

	/* Longer than the message: formatted as far as it goes, truncated */
	memset(fmt, 'f', sizeof(fmt) - 1);
	fmt[sizeof(fmt) - 1] = '\0';
	CHECK_EQ(report(fmt, NO_SLOTS), 0, "report");
	CHECK(strlen(rep.message) == KVMKIT_MESSAGE_MAX - 1 &&
	      rep.message_truncated && !rep.format_error,
	      "format longer than the message: truncated, not an error");
	/* Exactly as long as the message can hold */
	fmt[KVMKIT_MESSAGE_MAX - 1] = '\0';
	CHECK_EQ(report(fmt, NO_SLOTS), 0, "report");
	CHECK(!strcmp(rep.message, fmt) && !rep.message_truncated &&
	      !rep.format_error, "format of KVMKIT_MESSAGE_MAX - 1 bytes fits");
	fmt[KVMKIT_MESSAGE_MAX - 1] = 'f';
	fmt[KVMKIT_MESSAGE_MAX] = '\0';
	CHECK_EQ(report(fmt, NO_SLOTS), 0, "report");
	CHECK(rep.message_truncated && !rep.format_error,
	      "one byte more is truncated");
	/* Output longer than the message */
	CHECK_EQ(report("%5000d|", SLOTS(1)), 0, "report");
	CHECK(rep.message_truncated && !rep.format_error &&
	      strlen(rep.message) == KVMKIT_MESSAGE_MAX - 1,
	      "output longer than the message: truncated");
	CHECK_EQ(report("%4000s%200s", SLOTS(STR_GPA, STR_GPA)), 0, "report");
	CHECK(rep.message_truncated && strlen(rep.message) == KVMKIT_MESSAGE_MAX - 1,
	      "right-aligned string past the end: truncated");
	CHECK_EQ(report("%2147483647d%d", SLOTS(1, 1)), 0, "report");
	CHECK(rep.message_truncated, "output beyond INT_MAX: truncated");

	/* File names: walked, unreadable */
	put_str(FMT_GPA, "x");
	{
		struct kvm_regs regs = { .rdi = 0x7fff0000, .rcx = FMT_GPA,
					 .rsp = STACK };

		CHECK(!kvmkit_report_from_regs(&vcpu, &regs, &rep) &&
		      !rep.file_ok && !rep.file[0] && !strcmp(rep.message, "x"),
		      "unreadable file name: file_ok = 0, message still read");
		regs.rdi = 0;
		CHECK(!kvmkit_report_from_regs(&vcpu, &regs, &rep) &&
		      !rep.file_ok && !rep.file[0] && !rep.format_error &&
		      !strcmp(rep.message, "x"), "NULL file name: file_ok = 0");
		/* bytes running into the end of RAM are no name */
		memset(ram + RAM_SIZE - 8, 'F', 8);
		regs.rdi = RAM_SIZE - 8;
		CHECK(!kvmkit_report_from_regs(&vcpu, &regs, &rep) &&
		      !rep.file_ok && !rep.file[0] && !strcmp(rep.message, "x"),
		      "file name running off RAM: file_ok = 0");
	}
}

static void test_exit_regs(void)
{
	struct kvm_regs regs;

	vcpu.run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	vcpu.run->s.regs.regs.r8 = 0x1234;
	vcpu.run->s.regs.regs.rip = 0x5678;
	memset(&regs, 0, sizeof(regs));
	CHECK(!kvmkit_vcpu_exit_regs(&vcpu, &regs) && regs.r8 == 0x1234 &&
	      regs.rip == 0x5678, "exit_regs: from kvm_run when synced");
	vcpu.run->kvm_valid_regs = 0;
	CHECK_EQ(kvmkit_vcpu_exit_regs(&vcpu, &regs), -EBADF,
		 "exit_regs: KVM_GET_REGS otherwise");
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* What a typical report costs the host, beyond its exit */
static void time_reports(void)
{
	struct kvm_regs regs = {
		.rdi = FILE_GPA, .rsi = 42, .rdx = KVMKIT_TPASS,
		.rcx = FMT_GPA, .rsp = STACK, .r8 = STR_GPA, .r9 = 1234,
	};
	enum { N = 200000 };
	uint64_t t0, best = UINT64_MAX;
	int round, i, fails = 0;

	put_str(FILE_GPA, "kvm_pagefault01.c");
	put_str(FMT_GPA, "%s %d");
	put_str(STR_GPA, "value");
	vcpu.run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	vcpu.run->s.regs.regs = regs;
	for (round = 0; round < 5; round++) {
		t0 = now_ns();
		for (i = 0; i < N; i++) {
			fails += kvmkit_vcpu_exit_regs(&vcpu, &regs);
			fails += kvmkit_report_from_regs(&vcpu, &regs, &rep);
		}
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	vcpu.run->kvm_valid_regs = 0;
	CHECK(!fails && !strcmp(rep.message, "value 1234"), "timed reports");
	unit_diag("exit_regs + report_from_regs (\"%%s %%d\"): %.0f ns per report",
		  (double)best / N);
	put_str(FILE_GPA, "kvm_test.c");
	put_str(STR_GPA, "hello");
}

/* ---- a real guest's doorbell, on KVM ----------------------------------- */

/* The image (image.h) */
#define G_FILE		IMG_STRINGS
#define G_FMT		(IMG_STRINGS + 0x100)
#define G_STR		(IMG_STRINGS + 0x200)
#define G_RSP		0xf000

/*
 * tst_res_(TINFO, "%s %d %lx %d", G_STR, -5, ...) as the guest's stub
 * leaves it, then the doorbell in a loop:
 *	mov $G_RSP,%esp; mov $G_FILE,%edi; mov $7,%esi; mov $16,%edx
 *	mov $G_FMT,%ecx; mov $G_STR,%r8d; mov $-5,%r9
 *	1: mov $KVMKIT_HC_PRINTF,%eax; out %eax,$KVMKIT_HC_PORT; jmp 1b
 */
static const uint8_t g_code[] = {
	0xbc, 0x00, 0xf0, 0x00, 0x00,
	0xbf, 0x00, 0x12, 0x00, 0x00,
	0xbe, 0x07, 0x00, 0x00, 0x00,
	0xba, 0x10, 0x00, 0x00, 0x00,
	0xb9, 0x00, 0x13, 0x00, 0x00,
	0x41, 0xb8, 0x00, 0x14, 0x00, 0x00,
	0x49, 0xc7, 0xc1, 0xfb, 0xff, 0xff, 0xff,
	0xb8, KVMKIT_HC_PRINTF, 0x00, 0x00, 0x00,
	0xe7, KVMKIT_HC_PORT,
	0xeb, 0xf7,
};

static void make_guest_image(uint8_t *image)
{
	image_make(image, g_code, sizeof(g_code));
	image_put_str(image, G_FILE, "kvm_e2e.c");
	image_put_str(image, G_FMT, "%s %d %lx %d");
	image_put_str(image, G_STR, "value");
}

static int run_to_doorbell(struct kvmkit_vcpu *v)
{
	struct kvmkit_hypercall hc;
	struct kvmkit_exit exit;

	if (kvmkit_vcpu_run(v, &exit) || kvmkit_hypercall_decode(&exit, &hc))
		return -1;
	return hc.nr == KVMKIT_HC_PRINTF ? 0 : -1;
}

/* n round trips, with or without the report */
static uint64_t round_trips(struct kvmkit_vcpu *v, int with_report, int n,
			    int *fails)
{
	struct kvm_regs regs;
	uint64_t t = now_ns();
	int i;

	for (i = 0; i < n; i++) {
		*fails += !!run_to_doorbell(v);
		if (with_report) {
			*fails += !!kvmkit_vcpu_exit_regs(v, &regs);
			*fails += !!kvmkit_report_from_regs(v, &regs, &rep);
		}
	}
	return now_ns() - t;
}

/* Best of interleaved rounds, so that drift hits both alike */
static void time_round_trips(struct kvmkit_vcpu *v, double *bare,
			     double *full, int *fails)
{
	enum { N = 1000, ROUNDS = 7 };
	uint64_t b = UINT64_MAX, f = UINT64_MAX, t;
	int round;

	for (round = 0; round < ROUNDS; round++) {
		t = round_trips(v, 0, N, fails);
		if (t < b)
			b = t;
		t = round_trips(v, 1, N, fails);
		if (t < f)
			f = t;
	}
	*bare = (double)b / N;
	*full = (double)f / N;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The host's share of each round trip alone, robust to a busy machine */
static void report_cost(struct kvmkit_vcpu *v, int *fails)
{
	enum { N = 2001 };
	static uint64_t ns[N];
	struct kvm_regs regs;
	uint64_t t;
	int i;

	for (i = 0; i < N; i++) {
		*fails += !!run_to_doorbell(v);
		t = now_ns();
		*fails += !!kvmkit_vcpu_exit_regs(v, &regs);
		*fails += !!kvmkit_report_from_regs(v, &regs, &rep);
		ns[i] = now_ns() - t;
	}
	qsort(ns, N, sizeof(ns[0]), cmp_u64);
	unit_diag("after a real exit, exit_regs + report_from_regs: median %llu ns, min %llu ns",
		  (unsigned long long)ns[N / 2], (unsigned long long)ns[0]);
}

static void test_kvm(void)
{
	static uint8_t image[IMG_SIZE];
	struct kvmkit_kvm *kvm = NULL;
	struct kvmkit_vm *gvm = NULL;
	struct kvmkit_vcpu *v = NULL;
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvm_regs synced, fetched;
	const uint64_t slots[] = { 0xdeadbeefcafef00dULL, 0xffffffff0000002aULL };
	char err[KVMKIT_ERR_MAX];
	double bare, full;
	uint64_t sync;
	int fails = 0;

	if (access("/dev/kvm", R_OK | W_OK) ||
	    kvmkit_kvm_open(&kvm, NULL, err, sizeof(err))) {
		CHECK(1, "# SKIP real guest: no usable /dev/kvm");
		return;
	}
	make_guest_image(image);
	if (kvmkit_vm_create(kvm, &gvm) ||
	    kvmkit_vm_add_memory(gvm, 0, 0, KVMKIT_DEFAULT_RAM, 0, NULL) ||
	    kvmkit_vm_add_memory(gvm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE,
				 0, NULL) ||
	    kvmkit_vcpu_create(gvm, 0, &v) ||
	    kvmkit_kvm_supported_cpuid(kvm, &cpuid) ||
	    kvmkit_vcpu_set_cpuid(v, cpuid) ||
	    kvmkit_payload_load(gvm, image, sizeof(image)) ||
	    kvmkit_payload_boot(v, cpuid) ||
	    kvmkit_vm_write(gvm, G_RSP + 8, slots, sizeof(slots))) {
		CHECK(0, "set up a real guest: %s", gvm ? kvmkit_vm_error(gvm) :
		      kvmkit_kvm_error(kvm));
		goto out;
	}
	kvmkit_vcpu_set_timeout(v, 10000000000ULL);
	if (!CHECK(!run_to_doorbell(v), "real guest: reached the doorbell"))
		goto out;

	if (!(kvmkit_vcpu_kvm_run(v)->kvm_valid_regs & KVM_SYNC_X86_REGS))
		unit_diag("KVM does not sync registers: KVM_GET_REGS per report");
	CHECK(!kvmkit_vcpu_exit_regs(v, &synced) &&
	      !kvmkit_vcpu_get_regs(v, &fetched) &&
	      !memcmp(&synced, &fetched, sizeof(synced)),
	      "real guest: exit_regs agrees with KVM_GET_REGS");
	CHECK(!kvmkit_report_from_regs(v, &synced, &rep) &&
	      rep.result == KVMKIT_TINFO && rep.lineno == 7 && rep.file_ok &&
	      !strcmp(rep.file, "kvm_e2e.c") && !rep.format_error,
	      "real guest: report fields");
	CHECK_STR(rep.message, "value -5 deadbeefcafef00d 42",
		  "real guest: message from registers and stack");

	report_cost(v, &fails);
	time_round_trips(v, &bare, &full, &fails);
	unit_diag("doorbell round trip %.2f us bare, %.2f us with exit_regs + report_from_regs (x%.3f)",
		  bare / 1e3, full / 1e3, full / bare);
	/* The same without KVM's register sync: what the sync saves */
	sync = kvmkit_vcpu_kvm_run(v)->kvm_valid_regs;
	kvmkit_vcpu_kvm_run(v)->kvm_valid_regs = 0;
	time_round_trips(v, &bare, &full, &fails);
	kvmkit_vcpu_kvm_run(v)->kvm_valid_regs = sync;
	unit_diag("without register sync: %.2f us bare, %.2f us with KVM_GET_REGS + report_from_regs (x%.3f)",
		  bare / 1e3, full / 1e3, full / bare);
	CHECK(!fails, "real guest: timed round trips");
out:
	free(cpuid);
	if (gvm)
		kvmkit_vm_destroy(gvm);
	kvmkit_kvm_close(kvm);
}

int main(void)
{
	setup();
	test_fields();
	test_conversions();
	test_star();
	test_strings();
	test_bad_slots();
	test_formats();
	test_exit_regs();
	time_reports();
	test_kvm();
	free(vcpu.run);
	free(ram);
	return unit_done();
}
