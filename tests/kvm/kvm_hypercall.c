// SPDX-License-Identifier: MIT
/*
 * KVM's hypercall ABI at CPL 0: VMCALL (Intel) or VMMCALL (AMD) with the
 * hypercall number in RAX returns its result in RAX; an unknown number
 * returns -KVM_ENOSYS (-1000); KVM_HC_VAPIC_POLL_IRQ (1) returns 0; the
 * other vendor's instruction works as well (KVM patches or emulates it);
 * RBX, RCX, RDX and RSI (the argument registers) are left alone.
 * The test lowers the guest timeout to 1 s: a hypercall that never
 * returns is reported as TBROK naming the probed instruction's bytes
 * (which also shows whether KVM rewrote the instruction).
 *
 * Where it is written: Linux Documentation/virt/kvm/x86/hypercalls.rst
 * ("The hypercall number should be placed in rax and the return value
 * will be placed in rax. No other registers will be clobbered unless
 * explicitly stated"; "KVM_HC_VAPIC_POLL_IRQ"; unknown numbers return
 * -KVM_ENOSYS, include/uapi/linux/kvm_para.h: KVM_ENOSYS 1000).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define KVM_ENOSYS		1000
#define KVM_HC_VAPIC_POLL_IRQ	1

static void call(const char *insn_name, int amd, uint64_t nr, int64_t want)
{
	uint64_t rax = nr, rbx = 0x1111, rcx = 0x2222, rdx = 0x3333, rsi = 0x4444;
	char what[80];

	snprintf(what, sizeof(what), "%s RAX = %llu", insn_name,
		 (unsigned long long)nr);
	suite_begin();
	if (amd)
		asm volatile(SUITE_TRY("vmmcall")
			     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi)
			     : : "memory");
	else
		asm volatile(SUITE_TRY("vmcall")
			     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi)
			     : : "memory");
	suite_end();
	if (!suite_expect_none(what))
		return;
	if ((int64_t)rax != want || rbx != 0x1111 || rcx != 0x2222 ||
	    rdx != 0x3333 || rsi != 0x4444)
		tst_res(TFAIL, "%s: RAX %lld (expected %lld), RBX/RCX/RDX/RSI 0x%llx/0x%llx/0x%llx/0x%llx",
			what, (long long)rax, (long long)want,
			(unsigned long long)rbx, (unsigned long long)rcx,
			(unsigned long long)rdx, (unsigned long long)rsi);
	else
		tst_res(TPASS, "%s: RAX %lld, argument registers kept", what,
			(long long)rax);
}

void main(void)
{
	int amd = suite_vendor_is("AuthenticAMD") || suite_vendor_is("HygonGenuine");
	const char *native = amd ? "VMMCALL" : "VMCALL";
	const char *other = amd ? "VMCALL" : "VMMCALL";

	suite_catch_all();
	/*
	 * KVM's signature leaf is what says "KVM"; leaf 1 ECX[31] is the
	 * VMM's to set (KVM_GET_SUPPORTED_CPUID leaves it clear)
	 */
	if (suite_cpuid(0x40000000, 0).ebx != 0x4b4d564b)	/* "KVMK" */
		tst_brk(TCONF, "not a KVM guest (CPUID 4000_0000H)");

	tst_res(TINFO, "vendor %s: %s is the native hypercall instruction",
		amd ? "AMD" : "not AMD", native);
	call(native, amd, KVM_HC_VAPIC_POLL_IRQ, 0);
	call(native, amd, 0xdead, -KVM_ENOSYS);
	call(other, !amd, 0xdead, -KVM_ENOSYS);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

/* A hypercall that never returns should not cost the default 5 s */
static void setup(void)
{
	suite_timeout_ns = 1000000000ULL;
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "KVM's hypercall ABI at CPL 0",
	.test_all = suite_kvm_run,
	.setup = setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "kvm-pv,hypercall" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
