/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: match=[Ii]nvalid */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a REPORT whose result code is none of LTP's (0x77).  The
 * host must validate it (tst_kvm_validate_result) and stop with TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "hypercall.h"

static struct tst_kvm_result *const page =
	(struct tst_kvm_result *)KVM_RESULT_BASEADDR;

void main(void)
{
	page->lineno = __LINE__;
	page->file_addr = (uintptr_t)__FILE__;
	strcpy(page->message, "bogus result code");
	page->result = 0x77;
	hypercall(KVMKIT_HC_REPORT);
	tst_res(TFAIL, "REPORT with result 0x77 returned");
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
	.kvmkit_desc = "a REPORT whose result code is none of LTP's (0x77)",
};

#endif /* COMPILE_PAYLOAD */
