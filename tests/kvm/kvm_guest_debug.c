// SPDX-License-Identifier: MIT
/*
 * KVM_SET_GUEST_DEBUG from the host, on a real-mode guest:
 *   - KVM_GUESTDBG_SINGLESTEP: KVM_RUN exits with KVM_EXIT_DEBUG once per
 *     instruction, exception 1 (#DB) with DR6.BS, at the RIP of the next
 *     instruction each time, and the guest's instructions take effect;
 *   - KVM_GUESTDBG_USE_HW_BP with an execute breakpoint (DR7 R/W = 00,
 *     LEN = 00) in debugreg[0]: the guest runs up to the breakpoint's
 *     address and exits there, before the instruction (a fault-class #DB),
 *     with DR6.B0 set;
 *   - with debugging off again, the guest goes on from there.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst,
 * KVM_SET_GUEST_DEBUG and 5. "The kvm_run structure", KVM_EXIT_DEBUG
 * (struct kvm_debug_exit_arch: exception, pc, dr6, dr7); Intel SDM Vol.
 * 3B 17.2.4 "Debug Control Register (DR7)", 17.2.3 "Debug Status Register
 * (DR6)" (B0-B3, BS), 17.3.1.1 "Instruction-Breakpoint Exception
 * Condition" (a fault: before the instruction), 17.3.1.4 "Single-Step
 * Exception Condition" (a trap after each instruction).
 */
#include "kvm_test.h"
#include "kvm_hostside.h"

#ifndef COMPILE_PAYLOAD

#define DATA_GPA	0x2000
#define BP_GPA		0x100a

static const uint8_t code[] = {
	0x90,				/* 0x1000: nop */
	0x40,				/* 0x1001: inc %ax */
	0xc6, 0x06, 0x00, 0x20, 0x01,	/* 0x1002: movb $1, 0x2000 */
	0x90,				/* 0x1007: nop */
	0x43,				/* 0x1008: inc %bx */
	0x90,				/* 0x1009: nop */
	0x41,				/* 0x100a: inc %cx (breakpoint) */
	0xf4,				/* 0x100b: hlt */
};

static const uint64_t step_rips[] = { 0x1001, 0x1002, 0x1007, 0x1008 };

static void run(void)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_debug d;
	struct kvmkit_exit e;
	struct kvm_regs regs;
	char line[160];
	unsigned int i;
	uint8_t data = 0;
	int cause;

	vcpu = hk_setup(0x10000, code, sizeof(code));
	if (kvmkit_vm_check_extension(hk_vm, KVM_CAP_SET_GUEST_DEBUG) <= 0)
		tst_brk(TCONF, "KVM_CAP_SET_GUEST_DEBUG absent");

	memset(&d, 0, sizeof(d));
	d.single_step = 1;
	if (kvmkit_vcpu_set_debug(vcpu, &d))
		tst_brk(TBROK, "single-step: %s", kvmkit_vcpu_error(vcpu));
	for (i = 0; i < sizeof(step_rips) / sizeof(step_rips[0]); i++) {
		hk_run(vcpu, &e, line, sizeof(line));
		cause = kvmkit_debug_cause(&e);
		if (e.type == KVMKIT_EXIT_DEBUG && e.debug.exception == 1 &&
		    cause == KVMKIT_DEBUG_STEP && e.debug.pc == step_rips[i])
			tst_res(TPASS, "step %u: KVM_EXIT_DEBUG #DB, DR6.BS, at 0x%llx",
				i + 1, (unsigned long long)e.debug.pc);
		else
			tst_res(TFAIL, "step %u: %s, expected DEBUG exception 1 with DR6.BS at 0x%llx",
				i + 1, line, (unsigned long long)step_rips[i]);
	}
	if (kvmkit_vcpu_get_regs(vcpu, &regs))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	kvmkit_vm_read(hk_vm, DATA_GPA, &data, 1);
	if (regs.rip == 0x1008 && (uint16_t)regs.rax == 1 && data == 1 &&
	    (uint16_t)regs.rbx == 0)
		tst_res(TPASS, "after 4 steps: RIP 0x1008, AX 1, the byte written, BX not yet");
	else
		tst_res(TFAIL, "after 4 steps: RIP 0x%llx AX 0x%llx BX 0x%llx byte %u, expected 0x1008, 1, 0, 1",
			(unsigned long long)regs.rip, (unsigned long long)regs.rax,
			(unsigned long long)regs.rbx, data);

	memset(&d, 0, sizeof(d));
	d.n_hw = 1;
	d.hw[0] = (struct kvmkit_hw_breakpoint){ BP_GPA, KVMKIT_HW_EXEC, 1 };
	if (kvmkit_vcpu_set_debug(vcpu, &d))
		tst_brk(TBROK, "breakpoint: %s", kvmkit_vcpu_error(vcpu));
	hk_run(vcpu, &e, line, sizeof(line));
	cause = kvmkit_debug_cause(&e);
	if (e.type == KVMKIT_EXIT_DEBUG && e.debug.exception == 1 && cause == 0 &&
	    e.debug.pc == BP_GPA)
		tst_res(TPASS, "execute breakpoint in DR0: KVM_EXIT_DEBUG #DB, DR6.B0, at 0x%x",
			BP_GPA);
	else
		tst_res(TFAIL, "execute breakpoint in DR0 at 0x%x: %s, expected DEBUG exception 1 with DR6.B0 there",
			BP_GPA, line);
	if (e.type == KVMKIT_EXIT_DEBUG && !kvmkit_vcpu_get_regs(vcpu, &regs)) {
		if (regs.rip == BP_GPA && (uint16_t)regs.rbx == 1 &&
		    (uint16_t)regs.rcx == 0)
			tst_res(TPASS, "stopped before the instruction: RIP 0x%x, BX 1, CX still 0",
				BP_GPA);
		else
			tst_res(TFAIL, "at the breakpoint: RIP 0x%llx BX 0x%llx CX 0x%llx, expected 0x%x, 1, 0",
				(unsigned long long)regs.rip,
				(unsigned long long)regs.rbx,
				(unsigned long long)regs.rcx, BP_GPA);
	}

	memset(&d, 0, sizeof(d));
	if (kvmkit_vcpu_set_debug(vcpu, &d))
		tst_brk(TBROK, "debugging off: %s", kvmkit_vcpu_error(vcpu));
	hk_run(vcpu, &e, line, sizeof(line));
	if (e.type == KVMKIT_EXIT_HLT && !kvmkit_vcpu_get_regs(vcpu, &regs) &&
	    (uint16_t)regs.rcx == 1)
		tst_res(TPASS, "debugging off: the guest went on to its HLT");
	else
		tst_res(TFAIL, "debugging off: %s, expected HLT with CX 1", line);
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static struct tst_test test = {
	.kvmkit_desc = "KVM_SET_GUEST_DEBUG from the host, on a real-mode guest",
	.test_all = run,
	.cleanup = hk_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
