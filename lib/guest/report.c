// SPDX-License-Identifier: MIT
/*
 * Results and synchronisation through the result page.  A report is the
 * page filled in (result, lineno, the guest address of the file name, the
 * formatted message) and one REPORT hypercall; the host validates every
 * field before it uses it, the guest only has to keep the message inside
 * the page.
 */
#include "internal.h"
#include "printf.h"

static void fill_report(const char *file, int lineno, int result,
			const char *fmt, va_list ap)
{
	/* The message is written while the guest owns the page */
	char *message = (char *)kvmkit_result->message;
	int ret;

	kvmkit_result->lineno = lineno;
	kvmkit_result->file_addr = (uintptr_t)file;
	ret = kvmkit_vsnprintf(message, KVMKIT_MESSAGE_MAX, fmt, ap);
	if (ret < 0) {
		/* Like LTP: a bad format is the test's bug, say which one */
		result = TBROK;
		snprintf(message, KVMKIT_MESSAGE_MAX,
			 "invalid tst_res()/tst_brk() format: %s", fmt);
	}
	/* The message is complete before the result says there is one */
	asm volatile("" : : : "memory");
	kvmkit_result->result = result;
}

void tst_res_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill_report(file, lineno, result, fmt, ap);
	va_end(ap);
	kvmkit_arch_hypercall(KVMKIT_HC_REPORT);
}

void tst_brk_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill_report(file, lineno, result, fmt, ap);
	va_end(ap);
	kvmkit_arch_hypercall(KVMKIT_HC_REPORT);
	kvm_exit();
}

void tst_signal_host(void *data)
{
	/* file_addr before result: the host thread polls result */
	kvmkit_result->file_addr = (uintptr_t)data;
	kvmkit_result->result = KVMKIT_TSYNC;
}

void tst_wait_host(void *data)
{
	tst_signal_host(data);
	while (kvmkit_result->result != KVMKIT_TNONE)
		kvmkit_arch_cpu_relax();
}

void kvm_exit(void)
{
	/* LTP's hosts look for TEXIT in the page; kvmkit's for the EXIT call */
	kvmkit_result->result = KVMKIT_TEXIT;
	kvmkit_arch_stop();
}
