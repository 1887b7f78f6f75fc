/* SPDX-License-Identifier: MIT */
/*
 * Guest side of the hostile KVMKIT_HC_PRINTF checks (printf_*.c): ring
 * the doorbell with every register the host reads chosen by the test,
 * not by the compiler, so that file, line, result, format, %r8, %r9 and
 * %rsp can each be something no C call to tst_res_() would produce.
 */
#ifndef KVMKIT_HOSTILE_PRINTF_RAW_H
#define KVMKIT_HOSTILE_PRINTF_RAW_H

#include "kvm_test.h"

#define PF_HEADER ((const struct kvmkit_payload_header *)KVMKIT_PAYLOAD_BASE)

/* First byte past guest RAM (RAM is contiguous from guest-physical 0) */
static inline uint64_t pf_ram_end(void)
{
	return PF_HEADER->ram_size;
}

/* An address the compiler cannot reason about (0 included) */
static inline void *pf_ptr(uint64_t addr)
{
	asm volatile("" : "+r"(addr));
	return (void *)(uintptr_t)addr;
}

/*
 * nr (KVMKIT_HC_PRINTF or _EXIT) with %rdi, %rsi, %rdx, %rcx, %r8, %r9 as
 * given, the upper halves of %esi and %edx included.
 */
static inline void pf_raw(uint32_t nr, uint64_t file, uint64_t line,
			  uint64_t result, uint64_t fmt, uint64_t a1,
			  uint64_t a2)
{
	register uint64_t r8 asm("r8") = a1;
	register uint64_t r9 asm("r9") = a2;

	asm volatile("out %%eax, %[port]"
		     : : "a"(nr), "D"(file), "S"(line), "d"(result), "c"(fmt),
		       "r"(r8), "r"(r9), [port] "i"(KVMKIT_HC_PORT)
		     : "memory");
}

/*
 * The same with %rsp switched to sp for the OUT only (restored at once:
 * nothing is pushed meanwhile and no interrupt source is set up), so
 * the host's stack slots [sp + 8], [sp + 16], ... are the test's choice.
 */
static inline void pf_raw_sp(uint32_t nr, uint64_t file, uint64_t line,
			     uint64_t result, uint64_t fmt, uint64_t a1,
			     uint64_t a2, uint64_t sp)
{
	register uint64_t r8 asm("r8") = a1;
	register uint64_t r9 asm("r9") = a2;

	asm volatile("mov %%rsp, %%r11\n\t"
		     "mov %[sp], %%rsp\n\t"
		     "out %%eax, %[port]\n\t"
		     "mov %%r11, %%rsp"
		     : : "a"(nr), "D"(file), "S"(line), "d"(result), "c"(fmt),
		       "r"(r8), "r"(r9), [sp] "r"(sp),
		       [port] "i"(KVMKIT_HC_PORT)
		     : "r11", "memory");
}

static inline void raw_printf(uint64_t file, uint64_t line, uint64_t result,
			      uint64_t fmt, uint64_t a1, uint64_t a2)
{
	pf_raw(KVMKIT_HC_PRINTF, file, line, result, fmt, a1, a2);
}

/* The common case: this file, a chosen line, TINFO, a C format */
#define PF_INFO(line, fmt, a1, a2)					\
	raw_printf((uintptr_t)__FILE__, (line), TINFO, (uintptr_t)(fmt),	\
		   (uint64_t)(a1), (uint64_t)(a2))

#endif /* KVMKIT_HOSTILE_PRINTF_RAW_H */
