// SPDX-License-Identifier: MIT
/* Names and one-line descriptions of exits, for reports and errors. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const type_names[KVMKIT_EXIT_TYPE_COUNT] = {
#define NAME(type, reason, decode, describe) [KVMKIT_EXIT_##type] = #type,
	KVMKIT_EXIT_TYPES(NAME)
#undef NAME
};

const char *kvmkit_exit_type_name(enum kvmkit_exit_type type)
{
	if ((unsigned int)type >= ARRAY_SIZE(type_names) || !type_names[type])
		return "INVALID";
	return type_names[type];
}

#define REASON(name)	[KVM_EXIT_##name] = "KVM_EXIT_" #name
static const char *const reason_names[] = {
	REASON(UNKNOWN),
	REASON(EXCEPTION),
	REASON(IO),
	REASON(HYPERCALL),
	REASON(DEBUG),
	REASON(HLT),
	REASON(MMIO),
	REASON(IRQ_WINDOW_OPEN),
	REASON(SHUTDOWN),
	REASON(FAIL_ENTRY),
	REASON(INTR),
	REASON(SET_TPR),
	REASON(TPR_ACCESS),
	REASON(S390_SIEIC),
	REASON(S390_RESET),
	REASON(DCR),
	REASON(NMI),
	REASON(INTERNAL_ERROR),
	REASON(OSI),
	REASON(PAPR_HCALL),
	REASON(S390_UCONTROL),
	REASON(WATCHDOG),
	REASON(S390_TSCH),
	REASON(EPR),
	REASON(SYSTEM_EVENT),
	REASON(S390_STSI),
	REASON(IOAPIC_EOI),
	REASON(HYPERV),
	REASON(ARM_NISV),
	REASON(X86_RDMSR),
	REASON(X86_WRMSR),
	REASON(DIRTY_RING_FULL),
	REASON(AP_RESET_HOLD),
	REASON(X86_BUS_LOCK),
	REASON(XEN),
	REASON(RISCV_SBI),
	REASON(RISCV_CSR),
	REASON(NOTIFY),
};
#undef REASON

/*
 * Reasons newer than our headers get a fixed string rather than a
 * formatted one: a static buffer would be shared state between threads.
 */
const char *kvmkit_exit_reason_name(uint32_t reason)
{
	if (reason >= ARRAY_SIZE(reason_names) || !reason_names[reason])
		return "KVM_EXIT_(unknown)";
	return reason_names[reason];
}

static const char *internal_suberror_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION:
		return "emulation failure";
	case KVM_INTERNAL_ERROR_SIMUL_EX:
		return "exception while delivering an exception";
	case KVM_INTERNAL_ERROR_DELIVERY_EV:
		return "event delivery failed";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
		return "unexpected hardware exit reason";
	}
	return "unknown suberror";
}

static const char *system_event_name(uint32_t type)
{
	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		return "shutdown";
	case KVM_SYSTEM_EVENT_RESET:
		return "reset";
	case KVM_SYSTEM_EVENT_CRASH:
		return "crash";
	case KVM_SYSTEM_EVENT_WAKEUP:
		return "wakeup";
	case KVM_SYSTEM_EVENT_SUSPEND:
		return "suspend";
	case KVM_SYSTEM_EVENT_SEV_TERM:
		return "SEV termination";
	}
	return "unknown event";
}

/* Little-endian value of n (<= 8) bytes */
static uint64_t le_value(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* snprintf that appends at *pos and never lets *pos pass len - 1 */
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*pos += (size_t)n < len - *pos ? (size_t)n : len - *pos - 1;
}

static void describe_data(char *buf, size_t len, size_t *pos,
			  const uint64_t *data, uint32_t ndata)
{
	uint32_t i;

	for (i = 0; i < ndata; i++)
		append(buf, len, pos, "%s0x%llx", i ? " " : " data ",
		       (unsigned long long)data[i]);
}

/*
 * The describers of KVMKIT_EXIT_TYPES' describe column: what follows the
 * type's name on the line.
 */
#define DESCRIBER(name) \
	static void describe_##name(const struct kvmkit_exit *exit, \
				    char *buf, size_t len, size_t *pos)

DESCRIBER(none)
{
	(void)exit;
	(void)buf;
	(void)len;
	(void)pos;
}

DESCRIBER(unknown)
{
	append(buf, len, pos, " exit reason %u (%s)", exit->reason,
	       kvmkit_exit_reason_name(exit->reason));
}

DESCRIBER(io)
{
	append(buf, len, pos, " port 0x%x size %u", exit->io.port,
	       exit->io.size);
	if (exit->io.count > 1)
		append(buf, len, pos, " count %u (string I/O)", exit->io.count);
	else if (exit->type == KVMKIT_EXIT_IO_OUT && exit->io.data &&
		 exit->io.size <= 8)
		append(buf, len, pos, " value 0x%llx",
		       (unsigned long long)le_value(exit->io.data,
						    exit->io.size));
}

DESCRIBER(mmio)
{
	append(buf, len, pos, " gpa 0x%llx len %u",
	       (unsigned long long)exit->mmio.gpa, exit->mmio.len);
	if (exit->type == KVMKIT_EXIT_MMIO_WRITE && exit->mmio.data &&
	    exit->mmio.len <= 8)
		append(buf, len, pos, " value 0x%llx",
		       (unsigned long long)le_value(exit->mmio.data,
						    exit->mmio.len));
}

DESCRIBER(shutdown)
{
	(void)exit;
	append(buf, len, pos, " (triple fault)");
}

DESCRIBER(fail_entry)
{
	append(buf, len, pos, " hardware reason 0x%llx cpu %u",
	       (unsigned long long)exit->fail_entry.hardware_reason,
	       exit->fail_entry.cpu);
}

DESCRIBER(internal)
{
	append(buf, len, pos, " suberror %u (%s)", exit->internal.suberror,
	       internal_suberror_name(exit->internal.suberror));
	describe_data(buf, len, pos, exit->internal.data,
		      exit->internal.ndata < 16 ? exit->internal.ndata : 16);
}

DESCRIBER(system_event)
{
	append(buf, len, pos, " type %u (%s)", exit->system_event.type,
	       system_event_name(exit->system_event.type));
	describe_data(buf, len, pos, exit->system_event.data,
		      exit->system_event.ndata < 16 ?
		      exit->system_event.ndata : 16);
}

DESCRIBER(debug)
{
	append(buf, len, pos, " exception %u pc 0x%llx dr6 0x%llx dr7 0x%llx",
	       exit->debug.exception, (unsigned long long)exit->debug.pc,
	       (unsigned long long)exit->debug.dr6,
	       (unsigned long long)exit->debug.dr7);
}

DESCRIBER(hypercall)
{
	append(buf, len, pos, " nr %llu args 0x%llx 0x%llx 0x%llx",
	       (unsigned long long)exit->hypercall.nr,
	       (unsigned long long)exit->hypercall.args[0],
	       (unsigned long long)exit->hypercall.args[1],
	       (unsigned long long)exit->hypercall.args[2]);
}

DESCRIBER(msr)
{
	static const char *const why[] = { "inval", "unknown", "filter" };
	unsigned int r = exit->msr.reason;
	const char *w = r == 1 ? why[0] : r == 2 ? why[1] : r == 4 ? why[2] :
			"?";

	append(buf, len, pos, " index 0x%x reason %s", exit->msr.index, w);
	if (exit->type == KVMKIT_EXIT_X86_WRMSR)
		append(buf, len, pos, " value 0x%llx",
		       (unsigned long long)exit->msr.data);
}

DESCRIBER(notify)
{
	append(buf, len, pos, " flags 0x%x%s", exit->notify.flags,
	       exit->notify.flags & KVM_NOTIFY_CONTEXT_INVALID ?
	       " (context invalid)" : "");
}

DESCRIBER(error)
{
	append(buf, len, pos, " KVM_RUN: %s", strerror(exit->error));
}

#undef DESCRIBER

static void (*const describers[KVMKIT_EXIT_TYPE_COUNT])(
	const struct kvmkit_exit *exit, char *buf, size_t len, size_t *pos) = {
#define ROW(type, reason, decode, describe) \
	[KVMKIT_EXIT_##type] = describe_##describe,
	KVMKIT_EXIT_TYPES(ROW)
#undef ROW
};

/*
 * Returns the length written (never more than len - 1), so a caller can
 * keep appending at buf + return value.
 */
size_t kvmkit_exit_describe(const struct kvmkit_exit *exit, char *buf,
			    size_t len)
{
	size_t pos = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	append(buf, len, &pos, "%s", kvmkit_exit_type_name(exit->type));
	/* a forged type out of range has a name ("INVALID") and nothing more */
	if ((unsigned int)exit->type < KVMKIT_EXIT_TYPE_COUNT)
		describers[exit->type](exit, buf, len, &pos);
	return pos;
}
