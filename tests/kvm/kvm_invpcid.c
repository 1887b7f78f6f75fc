// SPDX-License-Identifier: MIT
/*
 * INVPCID, all four types: after a PTE is changed to point to another
 * frame, the new translation is used once INVPCID has invalidated the old
 * one: type 0 (one address in one PCID), type 1 (one PCID), type 2 (all
 * PCIDs, global pages included) and type 3 (all PCIDs but global pages),
 * with CR4.PCIDE = 0 (PCID 000H) and with CR4.PCIDE = 1 in a PCID other
 * than 0.  And the faults: #GP(0) for a type above 3, a PCID with a bit in
 * 63:12 of the descriptor, a non-canonical address for type 0, and a
 * non-zero PCID for type 0 or 1 while CR4.PCIDE = 0; #UD where CPUID does
 * not offer INVPCID.  (Stale translations before the invalidation are
 * allowed, so they are not checked.)
 *
 * Where it is written: Intel SDM Vol. 2A "INVPCID - Invalidate Process-
 * Context Identifier" (operation and "Protected Mode Exceptions": "#GP(0)
 * If an invalid type is specified in the register operand, i.e., INVPCID_
 * TYPE > 3.  If bits 63:12 of INVPCID_DESC are not all zero.  If INVPCID_
 * TYPE is either 0 or 1 and INVPCID_DESC[11:0] is not zero and CR4.PCIDE
 * = 0.  If INVPCID_TYPE is 0 and the linear address in INVPCID_DESC[127:64]
 * is not canonical"; "#UD If CPUID.(EAX=07H, ECX=0H):EBX.INVPCID (bit 10)
 * = 0"); Vol. 3A 4.10.4.1 and 4.10.1 "Process-Context Identifiers".
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

struct invpcid_desc {
	uint64_t pcid;
	uint64_t va;
};

static uint64_t *frame_a, *frame_b;

/* INVPCID as a probe; returns the vector (NO_EXCEPTION) */
static int invpcid(unsigned long type, uint64_t pcid, uint64_t va)
{
	struct invpcid_desc desc = { pcid, va };

	suite_begin();
	asm volatile(SUITE_TRY("invpcid %0, %1")
		     : : "m"(desc), "r"(type) : "memory");
	return suite_end();
}

static void expect_gp(const char *what, unsigned long type, uint64_t pcid,
		      uint64_t va)
{
	invpcid(type, pcid, va);
	suite_expect(what, INTR_GPF, 0, SUITE_FAULT);
}

static const char *frame_name(uint64_t v)
{
	return v == frame_a[0] ? "A" : v == frame_b[0] ? "B" : "neither";
}

/*
 * Point scratch PTE i (a translation already in use) from one frame to
 * the other, invalidate it with INVPCID, and check the new frame is read.
 */
static void remap(const char *what, unsigned int i, uint64_t flags,
		  unsigned long type, uint64_t pcid)
{
	volatile uint64_t *pte = suite_scratch_pte(i);
	uintptr_t va = SUITE_SCRATCH_VA + i * KVMKIT_PAGE_SIZE;
	uint64_t *to = (*pte & SUITE_PTE_ADDR) == (uintptr_t)frame_a ?
		       frame_b : frame_a;
	uint64_t val = 0;

	*pte = (uintptr_t)to | flags;
	if (invpcid(type, pcid, va) != NO_EXCEPTION) {
		suite_expect_none(what);
		return;
	}
	if (suite_read(va, &val) != NO_EXCEPTION)
		suite_expect_none(what);
	else if (val != to[0])
		tst_res(TFAIL, "%s: read frame %s (0x%llx), the PTE points to frame %s",
			what, frame_name(val), (unsigned long long)val,
			frame_name(to[0]));
	else
		tst_res(TPASS, "%s: reads the new frame %s", what,
			frame_name(to[0]));
}

static void types(const char *mode, uint64_t pcid)
{
	const uint64_t rw = SUITE_PTE_P | SUITE_PTE_W;
	uint64_t val;
	char what[96];

	/* bring both translations into the TLB first */
	suite_read(suite_map(0, (uintptr_t)frame_a, rw), &val);
	suite_read(suite_map(1, (uintptr_t)frame_a, rw | SUITE_PTE_G), &val);

	tst_res(TINFO, "%s", mode);
	snprintf(what, sizeof(what), "type 0 (address, PCID %llu)",
		 (unsigned long long)pcid);
	remap(what, 0, rw, 0, pcid);
	snprintf(what, sizeof(what), "type 1 (PCID %llu)", (unsigned long long)pcid);
	remap(what, 0, rw, 1, pcid);
	remap("type 2 (all, global included), global page", 1, rw | SUITE_PTE_G, 2, 0);
	remap("type 2 (all, global included), non-global page", 0, rw, 2, 0);
	remap("type 3 (all but global), non-global page", 0, rw, 3, 0);
	snprintf(what, sizeof(what), "type 0 (address, PCID %llu), global page",
		 (unsigned long long)pcid);
	remap(what, 1, rw | SUITE_PTE_G, 0, pcid);
}

static void faults(void)
{
	uintptr_t va = SUITE_SCRATCH_VA;

	expect_gp("type 4", 4, 0, 0);
	expect_gp("type 2^63", 1UL << 63, 0, 0);
	expect_gp("descriptor bit 12 set (PCID field is 11:0)", 1, 1 << 12, 0);
	expect_gp("descriptor bit 63 set", 2, 1ULL << 63, 0);
	expect_gp("type 0, non-canonical address", 0, 0, 0x0000800000000000ULL);
	expect_gp("type 0, PCID 1 with CR4.PCIDE = 0", 0, 1, va);
	expect_gp("type 1, PCID 1 with CR4.PCIDE = 0", 1, 1, 0);
	/* types 2 and 3 ignore the descriptor's PCID and address */
	invpcid(3, 0, 0x0000800000000000ULL);
	suite_expect_none("type 3 with a non-canonical address (ignored)");
}

void main(void)
{
	unsigned long cr4 = kvm_read_cr4();

	suite_catch_all();
	if (suite_max_leaf() < 7 || !(suite_cpuid7().ebx & 1U << 10)) {
		invpcid(2, 0, 0);
		suite_expect("INVPCID with CPUID.7.0:EBX.INVPCID = 0",
			     INTR_BAD_OPCODE, 0, SUITE_FAULT);
		suite_finish();
		return;
	}
	if (!(suite_cpuid(1, 0).edx & 1U << 13))
		tst_brk(TCONF, "CPUID.1:EDX.PGE = 0: no global pages for types 2 and 3");

	frame_a = suite_alloc_page();
	frame_b = suite_alloc_page();
	frame_a[0] = 0xaaaaaaaaaaaaaaaaULL;
	frame_b[0] = 0xbbbbbbbbbbbbbbbbULL;
	kvm_set_cr4(cr4 | CR4_PGE);

	faults();
	types("CR4.PCIDE = 0, PCID 000H", 0);

	if (!kvm_pcid_supported()) {
		tst_res(TCONF, "CPUID.1:ECX.PCID = 0: the CR4.PCIDE = 1 checks do not apply");
	} else if (kvm_pcid_enable() || kvm_switch_pcid(5, 0)) {
		tst_res(TFAIL, "CR4.PCIDE = 1 and CR3 PCID 5 refused although CPUID.1:ECX.PCID = 1");
	} else {
		types("CR4.PCIDE = 1, PCID 5", 5);
		invpcid(1, 7, 0);
		suite_expect_none("type 1 (PCID 7, not current) with CR4.PCIDE = 1");
		if (kvm_pcid_disable())
			tst_brk(TBROK, "cannot leave CR4.PCIDE = 1");
	}
	kvm_set_cr4(cr4);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "INVPCID, all four types",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,tlb" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
