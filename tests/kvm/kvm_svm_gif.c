// SPDX-License-Identifier: MIT
/*
 * CLGI and STGI (and the other SVM instructions): with EFER.SVME = 0,
 * CLGI, STGI, VMLOAD, VMSAVE and VMRUN raise #UD; with EFER.SVME = 1 at
 * CPL 0, CLGI then STGI complete; at CPL 3 CLGI and STGI raise #GP(0);
 * in a nested guest whose VMCB intercepts them, CLGI and STGI exit with
 * codes 85H and 84H at the instruction.
 *
 * Where it is written: AMD APM Vol. 3 "CLGI", "STGI", "VMLOAD", "VMSAVE",
 * "VMRUN" (Exceptions: #UD "The SVM instructions are not enabled
 * (EFER.SVME = 0)", #GP "CPL was not zero"); Vol. 2 15.17 "Global
 * Interrupt Flag, STGI and CLGI Instructions", 15.9 "Instruction
 * Intercepts", Appendix C (VMEXIT_STGI 84H, VMEXIT_CLGI 85H).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

uintptr_t l2_rip[2] SUITE_UNUSED;

static int l2_main(void)
{
	asm volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, l2_rip+0(%%rip)\n"
		     "1:\tclgi\n\t"
		     "lea 2f(%%rip), %%rax\n\tmov %%rax, l2_rip+8(%%rip)\n"
		     "2:\tstgi"
		     : : : "rax", "memory");
	return 0x11;
}

#define TRY(what, insn, vector, err) do {				\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn) : : "a"(buf) : "memory");		\
	suite_end();							\
	if ((vector) == NO_EXCEPTION)					\
		suite_expect_none(what);				\
	else								\
		suite_expect(what, vector, err, SUITE_FAULT);		\
} while (0)

#define USER(what, insn) do {						\
	suite_begin();							\
	asm volatile(SUITE_USER_TRY(insn) : : : "memory");		\
	suite_end();							\
	suite_user_end();						\
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);			\
} while (0)

void main(void)
{
	struct kvm_vmcb *buf;
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;

	suite_catch_all();
	kvm_init_svm();
	buf = kvm_alloc_vmcb();

	kvm_set_svm_state(0);
	TRY("CLGI with EFER.SVME = 0", "clgi", INTR_BAD_OPCODE, 0);
	TRY("STGI with EFER.SVME = 0", "stgi", INTR_BAD_OPCODE, 0);
	TRY("VMLOAD with EFER.SVME = 0", "vmload %%rax", INTR_BAD_OPCODE, 0);
	TRY("VMSAVE with EFER.SVME = 0", "vmsave %%rax", INTR_BAD_OPCODE, 0);
	TRY("VMRUN with EFER.SVME = 0", "vmrun %%rax", INTR_BAD_OPCODE, 0);
	kvm_set_svm_state(1);
	TRY("CLGI then STGI at CPL 0, EFER.SVME = 1", "clgi\n\tstgi",
	    NO_EXCEPTION, 0);

	suite_user_setup();
	USER("CLGI at CPL 3", "clgi");
	USER("STGI at CPL 3", "stgi");

	cpu = kvm_create_svm_vcpu(l2_main, 1);
	v = cpu->vmcb;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_CLGI, 1);
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_STGI, 1);
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_CLGI && v->rip == l2_rip[0])
		tst_res(TPASS, "CLGI in a nested guest with the intercept: #VMEXIT 0x85 at the instruction");
	else
		tst_res(TFAIL, "CLGI in a nested guest with the intercept: #VMEXIT 0x%llx at RIP 0x%llx, expected 0x85 at 0x%llx",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip,
			(unsigned long long)l2_rip[0]);
	v->rip = l2_rip[0] + 3;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_STGI && v->rip == l2_rip[1])
		tst_res(TPASS, "STGI in a nested guest with the intercept: #VMEXIT 0x84 at the instruction");
	else
		tst_res(TFAIL, "STGI in a nested guest with the intercept: #VMEXIT 0x%llx at RIP 0x%llx, expected 0x84 at 0x%llx",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip,
			(unsigned long long)l2_rip[1]);
	v->rip = l2_rip[1] + 3;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_HLT && (uint32_t)v->rax == 0x11)
		tst_res(TPASS, "the nested guest ran on to its HLT");
	else
		tst_res(TFAIL, "after STGI: #VMEXIT 0x%llx, RAX 0x%llx; expected HLT, 0x11",
			(unsigned long long)v->exitcode, (unsigned long long)v->rax);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CLGI and STGI (and the other SVM instructions)",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,privilege" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
