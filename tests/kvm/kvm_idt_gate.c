// SPDX-License-Identifier: MIT
/*
 * Faults while delivering an exception through a bad IDT gate: for #UD
 * (a benign exception) a gate whose P flag is 0 raises #NP, a gate whose
 * type is not an interrupt or trap gate raises #GP, both with the error
 * code (vector << 3) | IDT (2) | EXT (1) = 33H; a gate whose selector names
 * a data segment raises #GP with the selector | EXT = 11H.  For #DE (a
 * contributory exception) a not-present gate makes the #NP a second
 * contributory exception: #DF (vector 8) with error code 0.
 *
 * Where it is written: Intel SDM Vol. 3A 6.13 "Error Code" (EXT bit 0,
 * IDT bit 1, segment selector index); 6.14.1 "64-Bit Mode IDT" (64-bit
 * gates of type 1110b/1111b only); 6.15 "Interrupt 11 - Segment Not Present"
 * ("... or an IDT gate ... not present"), "Interrupt 13 - General
 * Protection" ("Referencing ... a gate that ... is not an interrupt, trap
 * or task gate", "a code segment selector in the gate that ... does not
 * point to a code segment"); "Interrupt 8 - Double Fault Exception"
 * (Table 6-5: contributory followed by contributory gives #DF; error code
 * 0).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define GATE_P		0x80

static void ud(void)
{
	suite_begin();
	asm volatile(SUITE_TRY("ud2") : : : "memory");
	suite_end();
}

void main(void)
{
	struct intr_descriptor saved_ud = kvm_idt[INTR_BAD_OPCODE];
	struct intr_descriptor saved_de = kvm_idt[INTR_ZERODIV];

	suite_catch_all();

	kvm_idt[INTR_BAD_OPCODE].flags &= ~GATE_P;
	ud();
	kvm_idt[INTR_BAD_OPCODE] = saved_ud;
	suite_expect("#UD through a not-present gate", INTR_SEGFAULT,
		     INTR_BAD_OPCODE << 3 | 3, SUITE_FAULT);

	kvm_idt[INTR_BAD_OPCODE].flags = (saved_ud.flags & ~0xf) | SEGTYPE_CALL_GATE;
	ud();
	kvm_idt[INTR_BAD_OPCODE] = saved_ud;
	suite_expect("#UD through a gate of type call gate", INTR_GPF,
		     INTR_BAD_OPCODE << 3 | 3, SUITE_FAULT);

	/* #DF: the saved RIP is undefined, so only vector and error code */
	kvm_idt[INTR_ZERODIV].flags &= ~GATE_P;
	suite_begin();
	asm volatile(SUITE_TRY("divl %0") : : "r"(0) , "a"(1), "d"(0) : "memory");
	suite_end();
	kvm_idt[INTR_ZERODIV] = saved_de;
	if (suite_trap.vector == INTR_DOUBLE_FAULT && suite_trap.count == 1 &&
	    suite_trap.errcode == 0)
		tst_res(TPASS, "#DE through a not-present gate: #DF, error code 0");
	else
		tst_res(TFAIL, "#DE through a not-present gate: %s (%d), %u exceptions, error code 0x%lx; expected one #DF with 0",
			suite_vector_name(suite_trap.vector), suite_trap.vector,
			suite_trap.count, suite_trap.errcode);

	/* Last: a host that runs the handler with CS = a data selector may not survive it */
	kvm_idt[INTR_BAD_OPCODE].selector = KVMKIT_SEL_DATA;
	ud();
	kvm_idt[INTR_BAD_OPCODE] = saved_ud;
	suite_expect("#UD through a gate with a data selector", INTR_GPF,
		     KVMKIT_SEL_DATA | 1, SUITE_FAULT);

	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Faults while delivering an exception through a bad IDT gate",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,interrupts" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
