// SPDX-License-Identifier: MIT
/*
 * Instructions that 64-bit mode removed still execute in 32-bit protected
 * mode (KVMKIT_GUEST_MODE(32)), with their exceptions:
 *
 * - BOUND (62 /r) raises #BR when the index is below the lower or above
 *   the upper bound and nothing at or inside them;
 * - INTO (CE) raises #OF when OF = 1 and nothing when OF = 0;
 * - DAA (27) adjusts AL after a packed-BCD addition: 0x0f -> 0x15;
 * - PUSHA (60) stores ESP's value from before the instruction, POPA (61)
 *   restores the others.
 *
 * Where it is written: Intel SDM Vol. 2A "BOUND" ("#BR If the bounds test
 * fails"; "#UD ... in 64-bit mode"), "INT n/INTO/INT3/INT1" (INTO: "if
 * OF = 1", invalid in 64-bit mode), "DAA" (the AL adjustment; #UD in
 * 64-bit mode); Vol. 2B "PUSHA/PUSHAD" ("Temp := (ESP); Push(EAX) ...
 * Push(Temp)").
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32);

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static void expect_vec(int got, int want, uint32_t code, uint32_t want_code,
		       const char *what)
{
	if (got == want && code == want_code)
		tst_res(TPASS, "%s: vector %d, error code 0x%x", what, got, code);
	else
		tst_res(TFAIL, "%s: vector %d error code 0x%x, expected %d 0x%x",
			what, got, code, want, want_code);
}

struct bounds { int32_t lower, upper; };

static void bound(void *arg)
{
	static const struct bounds b = { -4, 10 };
	int32_t index = *(int32_t *)arg;

	/* BOUND r32, m32&32: 62 /r, an invalid opcode form in 64-bit mode */
	asm volatile("bound %0, %1" : : "r"(index), "m"(b));
}

static void bound_checks(void)
{
	static const int32_t in[] = { -4, 0, 10 }, out[] = { -5, 11, 0x7fffffff };
	struct kvm_fault f = { 0 };
	unsigned int i;
	int32_t x;

	for (i = 0; i < 3; i++) {
		x = in[i];
		if (kvm_call_safe(bound, &x, &f))
			tst_res(TFAIL, "BOUND %d in [-4, 10]: vector %d", x, f.vector);
		else
			tst_res(TPASS, "BOUND %d in [-4, 10]: no fault", x);
		x = out[i];
		expect_vec(kvm_call_safe(bound, &x, &f), INTR_BOUND_RANGE_EXC,
			   f.error_code, 0, "BOUND outside [-4, 10] -> #BR");
	}
}

static void into(void *arg)
{
	int32_t a = *(int32_t *)arg;

	asm volatile("add $1, %0\n\tinto" : "+r"(a) : : "cc");
}

static void legacy_instructions(void)
{
	struct kvm_fault f = { 0 };
	int32_t x = 0x7fffffff;
	uint32_t al = 0x0f, regs[8], esp_before;

	expect_vec(kvm_call_safe(into, &x, &f), INTR_OVERFLOW, f.error_code, 0,
		   "INTO after 0x7fffffff + 1 (OF = 1) -> #OF");
	x = 1;
	expect_vec(kvm_call_safe(into, &x, &f), 0, f.error_code, 0,
		   "INTO after 1 + 1 (OF = 0): no fault");

	asm volatile("daa" : "+a"(al) : : "cc");
	if ((al & 0xff) == 0x15)
		tst_res(TPASS, "DAA: AL 0x0f -> 0x15");
	else
		tst_res(TFAIL, "DAA: AL 0x0f -> 0x%x, expected 0x15", al & 0xff);

	/* PUSHA stores EAX ECX EDX EBX ESP(original) EBP ESI EDI, EDI lowest */
	asm volatile("mov %%esp, %1\n\t"
		     "pusha\n\t"
		     "mov %%esp, %%eax\n\t"
		     "mov 12(%%eax), %%edx\n\t"
		     "mov %%edx, 12(%2)\n\t"
		     "popa"
		     : "=m"(regs), "=&r"(esp_before) : "r"(regs)
		     : "eax", "edx", "memory");
	if (regs[3] == esp_before)
		tst_res(TPASS, "PUSHA stores ESP as it was before (0x%x)",
			esp_before);
	else
		tst_res(TFAIL, "PUSHA stored ESP 0x%x, expected 0x%x", regs[3],
			esp_before);
}

void main(void)
{
	bound_checks();
	legacy_instructions();
}
#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Instructions 64-bit mode removed still execute in 32-bit protected mode",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mode32" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
