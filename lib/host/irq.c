// SPDX-License-Identifier: MIT
/*
 * Interrupts into a VM from the host: the in-kernel irqchip, lines, MSIs,
 * irqfds (an eventfd that raises a GSI) and ioeventfds (a guest write
 * that signals an eventfd without leaving the kernel).
 *
 * KVM_SET_GSI_ROUTING replaces the VM's whole routing table, so the
 * routes set so far are kept per VM (struct kvmkit_irq) and sent whole
 * each time; with the full irqchip, KVM's default routes of the PIC and
 * IOAPIC pins go first, or KVM_IRQ_LINE on a pin would stop reaching
 * them.  irqfds are kept too: KVM_IRQFD's deassign answers 0 for an
 * irqfd that was never assigned, and a caller removing the wrong one
 * should hear of it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "internal.h"

/* The IOAPIC's pins with the full irqchip (KVM's IOAPIC_NUM_PINS) */
#define FULL_IOAPIC_PINS	24
/* PIC pins: the master's and the slave's 8 (KVM_IRQCHIP_PIC_*) */
#define PIC_PINS		16

struct kvmkit_irqfd_entry {
	int fd;
	uint32_t gsi;
};

struct kvmkit_irq {
	enum kvmkit_irqchip chip;	/* 0 until created here */
	struct kvm_irq_routing_entry *msi;	/* routes set by the caller */
	size_t n_msi, cap_msi;
	struct kvmkit_irqfd_entry *irqfds;
	size_t n_irqfds, cap_irqfds;
};

/* The VM's interrupt state, made on first use (-ENOMEM, message on vm) */
static struct kvmkit_irq *irq_of(struct kvmkit_vm *vm)
{
	if (!vm->irq) {
		vm->irq = calloc(1, sizeof(*vm->irq));
		if (!vm->irq)
			KVMKIT_VM_ERR(vm, ENOMEM, "interrupt state: %s",
				      strerror(ENOMEM));
	}
	return vm->irq;
}

void kvmkit_irq_release(struct kvmkit_vm *vm)
{
	if (!vm->irq)
		return;
	free(vm->irq->msi);
	free(vm->irq->irqfds);
	free(vm->irq);
	vm->irq = NULL;
}

/*
 * 1 when KVM offers cap (its value > 0), else the -EOPNOTSUPP (or the
 * check's own -errno) naming it, on the VM
 */
static int need_cap(struct kvmkit_vm *vm, long cap, const char *name,
		    const char *what)
{
	int ret = ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);

	if (ret > 0)
		return ret;
	if (ret < 0)
		return KVMKIT_VM_ERR(vm, errno, "%s: KVM_CHECK_EXTENSION(%s): %s",
				     what, name, strerror(errno));
	return KVMKIT_VM_ERR(vm, EOPNOTSUPP, "%s: this KVM lacks %s", what,
			     name);
}
#define NEED_CAP(vm, cap, what) need_cap((vm), (cap), #cap, (what))

/* Grow *arr (of n, holding *cap) by one element of size; 0 or -ENOMEM */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int kvmkit_vm_create_irqchip(struct kvmkit_vm *vm, enum kvmkit_irqchip chip,
			     unsigned int ioapic_pins)
{
	struct kvmkit_irq *irq = irq_of(vm);
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP };
	int ret;

	if (!irq)
		return -ENOMEM;
	if (irq->chip)
		return KVMKIT_VM_ERR(vm, EEXIST,
				     "create irqchip: the VM has one already");
	switch (chip) {
	case KVMKIT_IRQCHIP_FULL:
		ret = NEED_CAP(vm, KVM_CAP_IRQCHIP, "create irqchip");
		if (ret < 0)
			return ret;
		if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0))
			return KVMKIT_VM_ERR(vm, errno, "KVM_CREATE_IRQCHIP: %s",
					     strerror(errno));
		break;
	case KVMKIT_IRQCHIP_SPLIT:
		ret = NEED_CAP(vm, KVM_CAP_SPLIT_IRQCHIP, "create irqchip");
		if (ret < 0)
			return ret;
		/* the GSIs userspace's IOAPIC may route (KVM caps them) */
		cap.args[0] = ioapic_pins ? ioapic_pins : FULL_IOAPIC_PINS;
		if (kvmkit_ioctl(vm->fd, KVM_ENABLE_CAP, &cap))
			return KVMKIT_VM_ERR(vm, errno,
					     "KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP, %llu pins): %s",
					     (unsigned long long)cap.args[0],
					     strerror(errno));
		break;
	default:
		return KVMKIT_VM_ERR(vm, EINVAL, "create irqchip: no mode %d",
				     (int)chip);
	}
	irq->chip = chip;
	return 0;
}

int kvmkit_vm_irq_line(struct kvmkit_vm *vm, uint32_t gsi, int level)
{
	struct kvm_irq_level line = { .irq = gsi, .level = level ? 1 : 0 };

	if (kvmkit_ioctl(vm->fd, KVM_IRQ_LINE, &line)) {
		int err = errno;

		return KVMKIT_VM_ERR(vm, err, "KVM_IRQ_LINE(gsi %u, %d): %s%s",
				     gsi, line.level, strerror(err),
				     err == ENXIO ? " (no in-kernel irqchip)" :
				     "");
	}
	return 0;
}

int kvmkit_vm_signal_msi(struct kvmkit_vm *vm, uint64_t addr, uint32_t data)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};
	int ret = NEED_CAP(vm, KVM_CAP_SIGNAL_MSI, "KVM_SIGNAL_MSI");

	if (ret < 0)
		return ret;
	ret = kvmkit_ioctl(vm->fd, KVM_SIGNAL_MSI, &msi);
	if (ret < 0) {
		int err = errno;

		/* KVM hands back delivery's -1 as is: errno EPERM */
		return KVMKIT_VM_ERR(vm, err,
				     "KVM_SIGNAL_MSI(0x%llx, 0x%x): %s%s",
				     (unsigned long long)addr, data,
				     strerror(err), err == ENXIO ?
				     " (no in-kernel irqchip)" : err == EPERM ?
				     " (no APIC at that destination)" : "");
	}
	/* 0: coalesced with the same vector already pending */
	return ret;
}

/*
 * The largest GSI count KVM routes (KVM_CAP_IRQ_ROUTING's value: KVM's
 * KVM_MAX_IRQ_ROUTES); KVM refuses more, and an irqfd or route past it
 * would never fire
 */
static int gsi_limit(struct kvmkit_vm *vm, const char *what)
{
	return NEED_CAP(vm, KVM_CAP_IRQ_ROUTING, what);
}

/* The full irqchip's default routes, as KVM installs them at creation */
static size_t default_routes(struct kvm_irq_routing_entry *e)
{
	size_t n = 0;
	uint32_t gsi;

	for (gsi = 0; gsi < FULL_IOAPIC_PINS; gsi++) {
		if (gsi < PIC_PINS) {
			e[n].gsi = gsi;
			e[n].type = KVM_IRQ_ROUTING_IRQCHIP;
			e[n].u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
						 KVM_IRQCHIP_PIC_SLAVE;
			e[n].u.irqchip.pin = gsi % 8;
			n++;
		}
		e[n].gsi = gsi;
		e[n].type = KVM_IRQ_ROUTING_IRQCHIP;
		e[n].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e[n].u.irqchip.pin = gsi;
		n++;
	}
	return n;
}

/* Send the defaults (full irqchip) and the n MSI routes of msi */
static int push_routes(struct kvmkit_vm *vm,
		       const struct kvm_irq_routing_entry *msi, size_t n)
{
	size_t ndef = vm->irq->chip == KVMKIT_IRQCHIP_FULL ?
		      PIC_PINS + FULL_IOAPIC_PINS : 0;
	struct kvm_irq_routing *r;
	int ret = 0;

	r = calloc(1, sizeof(*r) + (ndef + n) * sizeof(r->entries[0]));
	if (!r)
		return KVMKIT_VM_ERR(vm, ENOMEM, "KVM_SET_GSI_ROUTING: %s",
				     strerror(ENOMEM));
	if (ndef)
		ndef = default_routes(r->entries);
	memcpy(r->entries + ndef, msi, n * sizeof(*msi));
	r->nr = (uint32_t)(ndef + n);
	if (kvmkit_ioctl(vm->fd, KVM_SET_GSI_ROUTING, r))
		ret = KVMKIT_VM_ERR(vm, errno,
				    "KVM_SET_GSI_ROUTING (%u routes): %s",
				    r->nr, strerror(errno));
	free(r);
	return ret;
}

int kvmkit_vm_set_msi_route(struct kvmkit_vm *vm, uint32_t gsi, uint64_t addr,
			    uint32_t data)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi,
		.type = KVM_IRQ_ROUTING_MSI,
		.u.msi = {
			.address_lo = (uint32_t)addr,
			.address_hi = (uint32_t)(addr >> 32),
			.data = data,
		},
	};
	struct kvmkit_irq *irq = irq_of(vm);
	size_t i;
	int limit, ret;

	if (!irq)
		return -ENOMEM;
	limit = gsi_limit(vm, "MSI route");
	if (limit < 0)
		return limit;
	if (gsi >= (uint32_t)limit)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "MSI route: gsi %u past KVM's %d routes",
				     gsi, limit);
	/* KVM allows no other route on an MSI's GSI: name the clash */
	if (irq->chip == KVMKIT_IRQCHIP_FULL && gsi < FULL_IOAPIC_PINS)
		return KVMKIT_VM_ERR(vm, EBUSY,
				     "MSI route: gsi %u is an IOAPIC pin of the full irqchip (use %u or above)",
				     gsi, FULL_IOAPIC_PINS);
	for (i = 0; i < irq->n_msi; i++)
		if (irq->msi[i].gsi == gsi)
			break;
	if (i == irq->n_msi &&
	    grow((void **)&irq->msi, irq->n_msi, &irq->cap_msi,
		 sizeof(*irq->msi)))
		return KVMKIT_VM_ERR(vm, ENOMEM, "MSI route: %s",
				     strerror(ENOMEM));
	/* KVM's table first: only what it took is kept */
	if (i == irq->n_msi) {
		irq->msi[i] = e;
		ret = push_routes(vm, irq->msi, irq->n_msi + 1);
		if (!ret)
			irq->n_msi++;
	} else {
		struct kvm_irq_routing_entry old = irq->msi[i];

		irq->msi[i] = e;
		ret = push_routes(vm, irq->msi, irq->n_msi);
		if (ret)
			irq->msi[i] = old;
	}
	return ret;
}

/* The index of (fd, gsi) among the VM's irqfds, or -1 */
static long find_irqfd(const struct kvmkit_irq *irq, int fd, uint32_t gsi)
{
	size_t i;

	for (i = 0; i < irq->n_irqfds; i++)
		if (irq->irqfds[i].fd == fd && irq->irqfds[i].gsi == gsi)
			return (long)i;
	return -1;
}

int kvmkit_vm_irqfd(struct kvmkit_vm *vm, int fd, uint32_t gsi)
{
	struct kvm_irqfd req = { .fd = (uint32_t)fd, .gsi = gsi };
	struct kvmkit_irq *irq = irq_of(vm);
	int limit, ret;

	if (!irq)
		return -ENOMEM;
	ret = NEED_CAP(vm, KVM_CAP_IRQFD, "KVM_IRQFD");
	if (ret < 0)
		return ret;
	if (fd < 0)
		return KVMKIT_VM_ERR(vm, EBADF, "KVM_IRQFD: fd %d", fd);
	limit = gsi_limit(vm, "KVM_IRQFD");
	if (limit < 0)
		return limit;
	/* KVM takes any GSI here; one past its routes could never fire */
	if (gsi >= (uint32_t)limit)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "KVM_IRQFD: gsi %u past KVM's %d routes",
				     gsi, limit);
	if (grow((void **)&irq->irqfds, irq->n_irqfds, &irq->cap_irqfds,
		 sizeof(*irq->irqfds)))
		return KVMKIT_VM_ERR(vm, ENOMEM, "KVM_IRQFD: %s",
				     strerror(ENOMEM));
	/* KVM refuses an eventfd already assigned in this VM: EBUSY */
	if (kvmkit_ioctl(vm->fd, KVM_IRQFD, &req))
		return KVMKIT_VM_ERR(vm, errno, "KVM_IRQFD(fd %d, gsi %u): %s%s",
				     fd, gsi, strerror(errno),
				     errno == EBUSY ? " (assigned already)" : "");
	irq->irqfds[irq->n_irqfds].fd = fd;
	irq->irqfds[irq->n_irqfds].gsi = gsi;
	irq->n_irqfds++;
	return 0;
}

int kvmkit_vm_irqfd_remove(struct kvmkit_vm *vm, int fd, uint32_t gsi)
{
	struct kvm_irqfd req = {
		.fd = (uint32_t)fd,
		.gsi = gsi,
		.flags = KVM_IRQFD_FLAG_DEASSIGN,
	};
	struct kvmkit_irq *irq = irq_of(vm);
	long i;

	if (!irq)
		return -ENOMEM;
	i = find_irqfd(irq, fd, gsi);
	if (i < 0)
		return KVMKIT_VM_ERR(vm, ENOENT,
				     "KVM_IRQFD deassign: fd %d on gsi %u was never assigned",
				     fd, gsi);
	if (kvmkit_ioctl(vm->fd, KVM_IRQFD, &req))
		return KVMKIT_VM_ERR(vm, errno,
				     "KVM_IRQFD deassign(fd %d, gsi %u): %s",
				     fd, gsi, strerror(errno));
	irq->irqfds[i] = irq->irqfds[--irq->n_irqfds];
	return 0;
}

/* One KVM_IOEVENTFD call: assign, or deassign with KVM_IOEVENTFD_FLAG_DEASSIGN */
static int ioeventfd(struct kvmkit_vm *vm, uint64_t addr, uint32_t len,
		     int is_pio, const uint64_t *datamatch, int fd,
		     uint32_t deassign)
{
	const char *what = deassign ? "KVM_IOEVENTFD deassign" : "KVM_IOEVENTFD";
	struct kvm_ioeventfd req = {
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = deassign,
	};
	int ret = NEED_CAP(vm, KVM_CAP_IOEVENTFD, what);

	if (ret < 0)
		return ret;
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		/* len 0 matches any width, where KVM offers it */
		if (len)
			return KVMKIT_VM_ERR(vm, EINVAL,
					     "%s: length %u (1, 2, 4, 8, or 0 for any)",
					     what, len);
		ret = NEED_CAP(vm, KVM_CAP_IOEVENTFD_ANY_LENGTH, what);
		if (ret < 0)
			return ret;
		if (datamatch)
			return KVMKIT_VM_ERR(vm, EINVAL,
					     "%s: datamatch needs a length", what);
	}
	if (is_pio && (addr > 0xffff || addr + (len ? len : 1) > 0x10000))
		return KVMKIT_VM_ERR(vm, EINVAL, "%s: port 0x%llx + %u past 0xffff",
				     what, (unsigned long long)addr, len);
	if (is_pio)
		req.flags |= KVM_IOEVENTFD_FLAG_PIO;
	if (datamatch) {
		req.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
		req.datamatch = *datamatch;
	}
	/* KVM: EEXIST for the same registration twice, ENOENT for none */
	if (kvmkit_ioctl(vm->fd, KVM_IOEVENTFD, &req))
		return KVMKIT_VM_ERR(vm, errno,
				     "%s(%s 0x%llx, len %u, fd %d%s): %s", what,
				     is_pio ? "port" : "gpa",
				     (unsigned long long)addr, len, fd,
				     datamatch ? ", datamatch" : "",
				     strerror(errno));
	return 0;
}

int kvmkit_vm_ioeventfd(struct kvmkit_vm *vm, uint64_t addr, uint32_t len,
			int is_pio, const uint64_t *datamatch, int fd)
{
	return ioeventfd(vm, addr, len, is_pio, datamatch, fd, 0);
}

int kvmkit_vm_ioeventfd_remove(struct kvmkit_vm *vm, uint64_t addr,
			       uint32_t len, int is_pio,
			       const uint64_t *datamatch, int fd)
{
	return ioeventfd(vm, addr, len, is_pio, datamatch, fd,
			 KVM_IOEVENTFD_FLAG_DEASSIGN);
}
