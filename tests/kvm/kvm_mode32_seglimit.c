// SPDX-License-Identifier: MIT
/*
 * Segment limits are enforced in 32-bit protected mode
 * (KVMKIT_GUEST_MODE(32)); 64-bit mode ignores them for data segments.
 *
 * - With a byte-granular limit L loaded in ES, a read of ES:L works and
 *   ES:L+1 raises #GP(0); with G = 1 and limit 0, ES:0xfff works and
 *   ES:0x1000 faults.  LSL first confirms the descriptor's limit.
 * - SS with limit 0x7fffffff (the stack lies inside it): an SS:0x90000000
 *   read raises #SS(0), not the #PF of the unmapped address.
 *
 * Where it is written: Intel SDM Vol. 3A 5.3 "Limit Checking" ("the
 * processor generates a general-protection exception (#GP) or, for
 * segments referenced by SS, a stack-fault exception (#SS) whenever an
 * attempt is made to access ... beyond the limit"), 3.4.5 (the G flag:
 * limit in 4 KiB units, the low 12 bits all ones); 6.15 (#SS(0) for a
 * limit violation by an SS-relative access).
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32);

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static unsigned int es_sel, ss_sel;

static void expect_vec(int got, int want, uint32_t code, uint32_t want_code,
		       const char *what)
{
	if (got == want && code == want_code)
		tst_res(TPASS, "%s: vector %d, error code 0x%x", what, got, code);
	else
		tst_res(TFAIL, "%s: vector %d error code 0x%x, expected %d 0x%x",
			what, got, code, want, want_code);
}

static void read_es(void *arg)
{
	uint32_t off = *(uint32_t *)arg, v;

	asm volatile("push %%es\n\t"
		     "mov %w2, %%es\n\t"
		     "movb %%es:(%1), %b0\n\t"
		     "pop %%es"
		     : "=&q"(v) : "r"(off), "r"(es_sel) : "memory");
}

static void read_ss_far(void *arg)
{
	uint32_t v, saved;

	(void)arg;
	asm volatile("mov %%ss, %1\n\t"
		     "mov %w2, %%ss\n\t"
		     "mov %%ss:0x90000000, %0\n\t"
		     "mov %1, %%ss"
		     : "=&r"(v), "=&r"(saved) : "r"(ss_sel) : "memory");
}

static void es_limit(uint32_t limit, unsigned int flags, uint32_t ok_off,
		     const char *what)
{
	struct kvm_fault f = { 0 };
	uint32_t off = ok_off;
	int vec;

	uint32_t lsl = 0;

	kvm_set_segment_descriptor(&kvm_gdt[es_sel >> 3], 0, limit,
				   SEGTYPE_RWDATA | SEGFLAG_PRESENT |
				   SEGFLAG_32BIT | flags);
	/* The descriptor is what the CPU sees: LSL reads its byte limit */
	asm volatile("lsl %1, %0" : "=r"(lsl) : "r"(es_sel) : "cc");
	if (lsl != ok_off)
		tst_res(TFAIL, "LSL of the ES descriptor: 0x%x, expected 0x%x",
			lsl, ok_off);
	vec = kvm_call_safe(read_es, &off, &f);
	expect_vec(vec, 0, f.error_code, 0, what);
	off = ok_off + 1;
	vec = kvm_call_safe(read_es, &off, &f);
	expect_vec(vec, INTR_GPF, f.error_code, 0, "... one byte past it");
}

static void segment_limits(void)
{
	struct kvm_fault f = { 0 };
	int slot = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	int slot2;

	if (slot < 0)
		tst_brk(TBROK, "no free GDT slot");
	es_sel = slot << 3;
	kvm_set_segment_descriptor(&kvm_gdt[slot], 0, 0, SEGFLAG_PRESENT |
				   SEGTYPE_RWDATA);
	slot2 = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	if (slot2 < 0)
		tst_brk(TBROK, "no free GDT slot");
	ss_sel = slot2 << 3;

	es_limit(0x1233, 0, 0x1233, "ES limit 0x1233 (byte granular): ES:0x1233");
	es_limit(0, SEGFLAG_PAGE_LIMIT, 0xfff, "ES limit 0 with G = 1: ES:0xfff");

	kvm_set_segment_descriptor(&kvm_gdt[slot2], 0, 0x7ffff,
				   SEGTYPE_RWDATA | SEGFLAG_PRESENT |
				   SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT);
	expect_vec(kvm_call_safe(read_ss_far, NULL, &f), INTR_STACK_FAULT,
		   f.error_code, 0, "SS limit 0x7fffffff: SS:0x90000000 -> #SS(0)");
}

void main(void)
{
	segment_limits();
}
#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Segment limits are enforced in 32-bit protected mode (KVMKIT_GUEST_MODE(32))",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mode32" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
