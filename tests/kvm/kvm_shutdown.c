// SPDX-License-Identifier: MIT
/*
 * A triple fault ends KVM_RUN with KVM_EXIT_SHUTDOWN: the guest loads an
 * IDT with limit 0 and raises #UD; delivering it through the empty IDT
 * raises #GP, delivering that one #DF, and a fault while delivering #DF
 * is a triple fault, which shuts the processor down.  The host sees the
 * exit itself (it is the expected result, not a broken test).  Checked
 * twice: in the 64-bit payload and in a real-mode guest (IDTR limit 0
 * there too, so the #UD's vector is beyond the IVT).
 *
 * Where it is written: Intel SDM Vol. 3A 6.15 "Interrupt 8 - Double Fault
 * Exception (#DF)" (another exception while calling the double-fault
 * handler: shutdown mode), 6.10 "Interrupt Descriptor Table (IDT)" (a
 * vector beyond the IDT limit: #GP); in real mode the IVT is addressed
 * through IDTR base and limit too (Vol. 3B "Real-Address Mode Operation",
 * "Interrupt and Exception Handling"; Vol. 2A "INT n" pseudo-code,
 * REAL-ADDRESS-MODE: an entry not within the IDT limit gives #GP); Linux
 * Documentation/virt/kvm/api.rst, 5. "The kvm_run structure",
 * KVM_EXIT_SHUTDOWN.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	static const struct { uint16_t limit; uint64_t base; }
		__attribute__((packed)) empty = { 0, 0 };

	asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
	tst_res(TFAIL, "the guest went on after #UD with an empty IDT");
}

#else /* COMPILE_PAYLOAD */

#include "kvm_hostside.h"

static struct tst_kvm_instance vm = { .vm_fd = -1 };

static void payload(void)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_hypercall hc;
	struct kvmkit_exit e;
	char line[256];

	tst_kvm_create_instance(&vm, DEFAULT_RAM_SIZE);
	vcpu = vm.kvmkit_vcpu;
	if (kvmkit_vcpu_set_timeout(vcpu, 5000000000ULL))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	for (;;) {
		kvmkit_vcpu_run(vcpu, &e);
		kvmkit_exit_describe(&e, line, sizeof(line));
		/* the library tells the doorbell apart, as for every test */
		if (kvmkit_hypercall_decode(&e, &hc) || hc.nr == KVMKIT_HC_EXIT)
			break;
		/* a report from the guest (it should have none) */
		tst_kvm_print_result(&vm);
	}
	kvmkit_vcpu_set_timeout(vcpu, 0);
	if (e.type == KVMKIT_EXIT_SHUTDOWN)
		tst_res(TPASS, "64-bit guest, #UD with IDTR.limit 0: KVM_EXIT_SHUTDOWN");
	else
		tst_res(TFAIL, "64-bit guest, #UD with IDTR.limit 0: %s, expected KVM_EXIT_SHUTDOWN",
			line);
	tst_kvm_destroy_instance(&vm);
	tst_free_all();
}

static const uint8_t real_code[] = {
	0x0f, 0x01, 0x1e, 0x00, 0x11,	/* lidt 0x1100 */
	0x0f, 0x0b,			/* ud2 */
	0xe6, 0x10,			/* out %al, $0x10 (not reached) */
	0xf4,
};

static void real_mode(void)
{
	static const uint8_t idtr[6] = { 0 };	/* limit 0, base 0 */
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	char line[160];

	vcpu = hk_setup(0x10000, real_code, sizeof(real_code));
	if (kvmkit_vm_write(hk_vm, 0x1100, idtr, sizeof(idtr)))
		tst_brk(TBROK, "%s", kvmkit_vm_error(hk_vm));
	hk_run(vcpu, &e, line, sizeof(line));
	if (e.type == KVMKIT_EXIT_SHUTDOWN)
		tst_res(TPASS, "real-mode guest, #UD with IDTR.limit 0: KVM_EXIT_SHUTDOWN");
	else {
		struct kvm_sregs sregs;
		struct kvm_regs regs;

		kvmkit_vcpu_set_timeout(vcpu, 0);
		if (!kvmkit_vcpu_get_regs(vcpu, &regs) &&
		    !kvmkit_vcpu_get_sregs(vcpu, &sregs))
			tst_res(TINFO, "the guest is at CS 0x%x IP 0x%llx",
				sregs.cs.selector, (unsigned long long)regs.rip);
		tst_res(TFAIL, "real-mode guest, #UD with IDTR.limit 0: %s, expected KVM_EXIT_SHUTDOWN",
			line);
	}
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static void run(void)
{
	payload();
	real_mode();
}

static void cleanup(void)
{
	tst_kvm_destroy_instance(&vm);
	hk_cleanup();
}

static struct tst_test test = {
	.kvmkit_desc = "A triple fault ends KVM_RUN with KVM_EXIT_SHUTDOWN",
	.test_all = run,
	.cleanup = cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
