// SPDX-License-Identifier: MIT
/*
 * CVE-2021-3656: VMLOAD and VMSAVE in a nested guest whose VMCB does not
 * intercept them.  Without virtual VMLOAD/VMSAVE, rAX is a physical
 * address of the guest's own address space (here the host's, as the
 * nested guest runs without nested paging): VMSAVE stores the guest's FS,
 * GS, TR, LDTR, KernelGsBase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER MSRs
 * there, VMLOAD loads them from there.  KVM used to let a nested guest run
 * them unintercepted on the real CPU, which took rAX as a host-physical
 * address (reading and writing the host's memory); since the fix KVM
 * intercepts them when nested and emulates them on the guest's memory.
 * Checked: the nested guest's VMSAVE stores, in its buffer, the values its
 * host put in the VMCB; its VMLOAD makes the buffer's LSTAR and
 * KernelGsBase the ones RDMSR reads.  Then with the intercepts set, VMSAVE
 * and VMLOAD exit (#VMEXIT 83H, 82H) and touch nothing.
 *
 * Where it is written: AMD APM Vol. 2 15.5.2 "VMSAVE and VMLOAD
 * Instructions" (rAX: physical address of the VMCB-format area, the
 * listed state), 15.9 "Instruction Intercepts" (VMLOAD/VMSAVE intercepts,
 * exit codes 82H/83H, Appendix C); CVE-2021-3656, fixed by Linux commit
 * c7dfa4009965a9b2d7b329ee970eb8da0d32f0bc ("KVM: nSVM: always intercept
 * VMLOAD/VMSAVE when nested (CVE-2021-3656)", v5.14).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define LSTAR_HOST	0xffffffff81234560ULL
#define KGS_HOST	0x0000123456789000ULL
#define STAR_HOST	0x0023001000000000ULL
#define LSTAR_NEW	0xffffffff8abcdef0ULL
#define KGS_NEW		0x00007fff00001000ULL

struct kvm_vmcb *save_buf, *load_buf;
uint64_t l2_lstar SUITE_UNUSED, l2_kgs SUITE_UNUSED;

static uint64_t l2_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static int l2_unintercepted(void)
{
	asm volatile("vmsave %%rax" : : "a"(save_buf) : "memory");
	asm volatile("vmsave %%rax" : : "a"(load_buf) : "memory");
	load_buf->lstar = LSTAR_NEW;
	load_buf->kernel_gs_base = KGS_NEW;
	asm volatile("vmload %%rax" : : "a"(load_buf) : "memory");
	l2_lstar = l2_rdmsr(MSR_LSTAR);
	l2_kgs = l2_rdmsr(MSR_KERNEL_GS_BASE);
	return 0;
}

static int l2_intercepted(void)
{
	asm volatile("vmsave %%rax" : : "a"(save_buf) : "memory");
	asm volatile("vmload %%rax" : : "a"(load_buf) : "memory");
	return 0;
}

static void check(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		tst_res(TPASS, "%s: 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: 0x%llx, expected 0x%llx", what,
			(unsigned long long)got, (unsigned long long)want);
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;

	kvm_init_svm();
	save_buf = kvm_alloc_vmcb();
	load_buf = kvm_alloc_vmcb();

	cpu = kvm_create_svm_vcpu(l2_unintercepted, 1);
	v = cpu->vmcb;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMLOAD, 0);
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMSAVE, 0);
	v->lstar = LSTAR_HOST;
	v->kernel_gs_base = KGS_HOST;
	v->star = STAR_HOST;
	kvm_svm_vmrun(cpu);
	if (v->exitcode != SVM_EXIT_HLT) {
		tst_res(TFAIL, "nested guest with VMLOAD/VMSAVE not intercepted: #VMEXIT 0x%llx at RIP 0x%llx, expected HLT (0x78)",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip);
	} else {
		check("VMSAVE in the nested guest stored its LSTAR in its buffer",
		      save_buf->lstar, LSTAR_HOST);
		check("VMSAVE in the nested guest stored its KernelGsBase",
		      save_buf->kernel_gs_base, KGS_HOST);
		check("VMSAVE in the nested guest stored its STAR",
		      save_buf->star, STAR_HOST);
		check("RDMSR LSTAR after the nested guest's VMLOAD", l2_lstar, LSTAR_NEW);
		check("RDMSR KernelGsBase after the nested guest's VMLOAD", l2_kgs, KGS_NEW);
	}

	/* Intercepted: exits with RAX intact, nothing stored */
	memset(save_buf, 0, sizeof(*save_buf));
	memset(load_buf, 0, sizeof(*load_buf));
	cpu = kvm_create_svm_vcpu(l2_intercepted, 1);
	v = cpu->vmcb;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMLOAD, 1);
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMSAVE, 1);
	v->lstar = LSTAR_HOST;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_VMSAVE && v->rax == (uintptr_t)save_buf &&
	    save_buf->lstar == 0)
		tst_res(TPASS, "VMSAVE with the intercept: #VMEXIT 0x83, RAX = the buffer, nothing stored");
	else
		tst_res(TFAIL, "VMSAVE with the intercept: #VMEXIT 0x%llx, RAX 0x%llx, buffer LSTAR 0x%llx; expected 0x83, 0x%llx, 0",
			(unsigned long long)v->exitcode, (unsigned long long)v->rax,
			(unsigned long long)save_buf->lstar,
			(unsigned long long)(uintptr_t)save_buf);
	v->rip += 3;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_VMLOAD && v->rax == (uintptr_t)load_buf)
		tst_res(TPASS, "VMLOAD with the intercept: #VMEXIT 0x82, RAX = the buffer");
	else
		tst_res(TFAIL, "VMLOAD with the intercept: #VMEXIT 0x%llx, RAX 0x%llx; expected 0x82, 0x%llx",
			(unsigned long long)v->exitcode, (unsigned long long)v->rax,
			(unsigned long long)(uintptr_t)load_buf);
	v->rip += 3;
	kvm_svm_vmrun(cpu);
	if (v->exitcode != SVM_EXIT_HLT || v->lstar != LSTAR_HOST)
		tst_res(TFAIL, "after the intercepted VMLOAD: #VMEXIT 0x%llx, guest LSTAR 0x%llx; expected HLT, 0x%llx (not loaded)",
			(unsigned long long)v->exitcode, (unsigned long long)v->lstar,
			(unsigned long long)LSTAR_HOST);
	else
		tst_res(TPASS, "the intercepted VMLOAD loaded nothing: the guest's LSTAR is the host's 0x%llx",
			(unsigned long long)v->lstar);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CVE-2021-3656: unintercepted VMLOAD/VMSAVE in a nested guest use its own addresses",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested,cve" },
		{ "CVE", "2021-3656" },
		{ "linux-git", "c7dfa4009965" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
