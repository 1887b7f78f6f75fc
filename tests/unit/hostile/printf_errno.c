/* kvmkit-expect: exit=1 match=^printf_errno\.c:801: TFAIL: tfail terrno 1$ */
/* kvmkit-expect: match=^printf_errno\.c:802: TINFO: tinfo tterrno 1$ */
/* kvmkit-expect: match=^printf_errno\.c:803: TPASS: tpass rerrno 1$ */
/* kvmkit-expect: match=^printf_errno\.c:804: TINFO: tinfo all flags 1$ */
/* kvmkit-expect: match=^printf_errno\.c:[0-9]+: TPASS: survived results with errno flags$ */
/* kvmkit-expect: match=^failed +1$ */
/* kvmkit-expect: match=^passed +2$ */
/* kvmkit-expect: nomatch=TBROK|TWARN|\([0-9]+\)$ */
// SPDX-License-Identifier: MIT
/*
 * KVMKIT_HC_PRINTF with LTP's errno flags in the result (%edx):
 * TFAIL|TERRNO, TINFO|TTERRNO, TPASS|TRERRNO, all three with junk in the
 * upper half of %rdx.  The guest has no errno the host could name, so
 * the host reports the type alone (no ": ESOMETHING (n)" suffix from its
 * own errno) and counts it as that type: the test ends with exit 1 for
 * its one TFAIL, having run to its final TPASS.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

#define PF_TERRNO	0x100
#define PF_TTERRNO	0x200
#define PF_TRERRNO	0x400

static void res(unsigned int line, uint64_t result, const char *fmt)
{
	raw_printf((uintptr_t)__FILE__, line, result, (uintptr_t)fmt, 1, 2);
}

void main(void)
{
	res(801, TFAIL | PF_TERRNO, "tfail terrno %d");
	res(802, TINFO | PF_TTERRNO, "tinfo tterrno %d");
	res(803, TPASS | PF_TRERRNO, "tpass rerrno %d");
	res(804, 0xabcdef0000000000ULL | TINFO | PF_TERRNO | PF_TTERRNO |
		 PF_TRERRNO, "tinfo all flags %d");
	tst_res(TPASS, "survived results with errno flags");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TFAIL" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "KVMKIT_HC_PRINTF with LTP's errno flags in the result (%edx)",
};

#endif /* COMPILE_PAYLOAD */
