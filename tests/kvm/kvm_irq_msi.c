// SPDX-License-Identifier: MIT
/*
 * An MSI from the VMM (KVM_SIGNAL_MSI through kvmkit_vm_signal_msi())
 * reaches the guest's in-kernel local APIC with the vector its data
 * carries: the guest asks through a test-private port with interrupts
 * off, the host writes the MSI (address 0xFEE00000, destination APIC 0,
 * physical; data = vector, fixed delivery, edge), and the vector shows
 * in the IRR while IF = 0; once the guest sets IF the vector's handler
 * runs exactly once and no other vector's does.  Two vectors, to show
 * the vector comes from the data and not from anywhere else.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst,
 * KVM_SIGNAL_MSI (struct kvm_msi: address_lo/hi, data) and
 * KVM_CAP_SPLIT_IRQCHIP; Intel SDM Vol. 3A 11.11 "Message Signalled
 * Interrupts" (11.11.1 Message Address Register Format: 0FEEH in bits
 * 31:20, destination ID 19:12; 11.11.2 Message Data Register Format:
 * vector 7:0, delivery mode 10:8 = 000 fixed, trigger mode 15 = 0
 * edge), 11.8.4 "Interrupt Acceptance for Fixed Interrupts" (accepted
 * into the IRR, dispatched when IF allows).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#define REQ_PORT	0x9b	/* test-private: OUT al = vector to send as MSI */
#define VEC_A		0x55
#define VEC_B		0x66
#define MSI_ADDR	0xfee00000ULL	/* destination APIC id 0, physical */

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define SPIN_LIMIT	4000000000ULL	/* TSC ticks: far beyond any delivery */

static volatile unsigned int hits[256];

static int on_vector(void *userdata, struct kvm_interrupt_frame *ifrm,
		     unsigned long errcode)
{
	(void)ifrm;
	(void)errcode;
	hits[(uintptr_t)userdata]++;
	kvm_apic_eoi();
	return 1;
}

static void request(uint8_t vector)
{
	asm volatile("outb %b0, %1" : : "a"(vector), "i"(REQ_PORT) : "memory");
}

/* Interrupts on until vector v has arrived once, or the TSC limit */
static void wait_for(unsigned int v)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (!hits[v] && kvm_rdtsc() - start < SPIN_LIMIT)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void one_msi(unsigned int v, unsigned int other)
{
	unsigned int before_other = hits[other];
	int in_irr;

	kvm_irq_disable();
	request(v);
	in_irr = kvm_apic_irr(v);
	if (in_irr && !hits[v])
		tst_res(TPASS, "MSI with data 0x%x: vector 0x%x pending in the IRR while IF = 0",
			v, v);
	else
		tst_res(TFAIL, "MSI with data 0x%x: IRR bit %d, handler ran %u times before STI (want 1, 0)",
			v, in_irr, hits[v]);
	wait_for(v);
	if (hits[v] == 1 && hits[other] == before_other)
		tst_res(TPASS, "MSI with data 0x%x: vector 0x%x's handler ran once, vector 0x%x's not",
			v, v, other);
	else
		tst_res(TFAIL, "MSI with data 0x%x: vector 0x%x's handler ran %u times, vector 0x%x's %u more (want 1, 0)",
			v, v, hits[v], other, hits[other] - before_other);
}

void main(void)
{
	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC");
	kvm_apic_enable();
	tst_set_interrupt_callback(VEC_A, on_vector, (void *)VEC_A);
	tst_set_interrupt_callback(VEC_B, on_vector, (void *)VEC_B);
	one_msi(VEC_A, VEC_B);
	one_msi(VEC_B, VEC_A);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static int on_request(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		      void *opaque)
{
	struct kvmkit_vm *vm = opaque;
	int ret;

	(void)vcpu;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	/* data: the vector, fixed delivery (000), edge */
	ret = kvmkit_vm_signal_msi(vm, MSI_ADDR, io->data[0]);
	if (ret < 0)
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
	if (ret != 1)
		tst_res(TFAIL, "KVM_SIGNAL_MSI(0x%llx, 0x%x) reached %d APICs, want 1",
			MSI_ADDR, io->data[0], ret);
	return KVMKIT_RESUME;
}

static void attach(struct kvmkit_vm *vm)
{
	if (kvmkit_vm_check_extension(vm, KVM_CAP_SIGNAL_MSI) <= 0)
		tst_brk(TCONF, "this KVM lacks KVM_CAP_SIGNAL_MSI");
	if (kvmkit_vm_add_pio_handler(vm, REQ_PORT, 1, on_request, vm))
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
}

static void setup(void)
{
	/* MSIs go to the local APICs: the split irqchip is enough */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static void run(void)
{
	suite_attach = attach;
	suite_kvm_run();
}

static struct tst_test test = {
	.kvmkit_desc = "An MSI from KVM_SIGNAL_MSI reaches the guest with the vector its data carries",
	.test_all = run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,interrupts,hostside" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
