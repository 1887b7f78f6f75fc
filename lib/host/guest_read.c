// SPDX-License-Identifier: MIT
/*
 * Reading guest-virtual memory for reports (see guest_read.h).
 *
 * A report is the hottest path of a test and the only cost it must pay
 * is its one exit, so an ioctl per report for the paging state (needed for a real walk)
 * is avoided for addresses in the payload image: __FILE__ strings and
 * formats are in .rodata, the stack and most buffers in .data/.bss, all
 * covered by the identity map of 0..2 GiB that the host built and which
 * tests never remap (they play with the heap and with addresses above
 * 2 GiB).  This is not sound against a guest that remaps its own image
 * or switches CR3 to tables that do, but the failure is harmless: the
 * host reads other bytes of guest RAM, bounds-checked, and only the text
 * of the report is wrong.  Anywhere else the guest's page tables are
 * walked for real.
 */
#include <string.h>
#include "guest_read.h"

#define PAGE_OFFSET	((uint64_t)KVMKIT_PAGE_SIZE - 1)

void kvmkit_guest_reader_init(struct kvmkit_guest_reader *r,
			      struct kvmkit_vcpu *vcpu)
{
	r->vcpu = vcpu;
	r->walk = 0;
	if (kvmkit_vm_read(vcpu->vm, KVMKIT_PAYLOAD_BASE +
			   offsetof(struct kvmkit_payload_header, image_end),
			   &r->image_end, sizeof(r->image_end)) ||
	    r->image_end > KVMKIT_IDENTITY_LIMIT)
		r->image_end = 0;
}

int kvmkit_guest_gva_to_gpa(struct kvmkit_guest_reader *r, uint64_t gva,
			    uint64_t *gpa)
{
	if (gva >= KVMKIT_PAYLOAD_BASE && gva < r->image_end) {
		*gpa = gva;
		return 0;
	}
	if (!r->walk)
		r->walk = kvmkit_arch_mmu_fetch(r->vcpu, &r->mmu) ?: 1;
	if (r->walk < 0)
		return r->walk;
	return kvmkit_arch_mmu_translate(r->vcpu->vm, &r->mmu, gva, gpa);
}

/*
 * The host bytes of gva up to the end of its page (consecutive virtual
 * pages need not be consecutive in RAM, and slots are page-aligned, so a
 * page is the unit), or NULL.
 */
static const volatile char *page_bytes(struct kvmkit_guest_reader *r,
				       uint64_t gva, uint64_t *avail)
{
	uint64_t gpa;

	*avail = KVMKIT_PAGE_SIZE - (gva & PAGE_OFFSET);
	if (kvmkit_guest_gva_to_gpa(r, gva, &gpa))
		return NULL;
	return kvmkit_gpa_to_hva(r->vcpu->vm, gpa, *avail);
}

int kvmkit_guest_read(struct kvmkit_guest_reader *r, uint64_t gva, void *buf,
		      size_t len)
{
	char *dst = buf;

	while (len) {
		const volatile char *src;
		uint64_t n;

		src = page_bytes(r, gva, &n);
		if (!src)
			return -EFAULT;
		if (n > len)
			n = len;
		memcpy(dst, (const char *)src, n);
		dst += n;
		len -= n;
		gva += n;
		/* the last page of the address space is not followed by more */
		if (len && !gva)
			return -EFAULT;
	}
	return 0;
}

long kvmkit_guest_read_string(struct kvmkit_guest_reader *r, uint64_t gva,
			      char *buf, size_t max,
			      enum kvmkit_guest_stop *stop)
{
	size_t n = 0;

	for (;;) {
		const volatile char *src;
		uint64_t avail, i;

		src = page_bytes(r, gva, &avail);
		if (!src)
			break;
		for (i = 0; i < avail; i++) {
			char c = src[i];

			if (!c) {
				*stop = KVMKIT_GUEST_END;
				return n;
			}
			if (n == max) {
				*stop = KVMKIT_GUEST_FULL;
				return n;
			}
			if (buf)
				buf[n] = c;
			n++;
		}
		/*
		 * Full at the end of a page: the next page is not touched.  A
		 * "%.4s" of the last four bytes of RAM is a correct call (C
		 * reads no further than the precision) and must not be taken
		 * for a string running into unreadable memory.
		 */
		if (n == max) {
			*stop = KVMKIT_GUEST_FULL;
			return n;
		}
		gva += avail;
		if (!gva)
			break;
	}
	*stop = KVMKIT_GUEST_FAULT;
	return n ? (long)n : -EFAULT;
}

void kvmkit_guest_read_file(struct kvmkit_guest_reader *r,
			    struct kvmkit_report *rep)
{
	enum kvmkit_guest_stop stop;
	long n;

	rep->file_ok = 0;
	rep->file_truncated = 0;
	rep->file[0] = '\0';
	/*
	 * NULL is no file name even where page 0 is readable RAM (kvmkit's
	 * identity map): the guest's placeholder, never what lies there.
	 */
	if (!rep->file_addr)
		return;
	/*
	 * One byte more than file[] holds with its NUL: a name whose last
	 * readable byte is the last that fits must still be seen running
	 * into the hole (a reader full at the end of a page does not look
	 * at the next one).
	 */
	n = kvmkit_guest_read_string(r, rep->file_addr, rep->file,
				     sizeof(rep->file), &stop);
	/*
	 * Bytes that run into unreadable memory are not a name, only what
	 * precedes the hole: a bad address like any other.  One longer than
	 * file[] is a name, cut.
	 */
	if (n < 0 || stop == KVMKIT_GUEST_FAULT) {
		rep->file[0] = '\0';
		return;
	}
	rep->file_ok = 1;
	if (n >= (long)sizeof(rep->file)) {
		n = sizeof(rep->file) - 1;
		rep->file_truncated = 1;
	}
	rep->file[n] = '\0';
}
