// SPDX-License-Identifier: MIT
/*
 * Cache and TLB maintenance instructions and their access checks:
 * CLFLUSH of a non-canonical address raises #GP(0) and of an unmapped
 * canonical address raises #PF (it is checked like a byte read, so a
 * read-only page does not fault); INVLPG never faults: not on an unmapped
 * address, and in 64-bit mode not on a non-canonical one either (it is
 * then a NOP); PREFETCHh and PREFETCHW hints never fault.
 *
 * Where it is written: Intel SDM Vol. 2A "CLFLUSH" (64-Bit Mode
 * Exceptions: #GP(0) "If the memory address is in a non-canonical form",
 * #PF(fault-code) "For a page fault"; the instruction is "subject to all
 * permission checking and faults associated with a byte load"); Vol. 2A
 * "INVLPG" ("If the memory address is in non-canonical form ... INVLPG is
 * the same as a NOP"; it does not access the operand's memory); Vol. 2B
 * "PREFETCHh" ("does not affect program behavior ... will not cause
 * exceptions").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define ONE(insn, addr) ({					\
	suite_begin();							\
	asm volatile(SUITE_TRY(insn " (%0)") : : "r"(addr) : "memory");	\
	suite_end();							\
})

void main(void)
{
	uint64_t *frame = suite_alloc_page();
	uintptr_t ro = suite_map(0, (uintptr_t)frame, SUITE_PTE_P);
	uintptr_t hole = suite_map(1, 0, 0);	/* not present */
	uintptr_t noncanon = 0x0000800000000040ULL;

	suite_catch_all();

	ONE("clflush", noncanon);
	suite_expect("CLFLUSH of a non-canonical address", INTR_GPF, 0,
		     SUITE_FAULT);
	ONE("clflush", hole + 0x40);
	suite_expect_pf("CLFLUSH of an unmapped address", 0, hole + 0x40,
			SUITE_FAULT);
	ONE("clflush", ro + 0x40);
	suite_expect_none("CLFLUSH of a read-only page");

	ONE("invlpg", hole + 0x80);
	suite_expect_none("INVLPG of an unmapped address");
	ONE("invlpg", noncanon);
	suite_expect_none("INVLPG of a non-canonical address (a NOP)");

	ONE("prefetcht0", hole + 0xc0);
	suite_expect_none("PREFETCHT0 of an unmapped address");
	ONE("prefetchnta", noncanon);
	suite_expect_none("PREFETCHNTA of a non-canonical address");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Cache and TLB maintenance instructions and their access checks",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
