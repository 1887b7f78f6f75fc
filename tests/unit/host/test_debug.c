// SPDX-License-Identifier: MIT
/*
 * KVM_SET_GUEST_DEBUG through kvmkit_vcpu_set_debug() against the real
 * /dev/kvm, on a hand-made real-mode guest: single-step, a write
 * watchpoint, an instruction breakpoint and an INT3 software breakpoint,
 * each a typed KVMKIT_EXIT_DEBUG with its address, DR6 and DR7.  Exit 77
 * without /dev/kvm; a "# SKIP" without KVM_CAP_SET_GUEST_DEBUG.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define CODE_GPA	0x1000
#define WATCH_GPA	0x2000

static const uint8_t code[] = {
	0x90,				/* 0x1000: nop */
	0x90,				/* 0x1001: nop */
	0xc6, 0x06, 0x00, 0x20, 0x01,	/* 0x1002: movb $1, 0x2000 */
	0x90,				/* 0x1007: nop (breakpoint) */
	0xcc,				/* 0x1008: int3 */
	0xf4,				/* 0x1009: hlt */
};

/* vector 3 in the IVT: out 3 to port 0x11, if an INT3 reaches the guest */
static const uint16_t ivt3[2] = { 0x1100, 0 };
static const uint8_t int3_handler[] = { 0xb0, 0x03, 0xe6, 0x11, 0xf4 };

static int start(struct kvmkit_vcpu *vcpu)
{
	return unit_real_mode(vcpu, CODE_GPA);
}

static int stop(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *e)
{
	char line[160];
	int ret = kvmkit_vcpu_run(vcpu, e);

	kvmkit_exit_describe(e, line, sizeof(line));
	unit_diag("%s", line);
	return ret ? -1 : kvmkit_debug_cause(e);
}

/*
 * Where a deviation of the KVM at hand is known and reported, not failed:
 * kvm_pvm (KVM in software), or standard KVM nested under QEMU TCG, whose
 * SVM emulation neither intercepts INT3 as #BP nor raises #DB for
 * DR0-3 in the nested guest (what kvmkit-vm runs)
 */
static const char *platform(void)
{
	char line[256];
	FILE *f;
	int tcg = 0;

	if (!access("/sys/module/kvm_pvm", F_OK))
		return "kvm_pvm";
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return NULL;
	while (!tcg && fgets(line, sizeof(line), f))
		tcg = !strncmp(line, "model name", 10) && strstr(line, "QEMU TCG");
	fclose(f);
	return tcg ? "KVM under QEMU TCG" : NULL;
}

static void test_debug(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_debug d;
	struct kvmkit_exit e;
	struct kvm_regs regs;
	const char *known = platform();
	int cause;

	memset(&d, 0, sizeof(d));
	d.single_step = 1;
	if (!CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), 0, "single-step on")) {
		unit_diag("%s", kvmkit_vcpu_error(vcpu));
		return;
	}
	CHECK_EQ(stop(vcpu, &e), KVMKIT_DEBUG_STEP, "a step: DR6.BS");
	CHECK(e.debug.exception == 1 && e.debug.pc == 0x1001,
	      "after the first nop, #DB");
	CHECK_EQ(stop(vcpu, &e), KVMKIT_DEBUG_STEP, "another step");
	CHECK_EQ(e.debug.pc, 0x1002, "after the second nop");

	memset(&d, 0, sizeof(d));
	d.sw_breakpoints = 1;
	d.n_hw = 2;
	d.hw[0] = (struct kvmkit_hw_breakpoint){ 0x1007, KVMKIT_HW_EXEC, 1 };
	d.hw[1] = (struct kvmkit_hw_breakpoint){ WATCH_GPA, KVMKIT_HW_WRITE, 1 };
	CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), 0,
		 "step off; breakpoint at 0x1007, watchpoint on 0x2000, INT3");
	cause = stop(vcpu, &e);
	if (cause == 1) {
		CHECK(1, "the write hits watchpoint 1");
		CHECK_EQ(e.debug.pc, 0x1007, "stopped after the write");
		if ((e.debug.dr7 & 0xff) != 0x5 && known)
			unit_diag("KNOWN on %s: the exit's DR7 is 0x%llx, not the one set",
				  known, (unsigned long long)e.debug.dr7);
		else
			CHECK_EQ(e.debug.dr7 & 0xff, 0x5, "DR7 L0|L1 in the exit");
		cause = stop(vcpu, &e);
	} else if (known) {
		unit_diag("KNOWN on %s: a write watchpoint (DR1, KVM_GUESTDBG_USE_HW_BP) does not stop the guest",
			  known);
	} else {
		CHECK_EQ(cause, 1, "the write hits watchpoint 1");
	}
	if (cause == 0) {
		CHECK(1, "breakpoint 0 (DR6.B0)");
		CHECK_EQ(e.debug.pc, 0x1007, "before the instruction at 0x1007");
		d.n_hw = 0;
		CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), 0,
			 "breakpoints removed, INT3 kept");
		cause = stop(vcpu, &e);
	} else if (known) {
		unit_diag("KNOWN on %s: an instruction breakpoint (DR0) does not stop the guest",
			  known);
	} else {
		CHECK_EQ(cause, 0, "breakpoint 0 (DR6.B0)");
	}
	if (cause < 0 && e.type == KVMKIT_EXIT_IO_OUT && e.io.port == 0x11) {
		if (known)
			unit_diag("KNOWN on %s: INT3 with KVM_GUESTDBG_USE_SW_BP reaches the guest's vector 3 instead of exiting",
				  known);
		else
			CHECK(0, "INT3 exits (it reached the guest's vector 3)");
		return;
	}
	CHECK_EQ(cause, KVMKIT_DEBUG_SW_BREAKPOINT, "INT3: exception 3");
	CHECK_EQ(e.debug.pc, 0x1008, "at the INT3");
	if (!kvmkit_vcpu_get_regs(vcpu, &regs)) {
		regs.rip = 0x1009;
		kvmkit_vcpu_set_regs(vcpu, &regs);
	}
	memset(&d, 0, sizeof(d));
	CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), 0, "debugging off");
	CHECK(kvmkit_vcpu_run(vcpu, &e) == 0 && e.type == KVMKIT_EXIT_HLT,
	      "past the INT3 the guest halts");
}

static void test_bad(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_debug d;
	struct kvmkit_exit e;

	memset(&d, 0, sizeof(d));
	d.n_hw = 5;
	CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), -EINVAL, "5 breakpoints: -EINVAL");
	d.n_hw = 1;
	d.hw[0] = (struct kvmkit_hw_breakpoint){ 0x2001, KVMKIT_HW_WRITE, 2 };
	CHECK_EQ(kvmkit_vcpu_set_debug(vcpu, &d), -EINVAL,
		 "a misaligned watchpoint: -EINVAL");
	memset(&e, 0, sizeof(e));
	e.type = KVMKIT_EXIT_HLT;
	CHECK_EQ(kvmkit_debug_cause(&e), -EINVAL, "cause of a HLT: -EINVAL");
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
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
	if (kvmkit_kvm_check_extension(kvm, KVM_CAP_SET_GUEST_DEBUG) <= 0) {
		unit_diag("SKIP KVM_CAP_SET_GUEST_DEBUG absent");
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	ret = kvmkit_vm_create(kvm, &vm);
	if (ret) {
		CHECK(0, "VM: %s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!ret)
		ret = kvmkit_vm_write(vm, 3 * 4, ivt3, sizeof(ivt3));
	if (!ret)
		ret = kvmkit_vm_write(vm, 0x1100, int3_handler, sizeof(int3_handler));
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!ret)
		ret = start(vcpu);
	if (CHECK_EQ(ret, 0, "real-mode guest")) {
		test_bad(vcpu);
		test_debug(vcpu);
	}
	else
		unit_diag("%s", kvmkit_vm_error(vm));
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
