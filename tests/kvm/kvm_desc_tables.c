// SPDX-License-Identifier: MIT
/*
 * Descriptor-table registers in 64-bit mode: SGDT/SIDT store a 10-byte
 * limit:base; LGDT/LIDT load any canonical base and limit, and SGDT/SIDT
 * then return exactly that; SLDT returns 0 (no LDT loaded) and STR the TSS
 * selector; LTR of an available 64-bit TSS descriptor loads TR and marks
 * the descriptor busy (type 1011b); LTR of that now-busy descriptor, of a
 * data segment, or of the null selector raises #GP (error code the
 * selector, or 0 for null); LLDT with a selector that is not an LDT
 * descriptor raises #GP(selector), LLDT with null is allowed.
 *
 * Where it is written: Intel SDM Vol. 2B "SGDT", "SIDT" (64-bit mode:
 * 2-byte limit and 8-byte base), Vol. 2A "LGDT/LIDT"; Vol. 2B "SLDT",
 * "STR"; Vol. 2A "LTR - Load Task Register" ("After the segment selector
 * is loaded in the task register, the processor ... marks the TSS busy";
 * #GP(0) "If the source operand contains a NULL segment selector";
 * #GP(selector) "If the source selector points to a segment that is not a
 * TSS or to one for a task that is already busy"); Vol. 2A "LLDT"
 * (#GP(selector) "If the selector operand does not point into the Global
 * Descriptor Table or if the entry in the GDT is not a Local Descriptor
 * Table (LDT) segment"; a null selector marks LDTR invalid).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void dt_round_trip(int idt)
{
	struct dtr orig, set = { 0x1ff, 0xffff800012345000ULL }, got = { 0, 0 };
	const char *name = idt ? "IDT" : "GDT";

	/* No exception may arrive while a table is bogus: these cannot fault */
	if (idt) {
		asm volatile("sidt %0" : "=m"(orig));
		asm volatile("cli\n\tlidt %1\n\tsidt %0\n\tlidt %2\n\tsti"
			     : "=m"(got) : "m"(set), "m"(orig) : "memory");
	} else {
		asm volatile("sgdt %0" : "=m"(orig));
		asm volatile("cli\n\tlgdt %1\n\tsgdt %0\n\tlgdt %2\n\tsti"
			     : "=m"(got) : "m"(set), "m"(orig) : "memory");
	}
	if (got.limit == set.limit && got.base == set.base)
		tst_res(TPASS, "L%s/S%s round trip: limit 0x%x base 0x%llx", name,
			name, got.limit, (unsigned long long)got.base);
	else
		tst_res(TFAIL, "L%s 0x%x:0x%llx, S%s 0x%x:0x%llx", name, set.limit,
			(unsigned long long)set.base, name, got.limit,
			(unsigned long long)got.base);
}

static int ltr_safe(uint16_t sel)
{
	suite_begin();
	asm volatile(SUITE_TRY("ltr %w0") : : "r"((uint32_t)sel) : "memory");
	return suite_end();
}

static int lldt_safe(uint16_t sel)
{
	suite_begin();
	asm volatile(SUITE_TRY("lldt %w0") : : "r"((uint32_t)sel) : "memory");
	return suite_end();
}

void main(void)
{
	uint16_t ldtr = 0xffff, tr = 0;
	int i;
	unsigned int sel;
	uint8_t type;

	suite_catch_all();
	dt_round_trip(0);
	dt_round_trip(1);

	asm volatile("sldt %0\n\tstr %1" : "=r"(ldtr), "=r"(tr));
	if (ldtr == 0 && tr == KVMKIT_SEL_TSS)
		tst_res(TPASS, "SLDT 0, STR 0x%x", tr);
	else
		tst_res(TFAIL, "SLDT 0x%x, STR 0x%x; expected 0, 0x%x", ldtr, tr,
			KVMKIT_SEL_TSS);

	/* A copy of the TSS descriptor (two slots), available */
	for (i = 6; i + 1 < KVM_GDT_SIZE; i += 2)
		if (!(((uint8_t *)&kvm_gdt[i])[5] & 0x80) &&
		    !(((uint8_t *)&kvm_gdt[i + 1])[5] & 0x80))
			break;
	if (i + 1 >= KVM_GDT_SIZE)
		tst_brk(TBROK, "no two free GDT slots");
	memcpy(&kvm_gdt[i], &kvm_gdt[KVMKIT_SEL_TSS >> 3], 16);
	((uint8_t *)&kvm_gdt[i])[5] = (((uint8_t *)&kvm_gdt[i])[5] & ~0xf) |
				      SEGTYPE_TSS;
	sel = i * 8;

	ltr_safe(sel);
	if (suite_expect_none("LTR of an available 64-bit TSS")) {
		asm volatile("str %0" : "=r"(tr));
		type = ((uint8_t *)&kvm_gdt[i])[5] & 0xf;
		if (tr == sel && type == SEGTYPE_TSS_BUSY)
			tst_res(TPASS, "LTR: TR 0x%x, descriptor type now busy (0x%x)",
				tr, type);
		else
			tst_res(TFAIL, "LTR: TR 0x%x (expected 0x%x), descriptor type 0x%x (expected 0xb)",
				tr, sel, type);
		ltr_safe(sel);
		suite_expect("LTR of a busy TSS", INTR_GPF, sel, SUITE_FAULT);
	}
	ltr_safe(KVMKIT_SEL_DATA);
	suite_expect("LTR of a data segment", INTR_GPF, KVMKIT_SEL_DATA,
		     SUITE_FAULT);
	ltr_safe(0);
	suite_expect("LTR of the null selector", INTR_GPF, 0, SUITE_FAULT);

	lldt_safe(KVMKIT_SEL_DATA);
	suite_expect("LLDT of a data segment", INTR_GPF, KVMKIT_SEL_DATA,
		     SUITE_FAULT);
	lldt_safe(0);
	suite_expect_none("LLDT of the null selector");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Descriptor-table registers in 64-bit mode",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "segments,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
