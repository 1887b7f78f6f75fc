// SPDX-License-Identifier: MIT
/*
 * Exceptions the guest's default handler reported (KVMKIT_HC_EXCEPTION):
 * the guest only saves its state, the host names the vector and formats
 * it, which keeps the guest's fault path tiny and its output trustworthy
 * even when the guest's own data is corrupt.
 */
#include <kvmkit/x86.h>
#include "x86_64/text.h"

struct exception_desc {
	const char *mnemonic;
	const char *name;
	int has_error_code;
};

#define KVMKIT_EXC_DESC(vec, mnem, desc, err) \
	[vec] = { .mnemonic = mnem, .name = desc, .has_error_code = err },
static const struct exception_desc exceptions[32] = {
	KVMKIT_X86_EXCEPTIONS(KVMKIT_EXC_DESC)
};
#undef KVMKIT_EXC_DESC

#define PF_VECTOR	14

const char *kvmkit_x86_exception_name(uint64_t vector)
{
	return vector < 32 ? exceptions[vector].name : NULL;
}

const char *kvmkit_x86_exception_mnemonic(uint64_t vector)
{
	return vector < 32 ? exceptions[vector].mnemonic : NULL;
}

/* A 32-bit payload's state: 8-digit registers, no R8-R15 */
static void text_state32(struct kvmkit_text *t,
			 const struct kvmkit_exception_frame *f)
{
	kvmkit_text_printf(t, "\nCS 0x%04x  SS 0x%04x  EFLAGS 0x%08x  ESP 0x%08x\n"
			   "EAX 0x%08x  EBX 0x%08x  ECX 0x%08x  EDX 0x%08x\n"
			   "ESI 0x%08x  EDI 0x%08x  EBP 0x%08x\n"
			   "CR0 0x%08x  CR2 0x%08x  CR3 0x%08x  CR4 0x%08x\n",
			   (uint32_t)f->cs, (uint32_t)f->ss, (uint32_t)f->rflags,
			   (uint32_t)f->rsp, (uint32_t)f->rax, (uint32_t)f->rbx,
			   (uint32_t)f->rcx, (uint32_t)f->rdx, (uint32_t)f->rsi,
			   (uint32_t)f->rdi, (uint32_t)f->rbp, (uint32_t)f->cr0,
			   (uint32_t)f->cr2, (uint32_t)f->cr3, (uint32_t)f->cr4);
}

size_t kvmkit_x86_format_exception(const struct kvmkit_exception_frame *f,
				   char *buf, size_t len)
{
	return kvmkit_x86_format_exception_mode(f, KVMKIT_GUEST_MODE_64, buf,
						len);
}

size_t kvmkit_x86_format_exception_mode(const struct kvmkit_exception_frame *f,
					uint64_t guest_mode, char *buf,
					size_t len)
{
	const int mode32 = guest_mode == KVMKIT_GUEST_MODE_32 ||
			   guest_mode == KVMKIT_GUEST_MODE_32PAE;
	const uint64_t gpr[16] = {
		f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
		f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15,
	};
	const struct exception_desc *d = NULL;
	struct kvmkit_text t;

	kvmkit_text_init(&t, buf, len);
	if (f->vector < 32)
		d = &exceptions[f->vector];
	if (d)
		kvmkit_text_printf(&t, "%s (%s, vector %llu)", d->name,
				   d->mnemonic,
				   (unsigned long long)f->vector);
	else
		kvmkit_text_printf(&t, "Unexpected interrupt (vector %llu)",
				   (unsigned long long)f->vector);
	if (d && d->has_error_code)
		kvmkit_text_printf(&t, ", error code 0x%llx",
				   (unsigned long long)f->error_code);
	kvmkit_text_printf(&t, mode32 ? " at EIP 0x%llx" : " at RIP 0x%llx",
			   (unsigned long long)f->rip);
	if (f->vector == PF_VECTOR)
		kvmkit_text_printf(&t, ", CR2 0x%llx",
				   (unsigned long long)f->cr2);
	if (mode32) {
		text_state32(&t, f);
		return t.pos;
	}
	kvmkit_text_printf(&t, "\nCS 0x%04llx  SS 0x%04llx  RFLAGS 0x%08llx\n",
			   (unsigned long long)f->cs,
			   (unsigned long long)f->ss,
			   (unsigned long long)f->rflags);
	kvmkit_x86_text_gprs(&t, gpr);
	kvmkit_text_printf(&t, "CR0 0x%llx  CR2 0x%llx  CR3 0x%llx  CR4 0x%llx\n",
			   (unsigned long long)f->cr0,
			   (unsigned long long)f->cr2,
			   (unsigned long long)f->cr3,
			   (unsigned long long)f->cr4);
	return t.pos;
}
