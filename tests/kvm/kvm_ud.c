// SPDX-License-Identifier: MIT
/*
 * #UD, invalid opcode (vector 6): UD2/UD1/UD0, the one-byte opcodes that
 * 64-bit mode made invalid, a LOCK prefix where locking is not allowed,
 * and MOV to or from a control or debug register that does not exist.
 * Each must raise a fault-class #UD with no error code and the saved RIP
 * of the instruction itself.
 *
 * Where it is written: Intel SDM Vol. 2A "UD - Undefined Instruction";
 * Vol. 2 Appendix A, Table A-2 (opcodes marked i64: invalid in 64-bit
 * mode: PUSH/POP ES, CS, SS, DS, DAA, DAS, AAA, AAS, PUSHA, POPA, INTO,
 * AAM, AAD, far CALL/JMP ptr16:32); Vol. 2A 2.1.1 and "LOCK" (#UD if the
 * LOCK prefix is used with an instruction not in the lockable list or
 * with a register destination); Vol. 2B "MOV - Move to/from Control
 * Registers" and "MOV - Move to/from Debug Registers" (#UD for CR1, CR5-7,
 * CR9-15 and DR8-15); Vol. 3A 6.15 "Interrupt 6": class Fault, no error code.
 *
 * Runs under suite_kvm_run(): KVM's instruction emulator has no entry for
 * some of these opcodes (UD0, UD1, DAA, AAA, AAS are "N" in emulate.c's
 * tables), so a KVM that emulates guest kernel code instead of running it
 * (kvm_pvm) stops with an emulation failure where hardware, and KVM's own
 * EMULTYPE_TRAP_UD path, give #UD.  Each such probe is one TFAIL.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD


#define UD(what, bytes) do {						\
	suite_begin();							\
	asm volatile(SUITE_TRY(bytes) : : : "memory");			\
	suite_end();							\
	suite_expect(what, INTR_BAD_OPCODE, 0, SUITE_FAULT);		\
} while (0)

void main(void)
{
	suite_catch_all();

	UD("ud2", "ud2");
	UD("ud1 (0f b9 /r)", ".byte 0x0f, 0xb9, 0xc0");
	UD("ud0 (0f ff /r)", ".byte 0x0f, 0xff, 0xc0");

	/* Opcodes Table A-2 marks i64 */
	UD("push es (06)", ".byte 0x06");
	UD("pop es (07)", ".byte 0x07");
	UD("push cs (0e)", ".byte 0x0e");
	UD("push ss (16)", ".byte 0x16");
	UD("pop ss (17)", ".byte 0x17");
	UD("push ds (1e)", ".byte 0x1e");
	UD("pop ds (1f)", ".byte 0x1f");
	UD("daa (27)", ".byte 0x27");
	UD("das (2f)", ".byte 0x2f");
	UD("aaa (37)", ".byte 0x37");
	UD("aas (3f)", ".byte 0x3f");
	UD("pusha (60)", ".byte 0x60");
	UD("popa (61)", ".byte 0x61");
	UD("into (ce)", ".byte 0xce");
	UD("aam (d4 0a)", ".byte 0xd4, 0x0a");
	UD("aad (d5 0a)", ".byte 0xd5, 0x0a");
	UD("call far ptr16:32 (9a)", ".byte 0x9a, 0, 0, 0, 0, 0x08, 0");
	UD("jmp far ptr16:32 (ea)", ".byte 0xea, 0, 0, 0, 0, 0x08, 0");

	/* LOCK where it is not allowed */
	UD("lock nop", ".byte 0xf0, 0x90");
	UD("lock mov %eax, %ebx", ".byte 0xf0, 0x89, 0xc3");
	UD("lock add %eax, %ebx (register destination)",
	   ".byte 0xf0, 0x01, 0xc3");

	/* Control and debug registers that do not exist */
	UD("mov %cr1, %rax", ".byte 0x0f, 0x20, 0xc8");
	UD("mov %rax, %cr1", ".byte 0x0f, 0x22, 0xc8");
	UD("mov %cr5, %rax", ".byte 0x0f, 0x20, 0xe8");
	UD("mov %cr7, %rax", ".byte 0x0f, 0x20, 0xf8");
	UD("mov %cr9, %rax", ".byte 0x44, 0x0f, 0x20, 0xc8");
	UD("mov %cr15, %rax", ".byte 0x44, 0x0f, 0x20, 0xf8");
	UD("mov %dr8, %rax", ".byte 0x44, 0x0f, 0x21, 0xc0");
	UD("mov %rax, %dr15", ".byte 0x44, 0x0f, 0x23, 0xf8");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "#UD, invalid opcode (vector 6)",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "exceptions,decode" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
