/* kvmkit-expect: exit=0,32 match=(TPASS: int \$0xff|TCONF: this KVM cannot emulate INT) */
/* kvmkit-expect: nomatch=TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Guest runtime: software interrupts.  int3 (#BP, a trap: the frame holds
 * the next instruction) and INT n for a few vectors above 31 (no error
 * code, RIP after the instruction) must reach their callbacks and resume.
 *
 * KVM's instruction emulator implements INT n only in real mode, so a
 * host that emulates guest kernel code (kvm_pvm does) stops the VM with
 * an emulation failure on the first one.  The controller recognises
 * exactly that case and reports TCONF; any other outcome is judged.  It
 * lives with the hostile checks because only check.sh can accept either
 * a pass or that one skip (exit 0 or 32) while still failing on TFAIL or
 * TBROK; the runner's --strict mode fails every skip.
 */
#include "kvm_test.h"
#include "../guest/inject.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static unsigned long seen_vector, seen_errcode, seen_count;
static uintptr_t seen_ip;

static int record(void *userdata, struct kvm_interrupt_frame *ifrm,
		  unsigned long errcode)
{
	seen_count++;
	seen_vector = (uintptr_t)userdata;
	seen_errcode = errcode;
	seen_ip = kvm_get_interrupt_ip(ifrm);
	return 1;
}

/* The software interrupt INSN, and the address right after it */
#define SOFT_INT(insn) ({						\
	uintptr_t after_;						\
	asm volatile(insn "\n1:\tlea 1b(%%rip), %0"			\
		     : "=r"(after_) : : "memory");			\
	after_;								\
})

static void expect(const char *what, unsigned long vector, uintptr_t after)
{
	if (seen_count == 1 && seen_vector == vector && !seen_errcode &&
	    seen_ip == after)
		tst_res(TPASS, "%s: vector %lu, error code 0, RIP after it",
			what, vector);
	else
		tst_res(TFAIL, "%s: %lu calls, vector %lu, error code 0x%lx, RIP 0x%lx (expected 1, %lu, 0, 0x%lx)",
			what, seen_count, seen_vector, seen_errcode,
			(unsigned long)seen_ip, vector, (unsigned long)after);
	seen_count = 0;
	seen_vector = seen_errcode = ~0UL;
}

void main(void)
{
	static const unsigned int vectors[] = { 3, 0x20, 0x80, 0xff };
	unsigned int i;
	uintptr_t after;

	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		tst_set_interrupt_callback(vectors[i], record,
					   (void *)(uintptr_t)vectors[i]);

	after = SOFT_INT("int3");
	expect("int3", 3, after);
	after = SOFT_INT("int $3");
	expect("int $3", 3, after);
	after = SOFT_INT("int $0x20");
	expect("int $0x20", 0x20, after);
	after = SOFT_INT("int $0x80");
	expect("int $0x80", 0x80, after);
	after = SOFT_INT("int $0xff");
	expect("int $0xff", 0xff, after);
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	inject_test(INJECT_TCONF_SOFT_INT);
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = inject_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TPASS,TCONF" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "int3 and INT n reach their callbacks and resume (TCONF where KVM cannot emulate them)",
};

#endif /* COMPILE_PAYLOAD */
