// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF from a 32-bit payload (KVMKIT_GUEST_MODE(32pae)), on a
 * fabricated VM without /dev/kvm: the header says guest_mode 32PAE, so
 * kvmkit_report_from_regs() takes file, line, result and format from the
 * i386 stack ([esp + 4] ...) and each variadic argument as 4 bytes, or 8
 * for long long and intmax_t (x86_64/printf_args.c, the core's ilp32).
 * Checked: every size of conversion with dirty neighbouring words, %ld
 * and %lu of 32-bit longs, %p, %s, %hhx, the 32-argument cap, arguments
 * running off the end of RAM, fixed arguments that cannot be read (TBROK,
 * with a message of the host's) and a stack at the top of the 4 GiB
 * address space, where no slot may wrap to 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"

#define RAM_SIZE	0x100000
#define FILE_GPA	0x2000
#define FMT_GPA		0x3000
#define STR_GPA		0x6000
#define STACK		0x8000		/* esp: [esp] is the return address */

static struct kvmkit_vm vm;
static struct kvmkit_vcpu vcpu;
static uint8_t *ram;
static struct kvmkit_report rep;

static void put(uint64_t gpa, const void *data, size_t len)
{
	memcpy(ram + gpa, data, len);
}

static void put_str(uint64_t gpa, const char *s)
{
	put(gpa, s, strlen(s) + 1);
}

static void put32(uint64_t gpa, uint32_t v)
{
	put(gpa, &v, sizeof(v));
}

static void setup(void)
{
	struct kvmkit_payload_header h = {
		.image_end = RAM_SIZE,
		.guest_mode = KVMKIT_GUEST_MODE_32PAE,
	};

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
	put_str(FILE_GPA, "mode32.c");
	put_str(STR_GPA, "hello");
}

/*
 * tst_res_(file, 321, TINFO, fmt, words...) as an i386 call leaves it at
 * esp = STACK; registers full of garbage, which must not be read.
 */
static int report_words(const char *fmt, const uint32_t *w, size_t n)
{
	struct kvm_regs regs = {
		.rax = 4, .rdi = 0x1111, .rsi = 0x2222, .rdx = 0x3333,
		.rcx = 0x4444, .r8 = 0x5555, .r9 = 0x6666, .rsp = STACK,
	};
	size_t i;

	put_str(FMT_GPA, fmt);
	put32(STACK, 0x1234);
	put32(STACK + 4, FILE_GPA);
	put32(STACK + 8, 321);
	put32(STACK + 12, KVMKIT_TINFO);
	put32(STACK + 16, FMT_GPA);
	for (i = 0; i < n; i++)
		put32(STACK + 20 + 4 * i, w[i]);
	/* the word after the last argument is dirty */
	put32(STACK + 20 + 4 * n, 0xa5a5a5a5);
	memset(&rep, 0x5a, sizeof(rep));
	return kvmkit_report_from_regs(&vcpu, &regs, &rep);
}

#define WORDS(...) (const uint32_t[]){ __VA_ARGS__ }, \
	sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)

static void expect(const char *fmt, const uint32_t *w, size_t n,
		   const char *want, int format_error)
{
	CHECK_EQ(report_words(fmt, w, n), 0, fmt);
	CHECK_STR(rep.message, want, fmt);
	CHECK_EQ(rep.format_error, format_error, "format_error");
}

static void test_fields(void)
{
	expect("x", WORDS(0), "x", 0);
	CHECK_EQ(rep.result, KVMKIT_TINFO, "result from [esp + 12]");
	CHECK_EQ(rep.lineno, 321, "line from [esp + 8]");
	CHECK_EQ(rep.file_addr, FILE_GPA, "file from [esp + 4]");
	CHECK_STR(rep.file, "mode32.c", "file name");
}

static void test_sizes(void)
{
	expect("%d %u %x", WORDS((uint32_t)-5, 7, 0xbeef), "-5 7 beef", 0);
	/* little-endian: the low word first */
	expect("%lld|%d", WORDS(0xfffffffe, 0xffffffff, 9), "-2|9", 0);
	expect("%llx %d %llu", WORDS(0x9abcdef0, 0x12345678, 3, 0, 1),
	       "123456789abcdef0 3 4294967296", 0);
	expect("%ld %lu %li", WORDS(0xffffffff, 0xffffffff, 0x80000000),
	       "-1 4294967295 -2147483648", 0);
	expect("%zu %zd %td", WORDS(0xffffffff, 0xffffffff, 5),
	       "4294967295 -1 5", 0);
	expect("%jd %d", WORDS(0xffffffff, 0xffffffff, 4), "-1 4", 0);
	expect("%p %p", WORDS(0x1000, 0), "0x1000 (nil)", 0);
	expect("%hhx %hd %c", WORDS(0x1ff, 0x18000, 'z'), "ff -32768 z", 0);
	expect("<%s> %*d", WORDS(STR_GPA, 4, 7), "<hello>    7", 0);
	expect("%s", WORDS(0x90000000), "(bad address 0x90000000)", 1);
}

static void test_cap(void)
{
	uint32_t w[40];
	char fmt[40 * 3 + 1] = "", want[512];
	size_t i, len = 0;

	for (i = 0; i < 40; i++) {
		w[i] = i + 1;
		strcat(fmt, "%d ");
	}
	for (i = 0; i < 40; i++)
		len += i < KVMKIT_PRINTF_MAX_ARGS ?
		       (size_t)snprintf(want + len, sizeof(want) - len, "%zu ", i + 1) :
		       (size_t)snprintf(want + len, sizeof(want) - len,
					"(missing argument) ");
	expect(fmt, w, 40, want, 1);
}

static int report_at(uint64_t esp)
{
	struct kvm_regs regs = { .rsp = esp, .rdx = KVMKIT_TPASS };

	memset(&rep, 0x5a, sizeof(rep));
	return kvmkit_report_from_regs(&vcpu, &regs, &rep);
}

static void test_bad_stacks(void)
{
	char want[128];

	/* Arguments running off the end of RAM are missing, not wrapped */
	put32(RAM_SIZE - 20, 0x1234);
	put32(RAM_SIZE - 16, FILE_GPA);
	put32(RAM_SIZE - 12, 7);
	put32(RAM_SIZE - 8, KVMKIT_TINFO);
	put_str(FMT_GPA, "%d %d");
	put32(RAM_SIZE - 4, FMT_GPA);
	CHECK_EQ(report_at(RAM_SIZE - 20), 0, "esp at the end of RAM");
	CHECK_STR(rep.message, "(missing argument) (missing argument)",
		  "arguments past RAM are missing");
	CHECK_EQ(rep.result, KVMKIT_TINFO, "fixed words read at the end of RAM");

	/* Fixed words that cannot be read: TBROK, the host's message */
	CHECK_EQ(report_at(RAM_SIZE - 8), 0, "fixed words past RAM");
	snprintf(want, sizeof(want),
		 "(tst_res arguments at 0x%x are not in guest memory)",
		 RAM_SIZE - 4);
	CHECK_STR(rep.message, want, "placeholder for unreadable arguments");
	CHECK_EQ(rep.result, KVMKIT_TBROK, "unreadable arguments are TBROK");
	CHECK_EQ(rep.format_error, 1, "flagged");
	CHECK_EQ(rep.file_ok, 0, "no file name");

	/* The top of 4 GiB: esp + 4 ... must not wrap to RAM at 0 */
	CHECK_EQ(report_at(0xfffffff0), 0, "esp at the top of 4 GiB");
	CHECK_EQ(rep.result, KVMKIT_TBROK, "wrapping arguments are TBROK");
	/* only the low 32 bits of rsp are esp */
	put32(STACK + 4, FILE_GPA);
	CHECK_EQ(report_words("%d", WORDS(5)), 0, "baseline");
	CHECK_EQ(report_at(0xffffffff00000000ULL | STACK), 0,
		 "rsp with a dirty upper half");
	CHECK_STR(rep.message, "5", "esp is rsp's low half");
}

int main(void)
{
	setup();
	test_fields();
	test_sizes();
	test_cap();
	test_bad_stacks();
	free(vcpu.run);
	free(ram);
	return unit_done();
}
