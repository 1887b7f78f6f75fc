// SPDX-License-Identifier: MIT
/*
 * CPUID as a KVM guest sees it: leaf 0 names a vendor and a maximum basic
 * leaf >= 1; 8000_0001H reports long mode (the guest runs in it); leaf
 * 4000_0000H carries KVM's signature "KVMKVMKVM\0\0\0" with EAX the highest
 * hypervisor leaf (>= 4000_0001H, or 0 on old hosts); OSXSAVE (leaf 1
 * ECX[27]) follows CR4.OSXSAVE and, with PKU, OSPKE (leaf 7 ECX[4]) follows
 * CR4.PKE; leaf 0DH sub-leaf 0 EBX is the XSAVE area size for the
 * features enabled in XCR0, consistent with the offsets and sizes of
 * sub-leaves 2-62; on Intel, a basic leaf above the maximum returns the
 * highest basic leaf's data.
 *
 * Where it is written: Intel SDM Vol. 2A "CPUID" (Table 3-10: ECX[27]
 * OSXSAVE "A value of 1 indicates that the OS has set CR4.OSXSAVE[bit
 * 18]"; leaf 07H ECX[4] OSPKE; leaf 0DH "EBX enumerates the size (in
 * bytes) required by the XSAVE instruction for an XSAVE area containing
 * all the user state components corresponding to bits currently set in
 * XCR0"; "If a value entered for CPUID.EAX is higher than the maximum input
 * value for basic or extended function for that processor then the data
 * for the highest basic information leaf is returned"); Vol. 1 13.4 (legacy
 * region 512 bytes + header 64); Linux Documentation/virt/kvm/x86/cpuid.rst
 * (KVM_CPUID_SIGNATURE 0x40000000).
 *
 * The hypervisor-present bit (leaf 1 ECX[31], "reserved for use by
 * hypervisor" in AMD APM Vol. 3 E.3.2) is only reported: KVM never sets it,
 * it is the VMM's choice (KVM_GET_SUPPORTED_CPUID leaves it clear; QEMU
 * sets it itself), and kvmkit passes KVM's list through unchanged.
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

static void basic(void)
{
	struct kvm_cpuid id = suite_cpuid(0, 0), e1 = suite_cpuid_ext1();
	char vendor[13];
	unsigned int i, ok = 1;

	memcpy(vendor, &id.ebx, 4);
	memcpy(vendor + 4, &id.edx, 4);
	memcpy(vendor + 8, &id.ecx, 4);
	vendor[12] = 0;
	for (i = 0; i < 12; i++)
		if (vendor[i] < 0x20 || vendor[i] > 0x7e)
			ok = 0;
	if (id.eax >= 1 && ok)
		tst_res(TPASS, "leaf 0: max basic leaf 0x%x, vendor \"%s\"",
			id.eax, vendor);
	else
		tst_res(TFAIL, "leaf 0: max basic leaf 0x%x, vendor bytes not printable",
			id.eax);
	if (e1.edx & 1U << 29)
		tst_res(TPASS, "leaf 8000_0001H: EDX.LM set while in 64-bit mode");
	else
		tst_res(TFAIL, "leaf 8000_0001H: EDX 0x%x without LM (bit 29) in 64-bit mode",
			e1.edx);
}

static void hypervisor(void)
{
	struct kvm_cpuid id = suite_cpuid(0x40000000, 0);
	char sig[13];

	/* Set or not by the VMM, not by KVM: nothing to check */
	tst_res(TINFO, "leaf 1: ECX.hypervisor (bit 31) %s",
		suite_cpuid(1, 0).ecx & 1U << 31 ? "set" : "clear");

	memcpy(sig, &id.ebx, 4);
	memcpy(sig + 4, &id.ecx, 4);
	memcpy(sig + 8, &id.edx, 4);
	sig[12] = 0;
	if (memcmp(sig, "KVMKVMKVM\0\0\0", 12))
		tst_res(TFAIL, "leaf 4000_0000H: EBX ECX EDX 0x%08x 0x%08x 0x%08x, expected \"KVMKVMKVM\\0\\0\\0\"",
			id.ebx, id.ecx, id.edx);
	else if (id.eax && id.eax < 0x40000001)
		tst_res(TFAIL, "leaf 4000_0000H: signature ok, EAX 0x%x below 0x40000001",
			id.eax);
	else
		tst_res(TPASS, "leaf 4000_0000H: \"KVMKVMKVM\", max hypervisor leaf 0x%x",
			id.eax);
}

static void os_bits(void)
{
	unsigned long cr4 = kvm_read_cr4();
	unsigned int on, off;

	if (!(suite_cpuid(1, 0).ecx & 1U << 26)) {
		tst_res(TCONF, "leaf 1: no XSAVE, OSXSAVE cannot be set");
	} else {
		kvm_set_cr4(cr4 | CR4_OSXSAVE);
		on = suite_cpuid(1, 0).ecx & 1U << 27;
		kvm_set_cr4(cr4 & ~(unsigned long)CR4_OSXSAVE);
		off = suite_cpuid(1, 0).ecx & 1U << 27;
		kvm_set_cr4(cr4);
		if (on && !off)
			tst_res(TPASS, "leaf 1: ECX.OSXSAVE follows CR4.OSXSAVE");
		else
			tst_res(TFAIL, "leaf 1: ECX.OSXSAVE %u with CR4.OSXSAVE = 1, %u with 0",
				!!on, !!off);
	}

	if (!(suite_cpuid7().ecx & 1U << 3)) {
		tst_res(TCONF, "leaf 7: no PKU, OSPKE cannot be set");
		return;
	}
	kvm_set_cr4(cr4 | CR4_PKE);
	on = suite_cpuid7().ecx & 1U << 4;
	kvm_set_cr4(cr4 & ~(unsigned long)CR4_PKE);
	off = suite_cpuid7().ecx & 1U << 4;
	kvm_set_cr4(cr4);
	if (on && !off)
		tst_res(TPASS, "leaf 7: ECX.OSPKE follows CR4.PKE");
	else
		tst_res(TFAIL, "leaf 7: ECX.OSPKE %u with CR4.PKE = 1, %u with 0",
			!!on, !!off);
}

/* Bytes an XSAVE area needs for the components in xcr0 (standard form) */
static unsigned int xsave_size(uint64_t xcr0)
{
	unsigned int i, size = 512 + 64;

	for (i = 2; i < 63; i++) {
		struct kvm_cpuid c;

		if (!(xcr0 & 1ULL << i))
			continue;
		c = suite_cpuid(0xd, i);
		if (c.ebx + c.eax > size)
			size = c.ebx + c.eax;
	}
	return size;
}

static void xsave_leaf(void)
{
	unsigned long cr4 = kvm_read_cr4();
	struct kvm_cpuid d0;
	uint64_t supported, xcr0;
	unsigned int i;

	if (suite_max_leaf() < 0xd || !(suite_cpuid(1, 0).ecx & 1U << 26)) {
		tst_res(TCONF, "no leaf 0DH or no XSAVE");
		return;
	}
	d0 = suite_cpuid(0xd, 0);
	supported = (uint64_t)d0.edx << 32 | d0.eax;
	kvm_set_cr4(cr4 | CR4_OSXSAVE);

	for (i = 0; i < 2; i++) {
		/* x87|SSE, then every user component the CPU offers */
		xcr0 = i ? supported & 0x2ff : 3;
		if (i && (xcr0 & 0xe0) != 0xe0)
			xcr0 &= ~0xe0ULL;
		if (xsetbv_safe(0, xcr0) != NO_EXCEPTION) {
			tst_res(TFAIL, "XSETBV XCR0 = 0x%llx (supported 0x%llx): %s",
				(unsigned long long)xcr0,
				(unsigned long long)supported,
				suite_vector_name(suite_trap.vector));
			continue;
		}
		d0 = suite_cpuid(0xd, 0);
		if (d0.ebx == xsave_size(xcr0))
			tst_res(TPASS, "leaf 0DH: EBX %u for XCR0 0x%llx", d0.ebx,
				(unsigned long long)xcr0);
		else if (d0.ebx == xsave_size(3))
			tst_res(TFAIL, "leaf 0DH: EBX %u for XCR0 0x%llx, sub-leaves give %u: still the size for XCR0 3, as if the hypervisor never saw the XSETBV (KVM recomputes EBX from its copy of XCR0 in kvm_update_cpuid_runtime())",
				d0.ebx, (unsigned long long)xcr0,
				xsave_size(xcr0));
		else
			tst_res(TFAIL, "leaf 0DH: EBX %u for XCR0 0x%llx, sub-leaves give %u",
				d0.ebx, (unsigned long long)xcr0,
				xsave_size(xcr0));
	}
	xsetbv_safe(0, 1);
	kvm_set_cr4(cr4);
}

static void out_of_range(void)
{
	unsigned int max = suite_max_leaf();
	struct kvm_cpuid hi, over;

	if (!suite_vendor_is("GenuineIntel")) {
		tst_res(TCONF, "leaves above the maximum are vendor-defined off Intel");
		return;
	}
	hi = suite_cpuid(max, 0);
	over = suite_cpuid(max + 1, 0);
	if (!memcmp(&hi, &over, sizeof(hi)))
		tst_res(TPASS, "leaf 0x%x (> max) returns leaf 0x%x's data", max + 1,
			max);
	else
		tst_res(TFAIL, "leaf 0x%x: %08x %08x %08x %08x, highest leaf 0x%x: %08x %08x %08x %08x",
			max + 1, over.eax, over.ebx, over.ecx, over.edx, max,
			hi.eax, hi.ebx, hi.ecx, hi.edx);
}

void main(void)
{
	suite_catch_all();
	basic();
	hypervisor();
	os_bits();
	xsave_leaf();
	out_of_range();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CPUID as a KVM guest sees it",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "cpuid" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
