// SPDX-License-Identifier: MIT
/*
 * Synchronisation through the result page, and the end of an iteration.
 * tst_res_()/tst_brk_() are arch code (x86_64/report.S): they pass their
 * arguments in registers and the host formats the message, because every
 * guest instruction may be emulated and formatting in the guest costs
 * hundreds of them.
 */
#include "internal.h"

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
