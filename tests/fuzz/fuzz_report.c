// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the report decoders on arbitrary registers and guest
 * memory.  kvmkit_report_from_regs() (lib/host/report_printf.c: the
 * guest's tst_res_() format and arguments read from its registers,
 * stack and memory, and formatted on the host), kvmkit_report_read()
 * (the result page) and kvmkit_vcpu_exit_regs().
 *
 * Guest memory: RAM at 0 (formats, strings, stacks, page tables, the
 * payload header whose image_end sets the identity window) and the
 * result page at KVMKIT_RESULT_BASE.  Input: the registers tst_res_()
 * uses, CR0/CR3/CR4/EFER, a mode byte, then the bytes of RAM and of the
 * result page.  Bit 2 of the mode byte makes the header's guest_mode a
 * 32-bit one, so the i386 stack fetch (x86_64/printf_args.c) is fuzzed
 * too; otherwise it is forced to 64-bit.
 */
#include <errno.h>
#include "fuzz.h"

#define RAM_SIZE	(16 * KVMKIT_PAGE_SIZE)

static void take_regs(struct kvm_regs *regs, struct fuzz_in *in)
{
	memset(regs, 0, sizeof(*regs));
	regs->rdi = fuzz_addr(in, RAM_SIZE);	/* file */
	regs->rsi = fuzz_u64(in);		/* line */
	regs->rdx = fuzz_u64(in);		/* result */
	regs->rcx = fuzz_addr(in, RAM_SIZE);	/* format */
	regs->rsp = fuzz_addr(in, RAM_SIZE);	/* slots 2.. above [rsp] */
	regs->r8 = fuzz_addr(in, RAM_SIZE);	/* slot 0: often a %s */
	regs->r9 = fuzz_addr(in, RAM_SIZE);	/* slot 1 */
}

static void take_sregs(struct kvm_run *run, uint8_t mode, struct fuzz_in *in)
{
	struct kvm_sregs *s = &run->s.regs.sregs;

	s->cr0 = fuzz_u64(in);
	s->cr3 = fuzz_addr(in, RAM_SIZE);
	s->cr4 = fuzz_u64(in);
	s->efer = fuzz_u64(in);
	/* without synced sregs the reader's KVM_GET_SREGS fails (fd -1) */
	run->kvm_valid_regs = (mode & 1) ? 0 : KVM_SYNC_X86_SREGS;
}

static void check_report(const struct kvmkit_report *rep)
{
	FUZZ_ASSERT(memchr(rep->file, '\0', sizeof(rep->file)) != NULL);
	if (!rep->file_ok)
		FUZZ_ASSERT(!rep->file[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct kvmkit_report rep;
	struct kvm_regs regs, got;
	struct fuzz_vm f;
	uint64_t guest_mode;
	uint8_t mode;
	int ret;

	take_regs(&regs, &in);
	mode = fuzz_u8(&in);
	if (fuzz_vm_init(&f))
		goto out;
	take_sregs(f.vcpu.run, mode, &in);
	if (fuzz_vm_add(&f, 0, 0, RAM_SIZE, &in) ||
	    fuzz_vm_add(&f, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE, &in))
		goto out;
	guest_mode = (mode & 4) ? KVMKIT_GUEST_MODE_32 + (mode >> 3 & 1) :
				  KVMKIT_GUEST_MODE_64;
	memcpy((uint8_t *)f.ram[0] + KVMKIT_PAYLOAD_BASE +
	       offsetof(struct kvmkit_payload_header, guest_mode),
	       &guest_mode, sizeof(guest_mode));

	memset(&rep, 0x5a, sizeof(rep));
	ret = kvmkit_report_from_regs(&f.vcpu, &regs, &rep);
	FUZZ_ASSERT(ret == 0);
	check_report(&rep);
	/* the message is formatted into KVMKIT_MESSAGE_MAX bytes, terminated */
	FUZZ_ASSERT(memchr(rep.message, '\0', KVMKIT_MESSAGE_MAX) != NULL);
	/* a 32-bit payload's fields come from its stack */
	if (guest_mode == KVMKIT_GUEST_MODE_64)
		FUZZ_ASSERT(rep.result == (int32_t)regs.rdx &&
			    rep.lineno == (int32_t)regs.rsi);

	memset(&rep, 0x5a, sizeof(rep));
	ret = kvmkit_report_read(&f.vcpu, &rep);
	FUZZ_ASSERT(ret == 0);
	check_report(&rep);
	FUZZ_ASSERT(rep.message_truncated ==
		    !memchr(rep.message, '\0', KVMKIT_MESSAGE_MAX));

	/* registers from kvm_run when synced; else KVM_GET_REGS fails */
	f.vcpu.run->kvm_valid_regs |= (mode & 2) ? KVM_SYNC_X86_REGS : 0;
	f.vcpu.run->s.regs.regs = regs;
	ret = kvmkit_vcpu_exit_regs(&f.vcpu, &got);
	if (mode & 2)
		FUZZ_ASSERT(ret == 0 && !memcmp(&got, &regs, sizeof(got)));
	else
		FUZZ_ASSERT(ret == -EBADF);
out:
	fuzz_vm_free(&f);
	return 0;
}
