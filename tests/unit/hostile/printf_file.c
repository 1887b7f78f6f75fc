/* kvmkit-expect: exit=0 match=^<bad file address 0x7ff000000000>:101: TINFO: file outside RAM 1 2$ */
/* kvmkit-expect: match=^<bad file address 0x40000000>:102: TINFO: file past RAM in the identity map 1 2$ */
/* kvmkit-expect: match=^<bad file address 0x80000000>:103: TINFO: file in the 2-4 GiB hole 1 2$ */
/* kvmkit-expect: match=^<bad file address 0xffffe000>:104: TINFO: file below the result page 1 2$ */
/* kvmkit-expect: match=^<bad file address 0x100000000>:105: TINFO: file above 4 GiB 1 2$ */
/* kvmkit-expect: match=^<bad file address 0x8000000000000000>:106: TINFO: file non-canonical 1 2$ */
/* kvmkit-expect: match=^<bad file address 0xffffffffffffffff>:107: TINFO: file at the last byte of the address space 1 2$ */
/* kvmkit-expect: match=^printf_file\.c:108: TINFO: file in the result page 1 2$ */
/* kvmkit-expect: match=^printf_file\.c:-1: TINFO: dirty upper halves 1 2$ */
/* kvmkit-expect: count=9 match=: TINFO: .* 1 2$ */
/* kvmkit-expect: match=^printf_file\.c:[0-9]+: TPASS: survived bad file names$ */
/* kvmkit-expect: nomatch=TFAIL|TBROK|TWARN */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF whose file name (%rdi) cannot be read:
 * outside RAM, past RAM inside the identity map, in the unmapped 2-4 GiB
 * hole, above 4 GiB, non-canonical, the last byte of the address space.
 * The host prints the message under its placeholder file name, reads
 * nothing outside guest memory and resumes.  A name in the result page
 * is guest memory and prints as such, and only the low halves of %rsi
 * and %rdx count (line -1 here, from 0xffffffff).
 *
 * A name that runs off the end of RAM is printf_file_end.c.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

static void bad_file(uint64_t file, unsigned int line, const char *msg)
{
	raw_printf(file, line, TINFO, (uintptr_t)msg, 1, 2);
}

void main(void)
{
	struct tst_kvm_result *page = pf_ptr(KVMKIT_RESULT_BASE);

	bad_file(0x7ff000000000ULL, 101, "file outside RAM %d %d");
	bad_file(0x40000000ULL, 102, "file past RAM in the identity map %d %d");
	bad_file(0x80000000ULL, 103, "file in the 2-4 GiB hole %d %d");
	bad_file(0xffffe000ULL, 104, "file below the result page %d %d");
	bad_file(0x100000000ULL, 105, "file above 4 GiB %d %d");
	bad_file(0x8000000000000000ULL, 106, "file non-canonical %d %d");
	bad_file(0xffffffffffffffffULL, 107, "file at the last byte of the address space %d %d");

	strcpy(page->message, __FILE__);
	bad_file((uintptr_t)page->message, 108, "file in the result page %d %d");

	raw_printf((uintptr_t)__FILE__, 0x12345678ffffffffULL,
		   0xdead0000ULL << 32 | TINFO,
		   (uintptr_t)"dirty upper halves %d %d",
		   0xffffffff00000001ULL, 0x0000000100000002ULL);

	tst_res(TPASS, "survived bad file names");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "KVMKIT_HC_PRINTF whose file name (%rdi) cannot be read",
};

#endif /* COMPILE_PAYLOAD */
