// SPDX-License-Identifier: MIT
/*
 * PAE paging's PDPTEs with a reserved bit set (KVMKIT_GUEST_MODE(32pae)).
 * On Intel the PDPTEs are loaded into PDPTE registers by MOV to CR3, and a
 * present one with a reserved bit makes that MOV raise #GP(0) and leaves
 * CR3 as it was.  AMD has no PDPTE registers in its manual: there a
 * reserved bit must still be detected, by that #GP or, at the latest, as
 * a #PF with P and RSVD (error code 0x9) at the first access through the
 * entry, never by a translation that ignores it.
 *
 * - A copy of the live PDPT loads (no fault) and the guest runs on it.
 * - Entry 2 (linear 2-3 GiB) present, pointing at a PD whose entry 0 maps
 *   a 2 MiB page, with one reserved bit: bit 1 (R/W), bit 2 (U/S), bit 5,
 *   bit 7 (PS), bit 8, bit 62 (above MAXPHYADDR), bit 63 (XD).
 * - PWT and PCD (bits 3, 4) are not reserved: no fault, 2 GiB reads.
 * - Entry 2 not present with bit 1 or 63 set: MOV to CR3 does not fault.
 *
 * Where it is written: Intel SDM Vol. 3A 4.4.1 "PDPTE Registers" ("If any
 * of the PDPTEs sets both the P flag (bit 0) and any reserved bit, the MOV
 * to CR3 instruction causes a general-protection exception (#GP(0)) and
 * the PDPTEs are not loaded"), Table 4-8 (format of a PAE-paging PDPTE:
 * bits 2:1, 8:5 and 63:MAXPHYADDR reserved); AMD APM Vol. 2 5.3.3 (the
 * legacy-mode PDPE: bits 1, 2, 5-8 and 63:52 reserved), 8.4.2 (#PF error
 * code: RSV when a reserved bit is set in a translation-table entry).
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32pae);

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define HIGH		0x80000000u	/* linear address through PDPTE 2 */

static uint64_t pdpt[4] __attribute__((aligned(32)));
/* PDPTE 2's page directory: entry 0 maps physical 0 as a 2 MiB page */
static uint64_t pd[512] __attribute__((aligned(4096)));
static int amd;

static void read_high(void *arg)
{
	(void)arg;
	(void)*(volatile uint32_t *)(uintptr_t)(HIGH + 0x10);
}

/*
 * Load a PDPT whose entry 2 has bit set (present or not) and, if it
 * loads, read through it.  want: 1 the reserved bit must be detected.
 */
static void try_bit(const uint64_t *live, unsigned int bit, int present,
		    int want, const char *what)
{
	unsigned long cr3 = kvm_read_cr3();
	struct kvm_fault f = { 0 };
	int vec, rd = -1;

	memcpy(pdpt, live, sizeof(pdpt));
	pdpt[2] = (uintptr_t)pd | (present ? 1 : 0) | 1ULL << bit;
	vec = kvm_set_cr3_safe((uintptr_t)pdpt);
	if (!vec && present)
		rd = kvm_call_safe(read_high, NULL, &f);
	kvm_set_cr3(cr3);

	if (!want && !vec && rd <= 0)
		tst_res(TPASS, "%s: loads%s", what, present ? ", reads" : "");
	else if (!want)
		tst_res(TFAIL, "%s: MOV CR3 vector %d, read vector %d error code 0x%x",
			what, vec, rd, f.error_code);
	else if (vec == INTR_GPF && kvm_read_cr3() == cr3)
		tst_res(TPASS, "%s: MOV CR3 -> #GP(0)", what);
	else if (amd && !vec && rd == INTR_PAGE_FAULT && f.error_code == 0x9 &&
		 f.cr2 == HIGH + 0x10)
		tst_res(TPASS, "%s: loads, the read -> #PF(P|RSVD) (AMD)", what);
	else
		tst_res(TFAIL, "%s: MOV CR3 vector %d, read vector %d error code 0x%x (expected #GP(0)%s)",
			what, vec, rd, f.error_code,
			amd ? " or #PF(0x9) on the read" : "");
}

void main(void)
{
	unsigned long cr3 = kvm_read_cr3();
	const uint64_t *live = (const uint64_t *)(cr3 & ~0x1fu);
	static const struct { unsigned int bit; const char *what; } rsvd[] = {
		{ 1, "present PDPTE with bit 1 (R/W)" },
		{ 2, "present PDPTE with bit 2 (U/S)" },
		{ 5, "present PDPTE with bit 5" },
		{ 7, "present PDPTE with bit 7 (PS)" },
		{ 8, "present PDPTE with bit 8" },
		{ 62, "present PDPTE with bit 62 (above MAXPHYADDR)" },
		{ 63, "present PDPTE with bit 63 (XD)" },
	};
	struct kvm_cpuid id;
	unsigned int i;

	kvm_get_cpuid(0, 0, &id);
	amd = id.ebx == 0x68747541;	/* "Auth"enticAMD */
	pd[0] = 0x83;			/* P, R/W, PS: 2 MiB at 0 */
	if (!(kvm_read_cr4() & CR4_PAE))
		tst_brk(TBROK, "not in PAE paging (CR4 0x%lx)", kvm_read_cr4());

	memcpy(pdpt, live, sizeof(pdpt));
	if (kvm_set_cr3_safe((uintptr_t)pdpt) || kvm_read_cr3() != (uintptr_t)pdpt)
		tst_res(TFAIL, "a copy of the live PDPT does not load");
	else
		tst_res(TPASS, "a copy of the live PDPT loads, the guest runs on it");
	kvm_set_cr3(cr3);

	for (i = 0; i < ARRAY_SIZE(rsvd); i++)
		try_bit(live, rsvd[i].bit, 1, 1, rsvd[i].what);
	try_bit(live, 3, 1, 0, "present PDPTE with PWT: no fault");
	try_bit(live, 4, 1, 0, "present PDPTE with PCD: no fault");
	try_bit(live, 1, 0, 0, "not-present PDPTE with bit 1: no fault");
	try_bit(live, 63, 0, 0, "not-present PDPTE with bit 63: no fault");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "PAE paging's PDPTEs with a reserved bit set (KVMKIT_GUEST_MODE(32pae))",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mode32" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
