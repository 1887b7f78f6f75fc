// SPDX-License-Identifier: MIT
/*
 * Nested SVM intercepts: a guest run with VMRUN exits to its host with
 * the exit code of each intercepted event, in order, with the state the
 * APM defines, and resumes where the host puts RIP: VMMCALL (exit 81H),
 * an exception (#UD: 40H + 6; #BP from INT3: 40H + 3), IN/OUT to a port
 * set in the I/O permission map (IOIO, 7BH; EXITINFO1 bits 31:16 = port,
 * bit 0 = 1 for IN, SZ8 bit 4; EXITINFO2 = the RIP of the next
 * instruction), RDMSR/WRMSR of an MSR set in the MSR permission map (MSR,
 * 7CH; EXITINFO1 = 0 for RDMSR, 1 for WRMSR; the value the host emulates
 * reaches the guest), and HLT (78H) at the end, with the guest's return
 * value in RAX.  A port or MSR whose bit is clear does not exit.
 *
 * Where it is written: AMD APM Vol. 2 15.5 "VMRUN Instruction", 15.6
 * "#VMEXIT", 15.9 "Instruction Intercepts", 15.10 "IOIO Intercepts"
 * (15.10.1 I/O Permissions Map, 15.10.2 IN and OUT Behavior: Figure
 * "EXITINFO1 for IOIO Intercept"), 15.11 "MSR Intercepts" (MSR permission
 * map: MSRs C000_0000h-C000_1FFFh at byte offset 800h, two bits per MSR,
 * read then write), 15.12 "Exception Intercepts"; Appendix C "SVM
 * Intercept Exit Codes".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define EXIT_EXCP(n)	(0x40 + (n))
#define EXIT_IOIO	0x7b
#define EXIT_MSR	0x7c
#define INTERCEPT_IOIO	0x7b
#define INTERCEPT_MSR	0x7c
#define PORT		0x99
#define MSR		MSR_KERNEL_GS_BASE

uint64_t l2_msr_read SUITE_UNUSED;
uintptr_t l2_rip[8] SUITE_UNUSED;	/* RIP of each intercepted instruction */

volatile int l2_bp_seen SUITE_UNUSED;
volatile uintptr_t l2_bp_rip SUITE_UNUSED;

/* Runs in the nested guest if its INT3 is not intercepted */
static int l2_bp(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	l2_bp_seen = 1;
	l2_bp_rip = ifrm->rip;
	return 1;
}

static int l2_main(void)
{
	asm volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, l2_rip+0(%%rip)\n"
		     "1:\tvmmcall\n\t"
		     "lea 2f(%%rip), %%rax\n\tmov %%rax, l2_rip+8(%%rip)\n"
		     "2:\tud2\n\t"
		     "lea 3f(%%rip), %%rax\n\tmov %%rax, l2_rip+16(%%rip)\n"
		     "3:\toutb %%al, $0x99\n\t"
		     "lea 4f(%%rip), %%rax\n\tmov %%rax, l2_rip+24(%%rip)\n"
		     "4:\tinb $0x99, %%al\n\t"
		     "lea 5f(%%rip), %%rax\n\tmov %%rax, l2_rip+32(%%rip)\n\t"
		     "mov $0xc0000102, %%ecx\n"
		     "5:\trdmsr\n\t"
		     "shl $32, %%rdx\n\tor %%rdx, %%rax\n\t"
		     "mov %%rax, l2_msr_read(%%rip)\n\t"
		     "lea 6f(%%rip), %%rax\n\tmov %%rax, l2_rip+40(%%rip)\n\t"
		     "mov $0xc0000102, %%ecx\n\tmov $0x1234, %%eax\n\txor %%edx, %%edx\n"
		     "6:\twrmsr\n\t"
		     /* not intercepted: STAR's bits are clear */
		     "mov $0xc0000081, %%ecx\n\trdmsr\n\t"
		     "lea 7f(%%rip), %%rax\n\tmov %%rax, l2_rip+48(%%rip)\n"
		     "7:\tint3\n\t"
		     : : : "rax", "rcx", "rdx", "memory");
	return 0x5a;
}

/* l2_rip[i] is stored by the guest just before the instruction */
static void expect_exit(struct kvm_svm_vcpu *cpu, const char *what,
			uint64_t code, unsigned int i, unsigned int len)
{
	struct kvm_vmcb *v = cpu->vmcb;
	uintptr_t rip;

	kvm_svm_vmrun(cpu);
	rip = l2_rip[i];
	if (v->exitcode == code && v->rip == rip)
		tst_res(TPASS, "%s: #VMEXIT 0x%llx at the instruction", what,
			(unsigned long long)code);
	else
		tst_res(TFAIL, "%s: #VMEXIT 0x%llx at RIP 0x%llx, expected 0x%llx at 0x%llx (EXITINFO1 0x%llx, EXITINFO2 0x%llx)",
			what, (unsigned long long)v->exitcode,
			(unsigned long long)v->rip, (unsigned long long)code,
			(unsigned long long)rip, (unsigned long long)v->exitinfo1,
			(unsigned long long)v->exitinfo2);
	v->rip = rip + len;
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;
	uint8_t *iopm, *msrpm;
	unsigned int bit;

	kvm_init_svm();
	cpu = kvm_create_svm_vcpu(l2_main, 1);
	v = cpu->vmcb;
	iopm = tst_heap_alloc_aligned(3 * 4096, 4096);
	msrpm = tst_heap_alloc_aligned(2 * 4096, 4096);
	memset(iopm, 0, 3 * 4096);
	memset(msrpm, 0, 2 * 4096);
	iopm[PORT / 8] |= 1 << (PORT % 8);
	bit = 0x800 * 8 + (MSR - 0xc0000000) * 2;
	msrpm[bit / 8] |= 3 << (bit % 8);		/* read and write */
	v->iopm_base_addr = (uintptr_t)iopm;
	v->msrpm_base_addr = (uintptr_t)msrpm;
	kvm_vmcb_set_intercept(v, SVM_INTERCEPT_VMMCALL, 1);
	kvm_vmcb_set_intercept(v, 0x40 + INTR_BAD_OPCODE, 1);
	kvm_vmcb_set_intercept(v, 0x40 + INTR_BREAKPOINT, 1);
	kvm_vmcb_set_intercept(v, INTERCEPT_IOIO, 1);
	kvm_vmcb_set_intercept(v, INTERCEPT_MSR, 1);

	/* The guest fills l2_rip[] before each instruction: run, then judge */
	kvm_svm_vmrun(cpu);
	if (v->exitcode != SVM_EXIT_VMMCALL || v->rip != l2_rip[0]) {
		tst_res(TFAIL, "VMMCALL: #VMEXIT 0x%llx at RIP 0x%llx, expected 0x81 at 0x%llx",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip,
			(unsigned long long)l2_rip[0]);
		suite_finish();
		return;
	}
	tst_res(TPASS, "VMMCALL: #VMEXIT 0x81 at the instruction");
	v->rip += 3;

	expect_exit(cpu, "UD2 with the #UD intercept", EXIT_EXCP(INTR_BAD_OPCODE),
		    1, 2);
	expect_exit(cpu, "OUT imm8 to a port set in the IOPM", EXIT_IOIO, 2, 2);
	if ((v->exitinfo1 >> 16) == PORT && !(v->exitinfo1 & 1) &&
	    (v->exitinfo1 & 0x70) == 0x10 && v->exitinfo2 == l2_rip[2] + 2)
		tst_res(TPASS, "OUT: EXITINFO1 0x%llx (port 0x99, OUT, SZ8), EXITINFO2 = next RIP",
			(unsigned long long)v->exitinfo1);
	else
		tst_res(TFAIL, "OUT: EXITINFO1 0x%llx, EXITINFO2 0x%llx; expected port 0x99 in 31:16, bit 0 = 0, SZ8, next RIP 0x%llx",
			(unsigned long long)v->exitinfo1,
			(unsigned long long)v->exitinfo2,
			(unsigned long long)(l2_rip[2] + 2));
	expect_exit(cpu, "IN imm8 from a port set in the IOPM", EXIT_IOIO, 3, 2);
	if ((v->exitinfo1 >> 16) == PORT && (v->exitinfo1 & 1) &&
	    (v->exitinfo1 & 0x70) == 0x10 && v->exitinfo2 == l2_rip[3] + 2)
		tst_res(TPASS, "IN: EXITINFO1 0x%llx (port 0x99, IN, SZ8), EXITINFO2 = next RIP",
			(unsigned long long)v->exitinfo1);
	else
		tst_res(TFAIL, "IN: EXITINFO1 0x%llx, EXITINFO2 0x%llx; expected port 0x99 in 31:16, bit 0 = 1, SZ8, next RIP 0x%llx",
			(unsigned long long)v->exitinfo1,
			(unsigned long long)v->exitinfo2,
			(unsigned long long)(l2_rip[3] + 2));
	expect_exit(cpu, "RDMSR of an MSR set in the MSRPM", EXIT_MSR, 4, 2);
	if (v->exitinfo1 != 0)
		tst_res(TFAIL, "RDMSR: EXITINFO1 0x%llx, expected 0",
			(unsigned long long)v->exitinfo1);
	v->rax = 0x89abcdef;
	cpu->regs.rdx = 0x01234567;
	expect_exit(cpu, "WRMSR of an MSR set in the MSRPM", EXIT_MSR, 5, 2);
	if (v->exitinfo1 != 1 || (uint32_t)v->rax != 0x1234)
		tst_res(TFAIL, "WRMSR: EXITINFO1 0x%llx (expected 1), EAX 0x%llx (expected 0x1234)",
			(unsigned long long)v->exitinfo1, (unsigned long long)v->rax);
	if (l2_msr_read == 0x0123456789abcdefULL)
		tst_res(TPASS, "the value the host emulated for RDMSR reached the guest");
	else
		tst_res(TFAIL, "the guest's RDMSR read 0x%llx, the host gave 0x0123456789abcdef",
			(unsigned long long)l2_msr_read);
	/*
	 * INT3: if the intercept is missed, the guest's own #BP handler runs
	 * (it cannot report from the guest: it notes it and resumes).
	 */
	tst_set_interrupt_callback(INTR_BREAKPOINT, l2_bp, NULL);
	kvm_svm_vmrun(cpu);
	if (v->exitcode == EXIT_EXCP(INTR_BREAKPOINT) && v->rip == l2_rip[6]) {
		tst_res(TPASS, "INT3 with the #BP intercept: #VMEXIT 0x43 at the instruction (RDMSR of STAR, bits clear, did not exit)");
		v->rip += 1;
		kvm_svm_vmrun(cpu);
	} else if (v->exitcode == SVM_EXIT_HLT && l2_bp_seen) {
		tst_res(TFAIL, "INT3 with the #BP intercept set: no #VMEXIT 0x43, #BP was delivered through the guest's IDT (saved RIP 0x%llx)",
			(unsigned long long)l2_bp_rip);
	} else {
		tst_res(TFAIL, "INT3 with the #BP intercept: #VMEXIT 0x%llx at RIP 0x%llx, expected 0x43 at 0x%llx",
			(unsigned long long)v->exitcode, (unsigned long long)v->rip,
			(unsigned long long)l2_rip[6]);
		kvm_svm_vmrun(cpu);
	}
	tst_set_interrupt_callback(INTR_BREAKPOINT, NULL, NULL);
	if (v->exitcode == SVM_EXIT_HLT && (uint32_t)v->rax == 0x5a)
		tst_res(TPASS, "HLT at the end: #VMEXIT 0x78, the guest's return value 0x5a in RAX");
	else
		tst_res(TFAIL, "at the end: #VMEXIT 0x%llx, RAX 0x%llx; expected 0x78, 0x5a",
			(unsigned long long)v->exitcode, (unsigned long long)v->rax);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Nested SVM intercepts",
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
