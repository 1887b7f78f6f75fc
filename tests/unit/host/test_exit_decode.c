// SPDX-License-Identifier: MIT
/*
 * kvmkit_exit_decode() on fabricated kvm_run contents: every exit type,
 * the errno cases, and hostile kernels/hypervisors whose offsets and
 * counts point outside the mapping.  No /dev/kvm needed.
 */
#include <errno.h>
#include <stdint.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What KVM maps on x86: kvm_run, the PIO data page, the coalesced MMIO ring */
#define RUN_SIZE	(3 * 4096)
#define PIO_OFFSET	4096

static union {
	struct kvm_run run;
	uint8_t bytes[RUN_SIZE];
} buf;

static struct kvm_run *fresh(uint32_t reason)
{
	memset(&buf, 0, sizeof(buf));
	buf.run.exit_reason = reason;
	return &buf.run;
}

static int decode(struct kvmkit_exit *e)
{
	return kvmkit_exit_decode(&buf.run, RUN_SIZE, 0, 0, e);
}

static void test_errno(void)
{
	struct kvmkit_exit e;

	memset(&e, 0xa5, sizeof(e));
	CHECK_EQ(kvmkit_exit_decode(NULL, 0, -1, EINTR, &e), 0, "EINTR: decodes");
	CHECK_EQ(e.type, KVMKIT_EXIT_INTERRUPTED, "EINTR: INTERRUPTED");
	CHECK_EQ(e.error, 0, "EINTR: no error");

	CHECK_EQ(kvmkit_exit_decode(NULL, 0, -1, EFAULT, &e), 0, "EFAULT: decodes");
	CHECK_EQ(e.type, KVMKIT_EXIT_ERROR, "EFAULT: ERROR");
	CHECK_EQ(e.error, EFAULT, "EFAULT: error holds the errno");

	kvmkit_exit_decode(NULL, 0, -1, 0, &e);
	CHECK(e.type == KVMKIT_EXIT_ERROR && e.error == EIO,
	      "failure without errno still reads as an error (EIO)");

	fresh(KVM_EXIT_INTR);
	CHECK_EQ(decode(&e), 0, "KVM_EXIT_INTR with ret 0: decodes");
	CHECK_EQ(e.type, KVMKIT_EXIT_INTERRUPTED, "KVM_EXIT_INTR: INTERRUPTED");
}

static void test_simple(void)
{
	struct kvmkit_exit e;

	fresh(KVM_EXIT_HLT);
	CHECK_EQ(decode(&e), 0, "HLT: decodes");
	CHECK(e.type == KVMKIT_EXIT_HLT && e.reason == KVM_EXIT_HLT, "HLT: type and reason");

	fresh(KVM_EXIT_SHUTDOWN);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_SHUTDOWN, "SHUTDOWN");

	fresh(KVM_EXIT_FAIL_ENTRY);
	buf.run.fail_entry.hardware_entry_failure_reason = 0x80000021;
	buf.run.fail_entry.cpu = 3;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_FAIL_ENTRY &&
	      e.fail_entry.hardware_reason == 0x80000021 && e.fail_entry.cpu == 3,
	      "FAIL_ENTRY: reason and cpu");

	fresh(KVM_EXIT_DEBUG);
	buf.run.debug.arch.exception = 1;
	buf.run.debug.arch.pc = 0x1234;
	buf.run.debug.arch.dr6 = 0xffff0ff1;
	buf.run.debug.arch.dr7 = 0x400;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_DEBUG &&
	      e.debug.exception == 1 && e.debug.pc == 0x1234 &&
	      e.debug.dr6 == 0xffff0ff1 && e.debug.dr7 == 0x400,
	      "DEBUG: exception, pc, dr6, dr7");

	fresh(KVM_EXIT_HYPERCALL);
	buf.run.hypercall.nr = 12;
	buf.run.hypercall.args[0] = 1;
	buf.run.hypercall.args[5] = 6;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_HYPERCALL &&
	      e.hypercall.nr == 12 && e.hypercall.args[0] == 1 &&
	      e.hypercall.args[5] == 6, "HYPERCALL: nr and args");

	fresh(KVM_EXIT_X86_RDMSR);
	buf.run.msr.index = 0x174;
	buf.run.msr.reason = KVM_MSR_EXIT_REASON_FILTER;
	buf.run.msr.data = 0x99;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_X86_RDMSR &&
	      e.msr.index == 0x174 && e.msr.reason == KVM_MSR_EXIT_REASON_FILTER &&
	      e.msr.data == 0, "X86_RDMSR: index and reason, no data");
	fresh(KVM_EXIT_X86_WRMSR);
	buf.run.msr.index = 0x175;
	buf.run.msr.data = 0x1234;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_X86_WRMSR &&
	      e.msr.index == 0x175 && e.msr.data == 0x1234,
	      "X86_WRMSR: index and the value written");
	fresh(KVM_EXIT_IRQ_WINDOW_OPEN);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_IRQ_WINDOW_OPEN,
	      "IRQ_WINDOW_OPEN");
}

static void test_io(void)
{
	struct kvmkit_exit e;

	fresh(KVM_EXIT_IO);
	buf.run.io.direction = KVM_EXIT_IO_OUT;
	buf.run.io.size = 1;
	buf.run.io.port = 0x10;
	buf.run.io.count = 1;
	buf.run.io.data_offset = PIO_OFFSET;
	buf.bytes[PIO_OFFSET] = 0x2a;
	CHECK_EQ(decode(&e), 0, "IO OUT: decodes");
	CHECK(e.type == KVMKIT_EXIT_IO_OUT && e.io.port == 0x10 &&
	      e.io.size == 1 && e.io.count == 1, "IO OUT: port, size, count");
	CHECK(e.io.data == &buf.bytes[PIO_OFFSET] && e.io.data[0] == 0x2a,
	      "IO OUT: data points into the PIO page");

	buf.run.io.direction = KVM_EXIT_IO_IN;
	buf.run.io.size = 4;
	buf.run.io.port = 0xc0de;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_IO_IN &&
	      e.io.size == 4 && e.io.port == 0xc0de, "IO IN: 32-bit");

	buf.run.io.count = (RUN_SIZE - PIO_OFFSET) / 4;
	CHECK(decode(&e) == 0 && e.io.count == (RUN_SIZE - PIO_OFFSET) / 4,
	      "string IO filling the mapping exactly is accepted");
	buf.run.io.count++;
	CHECK_EQ(decode(&e), -EPROTO, "string IO one element past the mapping: -EPROTO");
	CHECK(e.type == KVMKIT_EXIT_UNKNOWN && e.reason == KVM_EXIT_IO &&
	      e.io.data == NULL, "rejected IO leaves no data pointer");

	buf.run.io.count = 1;
	buf.run.io.data_offset = RUN_SIZE - 4;
	CHECK_EQ(decode(&e), 0, "data ending at the last byte is accepted");
	buf.run.io.data_offset = RUN_SIZE - 3;
	CHECK_EQ(decode(&e), -EPROTO, "data crossing the end: -EPROTO");
	buf.run.io.data_offset = RUN_SIZE;
	CHECK_EQ(decode(&e), -EPROTO, "data_offset == run_size: -EPROTO");
	buf.run.io.data_offset = UINT64_MAX;
	CHECK_EQ(decode(&e), -EPROTO, "data_offset UINT64_MAX: -EPROTO");
	buf.run.io.data_offset = UINT64_MAX - 2;
	CHECK_EQ(decode(&e), -EPROTO, "data_offset + size wrapping: -EPROTO");

	buf.run.io.data_offset = PIO_OFFSET;
	buf.run.io.count = UINT32_MAX;
	CHECK_EQ(decode(&e), -EPROTO, "count UINT32_MAX (size*count overflow in 32 bits): -EPROTO");
	buf.run.io.count = 0x40000001;	/* * 4 wraps to 4 in 32 bits */
	CHECK_EQ(decode(&e), -EPROTO, "count whose 32-bit product wraps small: -EPROTO");
	buf.run.io.count = 0;
	CHECK_EQ(decode(&e), -EPROTO, "count 0: -EPROTO");

	buf.run.io.count = 1;
	buf.run.io.size = 3;
	CHECK_EQ(decode(&e), -EPROTO, "size 3: -EPROTO");
	buf.run.io.size = 8;
	CHECK_EQ(decode(&e), -EPROTO, "size 8: -EPROTO");
	buf.run.io.size = 0;
	CHECK_EQ(decode(&e), -EPROTO, "size 0: -EPROTO");
	buf.run.io.size = 2;
	buf.run.io.direction = 7;
	CHECK_EQ(decode(&e), -EPROTO, "unknown direction: -EPROTO");

	/* a short mapping: even a sane offset is outside it */
	buf.run.io.direction = KVM_EXIT_IO_OUT;
	CHECK_EQ(kvmkit_exit_decode(&buf.run, PIO_OFFSET, 0, 0, &e), -EPROTO,
		 "PIO page beyond a one-page run_size: -EPROTO");
	CHECK_EQ(kvmkit_exit_decode(&buf.run, 100, 0, 0, &e), -EPROTO,
		 "run_size smaller than struct kvm_run: -EPROTO");
	CHECK_EQ(kvmkit_exit_decode(NULL, RUN_SIZE, 0, 0, &e), -EPROTO,
		 "NULL run with a successful KVM_RUN: -EPROTO");
}

static void test_mmio(void)
{
	struct kvmkit_exit e;

	fresh(KVM_EXIT_MMIO);
	buf.run.mmio.phys_addr = 0xfee00000;
	buf.run.mmio.len = 4;
	buf.run.mmio.is_write = 1;
	memcpy(buf.run.mmio.data, "\x01\x02\x03\x04", 4);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_MMIO_WRITE &&
	      e.mmio.gpa == 0xfee00000 && e.mmio.len == 4 &&
	      e.mmio.data == buf.run.mmio.data, "MMIO write: gpa, len, data");
	buf.run.mmio.is_write = 0;
	buf.run.mmio.len = 8;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_MMIO_READ &&
	      e.mmio.len == 8, "MMIO read of 8 bytes");
	buf.run.mmio.len = 0xffffffff;
	CHECK(decode(&e) == 0 && e.mmio.len == 8, "MMIO len 0xffffffff clamped to 8");
	buf.run.mmio.len = 9;
	CHECK(decode(&e) == 0 && e.mmio.len == 8, "MMIO len 9 clamped to 8");
}

static void test_internal_and_events(void)
{
	struct kvmkit_exit e;
	unsigned int i;

	fresh(KVM_EXIT_INTERNAL_ERROR);
	buf.run.internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	buf.run.internal.ndata = 3;
	for (i = 0; i < 16; i++)
		buf.run.internal.data[i] = 100 + i;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_INTERNAL_ERROR &&
	      e.internal.suberror == 1 && e.internal.ndata == 3 &&
	      e.internal.data[2] == 102 && e.internal.data[3] == 0,
	      "INTERNAL_ERROR: suberror, ndata 3, only 3 words copied");
	buf.run.internal.ndata = 0xffffffff;
	CHECK(decode(&e) == 0 && e.internal.ndata == 16 &&
	      e.internal.data[15] == 115, "INTERNAL_ERROR: ndata clamped to 16");

	fresh(KVM_EXIT_SYSTEM_EVENT);
	buf.run.system_event.type = KVM_SYSTEM_EVENT_RESET;
	buf.run.system_event.ndata = 1;
	buf.run.system_event.data[0] = 0x77;
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_SYSTEM_EVENT &&
	      e.system_event.type == KVM_SYSTEM_EVENT_RESET &&
	      e.system_event.ndata == 1 && e.system_event.data[0] == 0x77,
	      "SYSTEM_EVENT: type, ndata, data");
	buf.run.system_event.ndata = 17;
	CHECK(decode(&e) == 0 && e.system_event.ndata == 16,
	      "SYSTEM_EVENT: ndata 17 clamped to 16");
}

static void test_unknown(void)
{
	struct kvmkit_exit e;

	fresh(9999);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_UNKNOWN && e.reason == 9999,
	      "unknown reason 9999: UNKNOWN with the raw reason");
	fresh(KVM_EXIT_TPR_ACCESS);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_UNKNOWN &&
	      e.reason == KVM_EXIT_TPR_ACCESS, "known but unhandled reason: UNKNOWN");
	fresh(UINT32_MAX);
	CHECK(decode(&e) == 0 && e.type == KVMKIT_EXIT_UNKNOWN,
	      "reason UINT32_MAX: UNKNOWN");
}

static void test_names(void)
{
	char line[256];
	struct kvmkit_exit e;
	unsigned int i, bad = 0;
	size_t n;

	CHECK_STR(kvmkit_exit_reason_name(KVM_EXIT_IO), "KVM_EXIT_IO", "reason name of IO");
	CHECK_STR(kvmkit_exit_reason_name(KVM_EXIT_NOTIFY), "KVM_EXIT_NOTIFY", "reason name of NOTIFY");
	for (i = 0; i <= KVM_EXIT_NOTIFY; i++)
		if (strncmp(kvmkit_exit_reason_name(i), "KVM_EXIT_", 9))
			bad++;
	CHECK_EQ(bad, 0, "every reason up to KVM_EXIT_NOTIFY has a name");
	CHECK_STR(kvmkit_exit_reason_name(100000), "KVM_EXIT_(unknown)", "unknown reason name");

	for (i = 0; i < KVMKIT_EXIT_TYPE_COUNT; i++)
		if (!strcmp(kvmkit_exit_type_name(i), "INVALID"))
			bad++;
	CHECK_EQ(bad, 0, "every exit type has a name");
	CHECK_STR(kvmkit_exit_type_name(KVMKIT_EXIT_TYPE_COUNT), "INVALID", "type out of range");
	CHECK_STR(kvmkit_exit_type_name((enum kvmkit_exit_type)-1), "INVALID", "negative type");

	fresh(KVM_EXIT_IO);
	buf.run.io.direction = KVM_EXIT_IO_OUT;
	buf.run.io.size = 1;
	buf.run.io.port = 0x10;
	buf.run.io.count = 1;
	buf.run.io.data_offset = PIO_OFFSET;
	buf.bytes[PIO_OFFSET] = 0x2a;
	decode(&e);
	n = kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x10 size 1 value 0x2a", "describe IO_OUT");
	CHECK_EQ(n, strlen(line), "describe returns the length written");
	n = kvmkit_exit_describe(&e, line, 5);
	CHECK(n == 4 && !strcmp(line, "IO_O"), "describe truncates to len - 1");
	CHECK_EQ(kvmkit_exit_describe(&e, line, 0), 0, "describe with len 0");

	fresh(9999);
	decode(&e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "UNKNOWN exit reason 9999 (KVM_EXIT_(unknown))", "describe unknown");

	kvmkit_exit_decode(NULL, 0, -1, EFAULT, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "ERROR KVM_RUN: Bad address", "describe error");

	fresh(KVM_EXIT_INTERNAL_ERROR);
	buf.run.internal.suberror = 1;
	buf.run.internal.ndata = 2;
	buf.run.internal.data[0] = 0x10;
	buf.run.internal.data[1] = 0x20;
	decode(&e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "INTERNAL_ERROR suberror 1 (emulation failure) data 0x10 0x20",
		  "describe internal error");

	/* a caller-made exit with hostile counts must not make describe overrun */
	memset(&e, 0, sizeof(e));
	e.type = KVMKIT_EXIT_SYSTEM_EVENT;
	e.system_event.ndata = 0xffffffff;
	n = kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK(n < sizeof(line) && n == strlen(line), "describe clamps ndata of a forged exit");
}

/*
 * KVMKIT_EXIT_TYPES row by row, so that a new row is checked without a
 * new test: rows in enum order, each named after its type, and each
 * row's KVM reason decoding to a type of that reason (rows sharing a
 * reason, IO_IN and IO_OUT, are picked among by their decoder).
 */
static void test_table(void)
{
	static const struct {
		int type;
		const char *name;
		uint32_t reason;
	} rows[] = {
#define ROW(type, reason, decode, describe) \
		{ KVMKIT_EXIT_##type, #type, (reason) },
		KVMKIT_EXIT_TYPES(ROW)
#undef ROW
	};
	struct kvmkit_exit e;
	unsigned int i;
	int ret;

	CHECK_EQ(ARRAY_SIZE(rows), KVMKIT_EXIT_TYPE_COUNT, "one row per exit type");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		CHECK(rows[i].type == (int)i &&
		      !strcmp(kvmkit_exit_type_name(i), rows[i].name),
		      "row %u: KVMKIT_EXIT_%s, named %s", i, rows[i].name,
		      kvmkit_exit_type_name(i));
		if (rows[i].reason == KVMKIT_EXIT_NO_REASON)
			continue;
		fresh(rows[i].reason);
		/* valid for the rows whose decoder checks its data */
		buf.run.io.direction = KVM_EXIT_IO_OUT;
		buf.run.io.size = 1;
		buf.run.io.count = 1;
		buf.run.io.data_offset = PIO_OFFSET;
		ret = decode(&e);
		CHECK(ret == 0 && e.reason == rows[i].reason &&
		      (unsigned int)e.type < ARRAY_SIZE(rows) &&
		      rows[e.type].reason == rows[i].reason,
		      "row %s: %s decodes to a type of its reason (%s)",
		      rows[i].name, kvmkit_exit_reason_name(rows[i].reason),
		      kvmkit_exit_type_name(e.type));
	}
}

/*
 * Random kvm_run contents: whatever decode accepts must only point inside
 * the mapping, and decode must never write to it (it is pure).
 */
static void test_random(void)
{
	static uint8_t copy[RUN_SIZE];
	unsigned long seed = 12345, i, outside = 0, written = 0, accepted = 0;
	struct kvmkit_exit e;
	size_t j;

	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 512; j++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			buf.bytes[j] = seed >> 56;
		}
		/* steer towards reasons that carry data */
		buf.run.exit_reason = (i & 8) ? KVM_EXIT_IO : (seed >> 20) % 40;
		if (i & 1)
			buf.run.io.size = 1 << ((seed >> 8) % 3);
		if (i & 2)
			buf.run.io.data_offset = (seed >> 4) % (2 * RUN_SIZE);
		if (i & 4) {
			buf.run.io.direction = seed & 1;
			buf.run.io.count = 1 + (seed >> 12) % 2048;
		}
		memcpy(copy, buf.bytes, RUN_SIZE);
		if (decode(&e) == 0 &&
		    (e.type == KVMKIT_EXIT_IO_IN || e.type == KVMKIT_EXIT_IO_OUT)) {
			accepted++;
			if (e.io.data < buf.bytes ||
			    e.io.data + (size_t)e.io.size * e.io.count > buf.bytes + RUN_SIZE)
				outside++;
		}
		if (memcmp(copy, buf.bytes, RUN_SIZE))
			written++;
	}
	unit_diag("%lu random IO exits accepted", accepted);
	CHECK_EQ(outside, 0, "random kvm_run: accepted IO data always inside the mapping");
	CHECK_EQ(written, 0, "random kvm_run: decode never writes kvm_run");
}

int main(void)
{
	test_errno();
	test_simple();
	test_io();
	test_mmio();
	test_internal_and_events();
	test_unknown();
	test_names();
	test_table();
	test_random();
	return unit_done();
}
