// SPDX-License-Identifier: MIT
/*
 * Migrating a vCPU: a real-mode guest sets two MSRs (WRMSR) and counts;
 * mid-way the host saves the whole vCPU state (KVM_GET_REGS, _SREGS,
 * _FPU/_XSAVE, _XCRS, _DEBUGREGS, _VCPU_EVENTS, _MP_STATE, _MSRS of the
 * KVM_GET_MSR_INDEX_LIST) and restores it, with a copy of the memory, into
 * a vCPU of a new VM: right after the restore its registers, segment and
 * control registers and the guest's MSRs read back as saved; then the
 * guest continues where it was stopped (its next count is the next
 * number, its memory counter goes on too).
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, KVM_GET_REGS
 * / KVM_SET_REGS, KVM_GET_SREGS / KVM_SET_SREGS, KVM_GET_MSRS /
 * KVM_SET_MSRS, KVM_GET_VCPU_EVENTS / KVM_SET_VCPU_EVENTS, KVM_GET_XSAVE
 * / KVM_SET_XSAVE, and 5. "The kvm_run structure" (after a
 * KVM_EXIT_IO or KVM_EXIT_MMIO the instruction completes only on the next
 * KVM_RUN, so before a save userspace re-enters with immediate_exit set:
 * kvmkit_vcpu_save_state() does).
 */
#include "kvm_test.h"
#include "kvm_hostside.h"

#ifndef COMPILE_PAYLOAD

#include <stdlib.h>

#define RAM		0x10000
#define MSR_A		0x175	/* IA32_SYSENTER_ESP */
#define MSR_A_VAL	0x5a5a
#define MSR_B		0x176	/* IA32_SYSENTER_EIP */
#define MSR_B_VAL	0x1234

static const uint8_t code[] = {
	0x66, 0xb9, 0x75, 0x01, 0x00, 0x00,	/* mov $0x175, %ecx */
	0x66, 0xb8, 0x5a, 0x5a, 0x00, 0x00,	/* mov $0x5a5a, %eax */
	0x66, 0x31, 0xd2,			/* xor %edx, %edx */
	0x0f, 0x30,				/* wrmsr */
	0x66, 0xb9, 0x76, 0x01, 0x00, 0x00,	/* mov $0x176, %ecx */
	0x66, 0xb8, 0x34, 0x12, 0x00, 0x00,	/* mov $0x1234, %eax */
	0x0f, 0x30,				/* wrmsr */
	0xbe, 0x11, 0x11,			/* mov $0x1111, %si */
	0xbf, 0x22, 0x22,			/* mov $0x2222, %di */
	/* loop: */
	0x43,					/* inc %bx */
	0x89, 0xd8,				/* mov %bx, %ax */
	0xe7, 0x10,				/* out %ax, $0x10 */
	0xff, 0x06, 0x00, 0x20,			/* incw 0x2000 */
	0xeb, 0xf5,				/* jmp loop */
};

static int next_count(struct kvmkit_vcpu *vcpu, char *line, size_t len)
{
	struct kvmkit_exit e;

	if (hk_run(vcpu, &e, line, len) || e.type != KVMKIT_EXIT_IO_OUT ||
	    e.io.size != 2)
		return -1;
	return e.io.data[0] | e.io.data[1] << 8;
}

static void same(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		tst_res(TPASS, "%s: 0x%llx as saved", what,
			(unsigned long long)got);
	else
		tst_res(TFAIL, "%s: 0x%llx, saved 0x%llx", what,
			(unsigned long long)got, (unsigned long long)want);
}

static struct kvmkit_vm *vm2;
static struct kvmkit_vcpu_state *st;
static struct kvm_cpuid2 *cpuid;

static void run(void)
{
	struct kvmkit_vcpu *vcpu, *vcpu2 = NULL;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	char line[160];
	uint64_t v;
	uint16_t mem = 0;
	void *ram2 = NULL;
	int i, n;

	vcpu = hk_setup(RAM, code, sizeof(code));
	if (kvmkit_kvm_supported_cpuid(hk_kvm, &cpuid) ||
	    kvmkit_vcpu_set_cpuid(vcpu, cpuid))
		tst_brk(TBROK, "CPUID: %s", kvmkit_vcpu_error(vcpu));
	for (i = 1; i <= 3; i++) {
		n = next_count(vcpu, line, sizeof(line));
		if (n != i)
			tst_brk(TBROK, "the guest's count %d: %s", i, line);
	}
	if (kvmkit_vcpu_save_state(vcpu, &st))
		tst_brk(TBROK, "save: %s", kvmkit_vcpu_error(vcpu));
	tst_res(TINFO, "saved after count 3: RIP 0x%llx, %u MSRs, parts 0x%x",
		(unsigned long long)st->regs.rip, st->msrs->nmsrs, st->parts);

	if (kvmkit_vm_create(hk_kvm, &vm2) ||
	    kvmkit_vm_add_memory(vm2, 0, 0, RAM, 0, &ram2))
		tst_brk(TBROK, "new VM: %s", vm2 ? kvmkit_vm_error(vm2) :
			kvmkit_kvm_error(hk_kvm));
	if (kvmkit_vm_read(hk_vm, 0, ram2, RAM) ||
	    kvmkit_vcpu_create(vm2, 0, &vcpu2))
		tst_brk(TBROK, "new VM: %s", kvmkit_vm_error(vm2));
	if (kvmkit_vcpu_set_cpuid(vcpu2, cpuid) ||
	    kvmkit_vcpu_restore_state(vcpu2, st))
		tst_brk(TBROK, "restore: %s", kvmkit_vcpu_error(vcpu2));
	if (kvmkit_vcpu_set_timeout(vcpu2, 5000000000ULL))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu2));

	if (kvmkit_vcpu_get_regs(vcpu2, &regs) ||
	    kvmkit_vcpu_get_sregs(vcpu2, &sregs))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu2));
	same("RIP", regs.rip, st->regs.rip);
	same("RFLAGS", regs.rflags, st->regs.rflags);
	same("RAX", regs.rax, st->regs.rax);
	same("RBX (the count)", regs.rbx, 3);
	same("RCX", regs.rcx, st->regs.rcx);
	same("RSI", regs.rsi, 0x1111);
	same("RDI", regs.rdi, 0x2222);
	if (!memcmp(&regs, &st->regs, sizeof(regs)))
		tst_res(TPASS, "all of KVM_GET_REGS reads back as saved");
	else
		tst_res(TFAIL, "KVM_GET_REGS differs from the saved registers");
	same("CS base", sregs.cs.base, st->sregs.cs.base);
	same("CR0", sregs.cr0, st->sregs.cr0);
	same("EFER", sregs.efer, st->sregs.efer);
	v = 0;
	if (kvmkit_vcpu_get_msr(vcpu2, MSR_A, &v))
		tst_res(TFAIL, "RDMSR 0x%x: %s", MSR_A, kvmkit_vcpu_error(vcpu2));
	else
		same("IA32_SYSENTER_ESP (the guest's WRMSR)", v, MSR_A_VAL);
	v = 0;
	if (kvmkit_vcpu_get_msr(vcpu2, MSR_B, &v))
		tst_res(TFAIL, "RDMSR 0x%x: %s", MSR_B, kvmkit_vcpu_error(vcpu2));
	else
		same("IA32_SYSENTER_EIP (the guest's WRMSR)", v, MSR_B_VAL);

	n = next_count(vcpu2, line, sizeof(line));
	if (n == 4)
		tst_res(TPASS, "the restored guest goes on: 4");
	else
		tst_res(TFAIL, "the restored guest: %s (count %d), expected count 4",
			line, n);
	n = next_count(vcpu2, line, sizeof(line));
	if (n == 5)
		tst_res(TPASS, "then 5");
	else
		tst_res(TFAIL, "the restored guest: %s (count %d), expected count 5",
			line, n);
	kvmkit_vm_read(vm2, 0x2000, &mem, 2);
	if (mem == 4)
		tst_res(TPASS, "its memory counter went on too: 4");
	else
		tst_res(TFAIL, "its memory counter is %u, expected 4", mem);
	n = next_count(vcpu, line, sizeof(line));
	if (n == 4)
		tst_res(TPASS, "the original vCPU goes on by itself: 4");
	else
		tst_res(TFAIL, "the original vCPU: %s (count %d), expected 4", line, n);
	kvmkit_vm_destroy(vm2);
	vm2 = NULL;
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static void cleanup(void)
{
	kvmkit_vcpu_state_free(st);
	st = NULL;
	free(cpuid);
	cpuid = NULL;
	if (vm2)
		kvmkit_vm_destroy(vm2);
	vm2 = NULL;
	hk_cleanup();
}

static struct tst_test test = {
	.kvmkit_desc = "Migrating a vCPU: its whole state saved and restored into a new VM",
	.test_all = run,
	.cleanup = cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
