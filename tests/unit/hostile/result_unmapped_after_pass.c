/* kvmkit-expect: exit=2 match=TPASS: before the page went away */
/* kvmkit-expect: match=TINFO: reported through an unmapped result page */
/* kvmkit-expect: match=TBROK: guest stopped without kvm_exit */
// SPDX-License-Identifier: MIT
/*
 * Like result_unmapped.c, but after a TPASS: the host must not take the
 * runtime's silent stop (it cannot write KVM_TEXIT into the result page
 * any more) for a clean end, or one early pass hides every fault that
 * follows.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

void main(void)
{
	struct page_table_entry_pae *pdpt, *pd, *pt;

	pdpt = (void *)kvm_get_page_address_pae(&kvm_pagetable[0]);
	pd = (void *)kvm_get_page_address_pae(&pdpt[3]);
	pt = (void *)kvm_get_page_address_pae(&pd[511]);
	tst_res(TPASS, "before the page went away");
	pt[511].present = 0;
	asm volatile("invlpg (%0)" : : "r"(KVM_RESULT_BASEADDR) : "memory");
	tst_res(TINFO, "reported through an unmapped result page");
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
	.kvmkit_desc = "Like result_unmapped.c, but after a TPASS",
};

#endif /* COMPILE_PAYLOAD */
