// SPDX-License-Identifier: MIT
/*
 * Guest runtime: the linear heap.  Blocks must come out in increasing
 * order, never overlap each other or the payload image (header.image_end,
 * which must lie past the stack and every static), stay below
 * header.ram_size (16 MiB in the default VM), be writable to their last
 * byte, and honour every power-of-two alignment from 8 to 4096.
 * Exhaustion is a TBROK and is checked by tests/unit/hostile/heap_exhaust.c.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#define HEADER	((const volatile struct kvmkit_payload_header *)KVMKIT_PAYLOAD_BASE)

struct block {
	uintptr_t start;
	size_t size;
};

static struct block blocks[64];
static uintptr_t heap_floor, heap_ceiling;
static unsigned int nblocks;
static int bad;

static void fail(void)
{
	bad = 1;
}

/*
 * The bytes of a block that fill() and verify() touch: the first and last
 * 64 and one every 64 KiB between.  Guest code may run emulated, one
 * instruction at a time, so touching every byte of 8 MiB would take
 * minutes; the ends are where an overlap or a short block shows.
 */
static size_t next_offset(size_t i, size_t size)
{
	if (i + 1 < 64 || i + 1 >= size - 64 || size <= 128)
		return i + 1;
	if (i + 65536 < size - 64)
		return i + 65536;
	return size - 64;
}

/* Fill a block with a pattern unique to it; verify() reads it back */
static void fill(const struct block *b, unsigned int id)
{
	uint8_t *p = (uint8_t *)b->start;
	size_t i;

	for (i = 0; i < b->size; i = next_offset(i, b->size))
		p[i] = (uint8_t)(id * 31 + i);
}

static int verify(const struct block *b, unsigned int id)
{
	const volatile uint8_t *p = (const uint8_t *)b->start;
	size_t i;

	for (i = 0; i < b->size; i = next_offset(i, b->size))
		if (p[i] != (uint8_t)(id * 31 + i))
			return 0;
	return 1;
}

static void add(void *ptr, size_t size, const char *what)
{
	uintptr_t start = (uintptr_t)ptr;
	unsigned int i;

	if (!ptr) {
		tst_res(TFAIL, "%s: NULL for %zu bytes", what, size);
		fail();
		return;
	}
	if (start < heap_floor || start + size > heap_ceiling ||
	    start + size < start) {
		tst_res(TFAIL, "%s: block 0x%lx+%zu outside the heap 0x%lx-0x%lx",
			what, (unsigned long)start, size,
			(unsigned long)heap_floor, (unsigned long)heap_ceiling);
		fail();
		return;
	}
	for (i = 0; i < nblocks; i++) {
		const struct block *o = &blocks[i];

		if (start < o->start + o->size && o->start < start + size) {
			tst_res(TFAIL, "%s: block 0x%lx+%zu overlaps block %u at 0x%lx+%zu",
				what, (unsigned long)start, size, i,
				(unsigned long)o->start, o->size);
			fail();
		}
	}
	if (nblocks && start < blocks[nblocks - 1].start) {
		tst_res(TFAIL, "%s: block 0x%lx comes before the previous one at 0x%lx",
			what, (unsigned long)start,
			(unsigned long)blocks[nblocks - 1].start);
		fail();
	}
	if (nblocks < ARRAY_SIZE(blocks)) {
		blocks[nblocks] = (struct block){ start, size };
		fill(&blocks[nblocks], nblocks);
		nblocks++;
	}
}

void main(void)
{
	static const size_t sizes[] = { 1, 7, 8, 13, 64, 100, 4095, 4096, 4097,
					65536, 1, 3 };
	size_t align;
	unsigned int i;
	char what[48];

	heap_floor = HEADER->image_end;
	heap_ceiling = HEADER->ram_size;
	if (heap_ceiling != KVMKIT_DEFAULT_RAM) {
		tst_res(TFAIL, "header.ram_size 0x%lx, expected 16 MiB",
			(unsigned long)heap_ceiling);
		fail();
	}
	if (heap_floor < (uintptr_t)&blocks[ARRAY_SIZE(blocks)] ||
	    heap_floor < (uintptr_t)kvm_stack_top) {
		tst_res(TFAIL, "header.image_end 0x%lx lies inside the image (statics end at 0x%lx, stack top 0x%lx)",
			(unsigned long)heap_floor,
			(unsigned long)&blocks[ARRAY_SIZE(blocks)],
			(unsigned long)kvm_stack_top);
		fail();
	}

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(what, sizeof(what), "tst_heap_alloc(%zu)", sizes[i]);
		add(tst_heap_alloc(sizes[i]), sizes[i], what);
	}
	if (!bad)
		tst_res(TPASS, "tst_heap_alloc: %zu blocks increasing, disjoint, between image_end and ram_size",
			ARRAY_SIZE(sizes));

	for (align = 8; align <= 4096; align <<= 1) {
		int was_bad = bad;
		void *p;

		/* An odd-sized block first, so the next one starts misaligned */
		add(tst_heap_alloc(3), 3, "tst_heap_alloc(3)");
		snprintf(what, sizeof(what), "tst_heap_alloc_aligned(24, %zu)",
			 align);
		p = tst_heap_alloc_aligned(24, align);
		add(p, 24, what);
		if ((uintptr_t)p & (align - 1)) {
			tst_res(TFAIL, "%s = %p: not aligned", what, p);
			fail();
		} else if (!was_bad && !bad) {
			tst_res(TPASS, "%s = %p: aligned, disjoint", what, p);
		}
	}

	/* A large block (8 MiB of the 16) must be usable end to end */
	add(tst_heap_alloc(8 << 20), 8 << 20, "tst_heap_alloc(8 MiB)");

	for (i = 0; i < nblocks; i++) {
		if (!verify(&blocks[i], i)) {
			tst_res(TFAIL, "block %u at 0x%lx+%zu lost its contents",
				i, (unsigned long)blocks[i].start,
				blocks[i].size);
			fail();
		}
	}
	if (!bad)
		tst_res(TPASS, "%u blocks (8 MiB included) written and read back intact at both ends",
			nblocks);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "guest heap blocks are ordered, disjoint, bounded and writable",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
