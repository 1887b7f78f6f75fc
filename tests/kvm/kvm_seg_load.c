// SPDX-License-Identifier: MIT
/*
 * Loading data-segment registers and SS in 64-bit mode at CPL 0, each
 * check against a descriptor this test writes into a free GDT slot:
 * - DS accepts a null selector and a readable code segment;
 * - DS with a system (TSS) descriptor or an execute-only code segment:
 *   #GP(selector);
 * - DS with a not-present data segment: #NP(selector);
 * - DS with RPL 3 for a DPL 0 data segment: #GP(selector) (the DPL must be
 *   >= both CPL and RPL);
 * - SS with a code segment, a read-only data segment, or a selector whose
 *   RPL or descriptor DPL differs from CPL: #GP(selector);
 * - SS with a not-present writable data segment: #SS(selector).
 * Error codes are the selector with the RPL bits replaced by TI/IDT/EXT,
 * i.e. the selector & 0xfffc for the GDT.
 *
 * Where it is written: Intel SDM Vol. 2B "MOV - Move" and "POP" Protected
 * Mode/64-Bit Mode Exceptions (#GP(selector) "If the SS register is being
 * loaded and the segment selector's RPL and the segment descriptor's DPL
 * are not equal to the CPL", "... the segment pointed to is a non-writable
 * data segment", "If the DS, ES, FS, or GS register is being loaded and
 * the segment pointed to is not a data or readable code segment"; #SS(
 * selector) "If the SS register is being loaded and the segment pointed to
 * is marked not present"; #NP "If the DS, ES, FS, or GS register is being
 * loaded and the segment pointed to is marked not present"); Vol. 3A 6.13
 * "Error Code"; Vol. 3A 5.7 "Privilege Level Checking When Accessing Data
 * Segments" (loaded "if the DPL is numerically greater than or equal to
 * both the CPL and the RPL").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define DPL3	0x60

static int load_ds(uint16_t sel)
{
	suite_begin();
	asm volatile("mov %%ds, %%eax\n\t"
		     SUITE_TRY("mov %0, %%ds")
		     "mov %%eax, %%ds"
		     : : "r"((uint32_t)sel) : "rax", "memory");
	return suite_end();
}

static int load_ss(uint16_t sel)
{
	suite_begin();
	asm volatile("mov %%ss, %%eax\n\t"
		     SUITE_TRY("mov %0, %%ss")
		     "mov %%eax, %%ss"
		     : : "r"((uint32_t)sel) : "rax", "memory");
	return suite_end();
}

static unsigned int slot(unsigned int flags)
{
	int i = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);

	if (i < 0)
		tst_brk(TBROK, "no free GDT slot");
	kvm_set_segment_descriptor(&kvm_gdt[i], 0, 0xfffff,
				   flags | SEGFLAG_PAGE_LIMIT | SEGFLAG_32BIT);
	return i * 8;
}

void main(void)
{
	unsigned int np_data, xonly, rodata, dpl3, ok_data;
	char what[96];

	suite_catch_all();
	ok_data = slot(SEGTYPE_RWDATA | SEGFLAG_PRESENT);
	xonly = slot(0x18 | SEGFLAG_PRESENT);	/* code, execute-only */
	rodata = slot(SEGTYPE_RODATA | SEGFLAG_PRESENT);
	dpl3 = slot(SEGTYPE_RWDATA | SEGFLAG_PRESENT | DPL3);
	/* Last: a not-present slot looks free to kvm_find_free_descriptor() */
	np_data = slot(SEGTYPE_RWDATA);

	load_ds(0);
	suite_expect_none("DS = null selector");
	load_ds(KVMKIT_SEL_CODE64);
	suite_expect_none("DS = readable code segment 0x08");
	load_ds(ok_data);
	suite_expect_none("DS = present writable data segment");
	load_ds(KVMKIT_SEL_TSS);
	suite_expect("DS = TSS selector 0x18", INTR_GPF, KVMKIT_SEL_TSS,
		     SUITE_FAULT);
	snprintf(what, sizeof(what), "DS = execute-only code segment 0x%x", xonly);
	load_ds(xonly);
	suite_expect(what, INTR_GPF, xonly, SUITE_FAULT);
	snprintf(what, sizeof(what), "DS = not-present data segment 0x%x", np_data);
	load_ds(np_data);
	suite_expect(what, INTR_SEGFAULT, np_data, SUITE_FAULT);
	snprintf(what, sizeof(what), "DS = data segment 0x%x with RPL 3", ok_data);
	load_ds(ok_data | 3);
	suite_expect(what, INTR_GPF, ok_data, SUITE_FAULT);

	load_ss(ok_data);
	suite_expect_none("SS = present writable data segment, DPL 0");
	load_ss(KVMKIT_SEL_CODE64);
	suite_expect("SS = code segment 0x08", INTR_GPF, KVMKIT_SEL_CODE64,
		     SUITE_FAULT);
	snprintf(what, sizeof(what), "SS = read-only data segment 0x%x", rodata);
	load_ss(rodata);
	suite_expect(what, INTR_GPF, rodata, SUITE_FAULT);
	snprintf(what, sizeof(what), "SS = data segment 0x%x with RPL 3", ok_data);
	load_ss(ok_data | 3);
	suite_expect(what, INTR_GPF, ok_data, SUITE_FAULT);
	snprintf(what, sizeof(what), "SS = data segment 0x%x with DPL 3", dpl3);
	load_ss(dpl3);
	suite_expect(what, INTR_GPF, dpl3, SUITE_FAULT);
	snprintf(what, sizeof(what), "SS = not-present data segment 0x%x", np_data);
	load_ss(np_data);
	suite_expect(what, INTR_STACK_FAULT, np_data, SUITE_FAULT);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Loading data-segment registers and SS in 64-bit mode at CPL 0",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "segments,exceptions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
