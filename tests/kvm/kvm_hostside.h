/* SPDX-License-Identifier: MIT */
/*
 * Host-side suite tests (kvm_readonly_slot, kvm_dirty_log, ...): the guest
 * is a few real-mode instructions the host writes at CODE_GPA, driven
 * with kvmkit's host API directly; the payload does nothing.  hk_setup()
 * opens /dev/kvm (TCONF without it), makes the VM and its vCPU and arms a
 * 1 s guest timeout (each guest needs microseconds; a deviation that
 * sends one astray should cost little); hk_cleanup() is the test's cleanup.
 */
#ifndef KVMKIT_TESTS_KVM_HOSTSIDE_H
#define KVMKIT_TESTS_KVM_HOSTSIDE_H

#ifdef COMPILE_PAYLOAD

/* The guests are built by hand on the host side: no payload code runs */
void main(void)
{
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvmkit/kvmkit.h>

#define CODE_GPA	0x1000

static struct kvmkit_kvm *hk_kvm;
static struct kvmkit_vm *hk_vm;

/* A VM with ram bytes at 0, code at CODE_GPA, one real-mode vCPU there */
static struct kvmkit_vcpu *hk_setup(uint64_t ram, const void *code, size_t len)
{
	char err[KVMKIT_ERR_MAX];
	struct kvmkit_vcpu *vcpu = NULL;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	if (!hk_kvm) {
		ret = kvmkit_kvm_open(&hk_kvm, NULL, err, sizeof(err));
		if (ret)
			tst_brk(TCONF, "/dev/kvm: %s", err);
	}
	if (kvmkit_vm_create(hk_kvm, &hk_vm))
		tst_brk(TBROK, "VM: %s", kvmkit_kvm_error(hk_kvm));
	if (kvmkit_vm_add_memory(hk_vm, 0, 0, ram, 0, NULL) ||
	    kvmkit_vm_write(hk_vm, CODE_GPA, code, len) ||
	    kvmkit_vcpu_create(hk_vm, 0, &vcpu))
		tst_brk(TBROK, "VM set-up: %s", kvmkit_vm_error(hk_vm));
	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		tst_brk(TBROK, "KVM_GET_SREGS: %s", kvmkit_vcpu_error(vcpu));
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rflags = 0x2;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs) ||
	    kvmkit_vcpu_set_regs(vcpu, &regs))
		tst_brk(TBROK, "real mode at 0x%x: %s", CODE_GPA,
			kvmkit_vcpu_error(vcpu));
	if (kvmkit_vcpu_set_timeout(vcpu, 1000000000ULL))
		tst_brk(TBROK, "guest timeout: %s", kvmkit_vcpu_error(vcpu));
	return vcpu;
}

/* One KVM_RUN, described for the messages */
static int hk_run(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *e,
		  char *line, size_t len)
{
	int ret = kvmkit_vcpu_run(vcpu, e);

	tst_kvm_trace_exit(vcpu, e);
	kvmkit_exit_describe(e, line, len);
	return ret;
}

static void hk_cleanup(void)
{
	if (hk_vm)
		kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
	if (hk_kvm)
		kvmkit_kvm_close(hk_kvm);
	hk_kvm = NULL;
}

#endif /* COMPILE_PAYLOAD */

#endif /* KVMKIT_TESTS_KVM_HOSTSIDE_H */
