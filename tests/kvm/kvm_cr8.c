// SPDX-License-Identifier: MIT
/*
 * CR8, the task-priority register in 64-bit mode: it reads 0 after reset,
 * holds any value 0-15 written to it, and MOV to CR8 with a 1 in bits 63:4
 * raises #GP(0) and leaves CR8 alone.
 *
 * Where it is written: Intel SDM Vol. 3A 2.5 "Control Registers" (CR8
 * bits 3:0 TPL, bits 63:4 reserved and must be written as 0); Vol. 3A
 * 11.8.6 "Task Priority in IA-32e Mode"; Vol. 2B "MOV - Move to/from
 * Control Registers", 64-Bit Mode Exceptions (#GP(0) "If an attempt is
 * made to write a 1 to any reserved bit in CR8"); the local APIC's TPR
 * resets to 0 (Vol. 3A 11.4.7.1).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	unsigned long v;
	unsigned int i, bad = 0;

	suite_catch_all();
	v = read_cr8();
	if (v == 0)
		tst_res(TPASS, "CR8 reads 0 after reset");
	else
		tst_res(TFAIL, "CR8 reads 0x%lx after reset, expected 0", v);

	for (i = 0; i < 16; i++) {
		if (write_cr8_safe(i) != NO_EXCEPTION || read_cr8() != i) {
			tst_res(TFAIL, "CR8 = %u: %s, reads 0x%lx", i,
				suite_vector_name(suite_trap.vector), read_cr8());
			bad = 1;
		}
	}
	if (!bad)
		tst_res(TPASS, "CR8 holds every value 0-15");

	write_cr8_safe(5);
	write_cr8_safe(0x10);
	if (suite_expect("CR8 = 0x10 (bit 4 reserved)", INTR_GPF, 0, SUITE_FAULT) &&
	    read_cr8() != 5)
		tst_res(TFAIL, "CR8 reads 0x%lx after the #GP, expected 5",
			read_cr8());
	write_cr8_safe(1UL << 63);
	suite_expect("CR8 bit 63 set (reserved)", INTR_GPF, 0, SUITE_FAULT);
	write_cr8_safe(0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CR8, the task-priority register in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "control-registers,apic" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
