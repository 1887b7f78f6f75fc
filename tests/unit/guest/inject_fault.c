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

static int on_fault_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
			 void *opaque)
{
	int ret;

	(void)opaque;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	switch (io->data[0]) {
	case REQ_UD: ret = kvmkit_vcpu_inject_exception(vcpu, 6, 0); break;
	case REQ_GP: ret = kvmkit_vcpu_inject_exception(vcpu, 13, GP_CODE); break;
	case REQ_PF: ret = kvmkit_vcpu_inject_page_fault(vcpu, PF_CODE, PF_CR2); break;
	case REQ_SS: ret = kvmkit_vcpu_inject_exception(vcpu, 12, 0); break;
	case REQ_AC: ret = kvmkit_vcpu_inject_exception(vcpu, 17, 0); break;
	case REQ_NMI: ret = kvmkit_vcpu_inject_nmi(vcpu); break;
	case REQ_IRQ: ret = kvmkit_vcpu_inject_irq(vcpu, IRQ_VECTOR); break;
	default: return KVMKIT_UNHANDLED;
	}
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	return KVMKIT_RESUME;
}

static void run(void)
{
	tst_kvm_create_instance(&inject_vm, DEFAULT_RAM_SIZE);
	if (kvmkit_vm_add_pio_handler(inject_vm.kvmkit_vm, FAULT_PORT, 1,
				      on_fault_port, NULL))
		tst_brk(TBROK, "%s", kvmkit_vm_error(inject_vm.kvmkit_vm));
	inject_run(&inject_vm, 0);
	tst_kvm_destroy_instance(&inject_vm);
	tst_free_all();
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
