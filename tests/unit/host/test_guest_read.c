// SPDX-License-Identifier: MIT
/*
 * Reading a hostile guest's strings for reports (lib/host/guest_read.c)
 * in a fabricated VM (no /dev/kvm): where a bounded string read stops at
 * the end of guest memory, NULL file names and formats where page 0 is
 * readable RAM, and file names that run into unreadable memory, through
 * kvmkit_report_read() (result page) and kvmkit_report_from_regs()
 * (KVMKIT_HC_PRINTF) alike.
 *
 * Guest-virtual layout: the payload image is identity-mapped from
 * KVMKIT_PAYLOAD_BASE to the end of RAM (no walk); page 0 and the result
 * page are reached through page tables (walked with synced sregs), and
 * the page after RAM is not mapped at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <kvmkit/x86.h>
#include "guest_read.h"
#include "unit.h"

#define RAM_SIZE	0x100000
#define FILE_GPA	0x2000
#define FMT_GPA		0x3000
#define STR_GPA		0x6000
#define STACK		0x8000
#define LONG_GPA	0x10000		/* long names and formats */
#define PML4		0x80000
#define PDPT		0x81000
#define PD0		0x82000		/* 0 - 2 MiB */
#define PT0		0x83000		/* page 0 only */
#define PD3		0x84000		/* 3 - 4 GiB */
#define PT3		0x85000		/* the result page only */
#define PTE		(KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW)
/* First byte past the result page (the constants are 32-bit) */
#define RESULT_END	((uint64_t)KVMKIT_RESULT_BASE + KVMKIT_RESULT_SIZE)

static struct kvmkit_vm vm;
static struct kvmkit_vcpu vcpu;
static uint8_t *ram;
static struct tst_kvm_result *page;	/* the result page's host copy */
static struct kvmkit_report rep;

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, sizeof(v));
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

static void setup(void)
{
	struct kvmkit_payload_header h = { .image_end = RAM_SIZE };

	ram = aligned_alloc(KVMKIT_PAGE_SIZE, RAM_SIZE);
	page = aligned_alloc(KVMKIT_PAGE_SIZE, KVMKIT_RESULT_SIZE);
	vcpu.run = calloc(1, sizeof(*vcpu.run));
	if (!ram || !page || !vcpu.run)
		unit_skip_all("out of memory");
	memset(ram, 0xee, RAM_SIZE);
	memset(page, 0, KVMKIT_RESULT_SIZE);
	vm.fd = -1;
	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)ram,
	};
	vm.slots[1].region = (struct kvm_userspace_memory_region) {
		.slot = 1,
		.guest_phys_addr = KVMKIT_RESULT_BASE,
		.memory_size = KVMKIT_RESULT_SIZE,
		.userspace_addr = (uintptr_t)page,
	};
	vcpu.fd = -1;		/* any ioctl fails: EBADF */
	vcpu.vm = &vm;
	memcpy(ram + KVMKIT_PAYLOAD_BASE, &h, sizeof(h));

	/* page 0 -> gpa 0; 0xfffff000 -> the result page; nothing else */
	memset(ram + PML4, 0, 6 * KVMKIT_PAGE_SIZE);
	put64(PML4, PDPT | PTE);
	put64(PDPT, PD0 | PTE);
	put64(PD0, PT0 | PTE);
	put64(PT0, 0 | PTE);
	put64(PDPT + 3 * 8, PD3 | PTE);
	put64(PD3 + 511 * 8, PT3 | PTE);
	put64(PT3 + 511 * 8, KVMKIT_RESULT_BASE | PTE);
	sync_sregs(1);

	/* What a guest may leave at its NULL: it must never be printed */
	strcpy((char *)ram, "page zero %d");
	strcpy((char *)ram + FILE_GPA, "kvm_test.c");
	strcpy((char *)ram + STR_GPA, "hello");
}

static long read_string(uint64_t gva, char *buf, size_t max,
			enum kvmkit_guest_stop *stop,
			struct kvmkit_guest_reader *r)
{
	kvmkit_guest_reader_init(r, &vcpu);
	*stop = (enum kvmkit_guest_stop)-1;
	if (buf)
		memset(buf, 0, max + 1);
	return kvmkit_guest_read_string(r, gva, buf, max, stop);
}

static void test_read_string(void)
{
	struct kvmkit_guest_reader r;
	enum kvmkit_guest_stop stop;
	char buf[16];
	long n;

	/*
	 * Full exactly at the last byte of RAM: FULL, and the next page is
	 * never looked at.  Without synced sregs a walk would need
	 * KVM_GET_SREGS (which fails here): r.walk still 0 proves the page
	 * after RAM was not even translated.
	 */
	sync_sregs(0);
	memcpy(ram + RAM_SIZE - 4, "WXYZ", 4);
	n = read_string(RAM_SIZE - 4, buf, 4, &stop, &r);
	CHECK(n == 4 && stop == KVMKIT_GUEST_FULL && !strcmp(buf, "WXYZ"),
	      "max bytes ending at the end of RAM: FULL (n %ld, stop %d)",
	      n, stop);
	CHECK_EQ(r.walk, 0, "  ... the page after RAM not touched");
	n = read_string(RAM_SIZE - 1, buf, 1, &stop, &r);
	CHECK(n == 1 && stop == KVMKIT_GUEST_FULL && !strcmp(buf, "Z") &&
	      !r.walk, "one byte, the last of RAM: FULL, next page untouched");
	n = read_string(RAM_SIZE - 4, NULL, 4, &stop, &r);
	CHECK(n == 4 && stop == KVMKIT_GUEST_FULL && !r.walk,
	      "counting only (no buffer): the same");
	sync_sregs(1);

	/* One byte more wanted: the string runs into unmapped memory */
	n = read_string(RAM_SIZE - 4, buf, 5, &stop, &r);
	CHECK(n == 4 && stop == KVMKIT_GUEST_FAULT && !strcmp(buf, "WXYZ"),
	      "fewer than max bytes before the end of RAM: FAULT");
	n = read_string(RAM_SIZE - 4, buf, 15, &stop, &r);
	CHECK(n == 4 && stop == KVMKIT_GUEST_FAULT,
	      "a long read running off RAM: FAULT after the bytes there");

	/* Inside a page the byte after max is readable: a NUL there is END */
	memcpy(ram + STR_GPA + 0x100, "abc", 4);
	n = read_string(STR_GPA + 0x100, buf, 3, &stop, &r);
	CHECK(n == 3 && stop == KVMKIT_GUEST_END && !strcmp(buf, "abc"),
	      "max bytes then a NUL in the same page: END");
	memcpy(ram + STR_GPA + 0x100, "abcdef", 7);
	n = read_string(STR_GPA + 0x100, buf, 3, &stop, &r);
	CHECK(n == 3 && stop == KVMKIT_GUEST_FULL && !strcmp(buf, "abc"),
	      "max bytes then more: FULL");
	/* At a page boundary inside RAM: FULL, the NUL beyond is not read */
	memcpy(ram + 0x4ffd, "abc", 4);
	n = read_string(0x4ffd, buf, 3, &stop, &r);
	CHECK(n == 3 && stop == KVMKIT_GUEST_FULL,
	      "max bytes ending a page: FULL without reading the next");
	n = read_string(0x4ffd, buf, 4, &stop, &r);
	CHECK(n == 3 && stop == KVMKIT_GUEST_END && !strcmp(buf, "abc"),
	      "across a page boundary to its NUL: END");

	n = read_string(STR_GPA, buf, 0, &stop, &r);
	CHECK(n == 0 && stop == KVMKIT_GUEST_FULL, "max 0, a string: FULL");
	n = read_string(STR_GPA + 5, buf, 0, &stop, &r);
	CHECK(n == 0 && stop == KVMKIT_GUEST_END, "max 0, empty string: END");
	n = read_string(RAM_SIZE, buf, 4, &stop, &r);
	CHECK(n == -EFAULT && stop == KVMKIT_GUEST_FAULT,
	      "first byte unreadable: -EFAULT");

	/* Page 0 is readable here, which is what makes NULL dangerous */
	n = read_string(0, buf, sizeof(buf) - 1, &stop, &r);
	CHECK(n == 12 && stop == KVMKIT_GUEST_END &&
	      !strcmp(buf, "page zero %d"), "page 0 is readable guest RAM");
}

static void read_file(uint64_t addr)
{
	struct kvmkit_guest_reader r;

	kvmkit_guest_reader_init(&r, &vcpu);
	memset(&rep, 0x5a, sizeof(rep));
	rep.file_addr = addr;
	kvmkit_guest_read_file(&r, &rep);
}

/* A run of len bytes c at gpa, then a NUL unless at the end of RAM */
static uint64_t put_run(uint64_t gpa, char c, size_t len)
{
	memset(ram + gpa, c, len);
	if (gpa + len < RAM_SIZE)
		ram[gpa + len] = '\0';
	return gpa;
}

static void test_read_file(void)
{
	const size_t max = sizeof(rep.file) - 1;

	read_file(FILE_GPA);
	CHECK(rep.file_ok && !rep.file_truncated &&
	      !strcmp(rep.file, "kvm_test.c"), "a file name");
	read_file(0);
	CHECK(!rep.file_ok && !rep.file_truncated && !rep.file[0],
	      "NULL: a bad file address although page 0 is RAM");
	read_file(0x7fff0000);
	CHECK(!rep.file_ok && !rep.file[0], "unmapped: a bad file address");

	read_file(put_run(RAM_SIZE - 16, 'F', 16));
	CHECK(!rep.file_ok && !rep.file_truncated && !rep.file[0],
	      "running off RAM: a bad file address, not a name");
	read_file(put_run(RAM_SIZE - max, 'F', max));
	CHECK(!rep.file_ok && !rep.file[0],
	      "running off RAM with exactly file[]'s room: still bad");
	read_file(put_run(RAM_SIZE - max - 1, 'F', max + 1));
	CHECK(rep.file_ok && rep.file_truncated && strlen(rep.file) == max,
	      "longer than file[] before the end of RAM: a cut name");

	read_file(put_run(LONG_GPA, 'n', max));
	CHECK(rep.file_ok && !rep.file_truncated && strlen(rep.file) == max,
	      "a name that just fits file[]");
	read_file(put_run(LONG_GPA, 'n', max + 1));
	CHECK(rep.file_ok && rep.file_truncated && strlen(rep.file) == max,
	      "one byte longer: cut, file_truncated");
	read_file(put_run(LONG_GPA, 'n', 1000));
	CHECK(rep.file_ok && rep.file_truncated && strlen(rep.file) == max,
	      "a long name: cut, file_truncated");
}

static void test_report_read(void)
{
	page->result = KVMKIT_TINFO;
	page->lineno = 12;
	strcpy(page->message, "from the page");

	page->file_addr = FILE_GPA;
	CHECK(!kvmkit_report_read(&vcpu, &rep) && rep.file_ok &&
	      !strcmp(rep.file, "kvm_test.c") &&
	      !strcmp(rep.message, "from the page"), "page: a report");
	page->file_addr = 0;
	CHECK(!kvmkit_report_read(&vcpu, &rep) && !rep.file_ok &&
	      !rep.file[0] && rep.lineno == 12 &&
	      !strcmp(rep.message, "from the page"),
	      "page: NULL file name is a bad address, the rest is read");

	page->file_addr = put_run(RAM_SIZE - 16, 'F', 16);
	CHECK(!kvmkit_report_read(&vcpu, &rep) && !rep.file_ok && !rep.file[0],
	      "page: file name running off RAM is a bad address");
	memset(page->message + KVMKIT_MESSAGE_MAX - 16, 'R', 16);
	page->file_addr = (uint64_t)KVMKIT_RESULT_BASE +
			  offsetof(struct tst_kvm_result, message) +
			  KVMKIT_MESSAGE_MAX - 16;
	CHECK_EQ(page->file_addr, RESULT_END - 16,
		 "page: the message ends the result page");
	CHECK(!kvmkit_report_read(&vcpu, &rep) && !rep.file_ok && !rep.file[0],
	      "page: file name running off the result page is a bad address");
	page->message[KVMKIT_MESSAGE_MAX - 1] = '\0';
	CHECK(!kvmkit_report_read(&vcpu, &rep) && rep.file_ok &&
	      !strcmp(rep.file, "RRRRRRRRRRRRRRR"),
	      "page: the same name terminated in the page is read");
	strcpy(page->message, "from the page");
}

/* tst_res_(TINFO) by registers with %r8 = a1 */
static void from_regs(uint64_t file, uint64_t fmt, uint64_t a1)
{
	struct kvm_regs regs = {
		.rdi = file, .rsi = 7, .rdx = KVMKIT_TINFO, .rcx = fmt,
		.rsp = STACK, .r8 = a1, .r9 = 2,
	};

	memset(&rep, 0x5a, sizeof(rep));
	CHECK_EQ(kvmkit_report_from_regs(&vcpu, &regs, &rep), 0,
		 "report_from_regs");
}

static void test_from_regs(void)
{
	static char want[128];
	const uint64_t long_fmt = RAM_SIZE - KVMKIT_MESSAGE_MAX;

	from_regs(FILE_GPA, 0, 1);
	CHECK_STR(rep.message, "(tst_res format at 0x0 is NULL)",
		  "NULL format: the placeholder, not page 0's text");
	CHECK(rep.format_error && !rep.message_truncated && rep.file_ok &&
	      !strcmp(rep.file, "kvm_test.c") && rep.lineno == 7,
	      "  ... format_error, file and line kept");

	strcpy((char *)ram + FMT_GPA, "file NULL %d");
	from_regs(0, FMT_GPA, 1);
	CHECK(!rep.file_ok && !rep.file[0] && !rep.format_error &&
	      !strcmp(rep.message, "file NULL 1"),
	      "NULL file name: a bad address, the message formatted");

	from_regs(put_run(RAM_SIZE - 16, 'F', 16), FMT_GPA, 1);
	CHECK(!rep.file_ok && !strcmp(rep.message, "file NULL 1"),
	      "file name running off RAM: a bad address");

	/*
	 * A format whose last readable byte is the KVMKIT_MESSAGE_MAX-th
	 * does not end in guest memory; one byte longer is a long format,
	 * formatted as far as a message goes.
	 */
	memset(ram + long_fmt, 'f', KVMKIT_MESSAGE_MAX);
	from_regs(FILE_GPA, long_fmt, 1);
	snprintf(want, sizeof(want),
		 "(tst_res format at 0x%llx does not end in guest memory)",
		 (unsigned long long)long_fmt);
	CHECK_STR(rep.message, want,
		  "format of KVMKIT_MESSAGE_MAX bytes running off RAM");
	CHECK(rep.format_error, "  ... format_error");
	memset(ram + long_fmt - 1, 'f', KVMKIT_MESSAGE_MAX + 1);
	from_regs(FILE_GPA, long_fmt - 1, 1);
	CHECK(!rep.format_error && rep.message_truncated &&
	      strlen(rep.message) == KVMKIT_MESSAGE_MAX - 1,
	      "one byte longer: a long format, truncated");

	/* %.Ns ending at the last readable byte is a correct call */
	strcpy((char *)ram + FMT_GPA, "<%.4s> %d");
	memcpy(ram + RAM_SIZE - 4, "WXYZ", 4);
	from_regs(FILE_GPA, FMT_GPA, RAM_SIZE - 4);
	CHECK(!strcmp(rep.message, "<WXYZ> 2") && !rep.format_error,
	      "%%.4s of the last 4 bytes of RAM: no error (got \"%s\")",
	      rep.message);
	memset(page->message + KVMKIT_MESSAGE_MAX - 4, 'R', 4);
	from_regs(FILE_GPA, FMT_GPA, RESULT_END - 4);
	CHECK(!strcmp(rep.message, "<RRRR> 2") && !rep.format_error,
	      "%%.4s of the last 4 bytes of the result page: no error");
	strcpy((char *)ram + FMT_GPA, "<%.5s> %d");
	from_regs(FILE_GPA, FMT_GPA, RAM_SIZE - 4);
	CHECK(!strcmp(rep.message, "<WXYZ> 2") && rep.format_error,
	      "%%.5s of the last 4 bytes: runs off RAM, flagged");
}

int main(void)
{
	setup();
	test_read_string();
	test_read_file();
	test_report_read();
	test_from_regs();
	free(vcpu.run);
	free(page);
	free(ram);
	return unit_done();
}
