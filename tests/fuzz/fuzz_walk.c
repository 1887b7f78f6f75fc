// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the guest-virtual walk (kvmkit_x86_walk, every paging mode
 * the control registers select) over arbitrary guest page tables, and
 * kvmkit_x86_walk_ex with access flags and kvmkit_guest_copy_ex, and
 * the bounded readers built on it and on guest-physical memory
 * (lib/host/guest_read.c: kvmkit_guest_read, _read_string, _read_file;
 * lib/host/memory.c: kvmkit_gpa_to_hva, kvmkit_vm_read, _read_string).
 *
 * Guest memory: RAM at 0 (page tables, the payload header whose
 * image_end sets the reader's identity window) and one page anywhere
 * else.  Input: CR0, CR3, CR4, EFER, a mode byte, addresses and lengths,
 * then the bytes of RAM and of the other page.
 */
#include <errno.h>
#include <kvmkit/x86.h>
#include "guest_read.h"
#include "fuzz.h"

#define RAM_SIZE	(8 * KVMKIT_PAGE_SIZE)
#define READ_MAX	(3 * KVMKIT_PAGE_SIZE)

struct walk_case {
	uint64_t cr0, cr3, cr4, efer;
	uint8_t mode;
	uint64_t gva[3], gpa;
	size_t len[3];
	uint64_t page_gpa;
};

static void take_case(struct walk_case *c, struct fuzz_in *in)
{
	unsigned int i;

	c->cr0 = fuzz_u64(in);
	c->cr3 = fuzz_addr(in, RAM_SIZE);
	c->cr4 = fuzz_u64(in);
	c->efer = fuzz_u64(in);
	c->mode = fuzz_u8(in);
	for (i = 0; i < 3; i++) {
		c->gva[i] = fuzz_addr(in, RAM_SIZE);
		c->len[i] = fuzz_u16(in) % (READ_MAX + 1);
	}
	c->gpa = fuzz_addr(in, RAM_SIZE);
	/* page-aligned, anywhere that does not wrap; often right after RAM */
	c->page_gpa = (c->mode & 8) ? RAM_SIZE :
		      fuzz_u64(in) & ~(uint64_t)(KVMKIT_PAGE_SIZE - 1);
	if (c->page_gpa < RAM_SIZE)
		c->page_gpa = RAM_SIZE;
}

static void check_walk(struct fuzz_vm *f, const struct walk_case *c)
{
	uint64_t gpa = 0;
	int ret;

	ret = kvmkit_x86_walk(&f->vm, c->cr0, c->cr3, c->cr4, c->efer,
			      c->gva[0], &gpa);
	FUZZ_ASSERT(ret == 0 || ret == -EFAULT);
	/* without paging a linear address is a physical one */
	if (!ret && !(c->cr0 & KVMKIT_X86_CR0_PG))
		FUZZ_ASSERT(gpa == c->gva[0]);
}

/*
 * The walk with access flags (from the mode byte) and the copy built on
 * it: a fault always says a known why at a level the mode has, and a
 * copy that failed wrote nothing (the buffer's canary is intact).
 */
static void check_walk_ex(struct fuzz_vm *f, const struct walk_case *c)
{
	static const unsigned int flag_sets[] = {
		0, KVMKIT_WALK_WRITE, KVMKIT_WALK_USER | KVMKIT_WALK_SET_AD,
		KVMKIT_WALK_FETCH | KVMKIT_WALK_WRITE | KVMKIT_WALK_SET_AD,
	};
	unsigned int flags = flag_sets[(c->mode >> 5) & 3];
	struct kvmkit_arch_mmu mmu = {
		.cr0 = c->cr0, .cr3 = c->cr3, .cr4 = c->cr4, .efer = c->efer,
	};
	struct kvmkit_walk_fault wf;
	uint8_t buf[64];
	uint64_t gpa = 0;
	size_t len = c->len[1] % sizeof(buf);
	int ret;

	ret = kvmkit_x86_walk_ex(&f->vm, c->cr0, c->cr3, c->cr4, c->efer,
				 c->gva[0], flags, &gpa, &wf);
	FUZZ_ASSERT(ret == 0 || ret == -EFAULT);
	FUZZ_ASSERT(wf.level >= 0 && wf.level <= 5);
	FUZZ_ASSERT(wf.bit >= -1 && wf.bit <= 63);
	FUZZ_ASSERT(ret ? wf.why != KVMKIT_WALK_OK : wf.why == KVMKIT_WALK_OK);
	FUZZ_ASSERT(strcmp(kvmkit_walk_why_name(wf.why), "unknown"));

	memset(buf, 0x5a, sizeof(buf));
	ret = kvmkit_guest_copy_ex(&f->vm, &mmu, c->gva[1], buf, len, 0,
				   flags & ~KVMKIT_WALK_WRITE, &wf);
	FUZZ_ASSERT(ret == 0 || ret == -EFAULT);
	if (ret) {
		size_t i;

		for (i = 0; i < len; i++)
			FUZZ_ASSERT(buf[i] == 0x5a);
		FUZZ_ASSERT(wf.gva - c->gva[1] < len || len == 0 ||
			    wf.why == KVMKIT_WALK_NON_CANONICAL);
	}
}

static void check_guest_reads(struct fuzz_vm *f, const struct walk_case *c)
{
	struct kvmkit_guest_reader r;
	enum kvmkit_guest_stop stop;
	struct kvmkit_report rep;
	uint8_t *buf = malloc(READ_MAX + 1);
	long n;

	if (!buf)
		return;
	kvmkit_guest_reader_init(&r, &f->vcpu);
	n = kvmkit_guest_read(&r, c->gva[0], buf, c->len[0]);
	FUZZ_ASSERT(n == 0 || n == -EFAULT);
	n = kvmkit_guest_read_string(&r, c->gva[1], (c->mode & 16) ? NULL : (char *)buf,
				     c->len[1], &stop);
	FUZZ_ASSERT(n == -EFAULT || (n >= 0 && (size_t)n <= c->len[1]));
	FUZZ_ASSERT(stop == KVMKIT_GUEST_END || stop == KVMKIT_GUEST_FULL ||
		    stop == KVMKIT_GUEST_FAULT || n < 0);
	if (n >= 0 && stop == KVMKIT_GUEST_FULL)
		FUZZ_ASSERT((size_t)n == c->len[1]);

	memset(&rep, 0, sizeof(rep));
	rep.file_addr = c->gva[2];
	kvmkit_guest_read_file(&r, &rep);
	FUZZ_ASSERT(memchr(rep.file, '\0', sizeof(rep.file)) != NULL);
	if (!rep.file_ok)
		FUZZ_ASSERT(!rep.file[0]);
	free(buf);
}

static void check_vm_reads(struct fuzz_vm *f, const struct walk_case *c)
{
	char *buf = malloc(READ_MAX + 1);
	size_t len = c->len[2];
	void *hva;
	long n;
	int truncated;

	if (!buf)
		return;
	hva = kvmkit_gpa_to_hva(&f->vm, c->gpa, len);
	if (hva)
		FUZZ_ASSERT(fuzz_vm_owns(f, hva, len));
	n = kvmkit_vm_read(&f->vm, c->gpa, buf, len);
	FUZZ_ASSERT(n == 0 || n == -EFAULT);
	n = kvmkit_vm_read_string(&f->vm, c->gpa, buf, len, &truncated);
	if (!len) {
		FUZZ_ASSERT(n == -EINVAL);
	} else {
		FUZZ_ASSERT(n == -EFAULT || (n >= 0 && (size_t)n < len));
		FUZZ_ASSERT(memchr(buf, '\0', len) != NULL);
		if (n >= 0)
			FUZZ_ASSERT(strlen(buf) == (size_t)n);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct walk_case c;
	struct fuzz_vm f;
	struct kvm_sregs *s;

	take_case(&c, &in);
	if (fuzz_vm_init(&f) ||
	    fuzz_vm_add(&f, 0, 0, RAM_SIZE, &in) ||
	    fuzz_vm_add(&f, 1, c.page_gpa, KVMKIT_PAGE_SIZE, &in))
		goto out;

	/* the reader takes the CRs from kvm_run when KVM syncs them there,
	 * else it asks KVM_GET_SREGS, which fails on this fake vCPU */
	s = &f.vcpu.run->s.regs.sregs;
	f.vcpu.run->kvm_valid_regs = (c.mode & 1) ? 0 : KVM_SYNC_X86_SREGS;
	s->cr0 = c.cr0;
	s->cr3 = c.cr3;
	s->cr4 = c.cr4;
	s->efer = c.efer;

	check_walk(&f, &c);
	check_walk_ex(&f, &c);
	check_guest_reads(&f, &c);
	check_vm_reads(&f, &c);
out:
	fuzz_vm_free(&f);
	return 0;
}
