// SPDX-License-Identifier: MIT
/*
 * The guest heap: a linear allocator from the end of the payload image
 * (header.image_end) to the end of RAM (header.ram_size, filled by the
 * host), never past the 2 GiB identity map.  LTP's allocator has no end;
 * here running out is a TBROK naming the request, because silently
 * handing out memory that is not there corrupts the test instead.
 */
#include "internal.h"

/* Keeps every block fit for any C type */
#define HEAP_MIN_ALIGN	16

static uintptr_t heap_next;	/* 0 until the first allocation */
static kvm_spinlock_t heap_lock = KVM_SPINLOCK_INIT;	/* several CPUs */

static uintptr_t heap_limit(void)
{
	uint64_t limit = kvmkit_header.ram_size;

	return limit > KVMKIT_IDENTITY_LIMIT ? KVMKIT_IDENTITY_LIMIT : limit;
}

static void heap_exhausted(size_t size, size_t align, uintptr_t limit)
	__attribute__((noreturn));
static void heap_exhausted(size_t size, size_t align, uintptr_t limit)
{
	uintptr_t base = kvmkit_header.image_end;

	tst_brk(TBROK, "heap exhausted: %zu bytes aligned to %zu requested, %zu of %zu bytes left",
		size, align, limit > heap_next ? limit - heap_next : 0,
		limit > base ? limit - base : 0);
}

void *tst_heap_alloc_aligned(size_t size, size_t align)
{
	uintptr_t limit = heap_limit(), start, rem;

	/* not released on exhaustion: tst_brk() ends the test */
	kvm_spin_lock(&heap_lock);
	if (!heap_next)
		heap_next = kvmkit_header.image_end;
	if (align < HEAP_MIN_ALIGN)
		align = HEAP_MIN_ALIGN;

	start = heap_next;
	if (start > limit)
		heap_exhausted(size, align, limit);

	/* LTP allows any alignment, not only powers of two */
	rem = start % align;
	if (rem) {
		if (align - rem > limit - start)
			heap_exhausted(size, align, limit);
		start += align - rem;
	}
	if (size > limit - start)
		heap_exhausted(size, align, limit);

	heap_next = start + size;
	kvm_spin_unlock(&heap_lock);
	return (void *)start;
}

void *tst_heap_alloc(size_t size)
{
	return tst_heap_alloc_aligned(size, HEAP_MIN_ALIGN);
}
