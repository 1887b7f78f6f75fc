/* kvmkit-expect: exit=0 match=TINFO: A{64} */
/* kvmkit-expect: match=TPASS: survived an unterminated message */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: a REPORT whose message fills the whole message area
 * with 'A' and no NUL.  The host must print a bounded message (under ASan
 * this also proves it reads nothing past the page) and resume the guest.
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
	memset(page->message, 'A', KVMKIT_MESSAGE_MAX);
	page->result = TINFO;
	hypercall(KVMKIT_HC_REPORT);
	tst_res(TPASS, "survived an unterminated message");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "a REPORT whose message fills the whole message area with 'A' and no NUL",
};

#endif /* COMPILE_PAYLOAD */
