// SPDX-License-Identifier: MIT
/*
 * A small VMM on the native API: a 16550 serial port at 0x3f8 served by a
 * port handler (what the guest writes appears on stdout) and a tiny MMIO
 * device at 1 GiB served by an MMIO handler, both registered with the VM,
 * the guest's reports taken by the run loop's hypercall callback.
 *
 *	bin/kvmkit-cc examples/mini_vmm.c -o mini_vmm && ./mini_vmm
 *
 * Exit status: 0 when the guest's text and its TPASS arrived, 1
 * otherwise, 77 when /dev/kvm is missing.
 */
#define COM1		0x3f8
#define DEV_GPA		0x40000000	/* identity-mapped, no RAM: accesses exit */
#define DEV_ID		0x6b766d6bu	/* "kmvk" */
#define GREETING	"hello from the guest's 16550\n"

#ifdef COMPILE_PAYLOAD

#include "kvm_guest.h"

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void main(void)
{
	volatile uint32_t *dev = (volatile uint32_t *)DEV_GPA;
	const char *s;

	for (s = GREETING; *s; s++) {
		while (!(inb(COM1 + 5) & 0x20))	/* LSR: transmitter empty */
			;
		outb(COM1, *s);
	}
	dev[1] = 21;				/* operand */
	if (dev[0] != DEV_ID || dev[2] != 42)
		tst_res(TFAIL, "device: id 0x%x, 21 doubled is %u", dev[0], dev[2]);
	else
		tst_res(TPASS, "device: 21 doubled is %u", dev[2]);
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmkit/kvmkit.h>

extern const char kvm_payload_start[], kvm_payload_end[];

struct uart {
	uint8_t reg[8];		/* LCR, MCR, SCR... as written */
	char out[128];		/* what was transmitted, for the check */
	size_t len;
};

/* A 16550 without FIFOs or interrupts: always ready to transmit */
static int uart_io(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		   void *opaque)
{
	struct uart *u = opaque;
	int dlab = u->reg[3] & 0x80;
	uint32_t i;

	(void)vcpu;
	if (io->size != 1)
		return KVMKIT_UNHANDLED;
	for (i = 0; i < io->count; i++) {	/* REP OUTSB/INSB: one port */
		uint8_t *b = &io->data[i];

		if (!io->is_write) {
			static const uint8_t fixed[8] = {
				[2] = 0x01,		/* IIR: nothing pending */
				[5] = 0x60,		/* LSR: THR and TSR empty */
				[6] = 0xb0,		/* MSR: DCD, DSR, CTS */
			};
			*b = fixed[io->offset] ? fixed[io->offset] :
			     io->offset == 0 && !dlab ? 0 : u->reg[io->offset];
		} else if (io->offset == 0 && !dlab) {
			putchar(*b);
			if (u->len < sizeof(u->out) - 1)
				u->out[u->len++] = (char)*b;
		} else {
			u->reg[io->offset] = *b;
		}
	}
	return KVMKIT_RESUME;
}

/* id at +0, operand at +4, twice the operand at +8: 32-bit accesses only */
static int dev_mmio(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		    void *opaque)
{
	uint32_t *operand = opaque, v;

	(void)vcpu;
	if (io->size != 4 || io->offset % 4)
		return KVMKIT_UNHANDLED;
	if (io->is_write) {
		if (io->offset == 4)
			memcpy(operand, io->data, 4);
		return KVMKIT_RESUME;
	}
	v = io->offset == 0 ? DEV_ID : io->offset == 4 ? *operand :
	    io->offset == 8 ? *operand * 2 : 0;
	memcpy(io->data, &v, 4);
	return KVMKIT_RESUME;
}

/* The guest runtime's reports and its end */
static int on_hypercall(struct kvmkit_vcpu *vcpu,
			const struct kvmkit_hypercall *hc, void *opaque)
{
	static struct kvmkit_report rep;	/* 4 KiB: not on the stack */
	int *verdict = opaque, ret;	/* 1: passes only, -1: anything else */

	if (hc->nr == KVMKIT_HC_EXIT)
		return KVMKIT_STOP;
	if (hc->nr != KVMKIT_HC_PRINTF)
		return KVMKIT_UNHANDLED;
	ret = kvmkit_report_from_hypercall(vcpu, hc, &rep);
	if (ret)
		return ret;
	printf("%s:%d: result %d: %s\n", rep.file, rep.lineno, rep.result,
	       rep.message);
	if (rep.result != KVMKIT_TPASS)
		*verdict = -1;
	else if (!*verdict)
		*verdict = 1;
	return KVMKIT_RESUME;
}

static int run(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	static struct uart uart;
	uint32_t operand = 0;
	int verdict = 0, ret;
	const struct kvmkit_run_ops ops = {
		.hypercall = on_hypercall, .opaque = &verdict,
	};
	struct kvmkit_exit e;
	char desc[256];

	if (kvmkit_vm_add_pio_handler(vm, COM1, 8, uart_io, &uart) ||
	    kvmkit_vm_add_mmio_handler(vm, DEV_GPA, 0x1000, dev_mmio, &operand)) {
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vm_error(vm));
		return 1;
	}
	if (kvmkit_vcpu_set_timeout(vcpu, 10000000000ULL) ||
	    (ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e)) < 0) {
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vcpu_error(vcpu));
		return 1;
	}
	if (ret != KVMKIT_STOP) {
		kvmkit_exit_describe(&e, desc, sizeof(desc));
		fprintf(stderr, "mini_vmm: unexpected exit: %s\n", desc);
		return 1;
	}
	return verdict == 1 && !strcmp(uart.out, GREETING) ? 0 : 1;
}

int main(void)
{
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	char err[KVMKIT_ERR_MAX];
	int ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "mini_vmm: %s\n", err);
		return ret == -ENOENT || ret == -EACCES ? 77 : 1;
	}
	ret = 1;
	if (kvmkit_kvm_supported_cpuid(kvm, &cpuid) || kvmkit_vm_create(kvm, &vm)) {
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_kvm_error(kvm));
		goto out_kvm;
	}
	if (kvmkit_vm_add_memory(vm, 0, 0, KVMKIT_DEFAULT_RAM, 0, NULL) ||
	    kvmkit_vm_add_memory(vm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE, 0, NULL) ||
	    kvmkit_payload_load(vm, kvm_payload_start, kvm_payload_end - kvm_payload_start) ||
	    kvmkit_vcpu_create(vm, 0, &vcpu))
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vm_error(vm));
	else if (kvmkit_vcpu_set_cpuid(vcpu, cpuid) || kvmkit_payload_boot(vcpu, cpuid))
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vcpu_error(vcpu));
	else
		ret = run(vm, vcpu);
	kvmkit_vm_destroy(vm);
out_kvm:
	free(cpuid);
	kvmkit_kvm_close(kvm);
	return ret;
}

#endif /* COMPILE_PAYLOAD */
