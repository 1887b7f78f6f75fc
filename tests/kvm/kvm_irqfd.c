// SPDX-License-Identifier: MIT
/*
 * An irqfd routed as an MSI: the host binds an eventfd to GSI 30
 * (kvmkit_vm_irqfd()) and routes GSI 30 to an MSI for APIC 0 with vector
 * VEC_A (kvmkit_vm_set_msi_route(), KVM_SET_GSI_ROUTING).  On the
 * guest's request a host thread writes the eventfd a moment later, while
 * the guest runs with interrupts on: VEC_A's handler runs exactly once,
 * with no exit to userspace for the interrupt.  Rerouting GSI 30 to
 * VEC_B makes the next write deliver VEC_B (KVM re-reads the routes of a
 * live irqfd); after the irqfd is removed a write delivers nothing.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, KVM_IRQFD
 * ("allows setting an eventfd to directly trigger a guest interrupt";
 * KVM_IRQFD_FLAG_DEASSIGN), KVM_SET_GSI_ROUTING (KVM_IRQ_ROUTING_MSI
 * entries), KVM_CAP_SPLIT_IRQCHIP; Intel SDM Vol. 3A 11.11 "Message
 * Signalled Interrupts" (11.11.1 address: 0FEEH, destination ID 19:12;
 * 11.11.2 data: vector 7:0, fixed delivery, edge), 11.8.4 "Interrupt
 * Acceptance for Fixed Interrupts".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#define REQ_PORT	0x9c	/* test-private: OUT al = one of the requests */
#define VEC_A		0x57
#define VEC_B		0x68
#define GSI		30
#define MSI_ADDR	0xfee00000ULL	/* destination APIC id 0, physical */

enum { REQ_FIRE = 1, REQ_REROUTE, REQ_REMOVE };

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define SPIN_LIMIT	4000000000ULL	/* TSC ticks: far beyond any delivery */
#define QUIET_LIMIT	200000000ULL	/* TSC ticks to see nothing arrive */

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

static void request(uint8_t req)
{
	asm volatile("outb %b0, %1" : : "a"(req), "i"(REQ_PORT) : "memory");
}

/* Interrupts on until vector v has n hits, or limit TSC ticks */
static void wait_for(unsigned int v, unsigned int n, uint64_t limit)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (hits[v] < n && kvm_rdtsc() - start < limit)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void fire_expect(const char *what, unsigned int v, unsigned int other)
{
	unsigned int before = hits[v], before_other = hits[other];

	request(REQ_FIRE);
	wait_for(v, before + 1, SPIN_LIMIT);
	/* a little longer: a second delivery would show now */
	wait_for(v, before + 2, QUIET_LIMIT);
	if (hits[v] == before + 1 && hits[other] == before_other)
		tst_res(TPASS, "%s: the eventfd write delivered vector 0x%x once, 0x%x not",
			what, v, other);
	else
		tst_res(TFAIL, "%s: after the eventfd write vector 0x%x ran %u times, 0x%x %u times (want 1, 0)",
			what, v, hits[v] - before, other,
			hits[other] - before_other);
}

void main(void)
{
	unsigned int a, b;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC");
	kvm_apic_enable();
	tst_set_interrupt_callback(VEC_A, on_vector, (void *)VEC_A);
	tst_set_interrupt_callback(VEC_B, on_vector, (void *)VEC_B);
	kvm_irq_disable();
	fire_expect("GSI 30 routed to MSI vector 0x57", VEC_A, VEC_B);
	request(REQ_REROUTE);
	fire_expect("GSI 30 rerouted to MSI vector 0x68", VEC_B, VEC_A);
	request(REQ_REMOVE);
	a = hits[VEC_A];
	b = hits[VEC_B];
	request(REQ_FIRE);
	wait_for(VEC_A, a + 1, QUIET_LIMIT);
	wait_for(VEC_B, b + 1, QUIET_LIMIT);
	if (hits[VEC_A] == a && hits[VEC_B] == b)
		tst_res(TPASS, "irqfd removed: an eventfd write delivers nothing");
	else
		tst_res(TFAIL, "irqfd removed: an eventfd write still delivered 0x57 %u and 0x68 %u times",
			hits[VEC_A] - a, hits[VEC_B] - b);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

static int efd = -1;
static pthread_t writer;
static int writer_running;

/* The host thread: wait a moment (the guest is spinning by then), write */
static void *write_later(void *arg)
{
	const struct timespec ms = { 0, 1000000 };
	uint64_t one = 1;

	(void)arg;
	nanosleep(&ms, NULL);
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		tst_res(TFAIL | TERRNO, "eventfd write");
	return NULL;
}

static void join_writer(void)
{
	if (writer_running)
		pthread_join(writer, NULL);
	writer_running = 0;
}

static int on_request(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		      void *opaque)
{
	struct kvmkit_vm *vm = opaque;
	int ret = 0;

	(void)vcpu;
	if (!io->is_write || io->size != 1 || io->count != 1)
		return KVMKIT_UNHANDLED;
	join_writer();
	switch (io->data[0]) {
	case REQ_FIRE:
		errno = pthread_create(&writer, NULL, write_later, NULL);
		if (errno)
			tst_brk(TBROK | TERRNO, "pthread_create");
		writer_running = 1;
		break;
	case REQ_REROUTE:
		ret = kvmkit_vm_set_msi_route(vm, GSI, MSI_ADDR, VEC_B);
		break;
	case REQ_REMOVE:
		ret = kvmkit_vm_irqfd_remove(vm, efd, GSI);
		break;
	default:
		return KVMKIT_UNHANDLED;
	}
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
	return KVMKIT_RESUME;
}

static void attach(struct kvmkit_vm *vm)
{
	if (kvmkit_vm_check_extension(vm, KVM_CAP_IRQFD) <= 0)
		tst_brk(TCONF, "this KVM lacks KVM_CAP_IRQFD");
	if (kvmkit_vm_check_extension(vm, KVM_CAP_IRQ_ROUTING) <= 0)
		tst_brk(TCONF, "this KVM lacks KVM_CAP_IRQ_ROUTING");
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		tst_brk(TBROK | TERRNO, "eventfd");
	if (kvmkit_vm_set_msi_route(vm, GSI, MSI_ADDR, VEC_A) ||
	    kvmkit_vm_irqfd(vm, efd, GSI) ||
	    kvmkit_vm_add_pio_handler(vm, REQ_PORT, 1, on_request, vm))
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
}

static void setup(void)
{
	/* MSI routes go to the local APICs: the split irqchip is enough */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static void run(void)
{
	suite_attach = attach;
	suite_kvm_run();
	join_writer();
	if (efd >= 0)
		close(efd);
	efd = -1;
}

static void cleanup(void)
{
	join_writer();
	suite_kvm_cleanup();
	if (efd >= 0)
		close(efd);
	efd = -1;
}

static struct tst_test test = {
	.kvmkit_desc = "An eventfd written by a host thread interrupts the guest through an irqfd routed as an MSI",
	.test_all = run,
	.setup = setup,
	.cleanup = cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,interrupts,hostside" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
