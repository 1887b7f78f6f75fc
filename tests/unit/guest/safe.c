// SPDX-License-Identifier: MIT
/*
 * Guest runtime: expected faults.  The *_safe() helpers return 0 when the
 * instruction completed and the vector when it faulted, through the
 * fix-up table, before any callback sees the fault; kvm_call_safe()
 * returns fn's first exception with its error code, CR2 and RIP, and the
 * caller's callee-saved registers and stack intact; calls nest; and
 * kvm_swap_interrupt_callback() hands back the previous callback.
 *
 * Faults chosen from the SDM: RDMSR/WRMSR of a reserved or unimplemented
 * MSR and a reserved EFER bit (Vol. 4 / Vol. 2B "WRMSR": #GP(0)), CR0.NW = 1 with CD = 0, CR4.PAE = 0
 * in IA-32e mode and reserved CR4 bit 15 (Vol. 2B "MOV-Move to/from
 * Control Registers": #GP(0)).  XSETBV is left out: kvm_pvm cannot
 * emulate it (tests/kvm/known-failures, kvm_xcr0).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define HOLE	0x90000000UL	/* the identity map's 2-3 GiB hole */

static int gp_callbacks;

static int count_gp(void *userdata, struct kvm_interrupt_frame *ifrm,
		    unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	gp_callbacks++;
	return 0;
}

static void expect_vec(const char *what, int got, int want)
{
	if (got == want)
		tst_res(TPASS, "%s: %d", what, got);
	else
		tst_res(TFAIL, "%s: got %d, expected %d", what, got, want);
}

static void msrs(void)
{
	uint64_t val = 1, efer = kvm_rdmsr(MSR_EFER);

	expect_vec("kvm_rdmsr_safe(0xdeadbeef)", kvm_rdmsr_safe(0xdeadbeef, &val),
		   INTR_GPF);
	if (val)
		tst_res(TFAIL, "kvm_rdmsr_safe left 0x%llx in *value on a fault",
			(unsigned long long)val);
	expect_vec("kvm_rdmsr_safe(MSR_EFER)", kvm_rdmsr_safe(MSR_EFER, &val), 0);
	if (val != efer)
		tst_res(TFAIL, "kvm_rdmsr_safe(MSR_EFER) read 0x%llx, kvm_rdmsr 0x%llx",
			(unsigned long long)val, (unsigned long long)efer);
	expect_vec("kvm_wrmsr_safe(MSR_EFER, reserved bit 1)",
		   kvm_wrmsr_safe(MSR_EFER, efer | 2), INTR_GPF);
	expect_vec("kvm_wrmsr_safe(MSR_EFER, unchanged)",
		   kvm_wrmsr_safe(MSR_EFER, efer), 0);
	/*
	 * Not a non-canonical MSR_KERNEL_GS_BASE: under QEMU TCG's nested
	 * SVM (kvmkit-vm) the write is passed through and accepted.
	 */
	expect_vec("kvm_wrmsr_safe(0xdeadbeef)", kvm_wrmsr_safe(0xdeadbeef, 1),
		   INTR_GPF);
	expect_vec("kvm_wrmsr_safe(MSR_KERNEL_GS_BASE, 0x12345000)",
		   kvm_wrmsr_safe(MSR_KERNEL_GS_BASE, 0x12345000), 0);
	if (kvm_rdmsr(MSR_KERNEL_GS_BASE) != 0x12345000)
		tst_res(TFAIL, "MSR_KERNEL_GS_BASE reads 0x%llx after kvm_wrmsr_safe",
			(unsigned long long)kvm_rdmsr(MSR_KERNEL_GS_BASE));
	kvm_wrmsr(MSR_KERNEL_GS_BASE, 0);
}

static void control_registers(void)
{
	unsigned long cr0 = kvm_read_cr0(), cr3 = kvm_read_cr3();
	unsigned long cr4 = kvm_read_cr4();

	expect_vec("kvm_set_cr0_safe(NW without CD)",
		   kvm_set_cr0_safe((cr0 | CR0_NW) & ~(unsigned long)CR0_CD),
		   INTR_GPF);
	expect_vec("kvm_set_cr0_safe(unchanged)", kvm_set_cr0_safe(cr0), 0);
	expect_vec("kvm_set_cr3_safe(unchanged)", kvm_set_cr3_safe(cr3), 0);
	expect_vec("kvm_set_cr4_safe(reserved bit 15)",
		   kvm_set_cr4_safe(cr4 | 1UL << 15), INTR_GPF);
	expect_vec("kvm_set_cr4_safe(PAE clear in IA-32e mode)",
		   kvm_set_cr4_safe(cr4 & ~(unsigned long)CR4_PAE), INTR_GPF);
	expect_vec("kvm_set_cr4_safe(unchanged)", kvm_set_cr4_safe(cr4), 0);
	if (kvm_read_cr0() != cr0 || kvm_read_cr3() != cr3 ||
	    kvm_read_cr4() != cr4)
		tst_res(TFAIL, "control registers changed by faulting writes");
}

static volatile int fn_ran;

static void store(void *arg)
{
	fn_ran = (int)(uintptr_t)arg;
}

static void touch_hole(void *arg)
{
	(void)arg;
	fn_ran = 1;
	*(volatile uint32_t *)HOLE = 1;
	fn_ran = 2;
}

/*
 * Fill every callee-saved register with junk, then read the hole at
 * call_fault_insn: only the context kvm_call_safe() saved can bring the
 * caller's values back.
 */
void clobber_and_fault(void *arg);
extern char clobber_fault_insn[];
asm(".pushsection .text\n"
    ".globl clobber_and_fault\n"
    "clobber_and_fault:\n\t"
    "mov $0x1111, %rbx\n\t"
    "mov $0x2222, %rbp\n\t"
    "mov $0x3333, %r12\n\t"
    "mov $0x4444, %r13\n\t"
    "mov $0x5555, %r14\n\t"
    "mov $0x6666, %r15\n\t"
    "push %rbx\n\t"
    "push %rbx\n\t"
    "mov $0x90000000, %eax\n"
    "clobber_fault_insn:\n\t"
    "mov (%rax), %eax\n\t"
    "ret\n"
    ".popsection");

/* Where the asm below reads and writes: globals, so no operand is in a register it loads */
struct kvm_fault clobber_fault;
uint64_t clobber_out[6];

/* kvm_call_safe(clobber_and_fault) with known values in callee-saved regs */
static int callee_saved_survive(void)
{
	int vec;

	asm volatile("push %%rbp\n\t"
		     "mov $0xb0, %%ebx\n\t"
		     "mov $0xb1, %%ebp\n\t"
		     "mov $0xb2, %%r12d\n\t"
		     "mov $0xb3, %%r13d\n\t"
		     "mov $0xb4, %%r14d\n\t"
		     "mov $0xb5, %%r15d\n\t"
		     "lea clobber_and_fault(%%rip), %%rdi\n\t"
		     "xor %%esi, %%esi\n\t"
		     "lea clobber_fault(%%rip), %%rdx\n\t"
		     "call kvm_call_safe\n\t"
		     "mov %%rbx, clobber_out(%%rip)\n\t"
		     "mov %%rbp, clobber_out+8(%%rip)\n\t"
		     "mov %%r12, clobber_out+16(%%rip)\n\t"
		     "mov %%r13, clobber_out+24(%%rip)\n\t"
		     "mov %%r14, clobber_out+32(%%rip)\n\t"
		     "mov %%r15, clobber_out+40(%%rip)\n\t"
		     "pop %%rbp"
		     : "=a"(vec)
		     :
		     : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
		       "r11", "r12", "r13", "r14", "r15", "memory", "cc");
	return vec == INTR_PAGE_FAULT && clobber_out[0] == 0xb0 &&
	       clobber_out[1] == 0xb1 && clobber_out[2] == 0xb2 &&
	       clobber_out[3] == 0xb3 && clobber_out[4] == 0xb4 &&
	       clobber_out[5] == 0xb5;
}

static volatile int inner_vec = -1;

static void nested(void *arg)
{
	struct kvm_fault f;

	inner_vec = kvm_call_safe(touch_hole, arg, &f);
}

static void call_safe(void)
{
	struct kvm_fault f = { -1, 0, 0, 0 };
	int vec;

	vec = kvm_call_safe(store, (void *)7, &f);
	if (!vec && fn_ran == 7 && f.vector == -1)
		tst_res(TPASS, "kvm_call_safe: fn ran and returned, 0");
	else
		tst_res(TFAIL, "kvm_call_safe(store): %d, fn_ran %d", vec, fn_ran);

	vec = kvm_call_safe(touch_hole, NULL, &f);
	if (vec == INTR_PAGE_FAULT && f.vector == INTR_PAGE_FAULT &&
	    f.cr2 == HOLE && f.error_code == 2 && fn_ran == 1)
		tst_res(TPASS, "kvm_call_safe: #PF, error code 2, CR2 0x%llx, fn stopped at the fault",
			(unsigned long long)f.cr2);
	else
		tst_res(TFAIL, "kvm_call_safe(touch_hole): %d, vector %d, error code 0x%x, CR2 0x%llx, fn_ran %d",
			vec, f.vector, f.error_code,
			(unsigned long long)f.cr2, fn_ran);

	if (callee_saved_survive() &&
	    clobber_fault.ip == (uintptr_t)clobber_fault_insn &&
	    clobber_fault.error_code == 0)
		tst_res(TPASS, "kvm_call_safe: callee-saved registers and stack restored, fault.ip at the instruction");
	else
		tst_res(TFAIL, "kvm_call_safe(clobber_and_fault): vector %d, ip 0x%lx (instruction at 0x%lx), or a callee-saved register lost",
			clobber_fault.vector, (unsigned long)clobber_fault.ip,
			(unsigned long)clobber_fault_insn);

	vec = kvm_call_safe(nested, NULL, NULL);
	if (!vec && inner_vec == INTR_PAGE_FAULT)
		tst_res(TPASS, "kvm_call_safe nests: the inner call caught the #PF, the outer returned 0");
	else
		tst_res(TFAIL, "nested kvm_call_safe: outer %d, inner %d", vec,
			inner_vec);

	/* Nothing left open: a later expected fault still works */
	expect_vec("kvm_rdmsr_safe after the calls", kvm_rdmsr_safe(0xdeadbeef, &f.cr2),
		   INTR_GPF);
}

static int other(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	return 0;
}

static void callbacks(void)
{
	tst_interrupt_callback old = other;
	void *old_data = &old;
	uint64_t val;

	kvm_swap_interrupt_callback(INTR_GPF, count_gp, &gp_callbacks, &old,
				    &old_data);
	if (!old && !old_data)
		tst_res(TPASS, "kvm_swap_interrupt_callback: no previous callback");
	else
		tst_res(TFAIL, "kvm_swap_interrupt_callback: previous %p/%p, expected none",
			(void *)old, old_data);

	kvm_rdmsr_safe(0xdeadbeef, &val);
	kvm_wrmsr_safe(0xdeadbeef, 0);
	kvm_set_cr4_safe(kvm_read_cr4() | 1UL << 15);
	if (!gp_callbacks)
		tst_res(TPASS, "the fix-up table comes before a registered #GP callback");
	else
		tst_res(TFAIL, "the #GP callback ran %d times for expected faults",
			gp_callbacks);

	kvm_swap_interrupt_callback(INTR_GPF, other, NULL, &old, &old_data);
	if (old == count_gp && old_data == &gp_callbacks)
		tst_res(TPASS, "kvm_swap_interrupt_callback: hands back the previous callback and userdata");
	else
		tst_res(TFAIL, "kvm_swap_interrupt_callback: previous %p/%p, expected %p/%p",
			(void *)old, old_data, (void *)count_gp, &gp_callbacks);
	tst_set_interrupt_callback(INTR_GPF, NULL, NULL);
}

void main(void)
{
	msrs();
	control_registers();
	call_safe();
	callbacks();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "expected faults: *_safe() helpers, kvm_call_safe(), callback swap",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
