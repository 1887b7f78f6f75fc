/* kvmkit-expect: exit=2 match=TBROK */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: an EXCEPTION hypercall whose frame is 0xff bytes
 * (vector 2^64-1, every register all ones).  The host must format it
 * without indexing its tables with the vector and stop with TBROK.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "hypercall.h"

static struct tst_kvm_result *const page =
	(struct tst_kvm_result *)KVM_RESULT_BASEADDR;

void main(void)
{
	memset(page->message, 0xff, sizeof(struct kvmkit_exception_frame));
	page->lineno = 0;
	page->file_addr = 0;
	page->result = TBROK;
	hypercall(KVMKIT_HC_EXCEPTION);
	tst_res(TPASS, "EXCEPTION hypercall returned");
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
	.kvmkit_desc = "an EXCEPTION hypercall whose frame is 0xff bytes (vector 2^64-1, every register all ones)",
};

#endif /* COMPILE_PAYLOAD */
