// SPDX-License-Identifier: MIT
/*
 * The #DF task of the 32-bit runtime (entry.S, kvmkit_df_task).  The
 * hardware task switch stored the interrupted state in the main TSS
 * (kvm_tss, 32-bit layout), so the report takes EIP, ESP and the
 * registers from there, not from a frame on a stack that may be gone.
 */
#include "../internal.h"
#include "kvm_x86.h"

/* Offsets in a 32-bit TSS (Intel SDM Vol. 3A 8.2.1, Figure 8-2) */
enum { TSS_EIP = 0x20, TSS_EFLAGS = 0x24, TSS_EAX = 0x28,
       TSS_ECX = 0x2c, TSS_EDX = 0x30, TSS_EBX = 0x34, TSS_ESP = 0x38,
       TSS_EBP = 0x3c, TSS_ESI = 0x40, TSS_EDI = 0x44, TSS_CS = 0x4c,
       TSS_SS = 0x50 };

_Static_assert(sizeof(kvm_tss) >= TSS_SS + 4, "kvm_tss holds a 32-bit TSS");

void kvmkit_i386_double_fault(uint32_t error_code) __attribute__((noreturn));
extern struct kvmkit_exception_log kvmkit_exception_log;	/* interrupt.c */

static uint32_t saved(unsigned int offset)
{
	return *(volatile uint32_t *)((volatile char *)&kvm_tss + offset);
}

void kvmkit_i386_double_fault(uint32_t error_code)
{
	struct kvmkit_exception_frame *ef =
		(struct kvmkit_exception_frame *)kvmkit_result->message;

	kvmkit_exception_log.vector = INTR_DOUBLE_FAULT;
	kvmkit_exception_log.error_code = error_code;
	kvmkit_exception_log.rip = saved(TSS_EIP);
	kvmkit_exception_log.cr2 = 0;
	kvmkit_exception_log.count++;

	*ef = (struct kvmkit_exception_frame){
		.vector = INTR_DOUBLE_FAULT,
		.error_code = error_code,
		.rip = saved(TSS_EIP),
		.cs = saved(TSS_CS) & 0xffff,
		.rflags = saved(TSS_EFLAGS),
		.rsp = saved(TSS_ESP),
		.ss = saved(TSS_SS) & 0xffff,
		.cr0 = kvm_read_cr0(),
		.cr2 = kvm_read_cr2(),
		/* a task switch does not store CR3 in the old TSS */
		.cr3 = kvm_read_cr3(),
		.cr4 = kvm_read_cr4(),
		.rax = saved(TSS_EAX),
		.rbx = saved(TSS_EBX),
		.rcx = saved(TSS_ECX),
		.rdx = saved(TSS_EDX),
		.rsi = saved(TSS_ESI),
		.rdi = saved(TSS_EDI),
		.rbp = saved(TSS_EBP),
	};
	kvmkit_result->lineno = 0;
	kvmkit_result->file_addr = 0;
	kvmkit_result->result = KVMKIT_TBROK;
	kvmkit_arch_hypercall(KVMKIT_HC_EXCEPTION);
	kvmkit_arch_stop();
}
