/* kvmkit-expect: exit=2 timeout=20 match=TBROK: guest triple fault */
/* kvmkit-expect: match=the last exception the runtime's dispatcher saw \(of 1\): #UD \(vector 6\), error code 0x0, RIP 0x[0-9a-f]+ \(triple_fault_logged\.c:[0-9]+\) */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a #UD callback that empties the IDT and faults again, so
 * the second #UD triple-faults.  Where KVM resets the vCPU on the shutdown
 * (SVM) the registers are gone; the report must still name the exception
 * the runtime saw last, with the test's own line, from the runtime's
 * exception record.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static int on_ud(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed))
		empty = { 0, 0 };

	(void)userdata;
	(void)ifrm;
	(void)errcode;
	asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
	return 1;
}

void main(void)
{
	tst_set_interrupt_callback(INTR_BAD_OPCODE, on_ud, NULL);
	asm volatile("ud2");
	tst_res(TFAIL, "ud2 in a #UD handler with an empty IDT returned");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a #UD callback that empties the IDT and faults again, so the second #UD triple-faults",
};

#endif /* COMPILE_PAYLOAD */
