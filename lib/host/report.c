// SPDX-License-Identifier: MIT
/*
 * Reading the guest's result page into a bounded host copy.  The guest may
 * rewrite the page at any moment (other vCPUs keep running), so the page is
 * copied once and only the copy is parsed.  The file name is read
 * through guest_read.c (identity inside the payload image, a real walk
 * elsewhere).
 */
#include <stddef.h>
#include <string.h>
#include "guest_read.h"

int kvmkit_report_read(struct kvmkit_vcpu *vcpu, struct kvmkit_report *rep)
{
	const struct kvmkit_vm *vm = vcpu->vm;
	const struct tst_kvm_result *page;
	struct kvmkit_guest_reader reader;
	uint64_t gpa;

	/*
	 * Each CPU of a payload has its own page (abi.h); a vCPU the payload
	 * has no area for (not a payload's, or a one-CPU payload's second
	 * vCPU) reads LTP's one page, as before.
	 */
	if (kvmkit_payload_result_gpa(vm, vcpu->id, &gpa))
		gpa = KVMKIT_RESULT_BASE;
	page = kvmkit_gpa_to_hva(vm, gpa, KVMKIT_RESULT_SIZE);
	if (!page)
		return kvmkit_set_error(vcpu->err, EFAULT,
					"result page 0x%llx is not in guest memory (vcpu %u)",
					(unsigned long long)gpa, vcpu->id);
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
	/* the flags follow the message: the memset above did not clear them */
	rep->format_error = 0;

	kvmkit_guest_reader_init(&reader, vcpu);
	kvmkit_guest_read_file(&reader, rep);
	return 0;
}
