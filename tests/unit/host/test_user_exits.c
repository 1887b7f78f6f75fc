// SPDX-License-Identifier: MIT
/*
 * Exits KVM offers userspace on request, against the real /dev/kvm, with
 * hand-made real-mode guests: RDMSR/WRMSR of a filtered MSR answered by
 * the run loop's msr callback, an unknown MSR answered with #GP (the
 * guest's IVT handler reports vector 13), KVM_HC_MAP_GPA_RANGE through
 * KVM_CAP_EXIT_HYPERCALL, the interrupt window then an external
 * interrupt.  Each part whose capability KVM lacks is skipped with the
 * reason (a "# SKIP" line); exit 77 without /dev/kvm.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define IVT_GP		(13 * 4)
#define IVT_IRQ		(0x20 * 4)
#define MSR_CODE	0x1000
#define GP_HANDLER	0x1100
#define HC_CODE		0x1200
#define WIN_CODE	0x1300
#define IRQ_HANDLER	0x1400
#define IVT_UD		(6 * 4)
#define UD_HANDLER	0x1500

static const uint8_t msr_code[] = {
	0x66, 0xb9, 0x74, 0x01, 0x00, 0x00,	/* mov $0x174, %ecx */
	0x0f, 0x32,				/* rdmsr */
	0x66, 0xe7, 0x10,			/* out %eax, $0x10 */
	0x66, 0xb8, 0x55, 0x00, 0x00, 0x00,	/* mov $0x55, %eax */
	0x66, 0x31, 0xd2,			/* xor %edx, %edx */
	0x0f, 0x30,				/* wrmsr */
	0x66, 0xb9, 0x00, 0x00, 0xad, 0xde,	/* mov $0xdead0000, %ecx */
	0x0f, 0x32,				/* rdmsr: #GP */
	0xf4,					/* hlt */
};
static const uint8_t gp_handler[] = { 0xb0, 0x0d, 0xe6, 0x11, 0xf4 };
static const uint8_t irq_handler[] = { 0xb0, 0x20, 0xe6, 0x11, 0xf4 };
static const uint8_t ud_handler[] = { 0xb0, 0x06, 0xe6, 0x11, 0xf4 };
static uint8_t hc_code[] = {
	0x66, 0xb8, 0x0c, 0x00, 0x00, 0x00,	/* mov $12, %eax (MAP_GPA_RANGE) */
	0x66, 0xbb, 0x00, 0x00, 0x01, 0x00,	/* mov $0x10000, %ebx */
	0x66, 0xb9, 0x02, 0x00, 0x00, 0x00,	/* mov $2, %ecx */
	0x66, 0xba, 0x10, 0x00, 0x00, 0x00,	/* mov $0x10, %edx (encrypted) */
	0x0f, 0x01, 0xc1,			/* vmcall (vmmcall on AMD) */
	0x66, 0xe7, 0x10,			/* out %eax, $0x10 */
	0xf4,
};
static const uint8_t win_code[] = {
	0xfb,					/* sti */
	0x90,					/* nop */
	0xeb, 0xfe,				/* jmp . */
};

/* kvm_pvm: KVM in software, whose known deviations are reported, not failed */
static int on_kvm_pvm(void)
{
	return !access("/sys/module/kvm_pvm", F_OK);
}

static int start_at(struct kvmkit_vcpu *vcpu, uint64_t rip)
{
	/* finish the last exit's OUT first, or KVM finishes it on the new RIP */
	if (kvmkit_vcpu_complete_pending(vcpu))
		return -1;
	return unit_real_mode(vcpu, rip);
}

struct msr_log {
	unsigned int reads, writes;
	uint64_t written;
};

static int on_msr(struct kvmkit_vcpu *vcpu, struct kvmkit_msr_access *a,
		  void *opaque)
{
	struct msr_log *log = opaque;

	(void)vcpu;
	if (a->index != 0x174)
		return KVMKIT_UNHANDLED;
	if (a->is_write) {
		log->writes++;
		log->written = a->data;
	} else {
		log->reads++;
		a->data = 0x1234abcd;
	}
	return KVMKIT_RESUME;
}

static void test_msr(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	static const uint32_t trap[] = { 0x174 };
	struct msr_log log = { 0, 0, 0 };
	const struct kvmkit_run_ops ops = { .msr = on_msr, .opaque = &log };
	struct kvmkit_exit e;
	char line[128];
	int ret;

	ret = kvmkit_vm_enable_user_msr(vm, KVM_MSR_EXIT_REASON_FILTER |
					KVM_MSR_EXIT_REASON_UNKNOWN);
	if (ret == -EOPNOTSUPP) {
		unit_diag("SKIP MSR exits: %s", kvmkit_vm_error(vm));
		return;
	}
	if (!CHECK_EQ(ret, 0, "KVM_CAP_X86_USER_SPACE_MSR enabled"))
		unit_diag("%s", kvmkit_vm_error(vm));
	if (!CHECK_EQ(kvmkit_vm_trap_msrs(vm, trap, 1), 0, "filter on IA32_SYSENTER_CS")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		return;
	}
	CHECK_EQ(kvmkit_vcpu_msr_reply(vcpu, 0, 0), -EINVAL,
		 "an MSR reply without an MSR exit: -EINVAL");
	start_at(vcpu, MSR_CODE);
	ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK(ret == KVMKIT_UNHANDLED && e.type == KVMKIT_EXIT_IO_OUT &&
	      e.io.size == 4, "RDMSR answered by the callback, then the guest's OUT");
	CHECK_EQ(log.reads, 1, "one filtered read");
	CHECK_STR(line, "IO_OUT port 0x10 size 4 value 0x1234abcd",
		  "the guest read the callback's value");
	ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK(ret == KVMKIT_UNHANDLED && e.type == KVMKIT_EXIT_X86_RDMSR,
	      "an unknown MSR is not the callback's: back to the caller");
	CHECK_STR(line, "X86_RDMSR index 0xdead0000 reason unknown",
		  "X86_RDMSR decoded and described");
	CHECK(log.writes == 1 && log.written == 0x55,
	      "the filtered WRMSR reached the callback with its value");
	CHECK_EQ(kvmkit_vcpu_msr_reply(vcpu, 0, 1), 0, "answer it with #GP");
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x11 size 1 value 0xd",
		  "the guest's #GP handler ran");
}

static void test_hypercall(struct kvmkit_kvm *kvm, struct kvmkit_vm *vm,
			   struct kvmkit_vcpu *vcpu)
{
	const struct kvm_cpuid_entry2 *l0;
	struct kvm_cpuid2 *cpuid;
	struct kvmkit_exit e;
	char line[128];
	int ret;

	ret = kvmkit_vm_enable_exit_hypercall(vm, 1ULL << 12);
	if (ret == -EOPNOTSUPP) {
		unit_diag("SKIP KVM_EXIT_HYPERCALL: %s", kvmkit_vm_error(vm));
		return;
	}
	if (!CHECK_EQ(ret, 0, "KVM_CAP_EXIT_HYPERCALL enabled")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		return;
	}
	/* the vendor's own instruction: the other one would be patched */
	if (!kvmkit_kvm_supported_cpuid(kvm, &cpuid)) {
		l0 = kvmkit_cpuid_find(cpuid, 0, 0);
		if (l0 && l0->ebx == 0x68747541)	/* "Auth" */
			hc_code[26] = 0xd9;	/* vmcall 0f 01 c1 -> vmmcall 0f 01 d9 */
		free(cpuid);
	}
	kvmkit_vm_write(vm, HC_CODE, hc_code, sizeof(hc_code));
	start_at(vcpu, HC_CODE);
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	if (on_kvm_pvm() && !strcmp(line, "IO_OUT port 0x11 size 1 value 0x6")) {
		unit_diag("KNOWN on kvm_pvm: VMCALL/VMMCALL with KVM_CAP_EXIT_HYPERCALL enabled raises #UD in the guest (real mode) instead of exiting");
		return;
	}
	if (!CHECK(!ret && e.type == KVMKIT_EXIT_HYPERCALL && e.hypercall.nr == 12 &&
		   e.hypercall.args[0] == 0x10000 && e.hypercall.args[1] == 2 &&
		   e.hypercall.args[2] == 0x10, "KVM_HC_MAP_GPA_RANGE exits with its arguments"))
		unit_diag("%s", line);
	CHECK_EQ(kvmkit_vcpu_hypercall_reply(vcpu, 0x77), 0, "reply 0x77");
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x10 size 4 value 0x77",
		  "the guest's RAX is the reply");
	CHECK_EQ(kvmkit_vcpu_hypercall_reply(vcpu, 0), -EINVAL,
		 "a reply without a hypercall exit: -EINVAL");
}

static void test_irq_window(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;
	char line[128];
	int ret;

	(void)vm;
	start_at(vcpu, WIN_CODE);
	kvmkit_vcpu_request_irq_window(vcpu, 1);
	kvmkit_vcpu_set_timeout(vcpu, 2000000000ULL);
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	if (!CHECK(!ret && e.type == KVMKIT_EXIT_IRQ_WINDOW_OPEN,
		   "STI with the window requested: IRQ_WINDOW_OPEN"))
		unit_diag("%s", line);
	kvmkit_vcpu_request_irq_window(vcpu, 0);
	CHECK_EQ(kvmkit_vcpu_inject_irq(vcpu, 0x20), 0, "KVM_INTERRUPT 0x20");
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x11 size 1 value 0x20",
		  "the guest's handler of vector 0x20 ran");
	kvmkit_vcpu_set_timeout(vcpu, 0);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	char err[KVMKIT_ERR_MAX];
	uint16_t gp[2] = { GP_HANDLER, 0 }, irq[2] = { IRQ_HANDLER, 0 };
	uint16_t ud[2] = { UD_HANDLER, 0 };
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
		CHECK(0, "create VM: %s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(vm, MSR_CODE, msr_code, sizeof(msr_code));
	if (!ret)
		ret = kvmkit_vm_write(vm, GP_HANDLER, gp_handler, sizeof(gp_handler));
	if (!ret)
		ret = kvmkit_vm_write(vm, IRQ_HANDLER, irq_handler, sizeof(irq_handler));
	if (!ret)
		ret = kvmkit_vm_write(vm, WIN_CODE, win_code, sizeof(win_code));
	if (!ret)
		ret = kvmkit_vm_write(vm, IVT_GP, gp, sizeof(gp));
	if (!ret)
		ret = kvmkit_vm_write(vm, IVT_IRQ, irq, sizeof(irq));
	if (!ret)
		ret = kvmkit_vm_write(vm, IVT_UD, ud, sizeof(ud));
	if (!ret)
		ret = kvmkit_vm_write(vm, UD_HANDLER, ud_handler, sizeof(ud_handler));
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!CHECK_EQ(ret, 0, "real-mode guest with an IVT")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	test_msr(vm, vcpu);
	test_hypercall(kvm, vm, vcpu);
	test_irq_window(vm, vcpu);
out:
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
