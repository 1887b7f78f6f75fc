// SPDX-License-Identifier: MIT
/*
 * VMRUN's consistency checks on the nested guest's VMCB: a VMCB whose
 * VMRUN intercept is clear, whose ASID is 0, or whose guest EFER.SVME is
 * 0 is refused: VMRUN ends at once with #VMEXIT(VMEXIT_INVALID), exit
 * code -1, and not one guest instruction runs; the same VMCB, corrected,
 * then runs.  KVM checked these fields in the guest's VMCB and later
 * fetched them again to use them, so a second vCPU could clear the VMRUN
 * intercept in between (CVE-2021-29657); since the fix, the controls are
 * copied once, checked and used from the copy.  This test checks the
 * rule on one vCPU, each field both ways.
 *
 * Where it is written: AMD APM Vol. 2 15.5.1 "Basic Operation" (VMRUN
 * "performs the following consistency checks ... EFER.SVME is zero ...
 * The VMRUN intercept bit is clear ... ASID is equal to zero ... If any
 * check fails, VMRUN exits with VMEXIT_INVALID"), Appendix C (VMEXIT_INVALID
 * = -1); CVE-2021-29657, fixed by Linux commit
 * a58d9166a756a0f4a6618e4f593232593d6df134 ("KVM: SVM: load control fields
 * from VMCB12 before checking them", v5.12), with 3c346c0c60ab06a021d1c0884a0ef494bc4ee3a7
 * ("KVM: SVM: ensure that EFER.SVME is set when running nested guest or
 * on nested vmexit").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

volatile int l2_ran SUITE_UNUSED;

static int l2_main(void)
{
	l2_ran++;
	return 0x77;
}

static void refused(struct kvm_svm_vcpu *cpu, const char *what)
{
	l2_ran = 0;
	cpu->vmcb->exitcode = 0;
	kvm_svm_vmrun(cpu);
	if (cpu->vmcb->exitcode == SVM_EXIT_INVALID && !l2_ran)
		tst_res(TPASS, "VMRUN with %s: VMEXIT_INVALID, the guest did not run",
			what);
	else
		tst_res(TFAIL, "VMRUN with %s: #VMEXIT 0x%llx, the guest ran %d time(s); expected VMEXIT_INVALID (-1) before any guest instruction",
			what, (unsigned long long)cpu->vmcb->exitcode, l2_ran);
}

static void runs(struct kvm_svm_vcpu *cpu, const char *what)
{
	l2_ran = 0;
	kvm_svm_vmrun(cpu);
	if (cpu->vmcb->exitcode == SVM_EXIT_HLT && l2_ran == 1 &&
	    (uint32_t)cpu->vmcb->rax == 0x77)
		tst_res(TPASS, "VMRUN %s: the guest ran to its HLT", what);
	else
		tst_res(TFAIL, "VMRUN %s: #VMEXIT 0x%llx, the guest ran %d time(s); expected HLT after one run",
			what, (unsigned long long)cpu->vmcb->exitcode, l2_ran);
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;

	kvm_init_svm();

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	kvm_vmcb_set_intercept(cpu->vmcb, SVM_INTERCEPT_VMRUN, 0);
	refused(cpu, "the VMRUN intercept clear");
	cpu = kvm_create_svm_vcpu(l2_main, 1);
	runs(cpu, "with the VMRUN intercept set");

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	cpu->vmcb->guest_asid = 0;
	refused(cpu, "ASID 0");
	cpu = kvm_create_svm_vcpu(l2_main, 1);
	runs(cpu, "with ASID 1");

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	cpu->vmcb->efer &= ~(uint64_t)EFER_SVME;
	refused(cpu, "guest EFER.SVME = 0");
	cpu = kvm_create_svm_vcpu(l2_main, 1);
	runs(cpu, "with guest EFER.SVME = 1");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "VMRUN's consistency checks on the nested guest's VMCB",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,cve" },
		{ "CVE", "2021-29657" },
		{ "linux-git", "a58d9166a756" },
		{ "linux-git", "3c346c0c60ab" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
