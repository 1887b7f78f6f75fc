// SPDX-License-Identifier: MIT
/*
 * Each vCPU's last exits, kept in a ring inside the vCPU object so that a
 * broken guest's report can say what it did just before (issue 9).  The
 * record is built from the decoded exit, never from kvm_run again, and
 * costs no ioctl: a KVM_RUN round trip is a few microseconds, and this
 * must not show next to it.
 */
#include <inttypes.h>
#include <string.h>
#include "internal.h"

uint64_t kvmkit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* At most 8 bytes of a write, little-endian as the guest stored them */
static uint64_t bytes_value(const uint8_t *data, uint32_t n)
{
	uint64_t v = 0;

	if (n > sizeof(v))
		n = sizeof(v);
	if (data)
		memcpy(&v, data, n);
	return v;
}

static void what(struct kvmkit_exit_record *r, const struct kvmkit_exit *e)
{
	switch (e->type) {
	case KVMKIT_EXIT_IO_IN:
	case KVMKIT_EXIT_IO_OUT:
		r->addr = e->io.port;
		r->size = e->io.size;
		r->count = e->io.count;
		if (e->type == KVMKIT_EXIT_IO_OUT) {
			r->value = bytes_value(e->io.data, e->io.size);
			r->has_value = 1;
		}
		break;
	case KVMKIT_EXIT_MMIO_READ:
	case KVMKIT_EXIT_MMIO_WRITE:
		r->addr = e->mmio.gpa;
		r->size = e->mmio.len;
		r->count = 1;
		if (e->type == KVMKIT_EXIT_MMIO_WRITE) {
			r->value = bytes_value(e->mmio.data, e->mmio.len);
			r->has_value = 1;
		}
		break;
	case KVMKIT_EXIT_DEBUG:
		r->addr = e->debug.pc;
		break;
	case KVMKIT_EXIT_X86_RDMSR:
	case KVMKIT_EXIT_X86_WRMSR:
		r->addr = e->msr.index;
		if (e->type == KVMKIT_EXIT_X86_WRMSR) {
			r->value = e->msr.data;
			r->has_value = 1;
		}
		break;
	case KVMKIT_EXIT_HYPERCALL:
		r->addr = e->hypercall.nr;
		break;
	case KVMKIT_EXIT_FAIL_ENTRY:
		r->addr = e->fail_entry.hardware_reason;
		break;
	case KVMKIT_EXIT_INTERNAL_ERROR:
		r->addr = e->internal.suberror;
		break;
	case KVMKIT_EXIT_SYSTEM_EVENT:
		r->addr = e->system_event.type;
		break;
	case KVMKIT_EXIT_ERROR:
		r->addr = (uint64_t)e->error;
		break;
	default:
		break;
	}
}

void kvmkit_exit_record(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			uint64_t start_ns, uint64_t end_ns)
{
	struct kvmkit_exit_record *r;

	r = &vcpu->hist[vcpu->hist_seq % KVMKIT_EXIT_HISTORY];
	memset(r, 0, sizeof(*r));
	r->seq = ++vcpu->hist_seq;
	r->start_ns = start_ns;
	r->run_ns = end_ns - start_ns;
	r->type = e->type;
	r->reason = e->reason;
	/* a run that never entered the guest has no new PC to show */
	if (e->type != KVMKIT_EXIT_ERROR && e->type != KVMKIT_EXIT_TIMEOUT)
		r->pc_valid = !kvmkit_arch_exit_pc(vcpu, &r->pc);
	what(r, e);
}

unsigned int kvmkit_vcpu_exit_history(const struct kvmkit_vcpu *vcpu,
				      struct kvmkit_exit_record *out,
				      unsigned int max)
{
	uint64_t n = vcpu->hist_seq, i;

	if (n > KVMKIT_EXIT_HISTORY)
		n = KVMKIT_EXIT_HISTORY;
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = vcpu->hist[(vcpu->hist_seq - n + i) % KVMKIT_EXIT_HISTORY];
	return (unsigned int)n;
}

/* "IO_OUT port 0xf4 size 4": what the exit was about, by type */
static const char *addr_label(enum kvmkit_exit_type type)
{
	switch (type) {
	case KVMKIT_EXIT_IO_IN:
	case KVMKIT_EXIT_IO_OUT:
		return "port";
	case KVMKIT_EXIT_MMIO_READ:
	case KVMKIT_EXIT_MMIO_WRITE:
		return "gpa";
	case KVMKIT_EXIT_DEBUG:
		return "pc";
	case KVMKIT_EXIT_X86_RDMSR:
	case KVMKIT_EXIT_X86_WRMSR:
		return "msr";
	case KVMKIT_EXIT_HYPERCALL:
		return "nr";
	case KVMKIT_EXIT_FAIL_ENTRY:
		return "hardware_reason";
	case KVMKIT_EXIT_INTERNAL_ERROR:
		return "suberror";
	case KVMKIT_EXIT_SYSTEM_EVENT:
		return "event";
	case KVMKIT_EXIT_ERROR:
		return "errno";
	default:
		return NULL;
	}
}

size_t kvmkit_exit_record_format(const struct kvmkit_exit_record *r,
				 char *buf, size_t len)
{
	const char *label = addr_label(r->type);
	char a[64] = "", sz[40] = "", v[40] = "", pc[40] = "";

	if (label)
		snprintf(a, sizeof(a), " %s 0x%" PRIx64, label, r->addr);
	if (r->type == KVMKIT_EXIT_UNKNOWN)
		snprintf(a, sizeof(a), " reason %u", r->reason);
	if (r->size)
		snprintf(sz, sizeof(sz), r->count > 1 ? " size %u count %u" :
			 " size %u", r->size, r->count);
	if (r->has_value)
		snprintf(v, sizeof(v), " value 0x%" PRIx64, r->value);
	if (r->pc_valid)
		snprintf(pc, sizeof(pc), " rip 0x%" PRIx64, r->pc);
	return (size_t)snprintf(buf, len, "#%" PRIu64 " %s%s%s%s%s; %" PRIu64
				".%01" PRIu64 " us in KVM_RUN",
				r->seq, kvmkit_exit_type_name(r->type), a, sz,
				v, pc, r->run_ns / 1000, r->run_ns % 1000 / 100);
}

int kvmkit_vcpu_dump_exits(const struct kvmkit_vcpu *vcpu, FILE *f,
			   unsigned int n)
{
	struct kvmkit_exit_record recs[KVMKIT_EXIT_HISTORY];
	unsigned int got, i;
	uint64_t end;
	char line[256];

	if (n > KVMKIT_EXIT_HISTORY)
		n = KVMKIT_EXIT_HISTORY;
	got = kvmkit_vcpu_exit_history(vcpu, recs, n);
	fprintf(f, "last %u of %" PRIu64 " exits of vcpu %u (start relative to the last exit's end):\n",
		got, vcpu->hist_seq, vcpu->id);
	end = got ? recs[got - 1].start_ns + recs[got - 1].run_ns : 0;
	for (i = 0; i < got; i++) {
		uint64_t ago = end - recs[i].start_ns;

		kvmkit_exit_record_format(&recs[i], line, sizeof(line));
		fprintf(f, "  -%" PRIu64 ".%06" PRIu64 " s %s\n",
			ago / 1000000000u, ago % 1000000000u / 1000, line);
	}
	return ferror(f) ? -EIO : 0;
}
