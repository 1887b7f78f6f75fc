// SPDX-License-Identifier: MIT
/*
 * Events injected by the VMM reach the guest as the vector, error code
 * and CR2 that were injected: the guest asks through a test-private port,
 * the host injects with KVM_SET_VCPU_EVENTS (kvmkit_vcpu_inject_exception(),
 * and kvmkit_vcpu_inject_page_fault(), which sets CR2 first) or KVM_NMI /
 * KVM_INTERRUPT (kvmkit_vcpu_inject_nmi(), kvmkit_vcpu_inject_irq()),
 * and the guest's handler records what arrived.  Every event is delivered
 * at the instruction boundary after the OUT: the saved RIP is the next
 * instruction's.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst,
 * KVM_GET_VCPU_EVENTS / KVM_SET_VCPU_EVENTS (struct kvm_vcpu_events:
 * exception.injected, nr, has_error_code, error_code), KVM_INTERRUPT,
 * KVM_NMI; Intel SDM Vol. 3A 6.12 "Exception and Interrupt Handling"
 * (the saved RIP of an event taken between instructions), 6.15
 * "Interrupt 14 - Page-Fault Exception (#PF)" (CR2 holds the address).
 */
#include "kvm_test.h"
#include "../unit/guest/inject.h"

#define FAULT_PORT	0x9a	/* test-private: OUT al = one of the requests */

enum { REQ_UD = 1, REQ_GP, REQ_PF, REQ_NMI, REQ_IRQ };

#define GP_CODE		0x1a
#define PF_CODE		0x7		/* present, write, user */
#define PF_CR2		0xffffc0de5000UL
#define IRQ_VECTOR	0x41

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

extern const char inject_ret[];

static __attribute__((noinline)) void request(void *arg)
{
	asm volatile("outb %b0, %1\n\t.globl inject_ret\ninject_ret:"
		     : : "a"((uint8_t)(uintptr_t)arg), "i"(FAULT_PORT) : "memory");
}

static void expect(const char *name, unsigned int req, int vector,
		   uint32_t code, uint64_t cr2)
{
	struct kvm_fault f;
	int got;

	f = (struct kvm_fault){ 0 };
	got = kvm_call_safe(request, (void *)(uintptr_t)req, &f);
	if (got == vector && f.error_code == code &&
	    (vector != 14 || f.cr2 == cr2) && f.ip == (uintptr_t)inject_ret)
		tst_res(TPASS, "%s injected: vector %d, error code 0x%x%s, at the next instruction",
			name, got, f.error_code, vector == 14 ? ", CR2 as injected" : "");
	else
		tst_res(TFAIL, "%s injected: vector %d error code 0x%x CR2 0x%lx RIP 0x%lx, expected %d 0x%x 0x%lx RIP 0x%lx",
			name, got, f.error_code, (unsigned long)f.cr2,
			(unsigned long)f.ip, vector, code, (unsigned long)cr2,
			(unsigned long)(uintptr_t)inject_ret);
}

static volatile int hits[256];
static volatile uintptr_t hit_rip[256];

static int count(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)errcode;
	hits[(uintptr_t)userdata]++;
	hit_rip[(uintptr_t)userdata] = ifrm->rip;
	return 1;
}

static void expect_once(const char *name, unsigned int v, unsigned int req)
{
	tst_set_interrupt_callback(v, count, (void *)(uintptr_t)v);
	request((void *)(uintptr_t)req);
	if (hits[v] == 1 && hit_rip[v] == (uintptr_t)inject_ret)
		tst_res(TPASS, "%s injected: vector 0x%x's handler ran once, at the next instruction",
			name, v);
	else
		tst_res(TFAIL, "%s injected: vector 0x%x's handler ran %d times (saved RIP 0x%lx, expected 0x%lx)",
			name, v, hits[v], (unsigned long)hit_rip[v],
			(unsigned long)(uintptr_t)inject_ret);
}

void main(void)
{
	expect("#UD", REQ_UD, 6, 0, 0);
	expect("#GP with an error code", REQ_GP, 13, GP_CODE, 0);
	expect("#PF with error code and CR2", REQ_PF, 14, PF_CODE, PF_CR2);
	expect_once("NMI", 2, REQ_NMI);
	expect_once("external interrupt", IRQ_VECTOR, REQ_IRQ);
}

#else /* COMPILE_PAYLOAD */

static const struct inject_event events[] = {
	{ REQ_UD, INJECT_EXCEPTION, 6, 0, 0 },
	{ REQ_GP, INJECT_EXCEPTION, 13, GP_CODE, 0 },
	{ REQ_PF, INJECT_PAGE_FAULT, 14, PF_CODE, PF_CR2 },
	{ REQ_NMI, INJECT_NMI, 2, 0, 0 },
	{ REQ_IRQ, INJECT_IRQ, IRQ_VECTOR, 0, 0 },
	{ 0 }
};

static void run(void)
{
	inject_test_events(FAULT_PORT, events);
}

static struct tst_test test = {
	.kvmkit_desc = "Events injected by the VMM arrive with their vector, error code and CR2",
	.test_all = run,
	.cleanup = inject_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
