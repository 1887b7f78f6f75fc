// SPDX-License-Identifier: MIT
/*
 * Validation of a payload header.  The header comes from the image (or,
 * when booting, from guest memory), so every address in it is checked
 * against the image's own footprint before the host writes tables there:
 * a bad header must give -ENOEXEC, never a host write outside the payload.
 */
#include <stdarg.h>
#include <stdio.h>
#include <kvmkit/x86.h>
#include "x86_64/payload.h"

/* [addr, addr + size) lies inside [lo, hi), without overflow */
static int inside(uint64_t addr, uint64_t size, uint64_t lo, uint64_t hi)
{
	return addr >= lo && addr <= hi && size <= hi - addr;
}

static int bad(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

static int check_table(const char *name, uint64_t addr, uint64_t size,
		       uint64_t lo, uint64_t hi, char *why, size_t whylen)
{
	if (inside(addr, size, lo, hi))
		return 0;
	snprintf(why, whylen,
		 "payload: %s at 0x%llx (+0x%llx) lies outside the image [0x%llx, 0x%llx)",
		 name, (unsigned long long)addr, (unsigned long long)size,
		 (unsigned long long)lo, (unsigned long long)hi);
	return -ENOEXEC;
}

int kvmkit_arch_payload_check(const struct kvmkit_payload_header *hdr,
			      uint64_t file_end, uint64_t ram_size,
			      char *why, size_t whylen)
{
	const uint64_t base = KVMKIT_PAYLOAD_BASE;
	uint64_t end = hdr->image_end;

	if (file_end < base || file_end - base < sizeof(*hdr))
		return bad(why, whylen, "payload: image ends at 0x%llx, before its header",
			   (unsigned long long)file_end);
	if (hdr->magic != KVMKIT_PAYLOAD_MAGIC)
		return bad(why, whylen,
			   "payload: bad magic 0x%08x (expected 0x%08x): not a kvmkit payload",
			   hdr->magic, KVMKIT_PAYLOAD_MAGIC);
	if (hdr->abi_version != KVMKIT_ABI_VERSION)
		return bad(why, whylen,
			   "payload: ABI version %u, this host speaks %u: rebuild the test",
			   hdr->abi_version, KVMKIT_ABI_VERSION);
	if (hdr->header_size < sizeof(*hdr) ||
	    hdr->header_size > file_end - base)
		return bad(why, whylen,
			   "payload: header size %u invalid (at least %zu, within the image)",
			   hdr->header_size, sizeof(*hdr));
	if (hdr->guest_mode > KVMKIT_GUEST_MODE_32PAE)
		return bad(why, whylen, "payload: unknown guest mode %llu",
			   (unsigned long long)hdr->guest_mode);
	if (end < file_end)
		return bad(why, whylen,
			   "payload: image_end 0x%llx lies before the end of its data 0x%llx",
			   (unsigned long long)end,
			   (unsigned long long)file_end);
	if (end > ram_size)
		return bad(why, whylen,
			   "payload: image_end 0x%llx beyond the 0x%llx bytes of RAM from address 0",
			   (unsigned long long)end,
			   (unsigned long long)ram_size);
	if (hdr->pagetable & (KVMKIT_PAGE_SIZE - 1))
		return bad(why, whylen,
			   "payload: page tables at 0x%llx not page-aligned",
			   (unsigned long long)hdr->pagetable);
	if (hdr->stack_top <= base || hdr->stack_top > end)
		return bad(why, whylen,
			   "payload: stack top 0x%llx outside the image (end 0x%llx)",
			   (unsigned long long)hdr->stack_top,
			   (unsigned long long)end);
	/* The guard page below the stack is unmapped: it must be the image's */
	if (hdr->stack_top & (KVMKIT_PAGE_SIZE - 1) ||
	    hdr->stack_top - base < KVMKIT_STACK_SIZE + KVMKIT_STACK_GUARD_SIZE ||
	    hdr->stack_top > (1ULL << 30))
		return bad(why, whylen,
			   "payload: stack top 0x%llx leaves no page-aligned guard page in the image's first GiB",
			   (unsigned long long)hdr->stack_top);
	return check_table("entry point", hdr->entry, 1, base, file_end,
			   why, whylen) ?:
	       check_table("exception vectors", hdr->vectors,
			   KVMKIT_VECTOR_COUNT * KVMKIT_VECTOR_STUB_SIZE,
			   base, file_end, why, whylen) ?:
	       check_table("page tables", hdr->pagetable,
			   KVMKIT_PAGETABLE_PAGES * KVMKIT_PAGE_SIZE, base, end,
			   why, whylen) ?:
	       check_table("GDT", hdr->gdt, KVMKIT_GDT_ENTRIES * 8, base, end,
			   why, whylen) ?:
	       check_table("IDT", hdr->idt, KVMKIT_VECTOR_COUNT * 16, base, end,
			   why, whylen) ?:
	       check_table("TSS", hdr->tss, KVMKIT_X86_TSS_SIZE, base, end,
			   why, whylen);
}
