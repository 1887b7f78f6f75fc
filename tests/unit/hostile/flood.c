/* kvmkit-expect: exit=0 timeout=120 env=KVMKIT_TIMEOUT=100 count=100000 match=TINFO: flood [0-9]+$ */
/* kvmkit-expect: match=TINFO: flood 99999$ */
/* kvmkit-expect: match=TPASS: flood done */
// SPDX-License-Identifier: MIT
/*
 * 100000 reports in a row: every one must be printed, in order up to the
 * last, and the host side must keep up (one exit and one line each).
 * The guest fills the result page by hand rather than through tst_res():
 * guest code may run emulated, and formatting would then dominate; what
 * is measured here is the host's report path.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static struct tst_kvm_result *const page =
	(struct tst_kvm_result *)KVM_RESULT_BASEADDR;

void main(void)
{
	/* "flood " then up to 5 digits, counted in decimal in place */
	char *digits = page->message + 6;
	int i, n = 1;

	memcpy(page->message, "flood 0", 8);
	page->file_addr = (uintptr_t)__FILE__;
	page->lineno = __LINE__;
	for (i = 0; i < 100000; i++) {
		int d = n - 1;

		page->result = TINFO;
		asm volatile("outl %0, %w1" : : "a"(KVMKIT_HC_REPORT),
			     "Nd"((uint16_t)KVMKIT_HC_PORT) : "memory");
		/* increment the decimal string */
		while (d >= 0 && digits[d] == '9')
			digits[d--] = '0';
		if (d >= 0) {
			digits[d]++;
		} else {
			memmove(digits + 1, digits, n + 1);
			digits[0] = '1';
			n++;
		}
	}
	tst_res(TPASS, "flood done");
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
	.kvmkit_desc = "100000 reports in a row, every one printed in order",
};

#endif /* COMPILE_PAYLOAD */
