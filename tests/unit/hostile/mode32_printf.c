/* kvmkit-expect: exit=6,32 match=(^mode32_printf\.c:[0-9]+: TINFO: m32 host 123456789abcdef0 -1234567890123 -42 4000000000 str z end$|TCONF: this KVM does not run 32-bit protected mode) */
/* kvmkit-expect: match=(^mode32_printf\.c:801: TINFO: m32 buf <\(bad address 0x90000000\)> 123456789abcdef0 -7 \[bad format or argument\]$|TCONF) */
/* kvmkit-expect: match=(^mode32_printf\.c:802: TINFO: m32 max( [0-9]+){32}( \(missing argument\)){4}  \[bad format or argument\]$|TCONF) */
/* kvmkit-expect: match=(^mode32_printf\.c:803: TINFO: \(tst_res format at 0x90000000 is not in guest memory\)|TCONF) */
/* kvmkit-expect: match=(TBROK: \(tst_res arguments at 0x7ffffff4 are not in guest memory\)|TCONF) */
/* kvmkit-expect: nomatch=(^| )33 |TFAIL */
// SPDX-License-Identifier: MIT
/*
 * Hostile 32-bit guest (KVMKIT_GUEST_MODE(32pae)): KVMKIT_HC_PRINTF's
 * arguments are on the i386 stack, so %esp is switched, for the OUT only,
 * to a buffer of chosen words or to an address the host cannot read:
 *
 * - 801: a %s of an unmapped address, a %llx taking two 4-byte slots, a
 *   negative %d: a placeholder, the 64-bit value whole, -7;
 * - 802: 36 conversions: the host reads KVMKIT_PRINTF_MAX_ARGS (32)
 *   arguments and prints "(missing argument)" for the other 4 (33 must
 *   not appear although the buffer holds it);
 * - 803: the format pointer unmapped;
 * - last: %esp + 4 at 2 GiB - 12, so the four fixed words run into the
 *   unmapped 2 GiB: nothing can be read, the host says so as TBROK.
 * Every such report is flagged (TWARN); the last one ends the run (TBROK:
 * exit status 2 | 4).  The correct C call before them is formatted by the
 * host from the i386 stack.
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32pae);

#ifdef COMPILE_PAYLOAD

#define D6	"%d %d %d %d %d %d "
#define D36	D6 D6 D6 D6 D6 D6

static uint32_t stk[64] __attribute__((aligned(16)));

/* The doorbell with %esp = sp; the words above it are the arguments */
static void out_at(uint32_t sp)
{
	asm volatile("mov %%esp, %%ebx\n\t"
		     "mov %0, %%esp\n\t"
		     "out %%eax, %1\n\t"
		     "mov %%ebx, %%esp"
		     : : "r"(sp), "i"(KVMKIT_HC_PORT), "a"(KVMKIT_HC_PRINTF)
		     : "ebx", "memory");
}

static void frame(unsigned int line, const char *fmt)
{
	stk[0] = 0xbadc0de;	/* the return address */
	stk[1] = (uintptr_t)__FILE__;
	stk[2] = line;
	stk[3] = TINFO;
	stk[4] = (uintptr_t)fmt;
}

void main(void)
{
	unsigned int i;

	tst_res(TINFO, "m32 host %llx %lld %d %lu %s %c end",
		0x123456789abcdef0ULL, -1234567890123LL, -42, 4000000000UL,
		"str", 'z');

	frame(801, "m32 buf <%s> %llx %d");
	stk[5] = 0x90000000;
	stk[6] = 0x9abcdef0;
	stk[7] = 0x12345678;
	stk[8] = (uint32_t)-7;
	out_at((uintptr_t)stk);

	frame(802, "m32 max " D36);
	for (i = 5; i < 64; i++)
		stk[i] = i - 4;
	out_at((uintptr_t)stk);

	frame(803, "");
	stk[4] = 0x90000000;
	out_at((uintptr_t)stk);

	out_at(0x80000000u - 16);
	tst_res(TPASS, "survived hostile i386 stack slots");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK|TWARN,TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "garbage i386 stack slots as tst_res() arguments never crash the host",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
