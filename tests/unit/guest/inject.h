/* SPDX-License-Identifier: MIT */
/*
 * Interrupts on request, for runtime checks of vectors 32-255.  Software
 * INT n cannot be relied on: KVM's instruction emulator does not implement
 * INT n outside real mode, so a host that emulates guest kernel code (such
 * as kvm_pvm) stops the VM with an emulation failure.  Instead the guest
 * writes a vector to INJECT_PORT and the controller injects it as an
 * external interrupt with KVM_INTERRUPT (no in-kernel irqchip: userspace
 * owns interrupt injection).  It arrives right after the OUT, before the
 * next instruction, with interrupts enabled.
 *
 * The controller's run loop is the test's own, over the LTP instance's
 * vcpu_fd and vcpu_info; it hands reports to tst_kvm_print_result() and
 * turns everything it does not expect into TBROK.  With
 * INJECT_TCONF_SOFT_INT, an emulation failure on an INT/INT3/INT1
 * instruction is a TCONF naming the host's limitation instead.
 */
#ifndef KVMKIT_TESTS_INJECT_H
#define KVMKIT_TESTS_INJECT_H

#define INJECT_PORT	0x99	/* test-private: OUT al = vector to inject */

#ifdef COMPILE_PAYLOAD

/* Ask for vector v; returns the address the interrupt should report */
static inline uintptr_t inject_interrupt(unsigned int v)
{
	uintptr_t after;

	asm volatile("outb %b1, %2\n1:\tlea 1b(%%rip), %0"
		     : "=r"(after) : "a"(v), "i"(INJECT_PORT) : "memory");
	return after;
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvmkit/x86.h>

#define INJECT_TCONF_SOFT_INT	1

static void inject_exception(struct tst_kvm_instance *vm)
{
	struct kvmkit_exception_frame frame;
	char text[1024];

	memcpy(&frame, vm->result->message, sizeof(frame));
	kvmkit_x86_format_exception(&frame, text, sizeof(text));
	tst_brk(TBROK, "Unhandled exception: %s", text);
}

/* Did emulation stop on a software interrupt instruction? */
static int inject_soft_int_failure(struct tst_kvm_instance *vm)
{
	struct kvm_run *run = vm->vcpu_info;
	struct kvm_regs regs;
	const uint8_t *insn;

	if (run->internal.suberror != KVM_INTERNAL_ERROR_EMULATION ||
	    ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs))
		return 0;
	insn = tst_kvm_get_memptr(vm, regs.rip);
	return insn && (insn[0] == 0xcd || insn[0] == 0xcc || insn[0] == 0xf1);
}

static void inject_run(struct tst_kvm_instance *vm, int flags)
{
	struct kvm_run *run = vm->vcpu_info;

	for (;;) {
		const uint8_t *data;
		uint32_t nr = 0;

		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			if (errno == EINTR)
				continue;
			tst_brk(TBROK | TERRNO, "ioctl(KVM_RUN)");
		}
		if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
		    (flags & INJECT_TCONF_SOFT_INT) &&
		    inject_soft_int_failure(vm))
			tst_brk(TCONF, "this KVM cannot emulate INT n/INT3 in 64-bit mode (an emulating host such as kvm_pvm)");
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_OUT || run->io.count != 1)
			tst_brk(TBROK, "unexpected VM exit, reason %u",
				run->exit_reason);
		data = (const uint8_t *)run + run->io.data_offset;

		if (run->io.port == INJECT_PORT && run->io.size == 1) {
			struct kvm_interrupt irq = { .irq = data[0] };

			if (ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq))
				tst_brk(TBROK | TERRNO, "KVM_INTERRUPT(%u)",
					irq.irq);
			continue;
		}
		if (run->io.port != KVMKIT_HC_PORT || run->io.size != 4)
			tst_brk(TBROK, "unexpected OUT to port 0x%x", run->io.port);
		memcpy(&nr, data, sizeof(nr));
		switch (nr) {
		case KVMKIT_HC_REPORT:
		case KVMKIT_HC_PRINTF:
			tst_kvm_print_result(vm);
			continue;
		case KVMKIT_HC_PRINTF_EXIT:
			tst_kvm_print_result(vm);
			return;
		case KVMKIT_HC_EXIT:
			return;
		case KVMKIT_HC_EXCEPTION:
			inject_exception(vm);
			return;
		default:
			tst_brk(TBROK, "unknown hypercall 0x%x", nr);
		}
	}
}

/*
 * The whole controller of a test that needs nothing but inject_run():
 * its test_all calls inject_test(flags), its cleanup is inject_cleanup.
 */
static struct tst_kvm_instance inject_vm = { .vm_fd = -1 };

static inline void inject_test(int flags)
{
	tst_kvm_create_instance(&inject_vm, DEFAULT_RAM_SIZE);
	inject_run(&inject_vm, flags);
	tst_kvm_destroy_instance(&inject_vm);
	tst_free_all();
}

static inline void inject_cleanup(void)
{
	tst_kvm_destroy_instance(&inject_vm);
}

#endif /* COMPILE_PAYLOAD */
#endif /* KVMKIT_TESTS_INJECT_H */
