// SPDX-License-Identifier: MIT
/*
 * Synchronisation through the result page, and the end of an iteration.
 * tst_res_()/tst_brk_() are arch code (x86_64/report.S): they pass their
 * arguments in registers and the host formats the message, because every
 * guest instruction may be emulated and formatting in the guest costs
 * hundreds of them.
 */
#include "internal.h"

/*
 * LTP's one page, whichever CPU signals: that is the page a host thread
 * polls (tst_kvm_wait_guest()).  Several CPUs signalling at once would
 * overwrite each other's signal, as they would in LTP: serialise them.
 */
void tst_signal_host(void *data)
{
	/* file_addr before result: the host thread polls result */
	kvmkit_result0->file_addr = (uintptr_t)data;
	kvmkit_result0->result = KVMKIT_TSYNC;
}

void tst_wait_host(void *data)
{
	tst_signal_host(data);
	while (kvmkit_result0->result != KVMKIT_TNONE)
		kvmkit_arch_cpu_relax();
}

/*
 * On any CPU this ends the test, as exit() in any thread ends a process;
 * the EXIT call comes from this CPU, so the host checks this CPU's page.
 */
void kvm_exit(void)
{
	/* LTP's hosts look for TEXIT in the page; kvmkit's for the EXIT call */
	kvmkit_result->result = KVMKIT_TEXIT;
	kvmkit_arch_stop();
}
