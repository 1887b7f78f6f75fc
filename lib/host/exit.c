// SPDX-License-Identifier: MIT
/*
 * Exit decoding: what KVM_RUN left in kvm_run, turned once into a typed
 * struct kvmkit_exit.  Pure (no system calls, no state), so the unit
 * tests can feed it fabricated and hostile kvm_run contents.  Anything
 * the kernel describes by offset or length is checked against the
 * mapping's size before a pointer to it is handed out.
 */
#include <string.h>
#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The decoders of KVMKIT_EXIT_TYPES' decode column.  Each is called with
 * exit->type already set to its row's type (a decoder shared by rows
 * picks among them) and returns 0, or -EPROTO when the kernel's data
 * would reach outside the mapping.
 */
#define DECODER(name) \
	static int decode_##name(const struct kvm_run *run, size_t run_size, \
				 struct kvmkit_exit *exit)

/* Nothing beyond the type: HLT, SHUTDOWN, INTR, and what has no reason */
DECODER(none)
{
	(void)run;
	(void)run_size;
	(void)exit;
	return 0;
}

DECODER(io)
{
	uint64_t bytes;

	if (run->io.direction != KVM_EXIT_IO_IN &&
	    run->io.direction != KVM_EXIT_IO_OUT)
		return -EPROTO;
	if (run->io.size != 1 && run->io.size != 2 && run->io.size != 4)
		return -EPROTO;
	if (!run->io.count)
		return -EPROTO;
	/* 64-bit product: size * count cannot wrap, the offset is checked alone */
	bytes = (uint64_t)run->io.size * run->io.count;
	if (run->io.data_offset > run_size ||
	    bytes > run_size - run->io.data_offset)
		return -EPROTO;

	exit->type = run->io.direction == KVM_EXIT_IO_IN ?
		     KVMKIT_EXIT_IO_IN : KVMKIT_EXIT_IO_OUT;
	exit->io.port = run->io.port;
	exit->io.size = run->io.size;
	exit->io.count = run->io.count;
	exit->io.data = (uint8_t *)run + run->io.data_offset;
	return 0;
}

DECODER(mmio)
{
	(void)run_size;
	exit->type = run->mmio.is_write ? KVMKIT_EXIT_MMIO_WRITE :
		     KVMKIT_EXIT_MMIO_READ;
	exit->mmio.gpa = run->mmio.phys_addr;
	/* data[] holds 8 bytes whatever len claims */
	exit->mmio.len = run->mmio.len > sizeof(run->mmio.data) ?
			 sizeof(run->mmio.data) : run->mmio.len;
	exit->mmio.data = (uint8_t *)run->mmio.data;
	return 0;
}

DECODER(fail_entry)
{
	(void)run_size;
	exit->fail_entry.hardware_reason =
		run->fail_entry.hardware_entry_failure_reason;
	exit->fail_entry.cpu = run->fail_entry.cpu;
	return 0;
}

/* Copy the kernel's n data words, no more than either array holds */
static uint32_t copy_data(uint64_t *dst, size_t dst_n, const void *src,
			  size_t src_n, uint32_t n)
{
	if (n > dst_n)
		n = dst_n;
	if (n > src_n)
		n = src_n;
	memcpy(dst, src, n * sizeof(uint64_t));
	return n;
}

DECODER(internal)
{
	(void)run_size;
	exit->internal.suberror = run->internal.suberror;
	exit->internal.ndata = copy_data(exit->internal.data,
		ARRAY_SIZE(exit->internal.data), run->internal.data,
		ARRAY_SIZE(run->internal.data), run->internal.ndata);
	return 0;
}

DECODER(system_event)
{
	(void)run_size;
	exit->system_event.type = run->system_event.type;
	exit->system_event.ndata = copy_data(exit->system_event.data,
		ARRAY_SIZE(exit->system_event.data), run->system_event.data,
		ARRAY_SIZE(run->system_event.data), run->system_event.ndata);
	return 0;
}

DECODER(debug)
{
	(void)run_size;
	kvmkit_arch_decode_debug(run, exit);
	return 0;
}

DECODER(hypercall)
{
	(void)run_size;
	exit->hypercall.nr = run->hypercall.nr;
	memcpy(exit->hypercall.args, run->hypercall.args,
	       sizeof(exit->hypercall.args));
	return 0;
}

DECODER(msr)
{
	(void)run_size;
	exit->msr.index = run->msr.index;
	exit->msr.reason = run->msr.reason;
	exit->msr.data = exit->type == KVMKIT_EXIT_X86_WRMSR ? run->msr.data : 0;
	return 0;
}

DECODER(notify)
{
	(void)run_size;
	exit->notify.flags = run->notify.flags;
	return 0;
}

#undef DECODER

/* KVMKIT_EXIT_TYPES as a table indexed by type */
static const struct {
	uint32_t reason;
	int (*decode)(const struct kvm_run *run, size_t run_size,
		      struct kvmkit_exit *exit);
} rows[KVMKIT_EXIT_TYPE_COUNT] = {
#define ROW(type, reason, decode, describe) \
	[KVMKIT_EXIT_##type] = { (reason), decode_##decode },
	KVMKIT_EXIT_TYPES(ROW)
#undef ROW
};

/* The first row KVM's reason decodes to; UNKNOWN for any other reason */
static enum kvmkit_exit_type type_of(uint32_t reason)
{
	unsigned int t;

	for (t = 0; t < ARRAY_SIZE(rows); t++)
		if (rows[t].reason != KVMKIT_EXIT_NO_REASON &&
		    rows[t].reason == reason)
			return (enum kvmkit_exit_type)t;
	return KVMKIT_EXIT_UNKNOWN;
}

int kvmkit_exit_decode(const struct kvm_run *run, size_t run_size,
		       int run_ret, int run_errno, struct kvmkit_exit *exit)
{
	int ret = 0;

	memset(exit, 0, sizeof(*exit));
	if (run_ret < 0) {
		if (run_errno == EINTR) {
			exit->type = KVMKIT_EXIT_INTERRUPTED;
			exit->reason = KVM_EXIT_INTR;
		} else {
			exit->type = KVMKIT_EXIT_ERROR;
			/* a failure without an errno must still read as one */
			exit->error = run_errno > 0 ? run_errno : EIO;
		}
		return 0;
	}
	if (!run || run_size < sizeof(*run))
		return -EPROTO;

	exit->reason = run->exit_reason;
	exit->type = type_of(run->exit_reason);
	ret = rows[exit->type].decode(run, run_size, exit);
	if (ret) {
		/* leave nothing that points at the bad data */
		memset(exit, 0, sizeof(*exit));
		exit->type = KVMKIT_EXIT_UNKNOWN;
		exit->reason = run->exit_reason;
	}
	return ret;
}
