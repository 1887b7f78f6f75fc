/* kvmkit-expect: exit=2 match=TBROK.*[Hh]eap */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * Requests whose size would wrap the heap pointer around (SIZE_MAX, or a
 * huge alignment) must be a TBROK, not a wrapped pointer into the image.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	char *p = tst_heap_alloc_aligned(16, 1UL << 62);

	tst_res(TFAIL, "tst_heap_alloc_aligned(16, 1 << 62) returned %p", p);
	p = tst_heap_alloc((size_t)-1);
	tst_res(TFAIL, "tst_heap_alloc(SIZE_MAX) returned %p", p);
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
	.kvmkit_desc = "Requests whose size would wrap the heap pointer around (SIZE_MAX, or a huge alignment) must be a TBROK,...",
};

#endif /* COMPILE_PAYLOAD */
