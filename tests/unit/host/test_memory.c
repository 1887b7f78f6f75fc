// SPDX-License-Identifier: MIT
/*
 * Guest-memory translation and bounded copies on a fabricated VM (the
 * layout from lib/host/internal.h) whose slots sit on exact-size malloc
 * buffers, so that ASan catches any byte read past a slot.  No /dev/kvm
 * needed; the ioctl error path runs against a closed descriptor.
 */
#include <errno.h>
#include <stdint.h>
#include "internal.h"
#include "unit.h"

#define TOP	0xfffffffffffff000ULL	/* last page of the address space */

static struct kvmkit_vm vm;
static uint8_t *a, *b, *c, *d;

static void add_slot(uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	vm.slots[slot].region = (struct kvm_userspace_memory_region) {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
}

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.fd = -1;
	a = malloc(0x3000);
	b = malloc(0x1000);
	c = malloc(0x1000);
	d = malloc(0x1000);
	if (!a || !b || !c || !d)
		unit_skip_all("out of memory");
	memset(a, 'a', 0x3000);
	memset(b, 'b', 0x1000);
	memset(c, 'c', 0x1000);
	memset(d, 'd', 0x1000);
	add_slot(0, 0, 0x3000, a);		/* slots 0 and 1 are adjacent */
	add_slot(1, 0x3000, 0x1000, b);
	add_slot(3, 0xfffff000, 0x1000, c);	/* LTP's result page */
	add_slot(5, TOP, 0x1000, d);		/* ends exactly at 2^64 */
}

static void test_find_slot(void)
{
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0), 0, "find_slot(0)");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0x2fff), 0, "find_slot: last byte of slot 0");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0x3000), 1, "find_slot: first byte of slot 1");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0x3fff), 1, "find_slot: last byte of slot 1");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0x4000), -1, "find_slot: hole after slot 1");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0xffffefff), -1, "find_slot: just below the result page");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0xfffff800), 3, "find_slot: inside the result page");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, 0x100000000ULL), -1, "find_slot: 4 GiB");
	CHECK_EQ(kvmkit_vm_find_slot(&vm, UINT64_MAX), 5, "find_slot: last address");

	CHECK(kvmkit_vm_memslot(&vm, 1) == &vm.slots[1].region, "memslot(1)");
	CHECK(kvmkit_vm_memslot(&vm, 2) == NULL, "memslot of an unused slot is NULL");
	CHECK(kvmkit_vm_memslot(&vm, KVMKIT_MAX_MEMSLOTS) == NULL, "memslot out of range is NULL");
	CHECK(kvmkit_vm_memslot(&vm, UINT32_MAX) == NULL, "memslot(UINT32_MAX) is NULL");
}

static void test_gpa_to_hva(void)
{
	CHECK(kvmkit_gpa_to_hva(&vm, 0, 0x3000) == a, "whole slot 0");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x2fff, 1) == a + 0x2fff, "last byte of slot 0");
	CHECK(kvmkit_gpa_to_hva(&vm, 0, 0x3001) == NULL, "slot 0 plus one byte: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x2fff, 2) == NULL, "range spanning slots 0 and 1: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x3000, 0x1000) == b, "whole slot 1");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x4000, 1) == NULL, "hole: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x4000, 0) == NULL, "empty range in a hole: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x2000, 0) == a + 0x2000, "empty range inside a slot");
	CHECK(kvmkit_gpa_to_hva(&vm, 0xfffff000, 0x1000) == c, "result page");
	CHECK(kvmkit_gpa_to_hva(&vm, 0xfffff000, UINT64_MAX) == NULL, "len UINT64_MAX: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x1000, UINT64_MAX - 0xfff) == NULL,
	      "gpa + len wrapping to 0: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, 0x1000, UINT64_MAX - 0xffe) == NULL,
	      "gpa + len wrapping to 1: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, TOP, 0x1000) == d, "page ending at 2^64");
	CHECK(kvmkit_gpa_to_hva(&vm, UINT64_MAX, 1) == d + 0xfff, "last byte of the address space");
	CHECK(kvmkit_gpa_to_hva(&vm, UINT64_MAX, 2) == NULL,
	      "range wrapping from 2^64-1 into slot 0: NULL");
	CHECK(kvmkit_gpa_to_hva(&vm, TOP, 0x1001) == NULL, "top page plus one byte: NULL");
}

static void test_read_write(void)
{
	uint8_t buf[16], big[0x5000];

	memset(buf, 0xee, sizeof(buf));
	a[0x2ffe] = 1;
	a[0x2fff] = 2;
	b[0] = 3;
	b[1] = 4;
	CHECK_EQ(kvmkit_vm_read(&vm, 0x2ffe, buf, 4), 0, "read across adjacent slots");
	CHECK(!memcmp(buf, "\x01\x02\x03\x04", 4), "read across slots: contents");

	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(kvmkit_vm_read(&vm, 0x3ffe, buf, 4), -EFAULT, "read running into a hole: -EFAULT");
	CHECK(buf[0] == 0xee && buf[1] == 0xee, "failed read copies nothing");
	CHECK_EQ(kvmkit_vm_read(&vm, 0x8000, buf, 1), -EFAULT, "read in a hole: -EFAULT");
	CHECK_EQ(kvmkit_vm_read(&vm, UINT64_MAX - 1, buf, 4), -EFAULT,
		 "read wrapping past 2^64 into slot 0: -EFAULT");
	CHECK_EQ(kvmkit_vm_read(&vm, UINT64_MAX, buf, 1), 0, "read of the last byte");
	CHECK_EQ(buf[0], 'd', "last byte contents");
	CHECK_EQ(kvmkit_vm_read(&vm, 0, big, 0x4000), 0, "read of slots 0 and 1 at once");
	CHECK_EQ(kvmkit_vm_read(&vm, 0, big, 0x4001), -EFAULT, "read one byte past them: -EFAULT");
	CHECK_EQ(kvmkit_vm_read(&vm, 0, buf, 0), 0, "empty read");

	CHECK_EQ(kvmkit_vm_write(&vm, 0x2ffe, "WXYZ", 4), 0, "write across adjacent slots");
	CHECK(a[0x2ffe] == 'W' && a[0x2fff] == 'X' && b[0] == 'Y' && b[1] == 'Z',
	      "write across slots: contents");
	CHECK_EQ(kvmkit_vm_write(&vm, 0x3ffe, "PQRS", 4), -EFAULT, "write running into a hole: -EFAULT");
	CHECK(b[0xffe] == 'b' && b[0xfff] == 'b', "failed write changes nothing");
	CHECK_EQ(kvmkit_vm_write(&vm, 0xfffffffe, "x", 1), 0, "write into the result page");
	CHECK_EQ(c[0xffe], 'x', "result page contents");
}

static void test_read_string(void)
{
	char buf[32];
	int trunc;
	long n;

	memcpy(a + 0x100, "hello", 6);
	n = kvmkit_vm_read_string(&vm, 0x100, buf, sizeof(buf), &trunc);
	CHECK(n == 5 && !strcmp(buf, "hello") && !trunc, "plain string");

	n = kvmkit_vm_read_string(&vm, 0x100, buf, 6, &trunc);
	CHECK(n == 5 && !strcmp(buf, "hello") && !trunc, "string that exactly fits buf");
	n = kvmkit_vm_read_string(&vm, 0x100, buf, 5, &trunc);
	CHECK(n == 4 && !strcmp(buf, "hell") && trunc, "string one longer than buf: truncated");
	n = kvmkit_vm_read_string(&vm, 0x100, buf, 1, &trunc);
	CHECK(n == 0 && !buf[0] && trunc, "buflen 1: empty, truncated");
	n = kvmkit_vm_read_string(&vm, 0x100, buf, 0, &trunc);
	CHECK_EQ(n, -EINVAL, "buflen 0: -EINVAL");
	n = kvmkit_vm_read_string(&vm, 0x105, buf, sizeof(buf), &trunc);
	CHECK(n == 0 && !buf[0] && !trunc, "empty string");
	n = kvmkit_vm_read_string(&vm, 0x100, buf, sizeof(buf), NULL);
	CHECK_EQ(n, 5, "truncated flag is optional");

	/* unterminated up to the end of slot 1 (b is all 'b' there) */
	n = kvmkit_vm_read_string(&vm, 0x3ff0, buf, sizeof(buf), &trunc);
	CHECK(n == 16 && strlen(buf) == 16 && trunc,
	      "unterminated string stops at the end of the slot, truncated");
	n = kvmkit_vm_read_string(&vm, 0x3ff0, buf, 17, &trunc);
	CHECK(n == 16 && trunc, "unterminated string exactly filling buf: truncated");

	/* a string crossing into the adjacent slot still stops at the slot's end */
	memcpy(a + 0x2ffe, "ab", 2);
	memcpy(b, "cd", 3);
	n = kvmkit_vm_read_string(&vm, 0x2ffe, buf, sizeof(buf), &trunc);
	CHECK(n == 2 && !strcmp(buf, "ab") && trunc, "string crossing slots: stops at slot end");

	n = kvmkit_vm_read_string(&vm, UINT64_MAX, buf, sizeof(buf), &trunc);
	CHECK(n == 1 && !strcmp(buf, "d") && trunc, "string at the last byte of the address space");

	strcpy(buf, "junk");
	n = kvmkit_vm_read_string(&vm, 0x8000, buf, sizeof(buf), &trunc);
	CHECK(n == -EFAULT && !buf[0], "string in a hole: -EFAULT, buf emptied");
}

/* The slot bookkeeping and error messages, with KVM absent (fd -1) */
static void test_slot_errors(void)
{
	void *hva = (void *)1;
	int ret;

	ret = kvmkit_vm_add_memory(&vm, 2, 0x10000, 0x1000, 0, &hva);
	CHECK_EQ(ret, -EBADF, "add_memory on a dead VM fd: -EBADF");
	CHECK_STR(kvmkit_vm_error(&vm),
		  "KVM_SET_USER_MEMORY_REGION: Bad file descriptor (slot 2)",
		  "error names the ioctl, the errno and the slot");
	CHECK(hva == NULL && !kvmkit_vm_memslot(&vm, 2) && !vm.slots[2].alloc,
	      "failed add_memory leaves the slot unused");

	CHECK_EQ(kvmkit_vm_add_memory(&vm, 0, 0x10000, 0x1000, 0, NULL), -EBUSY,
		 "add_memory on a used slot: -EBUSY");
	CHECK_EQ(kvmkit_vm_add_memory(&vm, KVMKIT_MAX_MEMSLOTS, 0, 0x1000, 0, NULL),
		 -EINVAL, "slot out of range: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_memory(&vm, 2, 0, 0, 0, NULL), -EINVAL, "size 0: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_memory(&vm, 2, TOP, 0x2000, 0, NULL), -EINVAL,
		 "range wrapping past 2^64: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_memory(&vm, 2, UINT64_MAX - 10, 5, 0, NULL), -EINVAL,
		 "range whose round-up wraps: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_memory_at(&vm, 2, 0x10000, 0x1000, 0, a + 1), -EINVAL,
		 "add_memory_at with unaligned hva: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_memory_at(&vm, 2, 0x10001, 0x1000, 0, NULL), -EINVAL,
		 "add_memory_at with unaligned gpa: -EINVAL");
	CHECK_EQ(kvmkit_vm_remove_memory(&vm, 2), -ENOENT, "remove an unused slot: -ENOENT");
	CHECK_EQ(kvmkit_vm_remove_memory(&vm, 1), -EBADF, "remove on a dead VM fd: -EBADF");
	CHECK(kvmkit_vm_memslot(&vm, 1) != NULL, "failed remove keeps the slot");
}

int main(void)
{
	setup();
	test_find_slot();
	test_gpa_to_hva();
	test_read_write();
	test_read_string();
	test_slot_errors();
	free(a);
	free(b);
	free(c);
	free(d);
	return unit_done();
}
