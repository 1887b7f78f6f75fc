// SPDX-License-Identifier: MIT
/*
 * ioeventfds (kvmkit_vm_ioeventfd(), KVM_IOEVENTFD): a guest write that
 * matches one signals its eventfd inside KVM and never reaches userspace;
 * one that does not match exits as usual.  The host serves the same port
 * and MMIO range with ordinary handlers that count what does exit, and
 * the guest asks it, through a test-private check port, to compare the
 * eventfd counts and the exits after each step:
 *   - PIO, 1 byte, datamatch 0xA5: three OUTs of 0xA5 count 3 on the
 *     eventfd and exit 0 times; an OUT of 0x5A exits once with 0x5A and
 *     counts nothing;
 *   - MMIO, 4 bytes, any value: two 32-bit writes count 2 and exit 0
 *     times; a 1-byte write to the same address (another length) exits
 *     once and counts nothing.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst,
 * KVM_IOEVENTFD ("attaches or detaches an ioeventfd to a legal pio/mmio
 * address within the guest. A guest write in the registered address will
 * signal the provided event instead of triggering an exit.";
 * KVM_IOEVENTFD_FLAG_DATAMATCH: "the event will only be signaled if the
 * written value to the registered address is equal to datamatch"), and
 * KVM_EXIT_IO / KVM_EXIT_MMIO for the writes that exit; Intel SDM Vol. 2B
 * "OUT" (the byte written to the port).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#define EV_PORT		0x9e	/* ioeventfd, datamatch 0xa5, and a handler */
#define CHECK_PORT	0x9f	/* test-private: OUT al = step to check */
#define EV_GPA		0xd0000000UL	/* no RAM: MMIO */
#define MATCH		0xa5

enum { STEP_PIO_MATCH = 1, STEP_PIO_MISMATCH, STEP_MMIO_MATCH,
       STEP_MMIO_OTHER_LEN };

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static void out8(uint16_t port, uint8_t v)
{
	asm volatile("outb %b0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

void main(void)
{
	volatile uint32_t *mmio32 = (volatile uint32_t *)EV_GPA;
	volatile uint8_t *mmio8 = (volatile uint8_t *)EV_GPA;

	if (kvm_map_page(EV_GPA, EV_GPA, KVM_PAGE_WRITE | KVM_PAGE_PCD |
			 KVM_PAGE_PWT))
		tst_brk(TBROK, "cannot map 0x%lx", EV_GPA);
	out8(EV_PORT, MATCH);
	out8(EV_PORT, MATCH);
	out8(EV_PORT, MATCH);
	out8(CHECK_PORT, STEP_PIO_MATCH);
	out8(EV_PORT, 0x5a);
	out8(CHECK_PORT, STEP_PIO_MISMATCH);
	*mmio32 = 0x12345678;
	*mmio32 = 0x9abcdef0;
	out8(CHECK_PORT, STEP_MMIO_MATCH);
	*mmio8 = 0x77;
	out8(CHECK_PORT, STEP_MMIO_OTHER_LEN);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

#include <unistd.h>
#include <sys/eventfd.h>

static int pio_fd = -1, mmio_fd = -1;
/* exits the handlers saw since the last check, and their last value */
static unsigned int pio_exits, mmio_exits;
static uint64_t pio_value, mmio_value;
static uint32_t mmio_len;

static uint64_t drain(int fd)
{
	uint64_t n = 0;

	/* nonblocking: EAGAIN means 0 */
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static int on_ev_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		      void *opaque)
{
	(void)vcpu;
	(void)opaque;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	pio_exits++;
	pio_value = io->data[0];
	return KVMKIT_RESUME;
}

static int on_ev_mmio(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		      void *opaque)
{
	(void)vcpu;
	(void)opaque;
	if (!io->is_write)
		return KVMKIT_UNHANDLED;
	mmio_exits++;
	mmio_len = io->size;
	mmio_value = 0;
	memcpy(&mmio_value, io->data, io->size <= 8 ? io->size : 8);
	return KVMKIT_RESUME;
}

static void expect(const char *what, uint64_t count, uint64_t want_count,
		   unsigned int exits, unsigned int want_exits)
{
	if (count == want_count && exits == want_exits)
		tst_res(TPASS, "%s: eventfd counted %llu, %u exit%s to userspace",
			what, (unsigned long long)count, exits,
			exits == 1 ? "" : "s");
	else
		tst_res(TFAIL, "%s: eventfd counted %llu, %u exits to userspace (want %llu, %u)",
			what, (unsigned long long)count, exits,
			(unsigned long long)want_count, want_exits);
}

static int on_check(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		    void *opaque)
{
	(void)vcpu;
	(void)opaque;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	switch (io->data[0]) {
	case STEP_PIO_MATCH:
		expect("3 OUTs of 0xa5 (datamatch 0xa5)", drain(pio_fd), 3,
		       pio_exits, 0);
		break;
	case STEP_PIO_MISMATCH:
		expect("OUT of 0x5a (datamatch 0xa5)", drain(pio_fd), 0,
		       pio_exits, 1);
		if (pio_exits == 1 && pio_value != 0x5a)
			tst_res(TFAIL, "the OUT exited with 0x%llx, wrote 0x5a",
				(unsigned long long)pio_value);
		break;
	case STEP_MMIO_MATCH:
		expect("2 MMIO writes of 4 bytes (any value)", drain(mmio_fd),
		       2, mmio_exits, 0);
		break;
	case STEP_MMIO_OTHER_LEN:
		expect("MMIO write of 1 byte (ioeventfd of 4)", drain(mmio_fd),
		       0, mmio_exits, 1);
		if (mmio_exits == 1 && (mmio_len != 1 || mmio_value != 0x77))
			tst_res(TFAIL, "the write exited with %u bytes 0x%llx, wrote 1 byte 0x77",
				mmio_len, (unsigned long long)mmio_value);
		break;
	default:
		return KVMKIT_UNHANDLED;
	}
	pio_exits = mmio_exits = 0;
	return KVMKIT_RESUME;
}

static void attach(struct kvmkit_vm *vm)
{
	const uint64_t match = MATCH;
	int ret;

	if (kvmkit_vm_check_extension(vm, KVM_CAP_IOEVENTFD) <= 0)
		tst_brk(TCONF, "this KVM lacks KVM_CAP_IOEVENTFD");
	pio_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	mmio_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (pio_fd < 0 || mmio_fd < 0)
		tst_brk(TBROK | TERRNO, "eventfd");
	pio_exits = mmio_exits = 0;
	ret = kvmkit_vm_ioeventfd(vm, EV_PORT, 1, 1, &match, pio_fd);
	if (!ret)
		ret = kvmkit_vm_ioeventfd(vm, EV_GPA, 4, 0, NULL, mmio_fd);
	if (!ret)
		ret = kvmkit_vm_add_pio_handler(vm, EV_PORT, 1, on_ev_port, NULL);
	if (!ret)
		ret = kvmkit_vm_add_mmio_handler(vm, EV_GPA, 8, on_ev_mmio, NULL);
	if (!ret)
		ret = kvmkit_vm_add_pio_handler(vm, CHECK_PORT, 1, on_check,
						NULL);
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
}

static void close_fds(void)
{
	if (pio_fd >= 0)
		close(pio_fd);
	if (mmio_fd >= 0)
		close(mmio_fd);
	pio_fd = mmio_fd = -1;
}

static void run(void)
{
	suite_attach = attach;
	suite_kvm_run();
	close_fds();
}

static void cleanup(void)
{
	suite_kvm_cleanup();
	close_fds();
}

static struct tst_test test = {
	.kvmkit_desc = "A guest write matching an ioeventfd signals it without an exit; a mismatch exits",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "io,mmio,hostside" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
