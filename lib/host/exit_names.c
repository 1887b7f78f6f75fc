// SPDX-License-Identifier: MIT
/* Names and one-line descriptions of exits, for reports and errors. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const type_names[KVMKIT_EXIT_TYPE_COUNT] = {
	[KVMKIT_EXIT_UNKNOWN]		= "UNKNOWN",
	[KVMKIT_EXIT_HLT]		= "HLT",
	[KVMKIT_EXIT_IO_IN]		= "IO_IN",
	[KVMKIT_EXIT_IO_OUT]		= "IO_OUT",
	[KVMKIT_EXIT_MMIO_READ]		= "MMIO_READ",
	[KVMKIT_EXIT_MMIO_WRITE]	= "MMIO_WRITE",
	[KVMKIT_EXIT_SHUTDOWN]		= "SHUTDOWN",
	[KVMKIT_EXIT_FAIL_ENTRY]	= "FAIL_ENTRY",
	[KVMKIT_EXIT_INTERNAL_ERROR]	= "INTERNAL_ERROR",
	[KVMKIT_EXIT_SYSTEM_EVENT]	= "SYSTEM_EVENT",
	[KVMKIT_EXIT_DEBUG]		= "DEBUG",
	[KVMKIT_EXIT_HYPERCALL]		= "HYPERCALL",
	[KVMKIT_EXIT_INTERRUPTED]	= "INTERRUPTED",
	[KVMKIT_EXIT_TIMEOUT]		= "TIMEOUT",
	[KVMKIT_EXIT_ERROR]		= "ERROR",
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

	switch (exit->type) {
	case KVMKIT_EXIT_IO_IN:
	case KVMKIT_EXIT_IO_OUT:
		append(buf, len, &pos, " port 0x%x size %u", exit->io.port,
		       exit->io.size);
		if (exit->io.count > 1)
			append(buf, len, &pos, " count %u (string I/O)",
			       exit->io.count);
		else if (exit->type == KVMKIT_EXIT_IO_OUT && exit->io.data &&
			 exit->io.size <= 8)
			append(buf, len, &pos, " value 0x%llx",
			       (unsigned long long)le_value(exit->io.data,
							    exit->io.size));
		break;
	case KVMKIT_EXIT_MMIO_READ:
	case KVMKIT_EXIT_MMIO_WRITE:
		append(buf, len, &pos, " gpa 0x%llx len %u",
		       (unsigned long long)exit->mmio.gpa, exit->mmio.len);
		if (exit->type == KVMKIT_EXIT_MMIO_WRITE && exit->mmio.data &&
		    exit->mmio.len <= 8)
			append(buf, len, &pos, " value 0x%llx",
			       (unsigned long long)le_value(exit->mmio.data,
							    exit->mmio.len));
		break;
	case KVMKIT_EXIT_SHUTDOWN:
		append(buf, len, &pos, " (triple fault)");
		break;
	case KVMKIT_EXIT_FAIL_ENTRY:
		append(buf, len, &pos, " hardware reason 0x%llx cpu %u",
		       (unsigned long long)exit->fail_entry.hardware_reason,
		       exit->fail_entry.cpu);
		break;
	case KVMKIT_EXIT_INTERNAL_ERROR:
		append(buf, len, &pos, " suberror %u (%s)",
		       exit->internal.suberror,
		       internal_suberror_name(exit->internal.suberror));
		describe_data(buf, len, &pos, exit->internal.data,
			      exit->internal.ndata < 16 ? exit->internal.ndata : 16);
		break;
	case KVMKIT_EXIT_SYSTEM_EVENT:
		append(buf, len, &pos, " type %u (%s)", exit->system_event.type,
		       system_event_name(exit->system_event.type));
		describe_data(buf, len, &pos, exit->system_event.data,
			      exit->system_event.ndata < 16 ?
			      exit->system_event.ndata : 16);
		break;
	case KVMKIT_EXIT_DEBUG:
		append(buf, len, &pos, " exception %u pc 0x%llx dr6 0x%llx dr7 0x%llx",
		       exit->debug.exception,
		       (unsigned long long)exit->debug.pc,
		       (unsigned long long)exit->debug.dr6,
		       (unsigned long long)exit->debug.dr7);
		break;
	case KVMKIT_EXIT_HYPERCALL:
		append(buf, len, &pos, " nr %llu args 0x%llx 0x%llx 0x%llx",
		       (unsigned long long)exit->hypercall.nr,
		       (unsigned long long)exit->hypercall.args[0],
		       (unsigned long long)exit->hypercall.args[1],
		       (unsigned long long)exit->hypercall.args[2]);
		break;
	case KVMKIT_EXIT_ERROR:
		append(buf, len, &pos, " KVM_RUN: %s", strerror(exit->error));
		break;
	case KVMKIT_EXIT_UNKNOWN:
		append(buf, len, &pos, " exit reason %u (%s)", exit->reason,
		       kvmkit_exit_reason_name(exit->reason));
		break;
	default:
		break;
	}
	return pos;
}
