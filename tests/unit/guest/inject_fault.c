// SPDX-License-Identifier: MIT
/*
 * Fault injection from the host, as bhyve's vm_inject_*: the guest asks
 * through a test-private port, the controller injects with
 * kvmkit_vcpu_inject_exception() (KVM_SET_VCPU_EVENTS),
 * kvmkit_vcpu_inject_page_fault(), kvmkit_vcpu_inject_nmi() and
 * kvmkit_vcpu_inject_irq(), and the guest's handler records what arrived:
 * vector, error code, CR2 for #PF.
 */
#include "kvm_test.h"
#include "inject.h"

#define FAULT_PORT	0x9a	/* test-private: OUT al = one of the requests */

enum { REQ_UD = 1, REQ_GP, REQ_PF, REQ_SS, REQ_AC, REQ_NMI, REQ_IRQ };

#define GP_CODE		0x18
#define PF_CODE		0x6		/* write, user */
#define PF_CR2		0xdead5000UL
#define IRQ_VECTOR	0x31

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static void request(void *arg)
{
	asm volatile("outb %b0, %1" : : "a"((uint8_t)(uintptr_t)arg),
		     "i"(FAULT_PORT) : "memory");
}

static void expect(const char *name, unsigned int req, int vector,
		   uint32_t code, uint64_t cr2)
{
	struct kvm_fault f;
	int got = kvm_call_safe(request, (void *)(uintptr_t)req, &f);

	if (got == vector && f.error_code == code &&
	    (vector != 14 || f.cr2 == cr2))
		tst_res(TPASS, "%s injected: vector %d, error code 0x%x%s", name,
			got, f.error_code, vector == 14 ? ", CR2 as set" : "");
	else
		tst_res(TFAIL, "%s injected: vector %d error code 0x%x CR2 0x%lx, expected %d 0x%x 0x%lx",
			name, got, f.error_code, (unsigned long)f.cr2, vector,
			code, (unsigned long)cr2);
}

static volatile int hits[256];

static int count(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)ifrm;
	(void)errcode;
	hits[(uintptr_t)userdata]++;
	return 1;
}

void main(void)
{
	expect("#UD", REQ_UD, 6, 0, 0);
	expect("#GP with a code", REQ_GP, 13, GP_CODE, 0);
	expect("#PF with code and CR2", REQ_PF, 14, PF_CODE, PF_CR2);
	expect("#SS", REQ_SS, 12, 0, 0);
	expect("#AC", REQ_AC, 17, 0, 0);

	tst_set_interrupt_callback(2, count, (void *)2);
	request((void *)REQ_NMI);
	if (hits[2] == 1)
		tst_res(TPASS, "NMI injected: its handler ran once");
	else
		tst_res(TFAIL, "NMI injected: handler ran %d times", hits[2]);

	tst_set_interrupt_callback(IRQ_VECTOR, count, (void *)IRQ_VECTOR);
	request((void *)REQ_IRQ);
	if (hits[IRQ_VECTOR] == 1)
		tst_res(TPASS, "external interrupt 0x%x injected: its handler ran once",
			IRQ_VECTOR);
	else
		tst_res(TFAIL, "external interrupt 0x%x: handler ran %d times",
			IRQ_VECTOR, hits[IRQ_VECTOR]);
}

#else /* COMPILE_PAYLOAD */

static const struct inject_event events[] = {
	{ REQ_UD, INJECT_EXCEPTION, 6, 0, 0 },
	{ REQ_GP, INJECT_EXCEPTION, 13, GP_CODE, 0 },
	{ REQ_PF, INJECT_PAGE_FAULT, 14, PF_CODE, PF_CR2 },
	{ REQ_SS, INJECT_EXCEPTION, 12, 0, 0 },
	{ REQ_AC, INJECT_EXCEPTION, 17, 0, 0 },
	{ REQ_NMI, INJECT_NMI, 2, 0, 0 },
	{ REQ_IRQ, INJECT_IRQ, IRQ_VECTOR, 0, 0 },
	{ 0 }
};

static void run(void)
{
	inject_test_events(FAULT_PORT, events);
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = inject_cleanup,
	.kvmkit_desc = "exceptions, NMI and interrupts injected by the host reach the guest's handlers",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
