// SPDX-License-Identifier: MIT
/*
 * VMLOAD and VMSAVE (nested SVM; TCONF without SVM): VMSAVE stores the
 * processor's FS, GS, TR and LDTR (selector and hidden base, limit,
 * attributes), KernelGSBase, STAR, LSTAR, CSTAR, SFMASK and the three
 * SYSENTER MSRs into the VMCB at rAX, and VMLOAD loads them: after a
 * VMLOAD of a VMCB holding other values, RDMSR of each MSR (FS_BASE and
 * GS_BASE for the segment bases) returns them, and a second VMSAVE gives
 * back every field as loaded, hidden state included; a VMLOAD of the
 * first save restores the start.  rAX not 4 KiB-aligned raises #GP(0),
 * and with EFER.SVME = 0 both raise #UD.  In a nested guest: with the
 * VMSAVE and VMLOAD intercepts set they exit (#VMEXIT 83h, 82h) at the
 * instruction; without them the guest's VMSAVE stores the guest's own
 * state (the FS/GS bases and KernelGSBase its VMCB gave it).
 *
 * Where it is written: AMD APM Vol. 2 15.5.2 "VMSAVE and VMLOAD
 * Instructions" (the list of state they move, "hidden state"); Vol. 3
 * "VMLOAD", "VMSAVE" (#UD if EFER.SVME = 0; #GP if rAX is not 4-Kbyte
 * aligned or beyond the physical address width); Vol. 2 15.9
 * "Instruction Intercepts" and Appendix C (exit codes 82h VMLOAD, 83h
 * VMSAVE).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

static const struct {
	const char *name;
	unsigned int msr;
	size_t off;		/* in struct kvm_vmcb */
} msrs[] = {
	{ "FS_BASE", MSR_FS_BASE, offsetof(struct kvm_vmcb, fs.base) },
	{ "GS_BASE", MSR_GS_BASE, offsetof(struct kvm_vmcb, gs.base) },
	{ "KernelGSBase", MSR_KERNEL_GS_BASE, offsetof(struct kvm_vmcb, kernel_gs_base) },
	{ "STAR", MSR_STAR, offsetof(struct kvm_vmcb, star) },
	{ "LSTAR", MSR_LSTAR, offsetof(struct kvm_vmcb, lstar) },
	{ "CSTAR", MSR_CSTAR, offsetof(struct kvm_vmcb, cstar) },
	{ "SFMASK", MSR_SFMASK, offsetof(struct kvm_vmcb, sfmask) },
	{ "SYSENTER_CS", MSR_SYSENTER_CS, offsetof(struct kvm_vmcb, sysenter_cs) },
	{ "SYSENTER_ESP", MSR_SYSENTER_ESP, offsetof(struct kvm_vmcb, sysenter_esp) },
	{ "SYSENTER_EIP", MSR_SYSENTER_EIP, offsetof(struct kvm_vmcb, sysenter_eip) },
};
#define NMSRS	(sizeof(msrs) / sizeof(msrs[0]))

static uint64_t *field(struct kvm_vmcb *v, unsigned int i)
{
	return (uint64_t *)((uint8_t *)v + msrs[i].off);
}

static int seg_equal(const struct kvm_vmcb_descriptor *a,
		     const struct kvm_vmcb_descriptor *b)
{
	return a->selector == b->selector && a->attrib == b->attrib &&
	       a->limit == b->limit && a->base == b->base;
}

static void seg_fail(const char *name, const struct kvm_vmcb_descriptor *got,
		     const struct kvm_vmcb_descriptor *want)
{
	tst_res(TFAIL, "%s after VMLOAD/VMSAVE: selector 0x%x attrib 0x%x limit 0x%x base 0x%llx, loaded 0x%x 0x%x 0x%x 0x%llx",
		name, got->selector, got->attrib, got->limit,
		(unsigned long long)got->base, want->selector, want->attrib,
		want->limit, (unsigned long long)want->base);
}

/* VMSAVE of the current state matches RDMSR and the GDT */
static void check_save(struct kvm_vmcb *a)
{
	struct kvm_vmcb_descriptor tr;
	struct kvm_sregs s;
	unsigned int i, bad = 0;
	uint64_t v;

	kvm_svm_vmsave(a);
	for (i = 0; i < NMSRS; i++) {
		v = kvm_rdmsr(msrs[i].msr);
		if (*field(a, i) != v) {
			tst_res(TFAIL, "VMSAVE: %s 0x%llx, RDMSR 0x%llx",
				msrs[i].name, (unsigned long long)*field(a, i),
				(unsigned long long)v);
			bad++;
		}
	}
	kvm_read_sregs(&s);
	kvm_vmcb_copy_gdt_descriptor(&tr, s.tr >> 3);
	if (a->tr.selector != s.tr || a->tr.base != tr.base ||
	    a->tr.limit != tr.limit || (a->tr.attrib & 0xff) != 0x8b ||
	    a->fs.selector != s.fs || a->gs.selector != s.gs) {
		tst_res(TFAIL, "VMSAVE: TR 0x%x base 0x%llx limit 0x%x attrib 0x%x (GDT: 0x%x, 0x%llx, 0x%x, busy TSS 8BH); FS 0x%x GS 0x%x (0x%x, 0x%x)",
			a->tr.selector, (unsigned long long)a->tr.base,
			a->tr.limit, a->tr.attrib, s.tr,
			(unsigned long long)tr.base, tr.limit, a->fs.selector,
			a->gs.selector, s.fs, s.gs);
		bad++;
	}
	if (!bad)
		tst_res(TPASS, "VMSAVE stores the 10 MSRs as RDMSR reads them, TR (busy TSS, base and limit of its GDT entry), FS and GS selectors");
}

static void check_load(struct kvm_vmcb *a, struct kvm_vmcb *b,
		       struct kvm_vmcb *c)
{
	uint64_t got[NMSRS];
	unsigned int i, bad = 0;

	memcpy(b, a, sizeof(*b));
	b->fs.base = 0x123456789000ULL;
	b->gs.base = 0xffff876543210000ULL;
	b->fs.limit = 0x1234;
	b->gs.attrib = a->gs.attrib ^ 0x1;	/* accessed bit */
	b->kernel_gs_base = 0x00007fffabcde000ULL;
	b->star = 0x0023001000000000ULL;
	b->lstar = 0xffffffff81000000ULL;
	b->cstar = 0xffffffff82000000ULL;
	b->sfmask = 0x47700;
	b->sysenter_cs = 0x10;
	b->sysenter_esp = 0x12345000;
	b->sysenter_eip = 0x23456000;
	b->tr.limit = a->tr.limit + 0x100;
	b->ldtr.selector = 0;
	b->ldtr.attrib = 0x82;		/* present LDT */
	b->ldtr.limit = 0xfff;
	b->ldtr.base = 0x5000;

	/* No exception may come until the first state is back: no reports */
	kvm_svm_vmload(b);
	for (i = 0; i < NMSRS; i++)
		got[i] = kvm_rdmsr(msrs[i].msr);
	kvm_svm_vmsave(c);
	kvm_svm_vmload(a);

	for (i = 0; i < NMSRS; i++) {
		if (got[i] != *field(b, i)) {
			tst_res(TFAIL, "after VMLOAD: RDMSR %s 0x%llx, loaded 0x%llx",
				msrs[i].name, (unsigned long long)got[i],
				(unsigned long long)*field(b, i));
			bad++;
		}
		if (*field(c, i) != *field(b, i)) {
			tst_res(TFAIL, "VMSAVE after VMLOAD: %s 0x%llx, loaded 0x%llx",
				msrs[i].name, (unsigned long long)*field(c, i),
				(unsigned long long)*field(b, i));
			bad++;
		}
	}
	if (!bad)
		tst_res(TPASS, "VMLOAD loads the 10 MSRs (RDMSR and VMSAVE read them back)");
	bad = 0;
	if (!seg_equal(&c->fs, &b->fs))
		seg_fail("FS", &c->fs, &b->fs), bad++;
	if (!seg_equal(&c->gs, &b->gs))
		seg_fail("GS", &c->gs, &b->gs), bad++;
	if (!seg_equal(&c->tr, &b->tr))
		seg_fail("TR", &c->tr, &b->tr), bad++;
	if (!seg_equal(&c->ldtr, &b->ldtr))
		seg_fail("LDTR", &c->ldtr, &b->ldtr), bad++;
	if (!bad)
		tst_res(TPASS, "VMLOAD then VMSAVE: FS, GS, TR, LDTR selector, attributes, limit and base as loaded (hidden state)");
	if (kvm_rdmsr(MSR_FS_BASE) == a->fs.base &&
	    kvm_rdmsr(MSR_LSTAR) == a->lstar &&
	    kvm_rdmsr(MSR_SYSENTER_EIP) == a->sysenter_eip)
		tst_res(TPASS, "VMLOAD of the first VMSAVE restores it");
	else
		tst_res(TFAIL, "VMLOAD of the first VMSAVE: FS_BASE 0x%llx, LSTAR 0x%llx",
			(unsigned long long)kvm_rdmsr(MSR_FS_BASE),
			(unsigned long long)kvm_rdmsr(MSR_LSTAR));
}

static void check_faults(struct kvm_vmcb *a)
{
	uint64_t efer = kvm_rdmsr(MSR_EFER);

	suite_begin();
	asm volatile(SUITE_TRY("vmsave %%rax")
		     : : "a"((uintptr_t)a + 8) : "memory");
	suite_expect("VMSAVE with rAX not 4K-aligned", INTR_GPF, 0,
		     SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY("vmload %%rax")
		     : : "a"((uintptr_t)a + 0x10) : "memory");
	suite_expect("VMLOAD with rAX not 4K-aligned", INTR_GPF, 0,
		     SUITE_FAULT);
	kvm_wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_SVME);
	suite_begin();
	asm volatile(SUITE_TRY("vmsave %%rax") : : "a"(a) : "memory");
	suite_expect("VMSAVE with EFER.SVME = 0", INTR_BAD_OPCODE, 0,
		     SUITE_FAULT);
	suite_begin();
	asm volatile(SUITE_TRY("vmload %%rax") : : "a"(a) : "memory");
	suite_expect("VMLOAD with EFER.SVME = 0", INTR_BAD_OPCODE, 0,
		     SUITE_FAULT);
	kvm_wrmsr(MSR_EFER, efer);
}

/* ---- In a nested guest ------------------------------------------------ */

static struct kvm_vmcb *l2_buf;
uintptr_t l2_rip[2] SUITE_UNUSED;

static int l2_main(void)
{
	asm volatile("lea 1f(%%rip), %%rcx\n\tmov %%rcx, l2_rip+0(%%rip)\n"
		     "1:\tvmsave %%rax\n\t"
		     "lea 2f(%%rip), %%rcx\n\tmov %%rcx, l2_rip+8(%%rip)\n"
		     "2:\tvmload %%rax\n\t"
		     : : "a"(l2_buf) : "rcx", "memory");
	/* Intercepts cleared by now: the same, run by the guest */
	asm volatile("vmsave %%rax" : : "a"(l2_buf) : "memory");
	return 0x77;
}

static void check_nested(void)
{
	struct kvm_svm_vcpu *cpu = kvm_create_svm_vcpu(l2_main, 1);
	struct kvm_vmcb *v = cpu->vmcb;

	l2_buf = kvm_alloc_vmcb();
	v->fs.base = 0x5550000;
	v->gs.base = 0x6660000;
	v->kernel_gs_base = 0x7770000;
	v->lstar = 0xffffffff88000000ULL;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMSAVE, 1);
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMLOAD, 1);
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_VMSAVE && v->rip == l2_rip[0])
		tst_res(TPASS, "nested VMSAVE with the intercept: #VMEXIT 83h at the instruction");
	else
		tst_res(TFAIL, "nested VMSAVE with the intercept: #VMEXIT 0x%llx at 0x%llx, expected 83h at 0x%llx",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->rip,
			(unsigned long long)l2_rip[0]);
	if (v->exitcode != SVM_EXIT_VMSAVE)
		return;
	v->rip += 3;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_VMLOAD && v->rip == l2_rip[1])
		tst_res(TPASS, "nested VMLOAD with the intercept: #VMEXIT 82h at the instruction");
	else
		tst_res(TFAIL, "nested VMLOAD with the intercept: #VMEXIT 0x%llx at 0x%llx, expected 82h at 0x%llx",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->rip,
			(unsigned long long)l2_rip[1]);
	if (v->exitcode != SVM_EXIT_VMLOAD)
		return;
	v->rip += 3;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMSAVE, 0);
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMLOAD, 0);
	memset(l2_buf, 0, sizeof(*l2_buf));
	kvm_svm_vmrun(cpu);
	if (v->exitcode != SVM_EXIT_HLT || (uint32_t)v->rax != 0x77)
		tst_res(TFAIL, "nested VMSAVE without the intercept: #VMEXIT 0x%llx, RAX 0x%llx, expected HLT (78h) with 0x77",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->rax);
	else if (l2_buf->fs.base == 0x5550000 && l2_buf->gs.base == 0x6660000 &&
		 l2_buf->kernel_gs_base == 0x7770000 &&
		 l2_buf->lstar == 0xffffffff88000000ULL)
		tst_res(TPASS, "nested VMSAVE without the intercept stores the guest's FS/GS bases, KernelGSBase and LSTAR");
	else
		tst_res(TFAIL, "nested VMSAVE without the intercept: FS base 0x%llx, GS base 0x%llx, KernelGSBase 0x%llx, LSTAR 0x%llx; the guest's are 0x5550000, 0x6660000, 0x7770000, 0xffffffff88000000",
			(unsigned long long)l2_buf->fs.base,
			(unsigned long long)l2_buf->gs.base,
			(unsigned long long)l2_buf->kernel_gs_base,
			(unsigned long long)l2_buf->lstar);
}

void main(void)
{
	struct kvm_vmcb *a, *b, *c;

	kvm_init_svm();
	suite_catch_all();
	a = kvm_alloc_vmcb();
	b = kvm_alloc_vmcb();
	c = kvm_alloc_vmcb();
	check_save(a);
	check_load(a, b, c);
	check_faults(a);
	check_nested();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "VMLOAD and VMSAVE move the state the APM lists (nested SVM)",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
