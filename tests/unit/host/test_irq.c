// SPDX-License-Identifier: MIT
/*
 * lib/host/irq.c against the real /dev/kvm: the error paths of the
 * irqchip, line, MSI route, irqfd and ioeventfd calls (bad fd, bad GSI,
 * double registration, removal of what was never added, no irqchip),
 * each with its message on the VM; an ioeventfd guest (hand-made real
 * mode) whose matching PIO and MMIO writes only count on the eventfds
 * while a datamatch mismatch exits as usual; and the NOTIFY exit row's
 * decoder on fabricated kvm_run contents.  Parts KVM lacks a capability
 * for are skipped with the reason; exit 77 without /dev/kvm.
 *
 * Linux Documentation/virt/kvm/api.rst: KVM_CREATE_IRQCHIP,
 * KVM_CAP_SPLIT_IRQCHIP, KVM_IRQ_LINE, KVM_SET_GSI_ROUTING, KVM_IRQFD,
 * KVM_IOEVENTFD, KVM_EXIT_NOTIFY / KVM_CAP_X86_NOTIFY_VMEXIT.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define CODE_GPA	0x1000
#define RAM_SIZE	0x8000
#define MMIO_GPA	0xa000		/* past RAM: a write there is MMIO */
#define PORT_ANY	0x70		/* ioeventfd without datamatch */
#define PORT_MATCH	0x71		/* ioeventfd for value 9 only */

static const uint8_t code[] = {
	0xb0, 0x42,				/* mov $0x42, %al */
	0xe6, PORT_ANY,				/* out %al, $0x70: eventfd */
	0xc6, 0x06, 0x00, 0xa0, 0x5a,		/* movb $0x5a, 0xa000: eventfd */
	0xc6, 0x06, 0x00, 0xa0, 0x33,		/* movb $0x33, 0xa000: exit */
	0xb0, 0x07,				/* mov $7, %al */
	0xe6, PORT_MATCH,			/* out %al, $0x71: exit (not 9) */
	0xf4,					/* hlt */
};

static int msg_has(struct kvmkit_vm *vm, const char *s)
{
	return strstr(kvmkit_vm_error(vm), s) != NULL;
}

static struct kvmkit_vm *new_vm(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = NULL;

	if (kvmkit_vm_create(kvm, &vm))
		unit_diag("VM: %s", kvmkit_kvm_error(kvm));
	return vm;
}

/* Irqchip, line and route errors */
static void test_irqchip(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = new_vm(kvm);
	int ret;

	if (!vm)
		return;
	ret = kvmkit_vm_irq_line(vm, 4, 1);
	CHECK_EQ(ret, -ENXIO, "KVM_IRQ_LINE without an irqchip: -ENXIO");
	CHECK(msg_has(vm, "no in-kernel irqchip"),
	      "... and the VM's message says why: %s", kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_vm_create_irqchip(vm, (enum kvmkit_irqchip)7, 0),
		 -EINVAL, "irqchip mode 7: -EINVAL");
	ret = kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_FULL, 0);
	if (ret == -EOPNOTSUPP) {
		unit_diag("SKIP full irqchip: %s", kvmkit_vm_error(vm));
		kvmkit_vm_destroy(vm);
		return;
	}
	CHECK_EQ(ret, 0, "full irqchip created");
	CHECK_EQ(kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_FULL, 0), -EEXIST,
		 "a second irqchip: -EEXIST");
	CHECK_EQ(kvmkit_vm_irq_line(vm, 4, 1), 0, "KVM_IRQ_LINE gsi 4 high");
	CHECK_EQ(kvmkit_vm_irq_line(vm, 4, 0), 0, "KVM_IRQ_LINE gsi 4 low");
	{
		struct kvmkit_vcpu *vcpu;

		if (kvmkit_vcpu_create(vm, 0, &vcpu))
			CHECK(0, "vCPU 0: %s", kvmkit_vm_error(vm));
		/* SDM 11.4.7.2: a software-disabled APIC (reset) takes none */
		CHECK_EQ(kvmkit_vm_signal_msi(vm, 0xfee00000, 0x40), 0,
			 "KVM_SIGNAL_MSI to APIC 0 still software-disabled: taken by 0 APICs");
		CHECK_EQ(kvmkit_vm_signal_msi(vm, 0xfee05000, 0x40), 0,
			 "KVM_SIGNAL_MSI to APIC 5 (none): taken by 0 APICs");
	}
	CHECK_EQ(kvmkit_vm_set_msi_route(vm, 5, 0xfee00000, 0x40), -EBUSY,
		 "MSI route on an IOAPIC pin of the full irqchip: -EBUSY");
	CHECK_EQ(kvmkit_vm_set_msi_route(vm, 1u << 30, 0xfee00000, 0x40),
		 -EINVAL, "MSI route on gsi 2^30: -EINVAL");
	CHECK(msg_has(vm, "past KVM's"), "... message: %s", kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_vm_set_msi_route(vm, 30, 0xfee00000, 0x40), 0,
		 "MSI route on gsi 30");
	CHECK_EQ(kvmkit_vm_set_msi_route(vm, 30, 0xfee00000, 0x41), 0,
		 "the same gsi again replaces its route");
	/* the default routes went with the table: the pins still work */
	CHECK_EQ(kvmkit_vm_irq_line(vm, 4, 1), 0,
		 "KVM_IRQ_LINE gsi 4 after KVM_SET_GSI_ROUTING");
	kvmkit_vm_destroy(vm);

	vm = new_vm(kvm);
	if (!vm)
		return;
	ret = kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_SPLIT, 24);
	if (ret == -EOPNOTSUPP)
		unit_diag("SKIP split irqchip: %s", kvmkit_vm_error(vm));
	else
		CHECK(ret == 0, "split irqchip created (%s)",
			 ret ? kvmkit_vm_error(vm) : "");
	kvmkit_vm_destroy(vm);
}

static void test_irqfd(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = new_vm(kvm);
	int efd, closed, ret;

	if (!vm)
		return;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	closed = eventfd(0, EFD_CLOEXEC);
	if (efd < 0 || closed < 0) {
		CHECK(0, "eventfd: %s", strerror(errno));
		goto out;
	}
	close(closed);
	ret = kvmkit_vm_create_irqchip(vm, KVMKIT_IRQCHIP_FULL, 0);
	if (ret) {
		unit_diag("SKIP irqfd: %s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK_EQ(kvmkit_vm_irqfd(vm, -1, 30), -EBADF, "irqfd fd -1: -EBADF");
	CHECK_EQ(kvmkit_vm_irqfd(vm, closed, 30), -EBADF,
		 "irqfd of a closed fd: -EBADF");
	CHECK(msg_has(vm, "KVM_IRQFD"), "... message: %s", kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_vm_irqfd(vm, efd, 1u << 30), -EINVAL,
		 "irqfd on gsi 2^30: -EINVAL");
	CHECK_EQ(kvmkit_vm_irqfd_remove(vm, efd, 30), -ENOENT,
		 "removing an irqfd never assigned: -ENOENT");
	CHECK(msg_has(vm, "never assigned"), "... message: %s",
	      kvmkit_vm_error(vm));
	ret = kvmkit_vm_irqfd(vm, efd, 30);
	CHECK(ret == 0, "irqfd on gsi 30 (%s)", ret ? kvmkit_vm_error(vm) : "");
	CHECK_EQ(kvmkit_vm_irqfd(vm, efd, 30), -EBUSY,
		 "the same eventfd twice: -EBUSY");
	CHECK_EQ(kvmkit_vm_irqfd_remove(vm, efd, 31), -ENOENT,
		 "removing it from another gsi: -ENOENT");
	CHECK_EQ(kvmkit_vm_irqfd_remove(vm, efd, 30), 0, "removed");
	CHECK_EQ(kvmkit_vm_irqfd_remove(vm, efd, 30), -ENOENT,
		 "removed twice: -ENOENT");
	/* removal is asynchronous in KVM: it may take a moment to free it */
	ret = kvmkit_vm_irqfd(vm, efd, 30);
	CHECK(ret == 0, "assigned again after removal (%s)",
		 ret ? kvmkit_vm_error(vm) : "");
out:
	if (efd >= 0)
		close(efd);
	kvmkit_vm_destroy(vm);
}

static void test_ioeventfd_errors(struct kvmkit_vm *vm, int efd)
{
	uint64_t nine = 9;
	int closed = eventfd(0, 0);

	close(closed);
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, 0x80, 3, 1, NULL, efd), -EINVAL,
		 "ioeventfd of 3 bytes: -EINVAL");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, 0xffff, 2, 1, NULL, efd), -EINVAL,
		 "ioeventfd on ports 0xffff-0x10000: -EINVAL");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, 0x80, 1, 1, NULL, closed), -EBADF,
		 "ioeventfd of a closed fd: -EBADF");
	CHECK(msg_has(vm, "KVM_IOEVENTFD"), "... message: %s",
	      kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_vm_ioeventfd_remove(vm, 0x80, 1, 1, &nine, efd),
		 -ENOENT, "removing an ioeventfd never added: -ENOENT");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, 0x80, 0, 1, &nine, efd), -EINVAL,
		 "any length with a datamatch: -EINVAL");
	if (kvmkit_vm_check_extension(vm, KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0) {
		CHECK_EQ(kvmkit_vm_ioeventfd(vm, 0x80, 0, 1, NULL, efd), 0,
			 "PIO ioeventfd of any length");
		CHECK_EQ(kvmkit_vm_ioeventfd_remove(vm, 0x80, 0, 1, NULL, efd),
			 0, "... removed");
	} else {
		unit_diag("SKIP ioeventfd of any length: no KVM_CAP_IOEVENTFD_ANY_LENGTH");
	}
}

/* The guest: two writes counted in KVM, two that exit, then HLT */
static void test_ioeventfd(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = new_vm(kvm);
	struct kvmkit_vcpu *vcpu = NULL;
	struct kvmkit_exit e;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint64_t five_a = 0x5a, nine = 9, count;
	int pio = -1, mmio = -1, match = -1, ret;

	if (!vm)
		return;
	pio = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	mmio = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	match = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (pio < 0 || mmio < 0 || match < 0) {
		CHECK(0, "eventfd: %s", strerror(errno));
		goto out;
	}
	ret = kvmkit_vm_ioeventfd(vm, PORT_ANY, 1, 1, NULL, pio);
	if (ret == -EOPNOTSUPP) {
		unit_diag("SKIP ioeventfd: %s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK(ret == 0, "PIO ioeventfd, any value (%s)",
		 ret ? kvmkit_vm_error(vm) : "");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, PORT_ANY, 1, 1, NULL, pio), -EEXIST,
		 "the same PIO ioeventfd twice: -EEXIST");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, MMIO_GPA, 1, 0, &five_a, mmio), 0,
		 "MMIO ioeventfd, datamatch 0x5a");
	CHECK_EQ(kvmkit_vm_ioeventfd(vm, PORT_MATCH, 1, 1, &nine, match), 0,
		 "PIO ioeventfd, datamatch 9");
	test_ioeventfd_errors(vm, pio);

	if (kvmkit_vm_add_memory(vm, 0, 0, RAM_SIZE, 0, NULL) ||
	    kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code)) ||
	    kvmkit_vcpu_create(vm, 0, &vcpu)) {
		CHECK(0, "VM set-up: %s", kvmkit_vm_error(vm));
		goto out;
	}
	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		goto vcpu_fail;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.ds.base = 0;
	sregs.ds.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rflags = 0x2;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs) ||
	    kvmkit_vcpu_set_regs(vcpu, &regs) ||
	    kvmkit_vcpu_set_timeout(vcpu, 2000000000ULL))
		goto vcpu_fail;

	/* the first exit must be the mismatching MMIO write */
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_MMIO_WRITE && e.mmio.gpa == MMIO_GPA &&
	      e.mmio.len == 1 && e.mmio.data[0] == 0x33,
	      "first exit: the MMIO write of 0x33 (datamatch 0x5a) (type %s gpa 0x%llx)",
	      kvmkit_exit_type_name(e.type), (unsigned long long)e.mmio.gpa);
	count = 0;
	ret = read(pio, &count, 8) == 8;
	CHECK(ret && count == 1,
	      "OUT to port 0x%x signalled its eventfd once, without an exit (count %llu)",
	      PORT_ANY, (unsigned long long)count);
	count = 0;
	ret = read(mmio, &count, 8) == 8;
	CHECK(ret && count == 1,
	      "MMIO write of 0x5a signalled its eventfd once, without an exit (count %llu)",
	      (unsigned long long)count);
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.port == PORT_MATCH &&
	      e.io.data[0] == 7,
	      "second exit: OUT of 7 to port 0x%x (datamatch 9) (type %s)",
	      PORT_MATCH, kvmkit_exit_type_name(e.type));
	count = 0;
	CHECK(read(match, &count, 8) < 0 && errno == EAGAIN,
	      "its eventfd stayed at 0");
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "then HLT (type %s)",
	      kvmkit_exit_type_name(e.type));
	CHECK_EQ(kvmkit_vm_ioeventfd_remove(vm, PORT_MATCH, 1, 1, &nine, match),
		 0, "removed with the same arguments");
	CHECK_EQ(kvmkit_vm_ioeventfd_remove(vm, PORT_MATCH, 1, 1, &nine, match),
		 -ENOENT, "removed twice: -ENOENT");
	goto out;
vcpu_fail:
	CHECK(0, "vCPU set-up: %s", kvmkit_vcpu_error(vcpu));
out:
	if (pio >= 0)
		close(pio);
	if (mmio >= 0)
		close(mmio);
	if (match >= 0)
		close(match);
	kvmkit_vm_destroy(vm);
}

/* The NOTIFY row: its decoder and its line */
static void test_notify_decode(struct kvmkit_kvm *kvm)
{
	static struct kvm_run run;
	struct kvmkit_exit e;
	struct kvmkit_vm *vm;
	char line[128];
	int ret;

	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_NOTIFY;
	run.notify.flags = KVM_NOTIFY_CONTEXT_INVALID;
	ret = kvmkit_exit_decode(&run, sizeof(run), 0, 0, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_NOTIFY &&
	      e.notify.flags == KVM_NOTIFY_CONTEXT_INVALID,
	      "KVM_EXIT_NOTIFY decodes to NOTIFY with its flags");
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "NOTIFY flags 0x1 (context invalid)", "its line");

	vm = new_vm(kvm);
	if (!vm)
		return;
	ret = kvmkit_vm_enable_notify_exit(vm, 100000);
	if (ret == -EOPNOTSUPP)
		CHECK(msg_has(vm, "KVM_CAP_X86_NOTIFY_VMEXIT"),
		      "no notify exit here: -EOPNOTSUPP naming the capability (%s)",
		      kvmkit_vm_error(vm));
	else
		CHECK_EQ(ret, 0, "notify exit enabled");
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	char err[KVMKIT_ERR_MAX];
	struct kvmkit_kvm *kvm = NULL;

	if (kvmkit_kvm_open(&kvm, NULL, err, sizeof(err)))
		unit_skip_all("/dev/kvm: %s", err);
	test_irqchip(kvm);
	test_irqfd(kvm);
	test_ioeventfd(kvm);
	test_notify_decode(kvm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
