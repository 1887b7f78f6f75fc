// SPDX-License-Identifier: MIT
/*
 * #NM, device not available (vector 7): with CR0.TS = 1 an x87
 * instruction (FNINIT) and an SSE instruction raise a fault-class #NM
 * without error code; WAIT/FWAIT raises #NM only when CR0.MP = 1 as well;
 * with CR0.EM = 1 an x87 instruction raises #NM while an SSE instruction
 * raises #UD; CLTS clears CR0.TS, after which the same instructions run.
 * FNINIT leaves the x87 control word 037FH and status word 0.
 *
 * Where it is written: Intel SDM Vol. 3A 2.5 "Control Registers" (TS, EM
 * and MP; Table 2-2 "Action Taken By x87 FPU Instructions for Different
 * Combinations of EM, MP, and TS"); Vol. 3A 6.15 "Interrupt 7 - Device Not
 * Available Exception (#NM)": class Fault, no error code; Vol. 3A 13.1.3
 * (SSE with CR0.EM = 1: #UD; with CR0.TS = 1: #NM); Vol. 2A "CLTS" and
 * "FINIT/FNINIT" (FPUControlWord = 037FH, FPUStatusWord = 0).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* Payloads are built with -mno-sse: no compiler state lives in XMM0 */
#define PROBE(what, insn, vector) do {					\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn) : : : "memory");			\
	suite_end();							\
	if ((vector) == NO_EXCEPTION)					\
		suite_expect_none(what);				\
	else								\
		suite_expect(what, vector, 0, SUITE_FAULT);		\
} while (0)

void main(void)
{
	unsigned long cr0 = kvm_read_cr0(), base = cr0 & ~(CR0_TS | CR0_EM);
	uint16_t cw = 0, sw = 0xffff;

	suite_catch_all();

	kvm_set_cr0(base | CR0_TS | CR0_MP);
	PROBE("fninit, CR0.TS = 1", "fninit", INTR_DEVICE_ERROR);
	PROBE("xorps %xmm0, %xmm0, CR0.TS = 1", "xorps %%xmm0, %%xmm0",
	      INTR_DEVICE_ERROR);
	PROBE("fwait, CR0.TS = 1 MP = 1", "fwait", INTR_DEVICE_ERROR);
	kvm_set_cr0((base | CR0_TS) & ~(unsigned long)CR0_MP);
	PROBE("fwait, CR0.TS = 1 MP = 0", "fwait", NO_EXCEPTION);

	kvm_set_cr0(base | CR0_EM | CR0_MP);
	PROBE("fninit, CR0.EM = 1", "fninit", INTR_DEVICE_ERROR);
	PROBE("xorps %xmm0, %xmm0, CR0.EM = 1", "xorps %%xmm0, %%xmm0",
	      INTR_BAD_OPCODE);

	kvm_set_cr0(base | CR0_TS | CR0_MP);
	asm volatile("clts");
	if (kvm_read_cr0() & CR0_TS)
		tst_res(TFAIL, "CLTS left CR0.TS set: CR0 0x%lx", kvm_read_cr0());
	else
		tst_res(TPASS, "CLTS cleared CR0.TS");
	PROBE("fninit, CR0.TS = 0", "fninit", NO_EXCEPTION);
	PROBE("xorps %xmm0, %xmm0, CR0.TS = 0", "xorps %%xmm0, %%xmm0",
	      NO_EXCEPTION);

	asm volatile("fninit\n\tfnstcw %0\n\tfnstsw %1" : "=m"(cw), "=m"(sw));
	if (cw == 0x37f && sw == 0)
		tst_res(TPASS, "after FNINIT: FCW 0x%x, FSW 0x%x", cw, sw);
	else
		tst_res(TFAIL, "after FNINIT: FCW 0x%x, FSW 0x%x; expected 0x37f, 0",
			cw, sw);
	kvm_set_cr0(cr0);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "#NM, device not available (vector 7)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "fpu,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
