// SPDX-License-Identifier: MIT
/*
 * The guest-host ABI checked from the host side: wire-struct layouts
 * (the layout a 64-bit guest compiles must be the one the host reads),
 * the memory map's consistency, LTP's result codes and the x86 facts the
 * exception table encodes.  Pure compile-time knowledge, printed as TAP.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define IS_POW2(x)	((x) && !((x) & ((x) - 1)))
#define GIB		(1ULL << 30)

static void test_layouts(void)
{
	CHECK_EQ(sizeof(struct kvmkit_payload_header), 112, "payload header size");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, guest_mode), 96,
		 "header.guest_mode");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, smp), 104,
		 "header.smp (ABI 5) last");
	CHECK_EQ(sizeof(struct kvmkit_smp_desc), 24, "SMP descriptor size");
	CHECK_EQ(offsetof(struct kvmkit_smp_desc, cpus), 0, "smp.cpus");
	CHECK_EQ(offsetof(struct kvmkit_smp_desc, area_size), 4, "smp.area_size");
	CHECK_EQ(offsetof(struct kvmkit_smp_desc, areas), 8, "smp.areas");
	CHECK_EQ(offsetof(struct kvmkit_smp_desc, ap_entry), 16, "smp.ap_entry");
	CHECK(KVMKIT_ABI_VERSION >= 5, "ABI 5 has the SMP descriptor");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, exception_log), 88,
		 "header.exception_log");
	CHECK_EQ(sizeof(struct kvmkit_exception_log), 40, "exception log size");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, magic), 0, "header.magic");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, abi_version), 4, "header.abi_version");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, header_size), 6, "header.header_size");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, entry), 8, "header.entry");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, image_end), 16, "header.image_end");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, stack_top), 24, "header.stack_top");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, pagetable), 32, "header.pagetable");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, gdt), 40, "header.gdt");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, idt), 48, "header.idt");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, tss), 56, "header.tss");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, vectors), 64, "header.vectors");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, ram_size), 72, "header.ram_size");
	CHECK_EQ(offsetof(struct kvmkit_payload_header, host_flags), 80, "header.host_flags");

	CHECK_EQ(sizeof(struct tst_kvm_result), 16, "tst_kvm_result header size (LTP's)");
	CHECK_EQ(offsetof(struct tst_kvm_result, result), 0, "result.result");
	CHECK_EQ(offsetof(struct tst_kvm_result, lineno), 4, "result.lineno");
	CHECK_EQ(offsetof(struct tst_kvm_result, file_addr), 8, "result.file_addr");
	CHECK_EQ(offsetof(struct tst_kvm_result, message), 16, "result.message");
	CHECK_EQ(KVMKIT_MESSAGE_MAX, KVMKIT_RESULT_SIZE - 16, "message fills the rest of the result page");

	CHECK_EQ(sizeof(struct kvmkit_exception_frame), 26 * 8, "exception frame size");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, vector), 0, "frame.vector");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, error_code), 8, "frame.error_code");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, rip), 16, "frame.rip");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, ss), 48, "frame.ss");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, cr2), 64, "frame.cr2");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, rax), 88, "frame.rax");
	CHECK_EQ(offsetof(struct kvmkit_exception_frame, r15), 25 * 8, "frame.r15 last");
	CHECK(sizeof(struct kvmkit_exception_frame) <= KVMKIT_MESSAGE_MAX,
	      "exception frame fits the message area");
	CHECK_EQ(sizeof(((struct kvmkit_report *)0)->message), KVMKIT_RESULT_SIZE,
		 "kvmkit_report can hold a whole result page");
}

static void test_memory_map(void)
{
	CHECK(KVMKIT_PAGE_SIZE == 4096, "page size 4 KiB");
	CHECK(!(KVMKIT_PAYLOAD_BASE % KVMKIT_PAGE_SIZE), "payload base page-aligned");
	CHECK(KVMKIT_PAYLOAD_BASE == 0x1000, "payload at 0x1000 (LTP)");
	CHECK(!(KVMKIT_RESULT_BASE % KVMKIT_PAGE_SIZE), "result page page-aligned");
	CHECK(KVMKIT_RESULT_BASE == 0xfffff000ULL, "result page at 0xfffff000 (LTP)");
	CHECK(KVMKIT_RESULT_SIZE == KVMKIT_PAGE_SIZE, "result area is one page");
	CHECK((uint64_t)KVMKIT_RESULT_BASE + KVMKIT_RESULT_SIZE == 4 * GIB,
	      "result page ends at 4 GiB");
	CHECK((uint64_t)KVMKIT_RESULT_BASE >= KVMKIT_IDENTITY_LIMIT,
	      "result page above the identity map");
	CHECK(!(KVMKIT_IDENTITY_LIMIT % GIB) && KVMKIT_IDENTITY_LIMIT == 2 * GIB,
	      "identity map is 2 GiB, whole 1 GiB pages");
	CHECK(!(KVMKIT_DEFAULT_RAM % (2 << 20)), "default RAM a multiple of 2 MiB");
	CHECK(KVMKIT_DEFAULT_RAM <= KVMKIT_IDENTITY_LIMIT, "default RAM inside the identity map");
	CHECK(KVMKIT_PAYLOAD_BASE < KVMKIT_DEFAULT_RAM, "payload inside default RAM");
	CHECK(!(KVMKIT_STACK_SIZE % KVMKIT_PAGE_SIZE), "stack size whole pages");
	CHECK(KVMKIT_PAGETABLE_PAGES >= 6, "page-table area holds PML4, PDPT, 2 PDs, PD, PT");
}

static void test_cpu_layout(void)
{
	CHECK(KVMKIT_SEL_CODE64 == 1 * 8 && KVMKIT_SEL_DATA == 2 * 8 &&
	      KVMKIT_SEL_TSS == 3 * 8 && KVMKIT_SEL_CODE32 == 5 * 8,
	      "selectors are GDT index * 8, TI=0, RPL=0");
	CHECK(KVMKIT_GDT_ENTRIES > KVMKIT_SEL_CODE32 / 8, "GDT holds every selector");
	CHECK(KVMKIT_SEL_TSS / 8 + 1 < KVMKIT_SEL_CODE32 / 8,
	      "16-byte TSS descriptor does not overlap the 32-bit code");
	CHECK(KVMKIT_TSS_IST1_OFFSET == 0x24, "IST1 at offset 36 of the 64-bit TSS (SDM)");
	CHECK(KVMKIT_DF_IST >= 1 && KVMKIT_DF_IST <= 7, "DF IST index 1..7");
	CHECK(KVMKIT_VECTOR_COUNT == 256, "256 vectors");
	CHECK(IS_POW2(KVMKIT_VECTOR_STUB_SIZE) && KVMKIT_VECTOR_STUB_SIZE >= 8,
	      "vector stub size a power of two");
}

/* One AP's area (abi.h): every part page-aligned, disjoint, in order */
static void test_cpu_area(void)
{
	CHECK(!(KVMKIT_CPU_AREA_SIZE % KVMKIT_PAGE_SIZE), "CPU area whole pages");
	CHECK(!(KVMKIT_CPU_STACK_TOP % KVMKIT_PAGE_SIZE) &&
	      !(KVMKIT_CPU_IST1_TOP % KVMKIT_PAGE_SIZE) &&
	      !(KVMKIT_CPU_GDT % KVMKIT_PAGE_SIZE) &&
	      !(KVMKIT_CPU_RESULT % KVMKIT_PAGE_SIZE), "CPU area parts page-aligned");
	CHECK_EQ(KVMKIT_CPU_STACK_TOP - KVMKIT_STACK_SIZE, KVMKIT_STACK_GUARD_SIZE,
		 "an AP's guard page is the area's first, right below its stack");
	CHECK_EQ(KVMKIT_CPU_IST1_TOP - KVMKIT_IST1_SIZE, KVMKIT_CPU_STACK_TOP,
		 "AP IST1 right above its stack, as CPU 0's");
	CHECK(KVMKIT_CPU_GDT >= KVMKIT_CPU_IST1_TOP, "AP GDT above its stacks");
	CHECK(KVMKIT_CPU_GDT + KVMKIT_GDT_ENTRIES * 8 <= KVMKIT_CPU_TSS,
	      "AP GDT ends before its TSS");
	CHECK(KVMKIT_CPU_TSS + 104 <= KVMKIT_CPU_DATA && !(KVMKIT_CPU_TSS % 16),
	      "AP TSS (104 bytes) ends before the runtime's data, aligned");
	CHECK(KVMKIT_CPU_DATA < KVMKIT_CPU_RESULT, "runtime data before the result page");
	CHECK_EQ(KVMKIT_CPU_RESULT + KVMKIT_RESULT_SIZE, KVMKIT_CPU_PT,
		 "AP result page right below the host's page-table page");
	CHECK(!(KVMKIT_CPU_PT % KVMKIT_PAGE_SIZE) &&
	      KVMKIT_CPU_PT + KVMKIT_PAGE_SIZE == KVMKIT_CPU_AREA_SIZE,
	      "the page-table page is the area's last, page-aligned");
	CHECK(KVMKIT_GUEST_MAX_CPUS >= 2 && KVMKIT_GUEST_MAX_CPUS <= 255,
	      "guest CPUs: 2..255 (xAPIC ids, 255 is broadcast)");
}

static void test_codes(void)
{
	static const struct { int v; int has_err; const char *mn; } exc[] = {
#define X(v, mn, name, err) { v, err, mn },
		KVMKIT_X86_EXCEPTIONS(X)
#undef X
	};
	/* SDM vol. 3 table 6-1: vectors that push an error code */
	static const uint32_t err_vectors = 1u << 8 | 1u << 10 | 1u << 11 |
		1u << 12 | 1u << 13 | 1u << 14 | 1u << 17 | 1u << 21 |
		1u << 29 | 1u << 30;
	unsigned int i, order = 0, errc = 0;
	const uint32_t magic = KVMKIT_PAYLOAD_MAGIC;

	CHECK(KVMKIT_TPASS == 0 && KVMKIT_TFAIL == 1 && KVMKIT_TBROK == 2 &&
	      KVMKIT_TWARN == 4 && KVMKIT_TINFO == 16 && KVMKIT_TCONF == 32,
	      "result codes are LTP's");
	CHECK(!((KVMKIT_TPASS | KVMKIT_TFAIL | KVMKIT_TBROK | KVMKIT_TWARN |
		 KVMKIT_TINFO | KVMKIT_TCONF) & ~KVMKIT_TTYPE_MASK),
	      "TTYPE_MASK covers every result code");
	CHECK((KVMKIT_TSYNC & KVMKIT_TTYPE_MASK) != KVMKIT_TSYNC &&
	      (KVMKIT_TEXIT & KVMKIT_TTYPE_MASK) != KVMKIT_TEXIT &&
	      KVMKIT_TSYNC != KVMKIT_TEXIT, "TSYNC and TEXIT are not result types");
	CHECK(KVMKIT_TNONE < 0, "TNONE is no result");
	CHECK(KVMKIT_HC_PORT <= 0xff, "doorbell port fits the immediate form of OUT");
	CHECK(KVMKIT_HC_REPORT && KVMKIT_HC_EXIT && KVMKIT_HC_EXCEPTION &&
	      KVMKIT_HC_REPORT != KVMKIT_HC_EXIT &&
	      KVMKIT_HC_EXIT != KVMKIT_HC_EXCEPTION &&
	      KVMKIT_HC_REPORT != KVMKIT_HC_EXCEPTION,
	      "hypercall numbers non-zero and distinct");
	CHECK(!memcmp(&magic, "KVMK", 4), "payload magic reads \"KVMK\" in memory");
	CHECK(KVMKIT_ABI_VERSION >= 1, "ABI version set");

	CHECK_EQ(sizeof(exc) / sizeof(exc[0]), 32, "32 architectural exceptions listed");
	for (i = 0; i < sizeof(exc) / sizeof(exc[0]); i++) {
		if (exc[i].v != (int)i)
			order++;
		if (!!exc[i].has_err != !!(err_vectors & (1u << i)))
			errc++;
	}
	CHECK_EQ(order, 0, "exceptions listed in vector order");
	CHECK_EQ(errc, 0, "error-code flags match the SDM");
	CHECK_STR(exc[14].mn, "#PF", "vector 14 is #PF");
	CHECK_STR(exc[13].mn, "#GP", "vector 13 is #GP");
}

static void test_host_api(void)
{
	CHECK(KVMKIT_ERR_MAX >= 128, "error buffers hold a useful line");
	CHECK(KVMKIT_TIMEOUT_SIGNAL >= SIGRTMIN && KVMKIT_TIMEOUT_SIGNAL <= SIGRTMAX,
	      "timeout signal is a real-time signal");
	CHECK(KVMKIT_EXIT_UNKNOWN == 0, "zeroed exit is UNKNOWN");
	/* values are ABI: new types are appended, these never move */
	CHECK(KVMKIT_EXIT_HLT == 1 && KVMKIT_EXIT_IO_IN == 2 &&
	      KVMKIT_EXIT_IO_OUT == 3 && KVMKIT_EXIT_MMIO_READ == 4 &&
	      KVMKIT_EXIT_MMIO_WRITE == 5 && KVMKIT_EXIT_SHUTDOWN == 6 &&
	      KVMKIT_EXIT_FAIL_ENTRY == 7 && KVMKIT_EXIT_INTERNAL_ERROR == 8 &&
	      KVMKIT_EXIT_SYSTEM_EVENT == 9 && KVMKIT_EXIT_DEBUG == 10 &&
	      KVMKIT_EXIT_HYPERCALL == 11 && KVMKIT_EXIT_INTERRUPTED == 12 &&
	      KVMKIT_EXIT_TIMEOUT == 13 && KVMKIT_EXIT_ERROR == 14,
	      "exit type values unchanged");
	CHECK(KVMKIT_EXIT_TYPE_COUNT >= 15, "exit type count");
}

int main(void)
{
	test_layouts();
	test_memory_map();
	test_cpu_area();
	test_cpu_layout();
	test_codes();
	test_host_api();
	return unit_done();
}
