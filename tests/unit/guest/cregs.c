// SPDX-License-Identifier: MIT
/*
 * Host CPU setup as main() sees it (the boot contract in <kvmkit/abi.h>):
 * control registers via kvm_read_cregs(), selectors via kvm_read_sregs(),
 * GDTR/IDTR, RFLAGS.IF, the GDT descriptors the host wrote and the IST1
 * stack the guest's entry code installs for #DF/NMI/#MC.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define CR4_WANT	(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define CR0_WANT	(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define CR0_NEVER	(CR0_EM | CR0_TS | CR0_NW | CR0_CD)

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void expect(int ok, const char *what, unsigned long got)
{
	if (ok)
		tst_res(TPASS, "%s (0x%lx)", what, got);
	else
		tst_res(TFAIL, "%s: got 0x%lx", what, got);
}

static void control_registers(void)
{
	struct kvm_cregs cr;

	kvm_read_cregs(&cr);
	expect((cr.cr0 & CR0_WANT) == CR0_WANT && !(cr.cr0 & CR0_NEVER),
	       "CR0 has PE MP ET NE WP PG, not EM TS NW CD", cr.cr0);
	expect((cr.cr4 & CR4_WANT) == CR4_WANT && !(cr.cr4 & CR4_LA57),
	       "CR4 has PAE OSFXSR OSXMMEXCPT, not LA57", cr.cr4);
	expect(cr.cr3 == (uintptr_t)kvm_pagetable,
	       "CR3 == &kvm_pagetable", cr.cr3);
	expect(kvm_read_cr0() == cr.cr0 && kvm_read_cr3() == cr.cr3 &&
	       kvm_read_cr4() == cr.cr4,
	       "kvm_read_cr0/3/4 agree with kvm_read_cregs", cr.cr0);
}

static void segment_registers(void)
{
	struct kvm_sregs s;

	kvm_read_sregs(&s);
	expect(s.cs == KVMKIT_SEL_CODE64, "CS == 0x08", s.cs);
	expect(s.ss == KVMKIT_SEL_DATA && s.ds == KVMKIT_SEL_DATA &&
	       s.es == KVMKIT_SEL_DATA && s.fs == KVMKIT_SEL_DATA &&
	       s.gs == KVMKIT_SEL_DATA,
	       "SS DS ES FS GS == 0x10",
	       (unsigned long)s.ss << 32 | s.ds << 16 | s.es);
	expect(s.tr == KVMKIT_SEL_TSS, "TR == 0x18", s.tr);
}

static void descriptor_tables(void)
{
	struct dtr gdtr, idtr;
	unsigned long rflags;

	asm volatile("sgdt %0" : "=m"(gdtr));
	asm volatile("sidt %0" : "=m"(idtr));
	asm volatile("pushf\n\tpop %0" : "=r"(rflags));

	expect(gdtr.base == (uintptr_t)kvm_gdt &&
	       gdtr.limit == KVM_GDT_SIZE * 8 - 1,
	       "GDTR == kvm_gdt, 32 entries", gdtr.base);
	expect(idtr.base == (uintptr_t)kvm_idt &&
	       idtr.limit == X86_INTR_COUNT * 16 - 1,
	       "IDTR == kvm_idt, 256 gates", idtr.base);
	expect(rflags & (1UL << 9), "RFLAGS.IF set", rflags);
}

static void check_descriptor(unsigned int index, unsigned int want_flags,
			     unsigned int mask, const char *what)
{
	uint64_t base;
	uint32_t limit;
	unsigned int flags;

	kvm_parse_segment_descriptor(&kvm_gdt[index], &base, &limit, &flags);
	if ((flags & mask) == want_flags)
		tst_res(TPASS, "GDT[%u] %s: flags 0x%x", index, what, flags);
	else
		tst_res(TFAIL, "GDT[%u] %s: flags 0x%x, expected 0x%x under mask 0x%x",
			index, what, flags, want_flags, mask);
}

static void gdt_and_tss(void)
{
	const struct segment_descriptor64 *tss =
		(const struct segment_descriptor64 *)&kvm_gdt[3];
	uint64_t tss_base = tss->baseaddr_lo |
			    (uint64_t)tss->baseaddr_hi << 24;
	const unsigned int mask = SEGTYPE_MASK | SEGFLAG_PRESENT |
				  SEGFLAG_CODE64 | SEGFLAG_32BIT;

	check_descriptor(1, SEGTYPE_CODE | SEGFLAG_PRESENT | SEGFLAG_CODE64,
			 mask & ~0x01, "64-bit code");
	check_descriptor(2, SEGTYPE_RWDATA | SEGFLAG_PRESENT,
			 mask & ~(0x01 | SEGFLAG_32BIT), "data");
	check_descriptor(5, SEGTYPE_CODE | SEGFLAG_PRESENT | SEGFLAG_32BIT,
			 mask & ~0x01, "32-bit code");

	/* KVM_SET_SREGS loads TR without marking memory busy: allow both */
	expect((tss->flags_lo & (SEGFLAG_PRESENT | (SEGTYPE_MASK & ~2))) ==
	       (SEGFLAG_PRESENT | SEGTYPE_TSS) &&
	       tss_base == (uintptr_t)&kvm_tss,
	       "GDT[3] 64-bit TSS at &kvm_tss", tss_base);

	/* Entry code must set IST1 before anything can fault */
	expect(kvm_tss.ist[0] && !(kvm_tss.ist[0] & 0xf) &&
	       kvm_tss.ist[0] != (uintptr_t)kvm_stack_top,
	       "TSS IST1 set, 16-byte aligned, not the main stack",
	       kvm_tss.ist[0]);
	expect(kvm_idt[8].ist == KVMKIT_DF_IST && kvm_idt[2].ist == KVMKIT_DF_IST &&
	       kvm_idt[18].ist == KVMKIT_DF_IST && kvm_idt[14].ist == 0,
	       "IDT: #DF, NMI, #MC on IST1, #PF on the current stack",
	       kvm_idt[8].ist);
}

void main(void)
{
	control_registers();
	segment_registers();
	descriptor_tables();
	gdt_and_tss();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvmkit_desc = "control registers, selectors, GDT/IDT and IST stacks of the boot contract",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
