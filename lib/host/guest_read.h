/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host: reading guest-virtual memory for reports (the file
 * name, and for KVMKIT_HC_PRINTF the format, its stack slots and %s
 * strings), bounded and without an ioctl on the common path.
 */
#ifndef KVMKIT_HOST_GUEST_READ_H
#define KVMKIT_HOST_GUEST_READ_H

#include "internal.h"

/*
 * One report's view of guest memory.  Addresses inside the payload image
 * are taken as identity-mapped; anything else is walked through the
 * guest's page tables, whose paging state is fetched once per reader
 * (kvmkit_arch_mmu_fetch(): from kvm_run when KVM syncs it, else an ioctl).
 */
struct kvmkit_guest_reader {
	struct kvmkit_vcpu *vcpu;
	uint64_t image_end;	/* identity window end; 0: always walk */
	int walk;		/* 0: CRs not fetched, 1: fetched, -errno */
	struct kvmkit_arch_mmu mmu;	/* valid when walk is 1 */
};

/* How a string read stopped */
enum kvmkit_guest_stop {
	KVMKIT_GUEST_END,	/* at its NUL */
	KVMKIT_GUEST_FULL,	/* max bytes copied, no NUL among them (the
				 * next byte is not read when they end a
				 * page: it may be a NUL or unreadable) */
	KVMKIT_GUEST_FAULT,	/* ran into memory that cannot be read */
};

void kvmkit_guest_reader_init(struct kvmkit_guest_reader *r,
			      struct kvmkit_vcpu *vcpu);
int kvmkit_guest_gva_to_gpa(struct kvmkit_guest_reader *r, uint64_t gva,
			    uint64_t *gpa);
/* len bytes at gva, page by page; -EFAULT if any byte cannot be read */
int kvmkit_guest_read(struct kvmkit_guest_reader *r, uint64_t gva, void *buf,
		      size_t len);
/*
 * Copy the string at gva, at most max bytes and no NUL, into buf (NULL:
 * only count them); *stop says why it stopped.  Returns the bytes copied, or -EFAULT when not even
 * the first byte can be read.  Each guest byte is read once: a guest
 * rewriting the string changes what is copied, never how far.
 */
long kvmkit_guest_read_string(struct kvmkit_guest_reader *r, uint64_t gva,
			      char *buf, size_t max,
			      enum kvmkit_guest_stop *stop);
/*
 * The report's file name at rep->file_addr into rep->file, setting
 * file_ok and file_truncated: file_ok = 0 (and file "") for NULL, an
 * address that cannot be read and a name that runs into unreadable
 * memory before its NUL; file_truncated for a name longer than file[].
 */
void kvmkit_guest_read_file(struct kvmkit_guest_reader *r,
			    struct kvmkit_report *rep);

#endif /* KVMKIT_HOST_GUEST_READ_H */
