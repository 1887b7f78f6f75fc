// SPDX-License-Identifier: MIT
/*
 * CVE-2021-3653: the AVIC enable bit (VMCB offset 60h, bit 31) of a
 * nested guest's VMCB, on a virtual CPU that does not offer AVIC
 * (CPUID Fn8000_000A_EDX[13] = 0), must not enable anything.  KVM copied
 * int_ctl from the nested VMCB without masking unsupported bits, so a
 * nested guest ran with AVIC on and the real CPU's AVIC pointers (backing
 * page, physical/logical tables) unchecked: host memory.  Since the fix
 * only the supported int_ctl bits are taken from the nested VMCB.
 * Checked: with AVIC enable and V_INTR_MASKING set, AVIC_BAR pointing at
 * the suite's MMIO device and a backing page full of a marker, the nested
 * guest's read and write of the APIC TPR offset (80H) at AVIC_BAR are
 * ordinary MMIO: the VMM serves both (the read returns the device's value,
 * not the marker) and the guest runs to its HLT.
 *
 * Where it is written: AMD APM Vol. 2 15.29 "Advanced Virtual Interrupt
 * Controller" (15.29.1: AVIC is present when CPUID Fn8000_000A_EDX[AVIC]
 * = 1; APIC accesses reach the backing page only with AVIC enabled),
 * Appendix B "Layout of VMCB" (offset 60h bit 31 AVIC enable, bit 24
 * V_INTR_MASKING); CVE-2021-3653, fixed by Linux commit
 * 0f923e07124df069ba68d8bb12324398f4b6b709 ("KVM: nSVM: avoid picking up
 * unsupported bits from L2 in int_ctl (CVE-2021-3653)", v5.14).
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define SEED	0x3c
#define TPR	0x80

uint32_t l2_tpr SUITE_UNUSED;

static int l2_main(void)
{
	volatile uint32_t *tpr = (volatile uint32_t *)(SUITE_DEV_MMIO + TPR);

	l2_tpr = *tpr;
	*tpr = 0x20;
	return 0x53;
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;
	uint8_t *backing = suite_alloc_page();
	struct suite_mmio_want w[2];
	uint32_t want = 0;
	unsigned int i;

	kvm_init_svm();
	if (suite_cpuid(0x8000000a, 0).edx & SVM_CPUID_AVIC) {
		tst_res(TCONF, "CPUID Fn8000_000A_EDX[AVIC] = 1: the nested guest may use AVIC");
		suite_finish();
		return;
	}
	suite_dev_map();
	memset(backing, 0xa5, KVMKIT_PAGE_SIZE);
	for (i = 0; i < 4; i++)
		want |= (uint32_t)suite_dev_pattern(SEED, TPR + i) << (8 * i);

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	v = cpu->vmcb;
	v->virt_intr_ctl |= SVM_INTR_AVIC | 1;	/* AVIC enable, V_INTR_MASKING */
	v->avic_bar = SUITE_DEV_MMIO;
	v->avic_backing_page = (uintptr_t)backing;
	suite_dev_reset(SEED);
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_HLT && (uint32_t)v->rax == 0x53)
		tst_res(TPASS, "VMRUN with AVIC enable set (AVIC not offered): the guest ran to its HLT");
	else
		tst_res(TFAIL, "VMRUN with AVIC enable set (AVIC not offered): #VMEXIT 0x%llx at RIP 0x%llx, expected HLT",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip);
	if (l2_tpr == want)
		tst_res(TPASS, "the guest's read at AVIC_BAR + 80H returned the device's value 0x%x",
			l2_tpr);
	else
		tst_res(TFAIL, "the guest's read at AVIC_BAR + 80H returned 0x%x, expected the device's 0x%x%s",
			l2_tpr, want, l2_tpr == 0xa5a5a5a5 ? " (the AVIC backing page's marker)" : "");
	w[0] = (struct suite_mmio_want){ SUITE_DEV_MMIO + TPR, 4, 0, want };
	w[1] = (struct suite_mmio_want){ SUITE_DEV_MMIO + TPR, 4, 1, 0x20 };
	suite_dev_expect("the nested guest's APIC TPR read and write at AVIC_BAR", w, 2);
	for (i = 0; i < KVMKIT_PAGE_SIZE; i++)
		if (backing[i] != 0xa5)
			break;
	if (i == KVMKIT_PAGE_SIZE)
		tst_res(TPASS, "the AVIC backing page was not written");
	else
		tst_res(TFAIL, "the AVIC backing page changed at offset 0x%x: 0x%02x",
			i, backing[i]);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CVE-2021-3653: a nested VMCB's AVIC enable bit enables nothing without AVIC",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,cve" },
		{ "CVE", "2021-3653" },
		{ "linux-git", "0f923e07124d" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
