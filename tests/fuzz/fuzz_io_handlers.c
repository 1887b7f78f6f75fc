// SPDX-License-Identifier: MIT
/*
 * libFuzzer: a VM's port and MMIO handler tables under arbitrary
 * sequences of additions, removals and dispatched exits, checked against
 * a plain list of ranges: an addition succeeds exactly when its range is
 * valid and meets no other, a removal exactly when a range starts there,
 * and every exit reaches the handler the list says (a port by its port,
 * MMIO only when the whole access lies in one range), or none.  Exits
 * come from kvmkit_exit_decode() on fabricated kvm_run contents in an
 * allocation of exactly the mapping's size, and handlers touch every byte
 * they are given, so a pointer past the mapping is an ASan report.
 *
 * Input: a sequence of ops, each one byte of kind then its operands.
 */
#include <errno.h>
#include "fuzz.h"

#define RUN_SIZE	(2 * 4096)
#define MAX_RANGES	64
#define MAX_OPS		256

struct model {
	uint64_t base[MAX_RANGES], len[MAX_RANGES];
	unsigned int n;
};

static struct kvmkit_vm vm;
static struct kvmkit_vcpu vcpu;
static struct model pio_m, mmio_m;
static uintptr_t called;	/* the opaque of the last handler run */

static int handler(struct kvmkit_vcpu *v, const struct kvmkit_io *io,
		   void *opaque)
{
	volatile uint8_t sink = 0;
	uint64_t i;

	(void)v;
	for (i = 0; i < (uint64_t)io->size * io->count; i++)
		sink ^= io->data[i];
	if (!io->is_write)
		memset(io->data, 0xa5, (size_t)io->size * io->count);
	(void)sink;
	called = (uintptr_t)opaque;
	return KVMKIT_RESUME;
}

/* Index of the range holding [addr, addr + size) in the list, or -1 */
static int model_find(const struct model *m, uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (addr >= m->base[i] && addr - m->base[i] < m->len[i] &&
		    size <= m->len[i] - (addr - m->base[i]))
			return (int)i;
	return -1;
}

static int model_meets(const struct model *m, uint64_t base, uint64_t len)
{
	uint64_t last = base + len - 1;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->base[i] <= last && base <= m->base[i] + (m->len[i] - 1))
			return 1;
	return 0;
}

static void model_remove(struct model *m, int i)
{
	m->n--;
	m->base[i] = m->base[m->n];
	m->len[i] = m->len[m->n];
}

/* A port range's base and count, as the API's types carry them */
static void op_add(struct model *m, int mmio, uint64_t base, uint64_t len)
{
	int valid, want, ret;

	if (!mmio) {
		base &= 0xffff;
		len = (uint32_t)len;
	}
	valid = len && (mmio ? base + (len - 1) >= base : len <= 0x10000 - base);
	want = !valid ? -EINVAL : model_meets(m, base, len) ? -EEXIST : 0;
	if (m->n == MAX_RANGES)
		return;
	ret = mmio ? kvmkit_vm_add_mmio_handler(&vm, base, len, handler,
						(void *)(uintptr_t)(base + 1)) :
		     kvmkit_vm_add_pio_handler(&vm, (uint16_t)base, (uint32_t)len,
					       handler, (void *)(uintptr_t)(base + 1));
	FUZZ_ASSERT(ret == want);
	if (!ret) {
		m->base[m->n] = base;
		m->len[m->n++] = len;
	}
}

static void op_remove(struct model *m, int mmio, uint64_t base)
{
	int i, ret;

	if (!mmio)
		base &= 0xffff;
	i = model_find(m, base, 1);
	if (i >= 0 && m->base[i] != base)
		i = -1;
	ret = mmio ? kvmkit_vm_remove_mmio_handler(&vm, base) :
		     kvmkit_vm_remove_pio_handler(&vm, (uint16_t)base);
	FUZZ_ASSERT(ret == (i >= 0 ? 0 : -ENOENT));
	if (i >= 0)
		model_remove(m, i);
}

/* A fabricated exit through kvmkit_exit_decode() and the dispatcher */
static void op_exit(struct fuzz_in *in, int mmio, uint8_t *map)
{
	struct kvm_run *run = (struct kvm_run *)map;
	struct kvmkit_exit e;
	uint64_t addr, size;
	int want, ret;

	memset(map, 0, RUN_SIZE);
	if (mmio) {
		run->exit_reason = KVM_EXIT_MMIO;
		run->mmio.phys_addr = fuzz_u64(in);
		run->mmio.len = fuzz_u8(in);
		run->mmio.is_write = fuzz_u8(in) & 1;
	} else {
		run->exit_reason = KVM_EXIT_IO;
		run->io.direction = fuzz_u8(in) & 1;
		run->io.size = fuzz_u8(in);
		run->io.port = fuzz_u16(in);
		run->io.count = fuzz_u16(in);
		run->io.data_offset = fuzz_u16(in);
	}
	if (kvmkit_exit_decode(run, RUN_SIZE, 0, 0, &e))
		return;		/* refused: never reaches dispatch */
	addr = mmio ? e.mmio.gpa : e.io.port;
	size = mmio ? e.mmio.len : 1;
	want = model_find(mmio ? &mmio_m : &pio_m, addr, size);
	called = 0;
	ret = kvmkit_vcpu_dispatch(&vcpu, NULL, &e);
	if (want < 0) {
		FUZZ_ASSERT(ret == KVMKIT_UNHANDLED && !called);
	} else {
		FUZZ_ASSERT(ret == KVMKIT_RESUME);
		FUZZ_ASSERT(called == (mmio ? mmio_m.base[want] :
				       pio_m.base[want]) + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t *map = malloc(RUN_SIZE);
	unsigned int ops;

	if (!map)
		return 0;
	memset(&vm, 0, sizeof(vm));
	vm.fd = -1;
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.fd = -1;
	vcpu.vm = &vm;
	vcpu.run = (struct kvm_run *)map;
	vcpu.run_size = RUN_SIZE;
	memset(&pio_m, 0, sizeof(pio_m));
	memset(&mmio_m, 0, sizeof(mmio_m));

	for (ops = 0; in.n && ops < MAX_OPS; ops++) {
		uint8_t kind = fuzz_u8(&in);
		int mmio = kind & 1;
		/* small numbers often, so that ranges meet */
		uint64_t base = kind & 0x10 ? fuzz_u64(&in) : fuzz_u8(&in);
		uint64_t len = kind & 0x20 ? fuzz_u64(&in) : fuzz_u8(&in);

		switch ((kind >> 1) % 3) {
		case 0:
			op_add(mmio ? &mmio_m : &pio_m, mmio, base, len);
			break;
		case 1:
			op_remove(mmio ? &mmio_m : &pio_m, mmio, base);
			break;
		default:
			op_exit(&in, mmio, map);
			break;
		}
	}
	FUZZ_ASSERT(vm.pio.n == pio_m.n && vm.mmio.n == mmio_m.n);
	kvmkit_io_tables_release(&vm);
	free(map);
	return 0;
}
