// SPDX-License-Identifier: MIT
/*
 * kvmkit_vm_restart() against the real /dev/kvm: a real-mode guest counts
 * in memory and OUTs each count; after a restart (new VM and vCPU fds) it
 * must go on from where it was, with the memory, slots, handlers,
 * capabilities and exit history kept.  Also what a restart costs next to
 * building a new VM with a copy of the memory (printed, not judged: a
 * benchmark is no test).  Exit 77 without /dev/kvm.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define CODE_GPA	0x1000
#define COUNT_GPA	0x2000
#define RAM		(16u << 20)

static const uint8_t code[] = {
	0xff, 0x06, 0x00, 0x20,		/* 0x1000: incw 0x2000 */
	0xa1, 0x00, 0x20,		/* 0x1004: mov 0x2000, %ax */
	0xe7, 0x10,			/* 0x1007: out %ax, $0x10 */
	0xeb, 0xf5,			/* 0x1009: jmp 0x1000 */
};

static int start(struct kvmkit_vcpu *vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 2 };

	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		return -1;
	sregs.cs.base = sregs.ds.base = 0;
	sregs.cs.selector = sregs.ds.selector = 0;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs))
		return -1;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

/* The next count the guest OUTs, or -1 */
static long next_count(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;
	uint16_t v;

	if (kvmkit_vcpu_run(vcpu, &e) || e.type != KVMKIT_EXIT_IO_OUT ||
	    e.io.port != 0x10 || e.io.size != 2)
		return -1;
	memcpy(&v, e.io.data, 2);
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int nop_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		    void *opaque)
{
	(void)vcpu, (void)io, (void)opaque;
	return KVMKIT_RESUME;
}

/* A new VM holding a copy of vm's RAM and vcpu's state: the alternative */
static int fresh_copy(struct kvmkit_kvm *kvm, struct kvmkit_vm *vm,
		      struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_vcpu_state *st = NULL;
	struct kvmkit_vcpu *v2;
	struct kvmkit_vm *vm2;
	void *hva;
	int ret;

	ret = kvmkit_vcpu_save_state(vcpu, &st);
	if (!ret)
		ret = kvmkit_vm_create(kvm, &vm2);
	if (ret) {
		kvmkit_vcpu_state_free(st);
		return ret;
	}
	ret = kvmkit_vm_add_memory(vm2, 0, 0, RAM, 0, &hva);
	if (!ret)
		memcpy(hva, kvmkit_gpa_to_hva(vm, 0, RAM), RAM);
	if (!ret)
		ret = kvmkit_vcpu_create(vm2, 0, &v2);
	if (!ret)
		ret = kvmkit_vcpu_restore_state(v2, st);
	kvmkit_vcpu_state_free(st);
	kvmkit_vm_destroy(vm2);
	return ret;
}

static void measure(struct kvmkit_kvm *kvm, struct kvmkit_vm *vm,
		    struct kvmkit_vcpu *vcpu)
{
	enum { N = 20 };
	uint64_t t0, restart_ns = 0, fresh_ns = 0;
	int i, ok = 1;

	for (i = 0; i < N && ok; i++) {
		t0 = now_ns();
		ok &= !kvmkit_vm_restart(vm);
		restart_ns += now_ns() - t0;
		t0 = now_ns();
		ok &= !fresh_copy(kvm, vm, vcpu);
		fresh_ns += now_ns() - t0;
	}
	CHECK(ok, "20 restarts and 20 fresh copies");
	unit_diag("cost with 16 MiB of RAM: kvmkit_vm_restart %.0f us, a new VM with the RAM copied and the state restored %.0f us (mean of %d)",
		  restart_ns / 1e3 / N, fresh_ns / 1e3 / N, N);
	CHECK_EQ(next_count(vcpu), 6, "after 20 more restarts the guest still counts on: 6");
}

static void test_restart(struct kvmkit_kvm *kvm, struct kvmkit_vm *vm,
			 struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit_record r[4];
	int vm_fd = kvmkit_vm_fd(vm), vcpu_fd = kvmkit_vcpu_fd(vcpu);

	CHECK_EQ(next_count(vcpu), 1, "the guest counts: 1");
	CHECK_EQ(next_count(vcpu), 2, "2");
	CHECK_EQ(next_count(vcpu), 3, "3");
	if (!CHECK_EQ(kvmkit_vm_restart(vm), 0, "kvmkit_vm_restart")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		return;
	}
	CHECK(kvmkit_vm_fd(vm) >= 0 && kvmkit_vcpu_fd(vcpu) >= 0,
	      "new fds (the old VM's were closed)");
	CHECK(kvmkit_vm_memslot(vm, 0) && kvmkit_vm_memslot(vm, 0)->memory_size == RAM,
	      "slot 0 kept");
	CHECK_EQ(kvmkit_vm_add_pio_handler(vm, 0x80, 1, nop_port, NULL), -EEXIST,
		 "the port handler kept (adding it again: -EEXIST)");
	CHECK_EQ(next_count(vcpu), 4,
		 "the guest goes on after the restart: 4 (memory and registers kept)");
	CHECK_EQ(kvmkit_vcpu_exit_history(vcpu, r, 4), 4, "the exit history kept");
	unit_diag("fds before %d/%d, after %d/%d", vm_fd, vcpu_fd,
		  kvmkit_vm_fd(vm), kvmkit_vcpu_fd(vcpu));
	CHECK_EQ(next_count(vcpu), 5, "5");
	measure(kvm, vm, vcpu);
}

static const struct kvm_enable_cap pause_cap = {
	.cap = KVM_CAP_X86_DISABLE_EXITS,
	.args = { KVM_X86_DISABLE_EXITS_PAUSE },
};

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu = NULL;
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
	ret = kvmkit_vm_create(kvm, &vm);
	if (ret) {
		CHECK(0, "VM: %s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	ret = kvmkit_vm_add_memory(vm, 0, 0, RAM, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!ret)
		ret = kvmkit_vm_add_pio_handler(vm, 0x80, 1, nop_port, NULL);
	/*
	 * A capability KVM takes only before the first vCPU: the restart
	 * must replay it on the new VM before recreating the vCPU
	 */
	if (!ret && kvmkit_vm_check_extension(vm, KVM_CAP_X86_DISABLE_EXITS) > 0)
		ret = kvmkit_vm_enable_cap(vm, &pause_cap);
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!ret)
		ret = start(vcpu);
	if (CHECK_EQ(ret, 0, "real-mode guest"))
		test_restart(kvm, vm, vcpu);
	else
		unit_diag("%s", vcpu ? kvmkit_vcpu_error(vcpu) : kvmkit_vm_error(vm));
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
