/* kvmkit-expect: exit=2 match=TINFO: reported through an unmapped result page */
/* kvmkit-expect: match=TBROK: guest stopped without kvm_exit */
/* kvmkit-expect: nomatch=TPASS */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: unmap its own result page, then report and return.
 * Reports travel in registers (KVMKIT_HC_PRINTF), so the report still
 * arrives; but kvm_exit() cannot write KVM_TEXIT into the page and the
 * fault handler cannot describe the fault there either, so the runtime
 * can only stop.  The host must not take that silent stop for a clean
 * end: a test whose end faulted is broken.
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
	.kvmkit_desc = "unmap its own result page, then report and return",
};

#endif /* COMPILE_PAYLOAD */
