// SPDX-License-Identifier: MIT
/*
 * Per-VM port-I/O and MMIO handler tables: registration, removal and the
 * lookup that dispatch uses.  The tables live in the VM object, never in
 * process-wide state (bhyve's inout_handlers[65536] and kvmtool's global
 * trees are what we avoid): two VMs in one process can serve the same
 * port differently, and destroying a VM takes its handlers with it.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Index of the first range whose base is above addr (0..n) */
static size_t upper_bound(const struct kvmkit_io_table *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ranges[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The range holding all of [addr, addr + size), or NULL.  An MMIO access
 * that starts in a range and runs past its end is nobody's: a device must
 * not see bytes that belong to its neighbour.  Ports are looked up with
 * size 1: an x86 port decodes the width of the access made to it (a
 * 32-bit OUT to the 1-port doorbell is one access to one port), as
 * kvmtool and bhyve dispatch by the port alone.
 */
static const struct kvmkit_io_range *find(const struct kvmkit_io_table *t,
					  uint64_t addr, uint64_t size)
{
	size_t i = upper_bound(t, addr);
	const struct kvmkit_io_range *r;

	if (!i)
		return NULL;
	r = &t->ranges[i - 1];
	if (addr - r->base >= r->len || size > r->len - (addr - r->base))
		return NULL;
	return r;
}

const struct kvmkit_io_range *kvmkit_io_overlap(const struct kvmkit_io_table *t,
					       uint64_t base, uint64_t last)
{
	size_t i = upper_bound(t, last);
	const struct kvmkit_io_range *r;

	/* the last range starting at or below last is the only candidate */
	if (!i)
		return NULL;
	r = &t->ranges[i - 1];
	return r->base + (r->len - 1) >= base ? r : NULL;
}

static int grow(struct kvmkit_io_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 8;
	struct kvmkit_io_range *r;

	if (t->n < t->cap)
		return 0;
	r = realloc(t->ranges, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	t->ranges = r;
	t->cap = cap;
	return 0;
}

/*
 * Insert [base, base + len) keeping the table sorted and disjoint.  Ends
 * are compared inclusive (base + len - 1): they cannot overflow for a
 * range that reaches the top of the address space.
 */
static int add(struct kvmkit_vm *vm, struct kvmkit_io_table *t,
	       const char *what, uint64_t base, uint64_t len,
	       kvmkit_io_fn fn, void *opaque)
{
	uint64_t last = base + len - 1;
	size_t i = upper_bound(t, base);
	const struct kvmkit_io_range *prev = i ? &t->ranges[i - 1] : NULL;
	const struct kvmkit_io_range *next = i < t->n ? &t->ranges[i] : NULL;
	const struct kvmkit_io_range *clash = NULL;

	if (prev && prev->base + (prev->len - 1) >= base)
		clash = prev;
	else if (next && next->base <= last)
		clash = next;
	if (clash)
		return KVMKIT_VM_ERR(vm, EEXIST,
				     "%s: 0x%llx-0x%llx overlaps the handler at 0x%llx-0x%llx",
				     what, (unsigned long long)base,
				     (unsigned long long)last,
				     (unsigned long long)clash->base,
				     (unsigned long long)(clash->base + clash->len - 1));
	if (grow(t))
		return KVMKIT_VM_ERR(vm, ENOMEM, "%s: %s", what, strerror(ENOMEM));
	memmove(&t->ranges[i + 1], &t->ranges[i],
		(t->n - i) * sizeof(t->ranges[0]));
	t->ranges[i] = (struct kvmkit_io_range) {
		.base = base, .len = len, .fn = fn, .opaque = opaque,
	};
	t->n++;
	return 0;
}

static int remove_at(struct kvmkit_vm *vm, struct kvmkit_io_table *t,
		     const char *what, uint64_t base)
{
	size_t i = upper_bound(t, base);

	if (!i || t->ranges[i - 1].base != base)
		return KVMKIT_VM_ERR(vm, ENOENT, "%s: no handler starts at 0x%llx",
				     what, (unsigned long long)base);
	i--;
	memmove(&t->ranges[i], &t->ranges[i + 1],
		(t->n - i - 1) * sizeof(t->ranges[0]));
	t->n--;
	return 0;
}

int kvmkit_vm_add_pio_handler(struct kvmkit_vm *vm, uint16_t port,
			      uint32_t count, kvmkit_io_fn fn, void *opaque)
{
	static const char what[] = "kvmkit_vm_add_pio_handler";

	if (!fn || !count || count > 0x10000u - port)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "%s: %u ports from 0x%x%s", what, count,
				     port, fn ? "" : " without a function");
	return add(vm, &vm->pio, what, port, count, fn, opaque);
}

int kvmkit_vm_remove_pio_handler(struct kvmkit_vm *vm, uint16_t port)
{
	return remove_at(vm, &vm->pio, "kvmkit_vm_remove_pio_handler", port);
}

/* Does [gpa, last] meet a memory slot?  Its accesses would never exit */
static const struct kvmkit_memslot *over_ram(const struct kvmkit_vm *vm,
					     uint64_t gpa, uint64_t last)
{
	unsigned int i;

	for (i = 0; i < KVMKIT_MAX_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *r = &vm->slots[i].region;

		if (r->memory_size && r->guest_phys_addr <= last &&
		    gpa <= r->guest_phys_addr + (r->memory_size - 1))
			return &vm->slots[i];
	}
	return NULL;
}

int kvmkit_vm_add_mmio_handler(struct kvmkit_vm *vm, uint64_t gpa,
			       uint64_t len, kvmkit_io_fn fn, void *opaque)
{
	static const char what[] = "kvmkit_vm_add_mmio_handler";
	const struct kvmkit_memslot *slot;

	if (!fn || !len || gpa + (len - 1) < gpa)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "%s: 0x%llx bytes at 0x%llx%s", what,
				     (unsigned long long)len,
				     (unsigned long long)gpa,
				     fn ? "" : " without a function");
	slot = over_ram(vm, gpa, gpa + (len - 1));
	if (slot)
		return KVMKIT_VM_ERR(vm, EEXIST,
				     "%s: 0x%llx-0x%llx overlaps memory slot %u: the guest's accesses there would never exit",
				     what, (unsigned long long)gpa,
				     (unsigned long long)(gpa + (len - 1)),
				     slot->region.slot);
	return add(vm, &vm->mmio, what, gpa, len, fn, opaque);
}

int kvmkit_vm_remove_mmio_handler(struct kvmkit_vm *vm, uint64_t gpa)
{
	return remove_at(vm, &vm->mmio, "kvmkit_vm_remove_mmio_handler", gpa);
}

void kvmkit_io_tables_release(struct kvmkit_vm *vm)
{
	free(vm->pio.ranges);
	free(vm->mmio.ranges);
	memset(&vm->pio, 0, sizeof(vm->pio));
	memset(&vm->mmio, 0, sizeof(vm->mmio));
}

/*
 * Hand an I/O or MMIO exit to its handler: KVMKIT_UNHANDLED when no
 * range holds the access.  The function and opaque are copied out first,
 * so that a handler may remove itself (the table may move under it).
 */
int kvmkit_io_dispatch(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e)
{
	const struct kvmkit_io_table *t;
	const struct kvmkit_io_range *r;
	struct kvmkit_io io = { 0 };
	kvmkit_io_fn fn;
	void *opaque;

	switch (e->type) {
	case KVMKIT_EXIT_IO_IN:
	case KVMKIT_EXIT_IO_OUT:
		t = &vcpu->vm->pio;
		io.addr = e->io.port;
		io.size = e->io.size;
		io.count = e->io.count;
		io.data = e->io.data;
		io.is_write = e->type == KVMKIT_EXIT_IO_OUT;
		break;
	case KVMKIT_EXIT_MMIO_READ:
	case KVMKIT_EXIT_MMIO_WRITE:
		t = &vcpu->vm->mmio;
		io.addr = e->mmio.gpa;
		io.size = e->mmio.len;
		io.count = 1;
		io.data = e->mmio.data;
		io.is_write = e->type == KVMKIT_EXIT_MMIO_WRITE;
		break;
	default:
		return KVMKIT_UNHANDLED;
	}
	r = find(t, io.addr, t == &vcpu->vm->pio ? 1 : io.size);
	if (!r)
		return KVMKIT_UNHANDLED;
	io.offset = io.addr - r->base;
	fn = r->fn;
	opaque = r->opaque;
	return fn(vcpu, &io, opaque);
}
