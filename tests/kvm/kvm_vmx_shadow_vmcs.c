// SPDX-License-Identifier: MIT
/*
 * VMCS shadowing in a nested VMX guest: with the "VMCS shadowing"
 * secondary control set, the nested guest's VMREAD and VMWRITE of a field
 * whose VMREAD/VMWRITE-bitmap bit is 0 access the shadow VMCS named by the
 * VMCS link pointer, without a VM exit, and succeed (CF = ZF = 0); a field
 * whose bitmap bit is 1 makes VMREAD exit with basic reason 23, with the
 * instruction length in the VM-exit instruction-length field.  The
 * ordinary VMCS is not touched by the nested guest's VMWRITE.
 *
 * Where it is written: Intel SDM Vol. 3C 24.10 "VMCS Types: Ordinary and
 * Shadow", 24.6.15 "VMCS Shadowing Bitmap Addresses", 25.1.3
 * "Instructions That Cause VM Exits Conditionally" (VMREAD/VMWRITE: "if
 * the 'VMCS shadowing' VM-execution control is 1 ... bit x of the VMREAD
 * bitmap (VMWRITE bitmap) where x is bits 14:0 of the field encoding"),
 * 26.2.1.1 (link-pointer checks: revision identifier and shadow-VMCS
 * indicator), Vol. 2C "VMREAD"/"VMWRITE" (VMsucceed clears CF and ZF,
 * reads and writes go to the VMCS referenced by the link pointer in VMX
 * non-root operation), Appendix B (encodings 2026H VMREAD-bitmap address,
 * 2028H VMWRITE-bitmap address), Appendix C (basic exit reason 23 VMREAD).
 *
 * VMX is offered by neither KVM this project reaches (kvm_pvm, kvm_amd
 * under QEMU TCG): there the test is TCONF.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_vmx.h"

#define VMCS_VMREAD_BITMAP	0x2026
#define VMCS_VMWRITE_BITMAP	0x2028
#define EXIT_VMREAD		23

/* Fields the nested guest reads, writes and may not read */
#define FIELD_READ		VMX_VMCS_GUEST_SYSENTER_EIP
#define FIELD_WRITE		VMX_VMCS_GUEST_SYSENTER_ESP
#define FIELD_TRAPPED		VMX_VMCS_GUEST_DR7
#define READ_VALUE		0x1234567890abcdefULL
#define WRITE_VALUE		0xfedcba0987654321ULL

/* What the nested guest saw; it cannot call tst_res() */
static volatile uint64_t l2_read, l2_read_flags, l2_write_flags, l2_done;

#define FLAGS_CF_ZF		0x41UL

static int nested_main(void)
{
	uint64_t v = 0, flags;

	asm volatile("vmread %2, %0\n\tpushfq\n\tpopq %1"
		     : "=r"(v), "=r"(flags) : "r"((uint64_t)FIELD_READ) : "cc");
	l2_read = v;
	l2_read_flags = flags;
	asm volatile("vmwrite %1, %2\n\tpushfq\n\tpopq %0"
		     : "=r"(flags)
		     : "r"((uint64_t)WRITE_VALUE), "r"((uint64_t)FIELD_WRITE)
		     : "cc");
	l2_write_flags = flags;
	/* the bitmap bit is set: a VM exit, the parent skips the instruction */
	asm volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)FIELD_TRAPPED) : "cc");
	l2_done = 1;
	return 0;
}

static void set_bit(uint8_t *bitmap, unsigned int field, int value)
{
	unsigned int x = field & 0x7fff;

	if (value)
		bitmap[x / 8] |= 1 << (x % 8);
	else
		bitmap[x / 8] &= ~(1 << (x % 8));
}

static uint8_t *bitmap_all_set(void)
{
	uint8_t *bitmap = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);

	memset(bitmap, 0xff, KVMKIT_PAGE_SIZE);
	return bitmap;
}

static struct kvm_vmcs *make_shadow(void)
{
	struct kvm_vmcs *shadow = kvm_alloc_vmcs();

	shadow->version |= VMX_SHADOW_VMCS;
	kvm_vmx_vmclear(shadow);
	kvm_vmx_vmptrld(shadow);
	kvm_vmx_vmwrite(FIELD_READ, READ_VALUE);
	kvm_vmx_vmwrite(FIELD_WRITE, 0);
	kvm_vmx_vmclear(shadow);	/* written back, not current */
	return shadow;
}

static void check_flags(const char *what, uint64_t flags)
{
	if (flags & FLAGS_CF_ZF)
		tst_res(TFAIL, "nested %s: RFLAGS 0x%llx, VMfail (CF or ZF set)",
			what, (unsigned long long)flags);
	else
		tst_res(TPASS, "nested %s: VMsucceed (CF = ZF = 0)", what);
}

void main(void)
{
	uint64_t ctl2 = 0, len, rip, reason, own;
	struct kvm_vmx_vcpu *vcpu;
	struct kvm_vmcs *shadow;
	uint8_t *rd, *wr;

	kvm_set_vmx_state(1);
	ctl2 = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL2);
	if (!((ctl2 >> 32) & VMX_EXECCTL2_SHADOW_VMCS))
		tst_brk(TCONF, "VMX without the \"VMCS shadowing\" secondary control (IA32_VMX_PROCBASED_CTLS2 bit 46)");

	vcpu = kvm_create_vmx_vcpu(nested_main, 1);
	shadow = make_shadow();
	rd = bitmap_all_set();
	wr = bitmap_all_set();
	set_bit(rd, FIELD_READ, 0);
	set_bit(wr, FIELD_WRITE, 0);

	kvm_vmx_activate_vcpu(vcpu);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL,
		kvm_vmx_vmread(VMX_VMCS_VMEXEC_CTL) | VMX_EXECCTL_ENABLE_CTL2);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL2,
		((uint32_t)ctl2 | VMX_EXECCTL2_SHADOW_VMCS) & (uint32_t)(ctl2 >> 32));
	kvm_vmx_vmwrite(VMX_VMCS_LINK_POINTER, (uintptr_t)shadow);
	kvm_vmx_vmwrite(VMCS_VMREAD_BITMAP, (uintptr_t)rd);
	kvm_vmx_vmwrite(VMCS_VMWRITE_BITMAP, (uintptr_t)wr);
	own = kvm_vmx_vmread(FIELD_WRITE);

	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & 0xffff;
	if (reason != EXIT_VMREAD)
		tst_brk(TFAIL, "first VM exit: basic reason %llu, expected %d (VMREAD of field 0x%x, whose VMREAD-bitmap bit is 1)",
			(unsigned long long)reason, EXIT_VMREAD, FIELD_TRAPPED);
	len = kvm_vmx_vmread(VMX_VMCS_VMEXIT_INST_LEN);
	if (len != 3)
		tst_res(TFAIL, "VMREAD exit: instruction length %llu, expected 3 (0F 78 /r)",
			(unsigned long long)len);
	else
		tst_res(TPASS, "VMREAD of a field whose bitmap bit is 1: VM exit reason 23, length 3");
	rip = kvm_vmx_vmread(VMX_VMCS_GUEST_RIP);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RIP, rip + len);

	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & 0xffff;
	if (reason != VMX_EXIT_HLT || !l2_done)
		tst_brk(TFAIL, "second VM exit: basic reason %llu, expected HLT (%d) at the nested guest's end",
			(unsigned long long)reason, VMX_EXIT_HLT);

	check_flags("VMREAD through the shadow VMCS", l2_read_flags);
	check_flags("VMWRITE through the shadow VMCS", l2_write_flags);
	if (l2_read == READ_VALUE)
		tst_res(TPASS, "nested VMREAD of 0x%x read the shadow VMCS's value",
			FIELD_READ);
	else
		tst_res(TFAIL, "nested VMREAD of 0x%x: 0x%llx, the shadow VMCS holds 0x%llx",
			FIELD_READ, (unsigned long long)l2_read,
			(unsigned long long)READ_VALUE);
	if (kvm_vmx_vmread(FIELD_WRITE) != own)
		tst_res(TFAIL, "the nested VMWRITE changed the ordinary VMCS's field 0x%x",
			FIELD_WRITE);

	kvm_vmx_vmclear(vcpu->vmcs);
	kvm_vmx_vmptrld(shadow);
	if (kvm_vmx_vmread(FIELD_WRITE) == WRITE_VALUE)
		tst_res(TPASS, "nested VMWRITE of 0x%x landed in the shadow VMCS",
			FIELD_WRITE);
	else
		tst_res(TFAIL, "shadow VMCS field 0x%x: 0x%llx after the nested VMWRITE of 0x%llx",
			FIELD_WRITE, (unsigned long long)kvm_vmx_vmread(FIELD_WRITE),
			(unsigned long long)WRITE_VALUE);
	kvm_vmx_vmclear(shadow);
	kvm_set_vmx_state(0);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "VMCS shadowing in a nested VMX guest",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "vmx", NULL } },
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "vmx,nested" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
