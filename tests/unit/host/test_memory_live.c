// SPDX-License-Identifier: MIT
/*
 * Live memory slots against the real /dev/kvm, with hand-made real-mode
 * guests at 0x1000 (no payload):
 *   - dirty logging turned on for a live slot reports exactly the page
 *     the guest wrote, turned off again stops the log;
 *   - KVM refuses a change of KVM_MEM_READONLY: its error, our message;
 *   - a slot moved to another guest-physical address: the host and the
 *     guest read its bytes at the new address, and the old one is a hole
 *     (host -EFAULT, guest MMIO exit);
 *   - a deleted slot is a hole too;
 *   - with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, reading the log does not
 *     clear it, KVM_CLEAR_DIRTY_LOG clears (and re-protects) a page.
 * Skips (exit 77) when /dev/kvm is not there.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define CODE_A		0x1000
#define CODE_B		0x1100
#define SLOT_GPA	0x20000
#define MOVED_GPA	0x30000

/* es = 0x2000; movb $0x42, %es:0x1000 (gpa 0x21000, page 1); hlt */
static const uint8_t code_a[] = {
	0xb8, 0x00, 0x20, 0x8e, 0xc0,
	0x26, 0xc6, 0x06, 0x00, 0x10, 0x42,
	0xf4,
};
/* read gpa 0x31000 and out it on 0x10; then read gpa 0x21000; hlt */
static const uint8_t code_b[] = {
	0xb8, 0x00, 0x31, 0x8e, 0xc0, 0x26, 0xa0, 0x00, 0x00, 0xe6, 0x10,
	0xb8, 0x00, 0x21, 0x8e, 0xc0, 0x26, 0xa0, 0x00, 0x00,
	0xf4,
};

static int real_mode(struct kvmkit_vcpu *vcpu, uint64_t rip)
{
	return unit_real_mode(vcpu, rip);
}

static void test_flags(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	uint64_t bitmap[1];
	struct kvmkit_exit e;
	int ret;

	CHECK(kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) < 0,
	      "no dirty log before logging is turned on (KVM refuses)");
	ret = kvmkit_vm_set_memory_flags(vm, 1, KVM_MEM_LOG_DIRTY_PAGES);
	if (!CHECK_EQ(ret, 0, "dirty logging turned on for a live slot"))
		unit_diag("%s", kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_vm_memslot(vm, 1)->flags, KVM_MEM_LOG_DIRTY_PAGES,
		 "the slot's recorded flags follow");
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1), 0,
		 "dirty log readable now");
	ret = real_mode(vcpu, CODE_A);
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "guest wrote one page and halted");
	bitmap[0] = ~0ULL;
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1), 0, "dirty log after the run");
	CHECK_EQ(bitmap[0], 0x2, "exactly page 1 of the slot is dirty");

	ret = kvmkit_vm_set_memory_flags(vm, 1, 0);
	CHECK_EQ(ret, 0, "dirty logging turned off again");
	CHECK(kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) < 0,
	      "no dirty log once logging is off");

	if (kvmkit_vm_check_extension(vm, KVM_CAP_READONLY_MEM) > 0) {
		ret = kvmkit_vm_set_memory_flags(vm, 1, KVM_MEM_READONLY);
		CHECK_EQ(ret, -EINVAL, "KVM refuses to make a live slot read-only");
		CHECK(strstr(kvmkit_vm_error(vm), "KVM_MEM_READONLY") != NULL,
		      "the message names KVM_MEM_READONLY");
		unit_diag("%s", kvmkit_vm_error(vm));
		CHECK_EQ(kvmkit_vm_memslot(vm, 1)->flags, 0,
			 "the refused change left the recorded flags alone");
	} else {
		unit_diag("SKIP read-only change: KVM_CAP_READONLY_MEM absent");
	}
	CHECK_EQ(kvmkit_vm_set_memory_flags(vm, 7, 0), -ENOENT,
		 "flags of an unused slot: -ENOENT");
	CHECK_EQ(kvmkit_vm_set_memory_flags(vm, UINT32_MAX, 0), -ENOENT,
		 "flags of slot UINT32_MAX: -ENOENT");
}

static void test_move(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu,
		      uint8_t *slot)
{
	struct kvmkit_exit e;
	uint8_t byte = 0;
	int ret;

	slot[0x1000] = 0x5a;
	CHECK_EQ(kvmkit_vm_move_memory(vm, 1, MOVED_GPA + 1), -EINVAL,
		 "move to an unaligned address: -EINVAL");
	CHECK_EQ(kvmkit_vm_move_memory(vm, 1, 0), -EEXIST,
		 "move onto slot 0: KVM's -EEXIST");
	CHECK_EQ(kvmkit_vm_move_memory(vm, 1, UINT64_MAX & ~0xfffULL), -EINVAL,
		 "move past the end of the address space: -EINVAL");
	CHECK_EQ(kvmkit_vm_move_memory(vm, 9, MOVED_GPA), -ENOENT,
		 "move of an unused slot: -ENOENT");
	ret = kvmkit_vm_move_memory(vm, 1, MOVED_GPA);
	if (!CHECK_EQ(ret, 0, "slot 1 moved from 0x20000 to 0x30000")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		return;
	}
	CHECK_EQ(kvmkit_vm_memslot(vm, 1)->guest_phys_addr, MOVED_GPA,
		 "the recorded base follows");
	CHECK(kvmkit_vm_read(vm, MOVED_GPA + 0x1000, &byte, 1) == 0 &&
	      byte == 0x5a, "host read at the new address sees the slot's byte");
	CHECK_EQ(kvmkit_vm_read(vm, SLOT_GPA + 0x1000, &byte, 1), -EFAULT,
		 "host read at the old address: -EFAULT");
	CHECK_EQ(kvmkit_vm_find_slot(vm, SLOT_GPA), -1, "old address in no slot");

	ret = real_mode(vcpu, CODE_B);
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.data[0] == 0x5a,
	      "guest read at the new address sees the slot's byte");
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_MMIO_READ &&
	      e.mmio.gpa == SLOT_GPA + 0x1000,
	      "guest read at the old address: an MMIO exit (no memory there)");
	/* complete the read (all ones, as from a bus with nothing on it) */
	if (!ret && e.type == KVMKIT_EXIT_MMIO_READ)
		memset(e.mmio.data, 0xff, e.mmio.len);
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "then HLT");
}

static void test_delete(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;
	uint8_t byte;
	int ret;

	CHECK_EQ(kvmkit_vm_remove_memory(vm, 1), 0, "slot 1 deleted");
	CHECK_EQ(kvmkit_vm_read(vm, MOVED_GPA + 0x1000, &byte, 1), -EFAULT,
		 "host read of the deleted slot: -EFAULT");
	ret = real_mode(vcpu, CODE_B);
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_MMIO_READ &&
	      e.mmio.gpa == MOVED_GPA + 0x1000,
	      "guest read of the deleted slot: an MMIO exit");
	CHECK_EQ(kvmkit_vm_remove_memory(vm, 1), -ENOENT,
		 "deleting it again: -ENOENT");
	CHECK_EQ(kvmkit_vm_add_memory(vm, 2, SLOT_GPA, 0x4000, 0, NULL), 0,
		 "the range freed by the move takes a new slot");
}

/* movb $1, 0x20000; movb $2, 0x22000 (pages 0 and 2 of the slot); hlt */
static const uint8_t code_c[] = {
	0xb8, 0x00, 0x20, 0x8e, 0xc0,
	0x26, 0xc6, 0x06, 0x00, 0x00, 0x01,
	0x26, 0xc6, 0x06, 0x00, 0x20, 0x02,
	0xf4,
};
#define CODE_C	0x1200

static int run_c(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;

	if (real_mode(vcpu, CODE_C) || kvmkit_vcpu_run(vcpu, &e))
		return -1;
	return e.type == KVMKIT_EXIT_HLT ? 0 : -1;
}

/* The log is read without clearing it, then cleared page by page */
static void test_manual_clear(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = NULL;
	struct kvmkit_vcpu *vcpu;
	uint64_t bitmap[1], clear;
	int ret;

	ret = kvmkit_vm_create(kvm, &vm);
	if (!CHECK_EQ(ret, 0, "manual clear: VM"))
		return;
	ret = kvmkit_vm_enable_manual_dirty_clear(vm);
	if (ret == -EOPNOTSUPP) {
		unit_diag("SKIP manual dirty clear: %s", kvmkit_vm_error(vm));
		goto out;
	}
	if (!CHECK_EQ(ret, 0, "manual dirty clear enabled"))
		goto out;
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	ret = ret ? ret : kvmkit_vm_write(vm, CODE_C, code_c, sizeof(code_c));
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 1, SLOT_GPA, 0x4000,
					       KVM_MEM_LOG_DIRTY_PAGES, NULL);
	ret = ret ? ret : kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!CHECK_EQ(ret, 0, "manual clear: set-up"))
		goto out;
	/* KVM may start with every page dirty (INITIALLY_SET): clear all */
	clear = 0xf;
	CHECK_EQ(kvmkit_vm_clear_dirty_log(vm, 1, 0, 4, &clear), 0,
		 "the whole slot's log cleared");
	CHECK_EQ(run_c(vcpu), 0, "guest wrote pages 0 and 2");
	CHECK(!kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) && bitmap[0] == 0x5,
	      "log: pages 0 and 2");
	CHECK(!kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) && bitmap[0] == 0x5,
	      "read again: still pages 0 and 2 (reading does not clear)");
	clear = 0x1;
	CHECK_EQ(kvmkit_vm_clear_dirty_log(vm, 1, 0, 4, &clear), 0,
		 "page 0 cleared");
	CHECK(!kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) && bitmap[0] == 0x4,
	      "log: page 2 only");
	CHECK_EQ(run_c(vcpu), 0, "guest wrote pages 0 and 2 again");
	CHECK(!kvmkit_vm_get_dirty_log(vm, 1, bitmap, 1) && bitmap[0] == 0x5,
	      "log: page 0 is back (re-protected by the clear), page 2 still");
	CHECK_EQ(kvmkit_vm_clear_dirty_log(vm, 1, 1, 3, &clear), -EINVAL,
		 "first_page not a multiple of 64: KVM's -EINVAL");
	CHECK_EQ(kvmkit_vm_clear_dirty_log(vm, 6, 0, 4, &clear), -ENOENT,
		 "an unused slot: -ENOENT");
out:
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm = NULL;
	struct kvmkit_vcpu *vcpu;
	char err[KVMKIT_ERR_MAX];
	uint8_t *slot;
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	ret = kvmkit_vm_create(kvm, &vm);
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	ret = ret ? ret : kvmkit_vm_write(vm, CODE_A, code_a, sizeof(code_a));
	ret = ret ? ret : kvmkit_vm_write(vm, CODE_B, code_b, sizeof(code_b));
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 1, SLOT_GPA, 0x4000, 0,
					       (void **)&slot);
	ret = ret ? ret : kvmkit_vcpu_create(vm, 0, &vcpu);
	if (CHECK_EQ(ret, 0, "set-up: VM, two slots, a vCPU")) {
		test_flags(vm, vcpu);
		test_move(vm, vcpu, slot);
		test_delete(vm, vcpu);
	} else {
		unit_diag("%s", vm ? kvmkit_vm_error(vm) : kvmkit_kvm_error(kvm));
	}
	kvmkit_vm_destroy(vm);
	test_manual_clear(kvm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
