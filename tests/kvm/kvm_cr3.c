// SPDX-License-Identifier: MIT
/*
 * MOV to CR3 in 64-bit mode with CR4.PCIDE = 0: a 1 in a physical-address
 * bit at or above MAXPHYADDR raises #GP(0) and leaves CR3 unchanged; PWT
 * (bit 3) and PCD (bit 4) are accepted and read back; reloading CR3 with
 * the same page tables keeps the guest running.
 *
 * Where it is written: Intel SDM Vol. 3A 4.5.2 Table 4-12 "Use of CR3
 * with 4-Level Paging and 5-level Paging and CR4.PCIDE = 0" (bits 2:0
 * ignored, bit 3 PWT, bit 4 PCD, bits M-1:12 the PML4 address, bits 63:M
 * reserved); Vol. 2B "MOV - Move to/from Control Registers", 64-Bit Mode
 * Exceptions (#GP(0) "If an attempt is made to write a 1 to any reserved
 * bit in CR3"); CPUID 80000008H:EAX[7:0] (MAXPHYADDR).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	unsigned long cr3 = kvm_read_cr3(), now;
	unsigned int maxphy = suite_maxphyaddr(), bit;
	char what[64];

	suite_catch_all();
	if (kvm_read_cr4() & CR4_PCIDE)
		tst_brk(TBROK, "CR4.PCIDE is set at start");

	write_cr3_safe(cr3 | 0x18);
	now = kvm_read_cr3();
	kvm_set_cr3(cr3);
	if (suite_expect_none("CR3 with PWT and PCD") && now != (cr3 | 0x18))
		tst_res(TFAIL, "CR3 with PWT and PCD reads 0x%lx, wrote 0x%lx",
			now, cr3 | 0x18);

	write_cr3_safe(cr3);
	if (suite_expect_none("CR3 reloaded with its own value") &&
	    kvm_read_cr3() != cr3)
		tst_res(TFAIL, "CR3 reads 0x%lx, wrote 0x%lx", kvm_read_cr3(), cr3);

	/*
	 * Last: a host may not survive these (QEMU 7.2 TCG under kvm_amd
	 * answers with #VMEXIT(SVM_EXIT_ERR), which KVM reports as a failed
	 * entry).  Bits 63:61 have meanings with LAM; stay below them.
	 */
	for (bit = maxphy; bit < 61 && bit < maxphy + 3; bit++) {
		snprintf(what, sizeof(what), "CR3 bit %u set (MAXPHYADDR %u)",
			 bit, maxphy);
		if (write_cr3_safe(cr3 | 1UL << bit) == NO_EXCEPTION)
			kvm_set_cr3(cr3);
		now = kvm_read_cr3();
		if (suite_expect(what, INTR_GPF, 0, SUITE_FAULT) && now != cr3)
			tst_res(TFAIL, "%s: CR3 0x%lx after the #GP", what, now);
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "MOV to CR3 in 64-bit mode with CR4.PCIDE = 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "control-registers,paging" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
