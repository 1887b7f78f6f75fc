// SPDX-License-Identifier: MIT
/*
 * A guest-physical page allocator over one range of a VM's RAM: one bit
 * per page, first fit for a run of pages.  Each allocator is its own
 * object (several may serve one VM on disjoint ranges); the memory it
 * hands out is zeroed, so a page-table page starts with no entry present.
 * It never hands out a page outside the memory slots it was checked
 * against at creation; removing or moving those slots afterwards is the
 * caller's business (documented in kvmkit.h).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* 2^24 pages (64 GiB): a 2 MiB bitmap, plenty for a test VM */
#define MAX_PAGES	(1ULL << 24)

struct kvmkit_gpa_alloc {
	struct kvmkit_vm *vm;
	uint64_t base;		/* gpa of page 0 */
	uint64_t pages;
	uint64_t used;		/* pages allocated or reserved */
	uint64_t map[];		/* bit n set: page n in use */
};

static int busy(const struct kvmkit_gpa_alloc *a, uint64_t n)
{
	return a->map[n / 64] >> (n % 64) & 1;
}

static void set_pages(struct kvmkit_gpa_alloc *a, uint64_t first,
		      uint64_t n, int on)
{
	uint64_t i;

	for (i = first; i < first + n; i++) {
		if (on)
			a->map[i / 64] |= 1ULL << (i % 64);
		else
			a->map[i / 64] &= ~(1ULL << (i % 64));
	}
	a->used = on ? a->used + n : a->used - n;
}

int kvmkit_gpa_alloc_create(struct kvmkit_vm *vm, uint64_t start,
			    uint64_t end, struct kvmkit_gpa_alloc **out)
{
	struct kvmkit_gpa_alloc *a;
	uint64_t pages, gpa;

	*out = NULL;
	if ((start | end) & (KVMKIT_PAGE_SIZE - 1) || end <= start ||
	    (end - start) / KVMKIT_PAGE_SIZE > MAX_PAGES)
		return KVMKIT_VM_ERR(vm, EINVAL,
				     "page allocator: range 0x%llx-0x%llx is empty, not page-aligned or above %llu pages",
				     (unsigned long long)start,
				     (unsigned long long)end, MAX_PAGES);
	/*
	 * Every page in RAM now, so that each one handed out can be zeroed:
	 * slot by slot (slots are page-aligned), not page by page.
	 */
	for (gpa = start; gpa < end; ) {
		int i = kvmkit_vm_find_slot(vm, gpa);
		const struct kvm_userspace_memory_region *r;

		if (i < 0)
			return KVMKIT_VM_ERR(vm, EFAULT,
					     "page allocator: page 0x%llx of 0x%llx-0x%llx is not in a memory slot",
					     (unsigned long long)gpa,
					     (unsigned long long)start,
					     (unsigned long long)end);
		r = kvmkit_vm_memslot(vm, i);
		/* a slot ending at 2^64 ends the range too */
		if (!(r->guest_phys_addr + r->memory_size))
			break;
		gpa = r->guest_phys_addr + r->memory_size;
	}
	pages = (end - start) / KVMKIT_PAGE_SIZE;
	a = calloc(1, sizeof(*a) + (pages + 63) / 64 * sizeof(uint64_t));
	if (!a)
		return KVMKIT_VM_ERR(vm, ENOMEM, "page allocator: out of memory");
	a->vm = vm;
	a->base = start;
	a->pages = pages;
	*out = a;
	return 0;
}

void kvmkit_gpa_alloc_destroy(struct kvmkit_gpa_alloc *a)
{
	free(a);
}

int kvmkit_gpa_alloc(struct kvmkit_gpa_alloc *a, uint64_t size, uint64_t *gpa)
{
	uint64_t n, first, run;

	*gpa = 0;
	if (!size || size > a->pages * KVMKIT_PAGE_SIZE)
		return KVMKIT_VM_ERR(a->vm, size ? ENOMEM : EINVAL,
				     "page allocator: cannot allocate 0x%llx bytes from 0x%llx pages",
				     (unsigned long long)size,
				     (unsigned long long)a->pages);
	n = (size + KVMKIT_PAGE_SIZE - 1) / KVMKIT_PAGE_SIZE;
	for (first = 0, run = 0; first + run < a->pages; ) {
		if (busy(a, first + run)) {
			first += run + 1;
			run = 0;
			continue;
		}
		if (++run == n) {
			uint64_t at = a->base + first * KVMKIT_PAGE_SIZE;
			void *p;

			set_pages(a, first, n, 1);
			/* pages may span adjacent slots: zero page by page */
			for (run = 0; run < n; run++) {
				p = kvmkit_gpa_to_hva(a->vm,
						      at + run * KVMKIT_PAGE_SIZE,
						      KVMKIT_PAGE_SIZE);
				if (!p) {
					set_pages(a, first, n, 0);
					return KVMKIT_VM_ERR(a->vm, EFAULT,
							     "page allocator: page 0x%llx left RAM since the allocator was created",
							     (unsigned long long)(at + run * KVMKIT_PAGE_SIZE));
				}
				memset(p, 0, KVMKIT_PAGE_SIZE);
			}
			*gpa = at;
			return 0;
		}
	}
	return KVMKIT_VM_ERR(a->vm, ENOMEM,
			     "page allocator: no run of %llu free pages in 0x%llx-0x%llx (%llu of %llu pages in use)",
			     (unsigned long long)n, (unsigned long long)a->base,
			     (unsigned long long)(a->base + a->pages * KVMKIT_PAGE_SIZE),
			     (unsigned long long)a->used,
			     (unsigned long long)a->pages);
}

/* The pages of [gpa, gpa + size) in the allocator's range, or -EINVAL */
static int range(struct kvmkit_gpa_alloc *a, uint64_t gpa, uint64_t size,
		 const char *what, uint64_t *first, uint64_t *n)
{
	if (gpa & (KVMKIT_PAGE_SIZE - 1) || !size || gpa < a->base ||
	    (gpa - a->base) / KVMKIT_PAGE_SIZE >= a->pages ||
	    (size + KVMKIT_PAGE_SIZE - 1) / KVMKIT_PAGE_SIZE >
		    a->pages - (gpa - a->base) / KVMKIT_PAGE_SIZE)
		return KVMKIT_VM_ERR(a->vm, EINVAL,
				     "page allocator: %s 0x%llx+0x%llx: not page-aligned or outside 0x%llx-0x%llx",
				     what, (unsigned long long)gpa,
				     (unsigned long long)size,
				     (unsigned long long)a->base,
				     (unsigned long long)(a->base + a->pages * KVMKIT_PAGE_SIZE));
	*first = (gpa - a->base) / KVMKIT_PAGE_SIZE;
	*n = (size + KVMKIT_PAGE_SIZE - 1) / KVMKIT_PAGE_SIZE;
	return 0;
}

int kvmkit_gpa_free(struct kvmkit_gpa_alloc *a, uint64_t gpa, uint64_t size)
{
	uint64_t first, n, i;
	int ret = range(a, gpa, size, "free", &first, &n);

	if (ret)
		return ret;
	/* a double free is refused whole, before any bit changes */
	for (i = first; i < first + n; i++)
		if (!busy(a, i))
			return KVMKIT_VM_ERR(a->vm, EINVAL,
					     "page allocator: free 0x%llx+0x%llx: page 0x%llx is not allocated",
					     (unsigned long long)gpa,
					     (unsigned long long)size,
					     (unsigned long long)(a->base + i * KVMKIT_PAGE_SIZE));
	set_pages(a, first, n, 0);
	return 0;
}

int kvmkit_gpa_reserve(struct kvmkit_gpa_alloc *a, uint64_t gpa, uint64_t size)
{
	uint64_t first, n, i;
	int ret = range(a, gpa, size, "reserve", &first, &n);

	if (ret)
		return ret;
	for (i = first; i < first + n; i++)
		if (busy(a, i))
			return KVMKIT_VM_ERR(a->vm, EBUSY,
					     "page allocator: reserve 0x%llx+0x%llx: page 0x%llx is in use",
					     (unsigned long long)gpa,
					     (unsigned long long)size,
					     (unsigned long long)(a->base + i * KVMKIT_PAGE_SIZE));
	set_pages(a, first, n, 1);
	return 0;
}

uint64_t kvmkit_gpa_alloc_free_pages(const struct kvmkit_gpa_alloc *a)
{
	return a->pages - a->used;
}

int kvmkit_gpa_alloc_create_payload(struct kvmkit_vm *vm, uint64_t size,
				    struct kvmkit_gpa_alloc **out)
{
	struct kvmkit_payload_header h;
	uint64_t top, start, field;
	int ret;

	*out = NULL;
	/* the header is guest memory: read once, checked, one field written */
	if (kvmkit_vm_read(vm, KVMKIT_PAYLOAD_BASE, &h, sizeof(h)) ||
	    h.magic != KVMKIT_PAYLOAD_MAGIC)
		return KVMKIT_VM_ERR(vm, ENOEXEC,
				     "page allocator: no payload header at 0x%x (kvmkit_payload_load() first)",
				     KVMKIT_PAYLOAD_BASE);
	top = h.ram_size & ~(uint64_t)(KVMKIT_PAGE_SIZE - 1);
	if (!size || size > top ||
	    (size + KVMKIT_PAGE_SIZE - 1) / KVMKIT_PAGE_SIZE * KVMKIT_PAGE_SIZE >
		    top - h.image_end || h.image_end > top)
		return KVMKIT_VM_ERR(vm, size ? ENOMEM : EINVAL,
				     "page allocator: 0x%llx bytes from the payload's heap 0x%llx-0x%llx: too many",
				     (unsigned long long)size,
				     (unsigned long long)h.image_end,
				     (unsigned long long)top);
	start = top - (size + KVMKIT_PAGE_SIZE - 1) / KVMKIT_PAGE_SIZE *
		      KVMKIT_PAGE_SIZE;
	ret = kvmkit_gpa_alloc_create(vm, start, top, out);
	if (ret)
		return ret;
	/* the guest heap ends at header.ram_size: end it below our pages */
	field = start;
	kvmkit_vm_write(vm, KVMKIT_PAYLOAD_BASE +
			    offsetof(struct kvmkit_payload_header, ram_size),
			&field, sizeof(field));
	return 0;
}
