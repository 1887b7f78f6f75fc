/* kvmkit-expect: exit=4 match=^printf_null\.c:301: TINFO: \(tst_res format at 0x0 [^)]*\) \[bad format or argument\]$ */
/* kvmkit-expect: match=^<[^>]*>:302: TINFO: file name NULL$ */
/* kvmkit-expect: match=^printf_null\.c:303: TINFO: s-null <\(null\)>$ */
/* kvmkit-expect: match=^printf_null\.c:304: TINFO: p-null <\(nil)>$ */
/* kvmkit-expect: match=^printf_null\.c:[0-9]+: TPASS: survived NULL format and file name$ */
/* kvmkit-expect: count=1 match=^printf_null\.c:301: TWARN: the guest's report above had a bad format or argument$ */
/* kvmkit-expect: count=1 match=TWARN */
/* kvmkit-expect: nomatch=page zero|TFAIL|TBROK */
// SPDX-License-Identifier: MIT
/*
 * Hostile guest: KVMKIT_HC_PRINTF with NULL for the format and for the
 * file name.  Guest address 0 is ordinary RAM in kvmkit's identity map
 * (a NULL dereference does not fault in the guest), so the guest puts a
 * valid-looking string there first: the host must treat NULL as NULL,
 * as its printf core does for %s ("(null)") and %p ("(nil)"), with the
 * same placeholders as for any address it cannot read, and never print
 * what lies on page 0.  The NULL format is a bad format: a TWARN at its
 * line follows (exit status 4); a NULL file name is only a bad address.
 */
#include "printf_raw.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	static const char zero_text[] = "page zero %d";
	char *zero = pf_ptr(0);

	memcpy(zero, zero_text, sizeof(zero_text));

	PF_INFO(301, 0, 1, 2);
	raw_printf(0, 302, TINFO, (uintptr_t)"file name NULL", 1, 2);
	PF_INFO(303, "s-null <%s>", 0, 2);
	PF_INFO(304, "p-null <%p>", 0, 2);

	memset(zero, 0, sizeof(zero_text));
	tst_res(TPASS, "survived NULL format and file name");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TWARN" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "KVMKIT_HC_PRINTF with NULL for the format and for the file name",
};

#endif /* COMPILE_PAYLOAD */
