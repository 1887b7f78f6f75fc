/* kvmkit-expect: exit=0 match=TINFO: file name outside RAM */
/* kvmkit-expect: match=TINFO: file name running off RAM */
/* kvmkit-expect: match=TPASS: survived bad file names */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: REPORTs whose file_addr points outside guest RAM (an
 * unmapped address, then a string with no NUL that runs into the last
 * byte of RAM).  The host must print the messages with some placeholder
 * or truncated name, never read outside guest memory, and resume.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "hypercall.h"

static struct tst_kvm_result *const page =
	(struct tst_kvm_result *)KVM_RESULT_BASEADDR;

#define HEADER	((const struct kvmkit_payload_header *)KVMKIT_PAYLOAD_BASE)

static void report(uint64_t file_addr, const char *msg)
{
	page->lineno = 1;
	page->file_addr = file_addr;
	strcpy(page->message, msg);
	page->result = TINFO;
	hypercall(KVMKIT_HC_REPORT);
}

void main(void)
{
	char *end = (char *)(uintptr_t)HEADER->ram_size;

	report(0x7ff000000000ULL, "file name outside RAM");
	memset(end - 16, 'F', 16);
	report((uintptr_t)(end - 16), "file name running off RAM");
	report(KVMKIT_RESULT_BASE + KVMKIT_RESULT_SIZE - 1, "file name at the end of the result page");
	tst_res(TPASS, "survived bad file names");
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
	.kvmkit_desc = "REPORTs whose file_addr points outside guest RAM (an unmapped address, then a string with no NUL that runs...",
};

#endif /* COMPILE_PAYLOAD */
