// SPDX-License-Identifier: MIT
/*
 * Reading the guest's result page into a bounded host copy.  The guest may
 * rewrite the page at any moment (other vCPUs keep running), so the page is
 * copied once and only the copy is parsed.
 */
#include <stddef.h>
#include <string.h>
#include "x86_64/payload.h"

#define PAGE_MASK	(~(uint64_t)(KVMKIT_PAGE_SIZE - 1))

/*
 * Where the file name's bytes are.  A report is the hottest path of a
 * test and the only cost it must pay is its one exit, so a KVM_GET_SREGS
 * per report (needed for a real walk) is avoided when the name lies in the
 * payload image: __FILE__ strings are in .rodata, which the identity map of
 * 0..2 GiB that the host built covers, and which tests never remap (they
 * play with the heap and with addresses above 2 GiB).  This is not sound
 * against a guest that remaps its own image or switches CR3 to tables
 * that do, but the failure is harmless: the host reads other bytes of
 * guest RAM, bounds-checked, and only the file name in the report is
 * wrong.  Anywhere else the guest's page tables are walked for real.
 */
struct file_xlate {
	struct kvmkit_vcpu *vcpu;
	uint64_t image_end;	/* 0: header unreadable, always walk */
};

static int file_gpa(struct file_xlate *x, uint64_t gva, uint64_t *gpa)
{
	if (gva >= KVMKIT_PAYLOAD_BASE && gva < x->image_end) {
		*gpa = gva;
		return 0;
	}
	return kvmkit_vcpu_gva_to_gpa(x->vcpu, gva, gpa);
}

/*
 * A NUL-terminated string at a guest-virtual address, page by page since
 * consecutive virtual pages need not be consecutive in RAM.  Returns 0
 * with buf terminated, or -EFAULT when its first byte is not in RAM.
 */
static int read_file_name(struct file_xlate *x, uint64_t gva, char *buf,
			  size_t len, int *truncated)
{
	size_t off = 0;

	*truncated = 0;
	buf[0] = '\0';
	while (off + 1 < len) {
		uint64_t chunk = ((gva & PAGE_MASK) + KVMKIT_PAGE_SIZE) - gva;
		uint64_t gpa;
		int t = 0;
		long n;

		if (chunk > len - 1 - off)
			chunk = len - 1 - off;
		if (file_gpa(x, gva, &gpa)) {
			if (!off)
				return -EFAULT;
			*truncated = 1;	/* runs into an unmapped page */
			return 0;
		}
		n = kvmkit_vm_read_string(x->vcpu->vm, gpa, buf + off,
					  chunk + 1, &t);
		if (n < 0) {
			if (!off)
				return -EFAULT;
			*truncated = 1;
			return 0;
		}
		off += n;
		/*
		 * Shorter than the chunk: it ended (or ran off RAM, t says).
		 * A full buffer: t says whether more followed.  Otherwise
		 * the page ended without a NUL: go on in the next one, whose
		 * bytes the read above did not see.
		 */
		if ((uint64_t)n < chunk || off + 1 >= len) {
			*truncated = t;
			return 0;
		}
		gva += chunk;
	}
	*truncated = 1;
	return 0;
}

int kvmkit_report_read(struct kvmkit_vcpu *vcpu, struct kvmkit_report *rep)
{
	const struct kvmkit_vm *vm = vcpu->vm;
	const struct tst_kvm_result *page;
	struct file_xlate x = { .vcpu = vcpu };
	int trunc;

	page = kvmkit_gpa_to_hva(vm, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE);
	if (!page)
		return kvmkit_set_error(vcpu->err, EFAULT,
					"result page 0x%x is not in guest memory (vcpu %u)",
					KVMKIT_RESULT_BASE, vcpu->id);
	memset(rep, 0, offsetof(struct kvmkit_report, message));
	rep->result = __atomic_load_n(&page->result, __ATOMIC_RELAXED);
	rep->lineno = __atomic_load_n(&page->lineno, __ATOMIC_RELAXED);
	rep->file_addr = __atomic_load_n(&page->file_addr, __ATOMIC_RELAXED);
	/*
	 * The message is copied raw and whole: for KVMKIT_HC_EXCEPTION it is
	 * a binary struct kvmkit_exception_frame, not text.
	 */
	memcpy(rep->message, page->message, KVMKIT_MESSAGE_MAX);
	memset(rep->message + KVMKIT_MESSAGE_MAX, 0,
	       sizeof(rep->message) - KVMKIT_MESSAGE_MAX);
	rep->message_truncated = !memchr(rep->message, '\0',
					 KVMKIT_MESSAGE_MAX);
	rep->file_ok = 0;
	rep->file_truncated = 0;
	rep->file[0] = '\0';

	if (kvmkit_vm_read(vm, KVMKIT_PAYLOAD_BASE +
			   offsetof(struct kvmkit_payload_header, image_end),
			   &x.image_end, sizeof(x.image_end)) ||
	    x.image_end > KVMKIT_IDENTITY_LIMIT)
		x.image_end = 0;
	if (!read_file_name(&x, rep->file_addr, rep->file, sizeof(rep->file),
			    &trunc)) {
		rep->file_ok = 1;
		rep->file_truncated = trunc;
	}
	return 0;
}
