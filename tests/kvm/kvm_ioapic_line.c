// SPDX-License-Identifier: MIT
/*
 * An IOAPIC pin raised by the VMM (KVM_IRQ_LINE through
 * kvmkit_vm_irq_line()) with KVM's full in-kernel irqchip.  The guest
 * programs the IOAPIC itself through its MMIO window at 0xFEC00000
 * (IOREGSEL at +0x00, IOWIN at +0x10) and asks the host, through a
 * test-private port, to drive GSI 20 (an IOAPIC-only pin):
 *   - the version register names 24 redirection entries (0x17 max);
 *   - a redirection entry reads back as written (vector, destination);
 *   - edge, unmasked: a pulse (high, low) delivers the entry's vector
 *     exactly once;
 *   - masked: a pulse delivers nothing;
 *   - level: raising the line delivers the vector once, with the entry's
 *     Remote IRR bit set while it is serviced; the handler has the host
 *     lower the line and sends the EOI, after which Remote IRR reads 0.
 * An MSI route is set first (KVM_SET_GSI_ROUTING replaces the whole
 * table), so the pin only works if the default IOAPIC routes went too.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst,
 * KVM_CREATE_IRQCHIP ("creates an interrupt controller model in the
 * kernel ... an IOAPIC ... GSI 0-23 ...") and KVM_IRQ_LINE; Intel 82093AA
 * I/O Advanced Programmable Interrupt Controller (IOAPIC) datasheet,
 * 3.0 "Register Description" (IOREGSEL, IOWIN at FEC0_0000h/FEC0_0010h),
 * 3.2.2 "IOAPICVER" (maximum redirection entry in bits 23:16, 17h),
 * 3.2.4 "IOREDTBL[23:0]" (vector 7:0, delivery mode 10:8, destination
 * mode 11, Remote IRR 14 "set to 1 when local APIC(s) accept the level
 * interrupt ... reset to 0 when an EOI message ... is received",
 * trigger mode 15, mask 16 "the interrupt signal is masked", destination
 * 63:56); Intel SDM Vol. 3A 11.8.5 "Signaling Interrupt Servicing
 * Completion" (EOI of a level-triggered interrupt is broadcast to the
 * I/O APICs).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#define REQ_PORT	0x9d	/* test-private: OUT al = one of the requests */
#define PIN		20	/* IOAPIC only: no PIC behind GSIs 16-23 */
#define VEC		0x63

enum { REQ_HIGH = 1, REQ_LOW, REQ_PULSE };

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define IOAPIC_BASE	0xfec00000UL
#define IOAPIC_VER	0x01
#define REDTBL_LO(n)	(0x10 + 2 * (n))
#define REDTBL_HI(n)	(0x11 + 2 * (n))
#define RTE_LEVEL	(1u << 15)
#define RTE_REMOTE_IRR	(1u << 14)
#define RTE_MASK	(1u << 16)
#define SPIN_LIMIT	4000000000ULL	/* TSC ticks: far beyond any delivery */
#define QUIET_LIMIT	200000000ULL	/* TSC ticks to see nothing arrive */

static volatile uint32_t *ioapic;
static volatile unsigned int hits;
static volatile uint32_t irr_in_handler;
static volatile int level_mode;

static uint32_t ioapic_read(unsigned int reg)
{
	ioapic[0] = reg;
	return ioapic[4];
}

static void ioapic_write(unsigned int reg, uint32_t val)
{
	ioapic[0] = reg;
	ioapic[4] = val;
}

static void request(uint8_t req)
{
	asm volatile("outb %b0, %1" : : "a"(req), "i"(REQ_PORT) : "memory");
}

static int on_pin(void *userdata, struct kvm_interrupt_frame *ifrm,
		  unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	hits++;
	if (level_mode) {
		/* the first delivery's: a second would overwrite it */
		if (hits == 1)
			irr_in_handler = ioapic_read(REDTBL_LO(PIN)) &
					 RTE_REMOTE_IRR;
		request(REQ_LOW);	/* or the EOI would have it again */
	}
	kvm_apic_eoi();
	return 1;
}

/* Interrupts on until hits reaches n, or limit TSC ticks */
static void wait_for(unsigned int n, uint64_t limit)
{
	uint64_t start = kvm_rdtsc();

	kvm_irq_enable();
	while (hits < n && kvm_rdtsc() - start < limit)
		asm volatile("pause" : : : "memory");
	kvm_irq_disable();
}

static void route(uint32_t flags)
{
	ioapic_write(REDTBL_HI(PIN), 0u << 24);	/* destination APIC id 0 */
	ioapic_write(REDTBL_LO(PIN), VEC | flags);	/* fixed, physical, high */
}

static void edge(void)
{
	uint32_t lo;

	route(0);
	lo = ioapic_read(REDTBL_LO(PIN));
	if ((lo & 0x1ffff & ~RTE_REMOTE_IRR & ~(1u << 12)) == VEC &&
	    (ioapic_read(REDTBL_HI(PIN)) >> 24) == 0)
		tst_res(TPASS, "IOREDTBL[%d] reads back vector 0x%x, edge, unmasked, destination 0",
			PIN, VEC);
	else
		tst_res(TFAIL, "IOREDTBL[%d] reads 0x%08x:%08x, wrote 0x00000000:%08x",
			PIN, ioapic_read(REDTBL_HI(PIN)), lo, VEC);
	hits = 0;
	request(REQ_PULSE);
	wait_for(1, SPIN_LIMIT);
	wait_for(2, QUIET_LIMIT);
	if (hits == 1)
		tst_res(TPASS, "edge pin %d pulsed: vector 0x%x delivered once", PIN,
			VEC);
	else
		tst_res(TFAIL, "edge pin %d pulsed: vector 0x%x delivered %u times (want 1)",
			PIN, VEC, hits);
}

static void masked(void)
{
	route(RTE_MASK);
	hits = 0;
	request(REQ_PULSE);
	wait_for(1, QUIET_LIMIT);
	if (!hits)
		tst_res(TPASS, "masked pin %d pulsed: nothing delivered", PIN);
	else
		tst_res(TFAIL, "masked pin %d pulsed: vector 0x%x delivered %u times",
			PIN, VEC, hits);
}

static void level(void)
{
	uint32_t after;

	route(RTE_LEVEL);
	hits = 0;
	irr_in_handler = 0;
	level_mode = 1;
	request(REQ_HIGH);
	wait_for(1, SPIN_LIMIT);
	wait_for(2, QUIET_LIMIT);
	level_mode = 0;
	after = ioapic_read(REDTBL_LO(PIN)) & RTE_REMOTE_IRR;
	if (hits == 1)
		tst_res(TPASS, "level pin %d raised: vector 0x%x delivered once",
			PIN, VEC);
	else
		tst_res(TFAIL, "level pin %d raised: vector 0x%x delivered %u times (want 1)",
			PIN, VEC, hits);
	if (irr_in_handler && !after)
		tst_res(TPASS, "level pin %d: Remote IRR set while serviced, clear after the EOI",
			PIN);
	else
		tst_res(TFAIL, "level pin %d: Remote IRR %d in the handler, %d after the EOI (want 1, 0)",
			PIN, !!irr_in_handler, !!after);
}

void main(void)
{
	uint32_t ver;

	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC");
	kvm_apic_enable();
	if (kvm_map_page(IOAPIC_BASE, IOAPIC_BASE, KVM_PAGE_WRITE |
			 KVM_PAGE_PCD | KVM_PAGE_PWT))
		tst_brk(TBROK, "cannot map the IOAPIC page at 0x%lx", IOAPIC_BASE);
	ioapic = (volatile uint32_t *)IOAPIC_BASE;
	tst_set_interrupt_callback(VEC, on_pin, NULL);
	kvm_irq_disable();
	ver = ioapic_read(IOAPIC_VER);
	if (((ver >> 16) & 0xff) == 0x17)
		tst_res(TPASS, "IOAPICVER 0x%08x: 24 redirection entries", ver);
	else
		tst_res(TFAIL, "IOAPICVER 0x%08x: maximum redirection entry 0x%x, want 0x17",
			ver, (ver >> 16) & 0xff);
	edge();
	masked();
	level();
	route(RTE_MASK);
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
	switch (io->data[0]) {
	case REQ_HIGH:
		ret = kvmkit_vm_irq_line(vm, PIN, 1);
		break;
	case REQ_LOW:
		ret = kvmkit_vm_irq_line(vm, PIN, 0);
		break;
	case REQ_PULSE:
		ret = kvmkit_vm_irq_line(vm, PIN, 1);
		if (!ret)
			ret = kvmkit_vm_irq_line(vm, PIN, 0);
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
	/*
	 * An MSI route replaces KVM's whole routing table: the pins must go
	 * on reaching the IOAPIC (kvmkit sends KVM's default routes with it)
	 */
	if (kvmkit_vm_set_msi_route(vm, 30, 0xfee00000, 0x70) ||
	    kvmkit_vm_add_pio_handler(vm, REQ_PORT, 1, on_request, vm))
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
}

static void setup(void)
{
	/* the IOAPIC must be KVM's: the full irqchip (TCONF without it) */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_FULL);
	tst_kvm_setup();
}

static void run(void)
{
	suite_attach = attach;
	suite_kvm_run();
}

static struct tst_test test = {
	.kvmkit_desc = "An IOAPIC pin raised with KVM_IRQ_LINE reaches the guest as its redirection entry says",
	.test_all = run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "apic,ioapic,interrupts,hostside" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
