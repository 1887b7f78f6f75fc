// SPDX-License-Identifier: MIT
/*
 * Port-I/O and MMIO handler tables, hypercall decoding and dispatch, on a
 * fabricated VM and vCPU with fabricated kvm_run contents decoded by
 * kvmkit_exit_decode(), as the run loop sees them.  No /dev/kvm needed.
 */
#include <errno.h>
#include <stdint.h>
#include <kvmkit/kvmkit.h>
#include "internal.h"
#include "unit.h"

#define RUN_SIZE	(3 * 4096)
#define PIO_OFFSET	4096

static union {
	struct kvm_run run;
	uint8_t bytes[RUN_SIZE];
} buf;

static struct kvmkit_vm vm, vm2;
static struct kvmkit_vcpu vcpu, vcpu2;

static void fake_setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(&vm2, 0, sizeof(vm2));
	vm.fd = vm2.fd = -1;
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.fd = -1;
	vcpu.vm = &vm;
	vcpu.run = &buf.run;
	vcpu.run_size = RUN_SIZE;
	vcpu2 = vcpu;
	vcpu2.vm = &vm2;
}

/* What the last handler call saw */
static struct {
	int calls;
	struct kvmkit_io io;
	void *opaque;
	struct kvmkit_hypercall hc;
	int ret;		/* what the handlers return */
	uint8_t fill;		/* reads: the byte to fill data with */
} seen;

static int io_fn(struct kvmkit_vcpu *v, const struct kvmkit_io *io, void *opaque)
{
	(void)v;
	seen.calls++;
	seen.io = *io;
	seen.opaque = opaque;
	if (!io->is_write)
		memset(io->data, seen.fill, (size_t)io->size * io->count);
	return seen.ret;
}

static int other_fn(struct kvmkit_vcpu *v, const struct kvmkit_io *io,
		    void *opaque)
{
	(void)v;
	(void)io;
	(void)opaque;
	return KVMKIT_STOP;
}

/* Removes its own range (at opaque's port) while it runs */
static int self_removing_fn(struct kvmkit_vcpu *v, const struct kvmkit_io *io,
			    void *opaque)
{
	(void)io;
	seen.calls++;
	return kvmkit_vm_remove_pio_handler(v->vm, (uint16_t)(uintptr_t)opaque) ?:
	       KVMKIT_RESUME;
}

static int hc_fn(struct kvmkit_vcpu *v, const struct kvmkit_hypercall *hc,
		 void *opaque)
{
	(void)v;
	seen.calls++;
	seen.hc = *hc;
	seen.opaque = opaque;
	return seen.ret;
}

/* ---- fabricated exits --------------------------------------------------- */

static void reset_seen(int ret)
{
	memset(&seen, 0, sizeof(seen));
	seen.ret = ret;
}

static struct kvmkit_exit pio_exit(int out, uint16_t port, uint8_t size,
				   uint32_t count, const void *data)
{
	struct kvmkit_exit e;

	memset(&buf, 0, sizeof(buf));
	buf.run.exit_reason = KVM_EXIT_IO;
	buf.run.io.direction = out ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
	buf.run.io.port = port;
	buf.run.io.size = size;
	buf.run.io.count = count;
	buf.run.io.data_offset = PIO_OFFSET;
	if (data)
		memcpy(buf.bytes + PIO_OFFSET, data, (size_t)size * count);
	if (kvmkit_exit_decode(&buf.run, RUN_SIZE, 0, 0, &e))
		unit_diag("fabricated port exit does not decode");
	return e;
}

static struct kvmkit_exit mmio_exit(int write, uint64_t gpa, uint32_t len,
				    uint64_t value)
{
	struct kvmkit_exit e;

	memset(&buf, 0, sizeof(buf));
	buf.run.exit_reason = KVM_EXIT_MMIO;
	buf.run.mmio.is_write = write;
	buf.run.mmio.phys_addr = gpa;
	buf.run.mmio.len = len;
	memcpy(buf.run.mmio.data, &value, sizeof(value));
	kvmkit_exit_decode(&buf.run, RUN_SIZE, 0, 0, &e);
	return e;
}

static struct kvmkit_exit doorbell(uint32_t nr)
{
	return pio_exit(1, KVMKIT_HC_PORT, 4, 1, &nr);
}

/* ---- registration ------------------------------------------------------- */

static void test_pio_registration(void)
{
	int r;

	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3f8, 8, io_fn, NULL), 0,
		 "add ports 0x3f8-0x3ff");
	r = kvmkit_vm_add_pio_handler(&vm, 0x3f8, 8, io_fn, NULL);
	CHECK(r == -EEXIST && strstr(vm.err, "0x3f8-0x3ff"),
	      "the same range again: -EEXIST naming the other (%s)", vm.err);
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3f0, 9, io_fn, NULL), -EEXIST,
		 "overlap from below (last port 0x3f8)");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3ff, 1, io_fn, NULL), -EEXIST,
		 "overlap at the last port");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3fa, 2, io_fn, NULL), -EEXIST,
		 "range inside another");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x300, 0x200, io_fn, NULL),
		 -EEXIST, "range around another");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3f0, 8, io_fn, NULL), 0,
		 "adjacent below");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x400, 1, io_fn, NULL), 0,
		 "adjacent above");
	CHECK_EQ(vm.pio.n, 3, "three ranges");

	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x10, 0, io_fn, NULL), -EINVAL,
		 "count 0: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0xfff0, 0x11, io_fn, NULL),
		 -EINVAL, "past port 0xffff: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x10, 1, NULL, NULL), -EINVAL,
		 "no function: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0xfff0, 0x10, io_fn, NULL), 0,
		 "up to port 0xffff");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0, 1, io_fn, NULL), 0, "port 0");

	r = kvmkit_vm_remove_pio_handler(&vm, 0x3f9);
	CHECK(r == -ENOENT && strstr(vm.err, "0x3f9"),
	      "remove by a port inside a range, not its base: -ENOENT");
	CHECK_EQ(kvmkit_vm_remove_pio_handler(&vm, 0x3f8), 0, "remove 0x3f8");
	CHECK_EQ(kvmkit_vm_remove_pio_handler(&vm, 0x3f8), -ENOENT,
		 "remove it again: -ENOENT");
	CHECK_EQ(kvmkit_vm_add_pio_handler(&vm, 0x3f8, 8, io_fn, NULL), 0,
		 "add again after removal");
	CHECK_EQ(vm.pio.n, 5, "five ranges");
	kvmkit_io_tables_release(&vm);
	CHECK(!vm.pio.n && !vm.pio.ranges, "release empties the table");
}

static void test_many(void)
{
	unsigned int i, bad = 0, port;
	struct kvmkit_exit e;

	/* 200 two-port ranges added out of order: the table stays sorted */
	for (i = 0; i < 200; i++) {
		port = 0x1000 + ((i * 73) % 200) * 4;
		bad += !!kvmkit_vm_add_pio_handler(&vm, port, 2, io_fn,
						   (void *)(uintptr_t)port);
	}
	CHECK_EQ(bad, 0, "200 ranges added out of order");
	for (i = 1; i < vm.pio.n; i++)
		bad += vm.pio.ranges[i - 1].base >= vm.pio.ranges[i].base;
	CHECK_EQ(bad, 0, "table sorted by base");
	for (i = 0; i < 200; i++) {
		port = 0x1000 + i * 4;
		reset_seen(KVMKIT_RESUME);
		e = pio_exit(1, port + 1, 1, 1, "x");
		bad += kvmkit_vcpu_dispatch(&vcpu, NULL, &e) != KVMKIT_RESUME ||
		       seen.opaque != (void *)(uintptr_t)port ||
		       seen.io.offset != 1;
		e = pio_exit(1, port + 2, 1, 1, "x");
		bad += kvmkit_vcpu_dispatch(&vcpu, NULL, &e) != KVMKIT_UNHANDLED;
	}
	CHECK_EQ(bad, 0, "each port finds its own range, the gaps none");
	kvmkit_io_tables_release(&vm);
}

static void test_mmio_registration(void)
{
	static uint8_t ram[4096] __attribute__((aligned(4096)));
	int r;

	vm.slots[0].region = (struct kvm_userspace_memory_region) {
		.slot = 0, .guest_phys_addr = 0x100000, .memory_size = 0x1000,
		.userspace_addr = (uintptr_t)ram,
	};
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0xd0000000, 0x1000, io_fn, NULL),
		 0, "add MMIO 0xd0000000-0xd0000fff");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0xd0000ff8, 16, io_fn, NULL),
		 -EEXIST, "overlapping MMIO: -EEXIST");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0xd0001000, 16, io_fn, NULL),
		 0, "adjacent MMIO");
	r = kvmkit_vm_add_mmio_handler(&vm, 0xfffff, 2, io_fn, NULL);
	CHECK(r == -EEXIST && strstr(vm.err, "slot 0"),
	      "MMIO over a memory slot: -EEXIST (%s)", vm.err);
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0xff000, 0x1000, io_fn, NULL),
		 0, "MMIO right below a slot");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0x101000, 0x1000, io_fn, NULL),
		 0, "MMIO right above a slot");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, UINT64_MAX - 0xfff, 0x1000,
					    io_fn, NULL), 0,
		 "MMIO up to the top of the address space");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, UINT64_MAX - 0xfff, 0x1001,
					    io_fn, NULL), -EINVAL,
		 "MMIO wrapping around: -EINVAL");
	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0x5000, 0, io_fn, NULL),
		 -EINVAL, "MMIO of length 0: -EINVAL");
	CHECK_EQ(kvmkit_vm_remove_mmio_handler(&vm, 0xd0001000), 0,
		 "remove MMIO");
	CHECK_EQ(kvmkit_vm_remove_mmio_handler(&vm, 0xd0001000), -ENOENT,
		 "remove it again: -ENOENT");
	memset(&vm.slots[0], 0, sizeof(vm.slots[0]));
}

/*
 * The converse: a memory slot over an MMIO handler.  The fake VM has no
 * fd, so a slot that passes kvmkit's checks fails in the ioctl (EBADF):
 * that tells "refused for the overlap" from "refused at all".
 */
static void test_slot_over_mmio(void)
{
	static uint8_t ram[3 * 4096] __attribute__((aligned(4096)));
	void *hva;
	int r;

	CHECK_EQ(kvmkit_vm_add_mmio_handler(&vm, 0xe0001000, 8, io_fn, NULL),
		 0, "add MMIO 0xe0001000-0xe0001007");
	r = kvmkit_vm_add_memory(&vm, 3, 0xe0000000, 0x4000, 0, &hva);
	CHECK(r == -EEXIST && strstr(vm.err, "memory slot 3") &&
	      strstr(vm.err, "MMIO handler at 0xe0001000-0xe0001007"),
	      "a slot over an MMIO handler: -EEXIST naming both (%s)", vm.err);
	CHECK(!vm.slots[3].region.memory_size && !hva, "and no slot taken");
	r = kvmkit_vm_add_memory_at(&vm, 3, 0xe0001000, 0x1000, 0, ram);
	CHECK(r == -EEXIST && strstr(vm.err, "MMIO handler"),
	      "caller-owned memory over it: -EEXIST too (%s)", vm.err);
	r = kvmkit_vm_add_memory_at(&vm, 3, 0xe0002000, 0x1000, 0, ram);
	CHECK(r == -EBADF, "a slot right above it gets past the check (EBADF from the fake VM's ioctl: %d)", r);
	r = kvmkit_vm_add_memory_at(&vm, 3, 0xdffff000, 0x1000, 0, ram);
	CHECK(r == -EBADF, "a slot right below it too (%d)", r);
	kvmkit_vm_remove_mmio_handler(&vm, 0xe0001000);
	r = kvmkit_vm_add_memory_at(&vm, 3, 0xe0001000, 0x1000, 0, ram);
	CHECK(r == -EBADF, "once the handler is removed, the slot passes (%d)", r);
}

/* ---- dispatch ----------------------------------------------------------- */

static void test_pio_dispatch(void)
{
	struct kvmkit_exit e;
	int opaque, r;

	kvmkit_io_tables_release(&vm);
	kvmkit_vm_add_pio_handler(&vm, 0x3f8, 8, io_fn, &opaque);

	reset_seen(KVMKIT_RESUME);
	e = pio_exit(1, 0x3f8, 1, 1, "A");
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == KVMKIT_RESUME && seen.calls == 1, "OUT to 0x3f8: handled");
	CHECK(seen.io.is_write && seen.io.addr == 0x3f8 && seen.io.offset == 0 &&
	      seen.io.size == 1 && seen.io.count == 1 && seen.io.data[0] == 'A' &&
	      seen.opaque == &opaque,
	      "OUT: direction, port, offset, size, count, data, opaque");
	CHECK(seen.io.data == buf.bytes + PIO_OFFSET,
	      "data points at kvm_run's data_offset");

	reset_seen(KVMKIT_STOP);
	seen.fill = 0x5a;
	e = pio_exit(0, 0x3fd, 2, 1, NULL);
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == KVMKIT_STOP && !seen.io.is_write && seen.io.offset == 5 &&
	      seen.io.size == 2, "IN from 0x3fd: the handler's STOP, offset 5");
	CHECK(buf.bytes[PIO_OFFSET] == 0x5a && buf.bytes[PIO_OFFSET + 1] == 0x5a &&
	      buf.bytes[PIO_OFFSET + 2] == 0, "IN: the value lands in kvm_run");

	reset_seen(KVMKIT_RESUME);
	e = pio_exit(1, 0x3f8, 1, 5, "hello");
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == KVMKIT_RESUME && seen.io.count == 5 &&
	      !memcmp(seen.io.data, "hello", 5), "string OUT: count and data");

	reset_seen(KVMKIT_RESUME);
	e = pio_exit(1, 0x3ff, 4, 1, "abcd");
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_RESUME &&
	      seen.io.offset == 7 && seen.io.size == 4,
	      "a 4-byte OUT at the last port: that port's, width 4");
	reset_seen(KVMKIT_RESUME);
	e = pio_exit(1, 0x3f7, 1, 1, "x");
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED &&
	      !seen.calls, "a port below the range: unhandled");
	e = pio_exit(1, 0x80, 1, 1, "x");
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED,
	      "a port nobody serves: unhandled");

	reset_seen(KVMKIT_UNHANDLED);
	e = pio_exit(1, 0x3f8, 1, 1, "x");
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED &&
	      seen.calls == 1, "a handler declining: unhandled");

	reset_seen(-EIO);
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == -EIO && strstr(vcpu.err, "IO_OUT handler"),
	      "a handler's -EIO: returned, message names the exit (%s)", vcpu.err);
	reset_seen(7);
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == -EINVAL && strstr(vcpu.err, "returned 7"),
	      "a handler returning garbage: -EINVAL (%s)", vcpu.err);

	/* the same port on another VM: tables are per VM */
	reset_seen(KVMKIT_RESUME);
	CHECK(kvmkit_vcpu_dispatch(&vcpu2, NULL, &e) == KVMKIT_UNHANDLED &&
	      !seen.calls, "another VM does not see this VM's handler");
	kvmkit_vm_add_pio_handler(&vm2, 0x3f8, 1, other_fn, NULL);
	CHECK(kvmkit_vcpu_dispatch(&vcpu2, NULL, &e) == KVMKIT_STOP &&
	      !seen.calls, "each VM its own handler for one port");
	kvmkit_io_tables_release(&vm2);

	kvmkit_vm_add_pio_handler(&vm, 0x60, 1, self_removing_fn,
				  (void *)(uintptr_t)0x60);
	reset_seen(KVMKIT_RESUME);
	e = pio_exit(1, 0x60, 1, 1, "x");
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	CHECK(r == KVMKIT_RESUME && seen.calls == 1 &&
	      kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED,
	      "a handler removing itself");

	e = pio_exit(1, 0x3f8, 1, 1, "x");
	buf.run.exit_reason = KVM_EXIT_HLT;
	kvmkit_exit_decode(&buf.run, RUN_SIZE, 0, 0, &e);
	CHECK_EQ(kvmkit_vcpu_dispatch(&vcpu, NULL, &e), KVMKIT_UNHANDLED,
		 "HLT: unhandled");
	kvmkit_io_tables_release(&vm);
}

static void test_mmio_dispatch(void)
{
	struct kvmkit_exit e;
	uint64_t v;
	int r;

	kvmkit_vm_add_mmio_handler(&vm, 0xd0000000, 0x100, io_fn, &vm);
	reset_seen(KVMKIT_RESUME);
	e = mmio_exit(1, 0xd0000010, 4, 0x11223344);
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	memcpy(&v, seen.io.data, 4);
	CHECK(r == KVMKIT_RESUME && seen.io.is_write && seen.io.addr == 0xd0000010 &&
	      seen.io.offset == 0x10 && seen.io.size == 4 && seen.io.count == 1 &&
	      (uint32_t)v == 0x11223344 && seen.opaque == &vm,
	      "MMIO write: address, offset, size, data");

	reset_seen(KVMKIT_RESUME);
	seen.fill = 0xab;
	e = mmio_exit(0, 0xd00000f8, 8, 0);
	r = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	memcpy(&v, buf.run.mmio.data, 8);
	CHECK(r == KVMKIT_RESUME && !seen.io.is_write && seen.io.size == 8 &&
	      v == 0xababababababababULL,
	      "MMIO read of the last 8 bytes: value in kvm_run->mmio.data");

	reset_seen(KVMKIT_RESUME);
	e = mmio_exit(0, 0xd00000fc, 8, 0);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED &&
	      !seen.calls, "MMIO read running past the range: unhandled");
	e = mmio_exit(1, 0x3f8, 1, 0);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED,
	      "MMIO at a port's number: the port table is not consulted");
	kvmkit_io_tables_release(&vm);
}

/* ---- hypercalls --------------------------------------------------------- */

static void test_hypercall_decode(void)
{
	struct kvmkit_hypercall hc;
	struct kvmkit_exit e;
	uint32_t nr = KVMKIT_HC_EXIT;

	e = doorbell(KVMKIT_HC_REPORT);
	CHECK(!kvmkit_hypercall_decode(&e, &hc) && hc.nr == KVMKIT_HC_REPORT &&
	      !hc.has_regs, "doorbell: decoded, no registers");
	e = pio_exit(1, KVMKIT_HC_PORT, 1, 1, &nr);
	CHECK_EQ(kvmkit_hypercall_decode(&e, &hc), -EPROTO,
		 "a byte OUT to the doorbell: -EPROTO");
	e = pio_exit(0, KVMKIT_HC_PORT, 4, 1, NULL);
	CHECK_EQ(kvmkit_hypercall_decode(&e, &hc), -EPROTO,
		 "an IN from the doorbell: -EPROTO");
	e = pio_exit(1, KVMKIT_HC_PORT, 4, 2, "abcdefgh");
	CHECK_EQ(kvmkit_hypercall_decode(&e, &hc), -EPROTO,
		 "a string OUT to the doorbell: -EPROTO");
	e = pio_exit(1, KVMKIT_HC_PORT + 1, 4, 1, &nr);
	CHECK_EQ(kvmkit_hypercall_decode(&e, &hc), -ENOENT,
		 "another port: -ENOENT");
	e = mmio_exit(1, KVMKIT_HC_PORT, 4, KVMKIT_HC_EXIT);
	CHECK_EQ(kvmkit_hypercall_decode(&e, &hc), -ENOENT, "MMIO: -ENOENT");
}

static void test_hypercall_dispatch(void)
{
	struct kvmkit_run_ops ops = { .hypercall = hc_fn, .opaque = &ops };
	struct kvmkit_exit e;
	int r;

	reset_seen(KVMKIT_STOP);
	e = doorbell(KVMKIT_HC_EXIT);
	r = kvmkit_vcpu_dispatch(&vcpu, &ops, &e);
	CHECK(r == KVMKIT_STOP && seen.calls == 1 && seen.hc.nr == KVMKIT_HC_EXIT &&
	      !seen.hc.has_regs && seen.opaque == &ops,
	      "EXIT: to the hypercall callback, with opaque");

	/* KVM_SYNC_X86_REGS: the registers come from kvm_run, no ioctl */
	reset_seen(KVMKIT_RESUME);
	e = doorbell(KVMKIT_HC_PRINTF);
	buf.run.kvm_valid_regs = KVM_SYNC_X86_REGS;
	buf.run.s.regs.regs.rdi = 0x1234;
	buf.run.s.regs.regs.r9 = 0x5678;
	r = kvmkit_vcpu_dispatch(&vcpu, &ops, &e);
	CHECK(r == KVMKIT_RESUME && seen.hc.nr == KVMKIT_HC_PRINTF &&
	      seen.hc.has_regs && seen.hc.regs.rdi == 0x1234 &&
	      seen.hc.regs.r9 == 0x5678, "PRINTF: with the guest's registers");

	/* without sync KVM_GET_REGS runs, and fails on the fake fd */
	reset_seen(KVMKIT_RESUME);
	e = doorbell(KVMKIT_HC_PRINTF_EXIT);
	r = kvmkit_vcpu_dispatch(&vcpu, &ops, &e);
	CHECK(r == -EBADF && !seen.calls && strstr(vcpu.err, "KVM_GET_REGS"),
	      "PRINTF_EXIT, registers unreadable: the error, no call (%s)",
	      vcpu.err);

	reset_seen(KVMKIT_UNHANDLED);
	e = doorbell(0x777);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, &ops, &e) == KVMKIT_UNHANDLED &&
	      seen.hc.nr == 0x777, "an unknown call declined: unhandled");

	reset_seen(KVMKIT_RESUME);
	e = doorbell(KVMKIT_HC_EXIT);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_UNHANDLED &&
	      !seen.calls, "no callback: the doorbell is a port like any other");
	kvmkit_vm_add_pio_handler(&vm, KVMKIT_HC_PORT, 1, io_fn, NULL);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, NULL, &e) == KVMKIT_RESUME &&
	      seen.calls == 1 && seen.io.addr == KVMKIT_HC_PORT,
	      "no callback: a port handler may serve the doorbell port");
	reset_seen(KVMKIT_RESUME);
	CHECK(kvmkit_vcpu_dispatch(&vcpu, &ops, &e) == KVMKIT_RESUME &&
	      seen.calls == 1 && seen.hc.nr == KVMKIT_HC_EXIT,
	      "with a callback, calls go to it");
	reset_seen(KVMKIT_STOP);
	e = pio_exit(1, KVMKIT_HC_PORT, 1, 1, "x");
	CHECK(kvmkit_vcpu_dispatch(&vcpu, &ops, &e) == KVMKIT_STOP &&
	      seen.calls == 1 && seen.io.size == 1,
	      "with a callback, a byte OUT to the port goes to the port handler");
	kvmkit_io_tables_release(&vm);
}

int main(void)
{
	fake_setup();
	test_pio_registration();
	test_many();
	test_mmio_registration();
	test_slot_over_mmio();
	test_pio_dispatch();
	test_mmio_dispatch();
	test_hypercall_decode();
	test_hypercall_dispatch();
	kvmkit_io_tables_release(&vm);
	return unit_done();
}
