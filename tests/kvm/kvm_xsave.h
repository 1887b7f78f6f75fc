/* SPDX-License-Identifier: MIT */
/*
 * What the extended-state tests share: turning on the widest state
 * CPUID offers (guest side).
 */
#ifndef KVMKIT_TESTS_KVM_XSAVE_H
#define KVMKIT_TESTS_KVM_XSAVE_H

#ifdef COMPILE_PAYLOAD

/*
 * kvm_enable_xsave() of the widest of AVX-512, AVX and SSE (XCR0 0xe7,
 * 0x07, 0x03) that CPUID offers with its instructions; returns the mask.
 * TCONF when not even SSE state is offered.
 */
static inline uint64_t suite_xsave_enable_widest(void)
{
	static const uint64_t tries[] = { 0xe7, 0x07, 0x03 };
	uint64_t sup = kvm_xstate_supported(), m = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < 3 && !m; i++) {
		if ((tries[i] & sup) != tries[i])
			continue;
		ret = kvm_enable_xsave(tries[i]);
		if (ret == KVM_XSTATE_UNSUPPORTED)
			tst_res(TINFO, "CPUID offers XCR0 bits 0x%llx but not all their instructions",
				(unsigned long long)tries[i]);
		else if (ret)
			tst_brk(TBROK, "kvm_enable_xsave(0x%llx) = %d",
				(unsigned long long)tries[i], ret);
		else
			m = tries[i];
	}
	if (!m)
		tst_brk(TCONF, "CPUID offers no SSE state (XCR0 bits 0x%llx)",
			(unsigned long long)sup);
	return m;
}

#endif /* COMPILE_PAYLOAD */
#endif /* KVMKIT_TESTS_KVM_XSAVE_H */
