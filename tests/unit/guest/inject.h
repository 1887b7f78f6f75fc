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
 * The controller is kvmkit's run loop with INJECT_PORT registered as a
 * port handler of the VM and the guest's hypercalls to a callback that
 * hands reports to tst_kvm_print_result(); the harness's guest timeout
 * applies, and everything the loop returns unhandled is a TBROK.  With
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
#include <kvmkit/kvmkit.h>
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
static int inject_soft_int_failure(struct tst_kvm_instance *vm,
				   const struct kvmkit_exit *e)
{
	struct kvm_regs regs;
	const uint8_t *insn;

	if (e->type != KVMKIT_EXIT_INTERNAL_ERROR ||
	    e->internal.suberror != KVM_INTERNAL_ERROR_EMULATION ||
	    kvmkit_vcpu_get_regs(vm->kvmkit_vcpu, &regs))
		return 0;
	insn = tst_kvm_get_memptr(vm, regs.rip);
	return insn && (insn[0] == 0xcd || insn[0] == 0xcc || insn[0] == 0xf1);
}

/* INJECT_PORT's handler, registered with the VM: one byte, one vector */
static int inject_on_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
			  void *opaque)
{
	struct kvm_interrupt irq = { .irq = io->data[0] };

	(void)opaque;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	/* no kvmkit call for it: userspace owns injection without an irqchip */
	if (ioctl(kvmkit_vcpu_fd(vcpu), KVM_INTERRUPT, &irq))
		tst_brk(TBROK | TERRNO, "KVM_INTERRUPT(%u)", irq.irq);
	return KVMKIT_RESUME;
}

/* The guest runtime's hypercalls, decoded by the library */
static int inject_on_hypercall(struct kvmkit_vcpu *vcpu,
			       const struct kvmkit_hypercall *hc, void *opaque)
{
	struct tst_kvm_instance *vm = opaque;

	(void)vcpu;
	switch (hc->nr) {
	case KVMKIT_HC_REPORT:
	case KVMKIT_HC_PRINTF:
		tst_kvm_print_result(vm);
		return KVMKIT_RESUME;
	case KVMKIT_HC_PRINTF_EXIT:
		tst_kvm_print_result(vm);
		return KVMKIT_STOP;
	case KVMKIT_HC_EXIT:
		return KVMKIT_STOP;
	case KVMKIT_HC_EXCEPTION:
		inject_exception(vm);
		return KVMKIT_STOP;
	}
	tst_brk(TBROK, "unknown hypercall 0x%x", hc->nr);
	return KVMKIT_STOP;
}

/* Every exit to KVMKIT_TRACE / kvmkit-run --trace */
static void inject_observe(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			   void *opaque)
{
	(void)opaque;
	tst_kvm_trace_exit(vcpu, e);
}

/*
 * inject_run() with the guest's RDMSR/WRMSR exits (user-space MSRs, see
 * kvmkit_vm_enable_user_msr()) to msr, whose opaque is vm; msr may be NULL.
 */
static void inject_run_msr(struct tst_kvm_instance *vm, int flags,
			   kvmkit_msr_fn msr)
{
	const struct kvmkit_run_ops ops = {
		.hypercall = inject_on_hypercall, .opaque = vm, .msr = msr,
		.observe = inject_observe,
	};
	struct kvmkit_vcpu *vcpu = vm->kvmkit_vcpu;
	struct kvmkit_exit e;
	char desc[256];
	int ret;

	if (kvmkit_vm_add_pio_handler(vm->kvmkit_vm, INJECT_PORT, 1,
				      inject_on_port, NULL))
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm->kvmkit_vm));
	if (kvmkit_vcpu_set_timeout(vcpu, tst_kvmkit_guest_timeout_ns()))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	do {
		ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
	} while (ret == KVMKIT_UNHANDLED && e.type == KVMKIT_EXIT_INTERRUPTED);
	kvmkit_vcpu_set_timeout(vcpu, 0);
	if (ret == KVMKIT_STOP)
		return;
	if (ret < 0)
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	if ((flags & INJECT_TCONF_SOFT_INT) && inject_soft_int_failure(vm, &e))
		tst_brk(TCONF, "this KVM cannot emulate INT n/INT3 in 64-bit mode (an emulating host such as kvm_pvm)");
	kvmkit_exit_describe(&e, desc, sizeof(desc));
	tst_brk(TBROK, "unexpected VM exit: %s", desc);
}

static inline void inject_run(struct tst_kvm_instance *vm, int flags)
{
	inject_run_msr(vm, flags, NULL);
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

/*
 * Events on request: the guest writes a request byte to a test-private
 * port, the host injects the event the test's table names for it
 * (KVM_SET_VCPU_EVENTS for an exception, CR2 first for a #PF; KVM_NMI;
 * KVM_INTERRUPT).  The table ends with a request 0.
 */
enum inject_kind { INJECT_EXCEPTION, INJECT_PAGE_FAULT, INJECT_NMI, INJECT_IRQ };

struct inject_event {
	uint8_t request;
	enum inject_kind kind;
	uint8_t vector;		/* exception or interrupt vector */
	uint32_t error_code;	/* exceptions with one, #PF */
	uint64_t cr2;		/* #PF */
};

static int inject_on_event_port(struct kvmkit_vcpu *vcpu,
				const struct kvmkit_io *io, void *opaque)
{
	const struct inject_event *ev;
	int ret = 0;

	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	for (ev = opaque; ev->request && ev->request != io->data[0]; ev++)
		;
	if (!ev->request)
		return KVMKIT_UNHANDLED;	/* not a request of this test */
	switch (ev->kind) {
	case INJECT_EXCEPTION:
		ret = kvmkit_vcpu_inject_exception(vcpu, ev->vector, ev->error_code);
		break;
	case INJECT_PAGE_FAULT:
		ret = kvmkit_vcpu_inject_page_fault(vcpu, ev->error_code, ev->cr2);
		break;
	case INJECT_NMI:
		ret = kvmkit_vcpu_inject_nmi(vcpu);
		break;
	case INJECT_IRQ:
		ret = kvmkit_vcpu_inject_irq(vcpu, ev->vector);
		break;
	default:
		return KVMKIT_UNHANDLED;
	}
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	return KVMKIT_RESUME;
}

/* A test_all that serves events[] on port until the guest ends */
static inline void inject_test_events(uint16_t port,
				      const struct inject_event *events)
{
	tst_kvm_create_instance(&inject_vm, DEFAULT_RAM_SIZE);
	if (kvmkit_vm_add_pio_handler(inject_vm.kvmkit_vm, port, 1,
				      inject_on_event_port, (void *)events))
		tst_brk(TBROK, "%s", kvmkit_vm_error(inject_vm.kvmkit_vm));
	inject_run(&inject_vm, 0);
	tst_kvm_destroy_instance(&inject_vm);
	tst_free_all();
}

static inline void inject_cleanup(void)
{
	tst_kvm_destroy_instance(&inject_vm);
}

#endif /* COMPILE_PAYLOAD */
#endif /* KVMKIT_TESTS_INJECT_H */
