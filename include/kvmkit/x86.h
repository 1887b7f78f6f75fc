/* SPDX-License-Identifier: MIT */
/*
 * x86 architectural constants the host library uses (control registers,
 * EFER, page-table entry bits, descriptor attributes) and x86-only
 * helpers.  Bit numbers are the SDM's / APM's; tests/unit/host checks them
 * against the manual's tables.
 */
#ifndef KVMKIT_X86_H
#define KVMKIT_X86_H

#include <stddef.h>
#include <stdint.h>
#include <kvmkit/abi.h>

/*
 * libkvmkit.so is built with -fvisibility=hidden: what is declared
 * between these pragmas is its public API, the only symbols it exports
 * (mk/check-exports.sh checks that).
 */
#pragma GCC visibility push(default)

#define KVMKIT_BIT(n)		(1ULL << (n))

#define KVMKIT_X86_CR0_PE	KVMKIT_BIT(0)
#define KVMKIT_X86_CR0_MP	KVMKIT_BIT(1)
#define KVMKIT_X86_CR0_ET	KVMKIT_BIT(4)
#define KVMKIT_X86_CR0_NE	KVMKIT_BIT(5)
#define KVMKIT_X86_CR0_WP	KVMKIT_BIT(16)
#define KVMKIT_X86_CR0_PG	KVMKIT_BIT(31)

#define KVMKIT_X86_CR4_PSE	KVMKIT_BIT(4)
#define KVMKIT_X86_CR4_PAE	KVMKIT_BIT(5)
#define KVMKIT_X86_CR4_OSFXSR	KVMKIT_BIT(9)
#define KVMKIT_X86_CR4_OSXMMEXCPT KVMKIT_BIT(10)
#define KVMKIT_X86_CR4_LA57	KVMKIT_BIT(12)

#define KVMKIT_X86_EFER_SCE	KVMKIT_BIT(0)
#define KVMKIT_X86_EFER_LME	KVMKIT_BIT(8)
#define KVMKIT_X86_EFER_LMA	KVMKIT_BIT(10)
#define KVMKIT_X86_EFER_NXE	KVMKIT_BIT(11)

#define KVMKIT_X86_RFLAGS_FIXED	KVMKIT_BIT(1)
#define KVMKIT_X86_RFLAGS_IF	KVMKIT_BIT(9)

/* Page-table entry bits (all paging modes) */
#define KVMKIT_X86_PTE_P	KVMKIT_BIT(0)
#define KVMKIT_X86_PTE_RW	KVMKIT_BIT(1)
#define KVMKIT_X86_PTE_US	KVMKIT_BIT(2)
#define KVMKIT_X86_PTE_A	KVMKIT_BIT(5)
#define KVMKIT_X86_PTE_D	KVMKIT_BIT(6)
#define KVMKIT_X86_PTE_PS	KVMKIT_BIT(7)
#define KVMKIT_X86_PTE_NX	KVMKIT_BIT(63)
/* Physical-address field of a 64-bit entry (bits 51:12) */
#define KVMKIT_X86_PTE_ADDR	0x000ffffffffff000ULL

/* CPUID 0x80000001 EDX: 1 GiB pages */
#define KVMKIT_X86_CPUID_PDPE1GB KVMKIT_BIT(26)

/* System-segment and gate types (descriptor bits 11:8) */
#define KVMKIT_X86_TYPE_TSS64_BUSY	0xb
#define KVMKIT_X86_TYPE_INTR_GATE	0xe

struct kvmkit_exception_frame;

/*
 * Describe an exception the guest reported (KVMKIT_HC_EXCEPTION): one line
 * such as "Page fault (#PF, vector 14), error code 0x2 at RIP 0x1234,
 * CR2 0xdead0000", then the registers.  Pure; always NUL-terminates when
 * len > 0 and returns the length written (at most len - 1).
 */
size_t kvmkit_x86_format_exception(const struct kvmkit_exception_frame *f,
				   char *buf, size_t len);
/*
 * The same for a payload of guest_mode (KVMKIT_GUEST_MODE_*, the payload
 * header's): a 32-bit one is shown as EIP, ESP, EAX...EBP (8 digits), no
 * R8-R15.
 */
size_t kvmkit_x86_format_exception_mode(const struct kvmkit_exception_frame *f,
					uint64_t guest_mode, char *buf,
					size_t len);

/* "Page fault" and "#PF" for an exception vector; NULL if vector >= 32 */
const char *kvmkit_x86_exception_name(uint64_t vector);
const char *kvmkit_x86_exception_mnemonic(uint64_t vector);

#pragma GCC visibility pop

#endif /* KVMKIT_X86_H */
