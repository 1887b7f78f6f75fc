// SPDX-License-Identifier: MIT
/*
 * #MF, x87 floating-point error (vector 16), with CR0.NE = 1: a masked
 * zero divide sets FSW.ZE and delivers infinity with no exception; an
 * unmasked one (FCW.ZM = 0) sets FSW.ZE, FSW.ES and FSW.B but raises
 * nothing at the FDIV itself: the #MF is taken at the next waiting x87
 * instruction (FWAIT, or FLD1), as a fault without error code whose saved
 * RIP is that instruction, not the FDIV.  Non-waiting instructions
 * (FNSTSW, FNSTENV, FNCLEX) run with the exception pending; FNSTENV's
 * FPU instruction pointer names the FDIV; after FNCLEX a FWAIT runs.
 *
 * Where it is written: Intel SDM Vol. 3A 6.15 "Interrupt 16 - x87 FPU
 * Floating-Point Error (#MF)" (class Fault, no error code, "the saved
 * contents of CS and EIP registers point to the floating-point or
 * WAIT/FWAIT instruction that was about to be executed when the
 * floating-point-error exception was detected"); Vol. 1 8.5.3 "Divide-By-
 * Zero Exception (#Z)" (masked response: infinity), 8.6 "x87 FPU Exception
 * Synchronization", 8.1.3 "x87 FPU Status Register" (ES, B), 8.1.8 "x87
 * FPU Instruction and Data (Operand) Pointers"; Vol. 3A 2.5 (CR0.NE).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define FSW_ZE		(1U << 2)
#define FSW_ES		(1U << 7)
#define FSW_B		(1U << 15)
#define FCW_UNMASK_ZM	0x037b		/* FNINIT's 037FH without ZM */

/* The x87 environment as FNSTENV stores it in 32/64-bit mode (Vol. 1 8.1.10) */
struct x87_env {
	uint32_t fcw, fsw, ftw, fip, fcs_fop, fdp, fds;
};

static uint16_t fnstsw(void)
{
	uint16_t sw;

	asm volatile("fnstsw %0" : "=m"(sw));
	return sw;
}

/*
 * 1.0 / 0.0 under the current control word, as a probe: returns FSW after
 * it, the FDIVR's address in *at; the result stays in ST(0).
 */
static uint16_t divide_by_zero(const char *what, uintptr_t *at)
{
	asm volatile("fld1\n\tfldz" : : : "memory");
	suite_begin();
	asm volatile(SUITE_TRY("fdivrp") : : : "memory");	/* st(1) = 1 / 0 */
	suite_end();
	*at = suite_at;
	suite_expect_none(what);
	return fnstsw();
}

static void masked(void)
{
	union { double d; uint64_t u; } r = { .u = 0 };
	uintptr_t at;
	uint16_t sw;

	asm volatile("fninit");
	sw = divide_by_zero("FDIVR by zero, #Z masked", &at);
	asm volatile("fstpl %0" : "=m"(r.d));
	suite_begin();
	asm volatile(SUITE_TRY("fwait") : : : "memory");
	suite_end();
	suite_expect_none("FWAIT after a masked zero divide");
	if ((sw & FSW_ZE) && !(sw & FSW_ES) && r.u == 0x7ff0000000000000ULL)
		tst_res(TPASS, "masked #Z: FSW 0x%x (ZE, not ES), result +infinity", sw);
	else
		tst_res(TFAIL, "masked #Z: FSW 0x%x, result 0x%llx; expected ZE without ES and +infinity (0x7ff0000000000000)",
			sw, (unsigned long long)r.u);
}

static void unmasked(const char *what, int use_fwait)
{
	uint16_t cw = FCW_UNMASK_ZM, sw;
	struct x87_env env;
	uintptr_t at;

	asm volatile("fninit\n\tfldcw %0" : : "m"(cw));
	/* the divide itself raises nothing: the exception is only pending */
	sw = divide_by_zero("FDIVR by zero, #Z unmasked (the #MF is deferred)", &at);
	if ((sw & (FSW_ZE | FSW_ES | FSW_B)) != (FSW_ZE | FSW_ES | FSW_B))
		tst_res(TFAIL, "unmasked #Z pending: FSW 0x%x, expected ZE, ES and B set", sw);
	else
		tst_res(TPASS, "unmasked #Z pending: FSW 0x%x (ZE, ES, B)", sw);

	asm volatile("fnstenv %0" : "=m"(env));
	if ((uint32_t)at == env.fip)
		tst_res(TPASS, "FNSTENV: FPU instruction pointer 0x%x is the FDIVR", env.fip);
	else
		tst_res(TFAIL, "FNSTENV: FPU instruction pointer 0x%x, the FDIVR is at 0x%lx",
			env.fip, (unsigned long)at);
	/* FNSTENV masks all exceptions (Vol. 2A): restore the unmasked FCW */
	asm volatile("fldcw %0" : : "m"(cw));

	suite_begin();
	if (use_fwait)
		asm volatile(SUITE_TRY("fwait") : : : "memory");
	else
		asm volatile(SUITE_TRY("fld1") : : : "memory");
	suite_end();
	suite_expect(what, INTR_FPU_ERROR, 0, SUITE_FAULT);

	/* the handler resumed after it: the exception is still pending */
	asm volatile("fnclex");
	suite_begin();
	asm volatile(SUITE_TRY("fwait") : : : "memory");
	suite_end();
	suite_expect_none("FWAIT after FNCLEX");
	asm volatile("fninit");
}

/* Where guest kernel code is emulated, the emulator may lack x87 */
static int x87_runs(void)
{
	static const char *const names[] = { "FNINIT", "FLD1", "FSTP ST(0)" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		suite_begin();
		if (i == 0)
			asm volatile(SUITE_TRY("fninit") : : : "memory");
		else if (i == 1)
			asm volatile(SUITE_TRY("fld1") : : : "memory");
		else
			asm volatile(SUITE_TRY("fstp %%st(0)") : : : "memory");
		if (suite_end() == NOT_EMULATED)
			return 0;	/* the host reported it (TFAIL) */
		suite_expect_none(names[i]);
	}
	return 1;
}

void main(void)
{
	unsigned long cr0 = kvm_read_cr0();

	/* native #MF reporting; FPU usable (EM = TS = 0), WAIT honours TS (MP) */
	kvm_set_cr0((cr0 | CR0_NE | CR0_MP) & ~(unsigned long)(CR0_EM | CR0_TS));
	suite_catch_all();
	if (x87_runs()) {
		masked();
		unmasked("FWAIT with an unmasked #Z pending", 1);
		unmasked("FLD1 with an unmasked #Z pending", 0);
	}
	kvm_set_cr0(cr0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "#MF, x87 floating-point error (vector 16), with CR0.NE = 1",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,fpu" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
