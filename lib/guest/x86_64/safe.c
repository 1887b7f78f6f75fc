// SPDX-License-Identifier: MIT
/*
 * Expected faults.  Instructions that may fault are listed in the
 * .kvmkit_fixup section (KVM_ASM_FIXUP(): pairs of the instruction's
 * address and where to resume), collected by payload.lds between
 * __kvmkit_fixup_start and __kvmkit_fixup_end.  The dispatcher looks
 * there first, and then at this CPU's innermost kvm_call_safe()/
 * kvm_call_user() in progress (kvmkit_call_top[]), so no global callback is swapped in and
 * out around an instruction.
 */
#include "frame.h"

struct kvmkit_fixup {
	uint64_t ip, fixup;
};

extern const struct kvmkit_fixup __kvmkit_fixup_start[], __kvmkit_fixup_end[];

struct kvmkit_call_ctx *kvmkit_call_top[KVMKIT_GUEST_MAX_CPUS];

/* Each CPU its own chain of calls: two CPUs in kvm_call_safe() at once */
struct kvmkit_call_ctx **kvmkit_call_top_slot(void)
{
	return &kvmkit_call_top[kvm_cpu_id() % KVMKIT_GUEST_MAX_CPUS];
}

int kvmkit_x86_fixup(struct kvmkit_x86_frame *frame)
{
	const struct kvmkit_fixup *f;

	for (f = __kvmkit_fixup_start; f < __kvmkit_fixup_end; f++) {
		if (f->ip == frame->ifrm.rip) {
			frame->ifrm.rip = f->fixup;
			frame->rax = frame->vector;
			return 1;
		}
	}
	return 0;
}

int kvmkit_x86_call_fault(struct kvmkit_x86_frame *frame)
{
	struct kvmkit_call_ctx *ctx = *kvmkit_call_top_slot();
	struct kvm_fault *fault;

	if (!ctx)
		return 0;
	/* Inside kvm_call_user(), a #UD at the trampoline is fn's return */
	if (ctx->user && frame->vector == INTR_BAD_OPCODE &&
	    (frame->ifrm.cs & 3) == 3 &&
	    frame->ifrm.rip == (uintptr_t)kvmkit_user_trampoline) {
		frame->rax = 0;
	} else {
		fault = ctx->fault;
		if (fault) {
			fault->vector = frame->vector;
			fault->error_code = frame->error_code;
			fault->cr2 = kvm_read_cr2();
			fault->ip = frame->ifrm.rip;
		}
		frame->rax = frame->vector;
	}
	/*
	 * Back to the caller of kvm_call_*(), at its CPL.  A fault at that
	 * CPL keeps the selectors the CPU pushed: at CPL 3, kvm_pvm reads
	 * SS as 0x2b (the host's own user SS, it seems) whatever was loaded,
	 * so the value kvm_call_safe() saved could not be loaded back.
	 */
	frame->ifrm.rip = (uintptr_t)kvmkit_call_resume;
	if ((frame->ifrm.cs & 3) != (ctx->cs & 3)) {
		frame->ifrm.cs = ctx->cs;
		frame->ifrm.ss = ctx->ss;
	}
#ifdef __x86_64__
	frame->ifrm.rsp = (uintptr_t)ctx;
#endif	/* i386: a same-CPL IRET pops no ESP, i386/call.S reloads it */
	frame->ifrm.rflags = ctx->rflags;
	return 1;
}

int kvm_rdmsr_safe(unsigned int msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	int vec;

	asm volatile("1: rdmsr\n\t"
		     "mov %%eax, %[lo]\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "=a"(vec), [lo] "+r"(lo), "+d"(hi)
		     : "c"(msr)
		     : "memory");
	*value = vec ? 0 : (uint64_t)hi << 32 | lo;
	return vec;
}

int kvm_wrmsr_safe(unsigned int msr, uint64_t value)
{
	uint32_t a = (uint32_t)value;

	asm volatile("1: wrmsr\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "+a"(a)
		     : "c"(msr), "d"((uint32_t)(value >> 32))
		     : "memory");
	return (int)a;
}

#define SET_CR_SAFE(n)							\
int kvm_set_cr##n##_safe(unsigned long val)				\
{									\
	int vec;							\
									\
	asm volatile("1: mov %1, %%cr" #n "\n\t"			\
		     "xor %%eax, %%eax\n"				\
		     "2:\n\t"						\
		     KVM_ASM_FIXUP("1b", "2b")				\
		     : "=a"(vec)					\
		     : "r"(val)						\
		     : "memory");					\
	return vec;							\
}
SET_CR_SAFE(0)
SET_CR_SAFE(3)
SET_CR_SAFE(4)

int kvm_xsetbv_safe(uint32_t index, uint64_t value)
{
	uint32_t a = (uint32_t)value;

	asm volatile("1: xsetbv\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "+a"(a)
		     : "c"(index), "d"((uint32_t)(value >> 32))
		     : "memory");
	return (int)a;
}

int kvm_xgetbv_safe(uint32_t index, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	int vec;

	asm volatile("1: xgetbv\n\t"
		     "mov %%eax, %[lo]\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t"
		     KVM_ASM_FIXUP("1b", "2b")
		     : "=a"(vec), [lo] "+r"(lo), "+d"(hi)
		     : "c"(index)
		     : "memory");
	*value = vec ? 0 : (uint64_t)hi << 32 | lo;
	return vec;
}
