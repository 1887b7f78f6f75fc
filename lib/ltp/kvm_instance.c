// SPDX-License-Identifier: MIT
/* Creating and destroying a test VM */
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

/* LTP's real-mode "JMP 0x1000"; kvmkit boots in 64-bit mode and skips it */
const unsigned char tst_kvm_reset_code[VM_RESET_CODE_SIZE] = {
	0xea, 0x00, 0x10, 0x00, 0x00
};

/*
 * LTP hands a raw /dev/kvm fd; the native list wants a kvmkit handle, so
 * the same device is opened again through the fd's /proc link (a second
 * open file of /dev/kvm, closed before returning) and asked once.
 */
struct kvm_cpuid2 *tst_kvm_get_cpuid(int sysfd)
{
	char path[64], err[KVMKIT_ERR_MAX] = "";
	struct kvmkit_kvm *kvm = NULL;
	struct kvm_cpuid2 *ret = NULL;
	int rc;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", sysfd);
	if (kvmkit_kvm_open(&kvm, path, err, sizeof(err))) {
		tst_brk(TBROK, "tst_kvm_get_cpuid(%d): %s", sysfd, err);
		return NULL;
	}
	rc = kvmkit_kvm_check_extension(kvm, KVM_CAP_EXT_CPUID);
	if (rc > 0)
		rc = kvmkit_kvm_supported_cpuid(kvm, &ret);
	if (rc < 0)
		tst_brk(TBROK, "%s", kvmkit_kvm_error(kvm));
	kvmkit_kvm_close(kvm);
	/* rc 0: no KVM_CAP_EXT_CPUID, LTP's NULL */
	return rc < 0 ? NULL : ret;
}

static int irqchip_mode = TST_KVM_IRQCHIP_NONE;

void tst_kvm_set_irqchip(int mode)
{
	if (mode < TST_KVM_IRQCHIP_NONE || mode > TST_KVM_IRQCHIP_FULL)
		tst_brk(TBROK, "tst_kvm_set_irqchip(%d): no such mode", mode);
	irqchip_mode = mode;
}

/* Before any vCPU exists: 0, 1 for TCONF (KVM lacks it), -1 for TBROK */
static int create_irqchip(struct kvmkit_vm *vm)
{
	int ret;

	switch (irqchip_mode) {
	case TST_KVM_IRQCHIP_SPLIT:
		/* 24: the IOAPIC routes userspace would own */
		ret = kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_SPLIT, 24);
		break;
	case TST_KVM_IRQCHIP_FULL:
		ret = kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_FULL, 0);
		break;
	default:
		return 0;
	}
	if (ret == -EOPNOTSUPP)
		return 1;
	return ret ? -1 : 0;
}

/* How many CPUs the embedded payload asks for; ends the test if wrong */
static unsigned int payload_cpus(void)
{
	char why[KVMKIT_ERR_MAX];
	unsigned int cpus;
	int ret = kvmkit_payload_cpus(kvm_payload_start,
				      kvm_payload_end - kvm_payload_start,
				      &cpus, why, sizeof(why));

	if (ret == -E2BIG)
		tst_brk(TCONF, "%s", why);
	else if (ret)
		tst_brk(TBROK, "%s", why);
	return cpus;
}

/* LTP's RAM size rules, with the same warnings */
static size_t ram_size_for(size_t ram_size, size_t payload_size)
{
	const size_t result_page = KVM_RESULT_BASEADDR -
				   KVM_RESULT_BASEADDR % getpagesize();

	if (ram_size < VM_KERNEL_BASEADDR + payload_size + MIN_FREE_RAM) {
		ram_size = VM_KERNEL_BASEADDR + payload_size + MIN_FREE_RAM;
		ram_size = LTP_ALIGN(ram_size, (size_t)1024 * 1024);
		tst_res(TWARN, "RAM size increased to %zu bytes", ram_size);
	}
	if (ram_size > result_page) {
		ram_size = result_page;
		tst_res(TWARN, "RAM size truncated to %zu bytes", ram_size);
	}
	return ram_size;
}

void tst_kvm_create_instance(struct tst_kvm_instance *inst, size_t ram_size)
{
	const size_t payload_size = kvm_payload_end - kvm_payload_start;
	char err[KVMKIT_ERR_MAX] = "";
	struct kvm_cpuid2 *cpuid = NULL;
	unsigned int cpus, i;
	char *buf;
	int ret;

	memset(inst, 0, sizeof(*inst));
	inst->vm_fd = -1;
	inst->vcpu_fd = -1;
	cpus = payload_cpus();
	ram_size = ram_size_for(ram_size, payload_size);

	if (kvmkit_kvm_open(&inst->kvmkit_kvm, NULL, err, sizeof(err))) {
		tst_brk(TBROK, "%s", err);
		return;
	}
	ret = kvmkit_kvm_supported_cpuid(inst->kvmkit_kvm, &cpuid);
	if (ret && ret != -ENOSYS && ret != -EINVAL)
		tst_brk(TBROK, "%s", kvmkit_kvm_error(inst->kvmkit_kvm));
	if (kvmkit_vm_create(inst->kvmkit_kvm, &inst->kvmkit_vm))
		goto kvm_fail;
	inst->vm_fd = kvmkit_vm_fd(inst->kvmkit_vm);
	if (cpus > kvmkit_vm_max_vcpus(inst->kvmkit_vm)) {
		free(cpuid);
		tst_brk(TCONF, "the payload asks for %u CPUs, this KVM takes %u vCPUs per VM (KVM_CAP_MAX_VCPUS)",
			cpus, kvmkit_vm_max_vcpus(inst->kvmkit_vm));
		return;
	}
	ret = create_irqchip(inst->kvmkit_vm);
	if (ret > 0) {
		free(cpuid);
		tst_brk(TCONF, "this KVM has no %s irqchip",
			irqchip_mode == TST_KVM_IRQCHIP_SPLIT ?
			"split (KVM_CAP_SPLIT_IRQCHIP)" :
			"in-kernel (KVM_CAP_IRQCHIP)");
		return;
	}
	if (ret < 0) {
		free(cpuid);
		tst_brk(TBROK, "%s irqchip: %s",
			irqchip_mode == TST_KVM_IRQCHIP_SPLIT ? "split" : "full",
			kvmkit_vm_error(inst->kvmkit_vm));
		return;
	}
	if (kvmkit_vcpu_create(inst->kvmkit_vm, 0, &inst->kvmkit_vcpu))
		goto vm_fail;
	inst->vcpu_fd = kvmkit_vcpu_fd(inst->kvmkit_vcpu);
	inst->vcpu_info = kvmkit_vcpu_kvm_run(inst->kvmkit_vcpu);
	inst->vcpu_info_size = kvmkit_vcpu_kvm_run_size(inst->kvmkit_vcpu);
	/*
	 * x86-64 guests need the real CPUID: long mode is in it.  Several
	 * CPUs each get their own APIC id in it (some KVMs pass the host's
	 * through); one CPU keeps LTP's list untouched.
	 */
	if (cpuid && cpus > 1)
		tst_kvm_cpuid_set_apic_id(cpuid, 0);
	if (cpuid && kvmkit_vcpu_set_cpuid(inst->kvmkit_vcpu, cpuid))
		goto vcpu_fail;
	if (cpus > 1) {
		ret = tst_kvm_smp_create(inst, cpus, cpuid);
		if (ret == -1)
			goto vm_fail;
		if (ret == -2) {
			free(cpuid);
			tst_brk(TBROK, "%s", kvmkit_vcpu_error(
				inst->kvmkit_smp->vcpu[cpus - 1] ?
				inst->kvmkit_smp->vcpu[cpus - 1] :
				inst->kvmkit_vcpu));
			return;
		}
		if (ret) {
			free(cpuid);
			tst_brk(TBROK | TERRNO, "allocating %u vCPUs' state", cpus);
			return;
		}
	}

	tst_kvm_alloc_memory(inst, 0, 0, ram_size, 0);
	buf = tst_kvm_alloc_memory(inst, 1, KVM_RESULT_BASEADDR,
				   KVM_RESULT_SIZE, 0);
	memset(buf, 0, KVM_RESULT_SIZE);
	inst->result = (struct tst_kvm_result *)
		(buf + KVM_RESULT_BASEADDR % getpagesize());
	inst->result->result = KVM_TNONE;
	inst->result->message[0] = '\0';

	/*
	 * Slot 0 is a fresh tst_alloc() mapping nothing has written: its
	 * .bss reads zero already, and clearing it would fault in ~15 pages
	 * (~3 us each here) that the guest mostly never touches.
	 */
	if (kvmkit_payload_load_flags(inst->kvmkit_vm, kvm_payload_start,
				      payload_size, KVMKIT_LOAD_RAM_ZEROED))
		goto vm_fail;
	if (kvmkit_payload_setup(inst->kvmkit_vm, cpuid))
		goto vm_fail;
	free(cpuid);
	cpuid = NULL;
	ret = kvmkit_payload_boot_cpu(inst->kvmkit_vcpu);
	if (ret == -EOPNOTSUPP) {	/* a guest mode this KVM cannot run */
		tst_brk(TCONF, "%s", kvmkit_vcpu_error(inst->kvmkit_vcpu));
		return;
	}
	if (ret)
		goto vcpu_fail;
	for (i = 1; i < cpus; i++) {
		if (kvmkit_payload_boot_cpu(inst->kvmkit_smp->vcpu[i]))
			tst_brk(TBROK, "%s",
				kvmkit_vcpu_error(inst->kvmkit_smp->vcpu[i]));
	}
	return;

kvm_fail:
	free(cpuid);
	tst_brk(TBROK, "%s", kvmkit_kvm_error(inst->kvmkit_kvm));
	return;
vm_fail:
	free(cpuid);
	tst_brk(TBROK, "%s", kvmkit_vm_error(inst->kvmkit_vm));
	return;
vcpu_fail:
	free(cpuid);
	tst_brk(TBROK, "%s", kvmkit_vcpu_error(inst->kvmkit_vcpu));
}

void tst_kvm_destroy_instance(struct tst_kvm_instance *inst)
{
	/* no AP thread may run on a VM being destroyed */
	tst_kvm_smp_free(inst->kvmkit_smp);
	inst->kvmkit_smp = NULL;
	if (inst->kvmkit_vm) {
		kvmkit_vm_destroy(inst->kvmkit_vm);	/* and its vCPU */
	} else if (inst->vm_fd >= 0 && !inst->kvmkit_kvm) {
		/* built by hand around raw fds: close what LTP would */
		if (inst->vcpu_info && inst->vcpu_info != MAP_FAILED)
			munmap(inst->vcpu_info, inst->vcpu_info_size);
		if (inst->vcpu_fd >= 0)
			close(inst->vcpu_fd);
		close(inst->vm_fd);
	}
	if (inst->kvmkit_kvm)
		kvmkit_kvm_close(inst->kvmkit_kvm);

	/* a second destroy (run, then cleanup) must find nothing to do */
	inst->kvmkit_vm = NULL;
	inst->kvmkit_vcpu = NULL;
	inst->kvmkit_kvm = NULL;
	inst->vm_fd = -1;
	inst->vcpu_fd = -1;
	inst->vcpu_info = NULL;
	inst->result = NULL;
	memset(inst->ram, 0, sizeof(inst->ram));
}
