// SPDX-License-Identifier: MIT
/*
 * A 32-bit payload runs on one CPU (KVMKIT_GUEST_CPUS is 64-bit only):
 * the SMP identity calls answer for CPU 0, whose result page is LTP's.
 */
#include "../internal.h"

unsigned int kvm_cpu_id(void)
{
	return 0;
}

unsigned int kvm_cpu_count(void)
{
	return 1;
}

volatile struct tst_kvm_result *kvmkit_cpu_result(void)
{
	return kvmkit_result0;
}
