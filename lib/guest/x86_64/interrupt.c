// SPDX-License-Identifier: MIT
/*
 * Interrupt dispatch.  Every vector's stub (entry.S) saves the general
 * registers into a struct kvmkit_x86_frame and calls kvmkit_x86_interrupt().
 * A registered callback that returns non-zero has handled the interrupt
 * (LTP's current convention) and the guest resumes from the frame, which
 * the callback may have changed.  Otherwise the default handler sends the
 * whole state to the host in one EXCEPTION hypercall; the host formats
 * it, so the fault path in the guest stays tiny and needs no formatting.
 *
 * Expected faults come first: an exception (0-31 but NMI and #MC) at
 * an instruction of the fix-up table (.kvmkit_fixup, KVM_ASM_FIXUP())
 * resumes at its fix-up with the vector in RAX, and one raised inside
 * kvm_call_safe() or kvm_call_user() ends that call.  Callbacks only see
 * what neither expected.  After kvm_enable_xsave(), callbacks run between
 * a save and a restore of the extended state (xstate.c).
 */
#include "frame.h"
#include "xstate.h"

#define EXCEPTION_NAME(vector, mnemonic, name, has_error_code) [vector] = name,
const char *tst_interrupt_names[INTERRUPT_COUNT] = {
	KVMKIT_X86_EXCEPTIONS(EXCEPTION_NAME)
};
#undef EXCEPTION_NAME

static struct {
	tst_interrupt_callback func;
	void *userdata;
} callbacks[X86_INTR_COUNT];

void kvm_swap_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata,
	tst_interrupt_callback *old_func, void **old_userdata)
{
	if (vector >= X86_INTR_COUNT)
		tst_brk(TBROK, "Set interrupt callback: vector %u out of range",
			vector);

	if (old_func)
		*old_func = callbacks[vector].func;
	if (old_userdata)
		*old_userdata = callbacks[vector].userdata;
	/*
	 * Clear func first: an interrupt between the two stores then sees
	 * the default handler rather than the new func with old userdata.
	 */
	callbacks[vector].func = NULL;
	asm volatile("" : : : "memory");
	callbacks[vector].userdata = userdata;
	asm volatile("" : : : "memory");
	callbacks[vector].func = func;
}

void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata)
{
	kvm_swap_interrupt_callback(vector, func, userdata, NULL, NULL);
}

uintptr_t kvm_get_interrupt_ip(const struct kvm_interrupt_frame *ifrm)
{
	return ifrm->rip;
}

void kvm_set_interrupt_ip(struct kvm_interrupt_frame *ifrm, uintptr_t ip)
{
	ifrm->rip = ip;
}

static void report_exception(const struct kvmkit_x86_frame *frame)
	__attribute__((noreturn));
static void report_exception(const struct kvmkit_x86_frame *frame)
{
	struct kvmkit_exception_frame *ef =
		(struct kvmkit_exception_frame *)kvmkit_result->message;
	static int reporting;

	/*
	 * A fault while writing the report (a test that unmapped the result
	 * page, say) must not recurse: just stop.
	 */
	if (reporting)
		kvmkit_arch_stop();
	reporting = 1;

	ef->vector = frame->vector;
	ef->error_code = frame->error_code;
	ef->rip = frame->ifrm.rip;
	ef->cs = frame->ifrm.cs;
	ef->rflags = frame->ifrm.rflags;
#ifdef __x86_64__
	ef->rsp = frame->ifrm.rsp;
	ef->ss = frame->ifrm.ss;
#else
	/* 32-bit mode pushes ESP and SS only on a privilege change */
	if (frame->ifrm.cs & 3) {
		ef->rsp = frame->ifrm.rsp;
		ef->ss = frame->ifrm.ss;
	} else {
		unsigned int ss;

		asm volatile("mov %%ss, %0" : "=r"(ss));
		ef->rsp = (uintptr_t)&frame->ifrm.rsp;
		ef->ss = ss;
	}
#endif
	ef->cr0 = kvm_read_cr0();
	ef->cr2 = kvm_read_cr2();
	ef->cr3 = kvm_read_cr3();
	ef->cr4 = kvm_read_cr4();
	ef->rax = frame->rax;
	ef->rbx = frame->rbx;
	ef->rcx = frame->rcx;
	ef->rdx = frame->rdx;
	ef->rsi = frame->rsi;
	ef->rdi = frame->rdi;
	ef->rbp = frame->rbp;
#ifdef __x86_64__
	ef->r8 = frame->r8;
	ef->r9 = frame->r9;
	ef->r10 = frame->r10;
	ef->r11 = frame->r11;
	ef->r12 = frame->r12;
	ef->r13 = frame->r13;
	ef->r14 = frame->r14;
	ef->r15 = frame->r15;
#endif

	/* No location: the host names the RIP instead */
	kvmkit_result->lineno = 0;
	kvmkit_result->file_addr = 0;
	kvmkit_result->result = KVMKIT_TBROK;
	kvmkit_arch_hypercall(KVMKIT_HC_EXCEPTION);
	kvmkit_arch_stop();
}

/*
 * Only a handled interrupt restores the state: an unhandled one ends the
 * test, whose report wants the registers as the callback left them.
 */
void *(*kvmkit_xstate_push)(void);
void (*kvmkit_xstate_pop)(void *area);
volatile int kvmkit_xstate_busy[KVMKIT_GUEST_MAX_CPUS];

static int call_callback(tst_interrupt_callback func, void *userdata,
			 struct kvmkit_x86_frame *frame)
{
	void *(*push)(void) = kvmkit_xstate_push;
	void *saved;
	int handled;

	if (!push)
		return func(userdata, &frame->ifrm, frame->error_code);
	saved = push();
	handled = func(userdata, &frame->ifrm, frame->error_code);
	kvmkit_xstate_pop(saved);
	return handled;
}

/* Read by the host after a triple fault (see abi.h); never by the guest */
struct kvmkit_exception_log kvmkit_exception_log;

void kvmkit_x86_interrupt(struct kvmkit_x86_frame *frame)
{
	tst_interrupt_callback func;
	void *userdata;

	kvmkit_exception_log.vector = frame->vector;
	kvmkit_exception_log.error_code = frame->error_code;
	kvmkit_exception_log.rip = frame->ifrm.rip;
	kvmkit_exception_log.cr2 = frame->vector == 14 ? kvm_read_cr2() : 0;
	kvmkit_exception_log.count++;

	/*
	 * NMI and #MC are asynchronous: one that arrives at a listed
	 * instruction or inside kvm_call_*() is not its fault.
	 */
	if (frame->vector < INTERRUPT_COUNT && frame->vector != INTR_NMI &&
	    frame->vector != INTR_MACHINE_CHECK &&
	    (kvmkit_x86_fixup(frame) || kvmkit_x86_call_fault(frame)))
		return;

	/* A fault in the middle of saving or restoring: no callback */
	if (kvmkit_xstate_push && frame->vector < INTERRUPT_COUNT &&
	    kvmkit_xstate_busy[kvm_cpu_id() % KVMKIT_GUEST_MAX_CPUS] &&
	    frame->vector != INTR_NMI && frame->vector != INTR_MACHINE_CHECK)
		report_exception(frame);

	/* The stubs only push 0-255; anything else is a corrupted frame */
	if (frame->vector < X86_INTR_COUNT) {
		func = callbacks[frame->vector].func;
		userdata = callbacks[frame->vector].userdata;
		if (func && call_callback(func, userdata, frame))
			return;
	}
	report_exception(frame);
}
