// SPDX-License-Identifier: MIT
/*
 * Payloads: kvmkit_payload_load()'s validation on fabricated headers in a
 * fabricated VM (no /dev/kvm needed), then, when /dev/kvm is there, a
 * hand-assembled payload booted with kvmkit_payload_load() +
 * kvmkit_payload_boot() that must reach its doorbell OUT in 64-bit mode,
 * the result page read back with kvmkit_report_read(), and the x86 vCPU
 * state calls.  The KVM part is reported as skipped without /dev/kvm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <kvmkit/kvmkit.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"
#include "image.h"

/* The test image (image.h) */
#define BASE		KVMKIT_PAYLOAD_BASE
#define FILE_END	(BASE + IMG_SIZE)
#define FILE_STR	IMG_STRINGS

#define FAKE_RAM	0x100000
#define GUEST_RAM	KVMKIT_DEFAULT_RAM

/*
 * Fill the result page (TPASS, line 42, file_addr FILE_STR, message "hi")
 * then ring the doorbell with KVMKIT_HC_REPORT, then spin:
 *	mov $0xfffff000,%ebx; movl $0,(%rbx); movl $42,4(%rbx)
 *	movq $0x1200,8(%rbx); movl $0x6968,16(%rbx)
 *	mov $1,%eax; out %eax,$KVMKIT_HC_PORT; jmp .
 * The result page lies above 2 GiB: reaching it proves the host's map.
 */
static const uint8_t guest_code[] = {
	0xbb, 0x00, 0xf0, 0xff, 0xff,
	0xc7, 0x03, 0x00, 0x00, 0x00, 0x00,
	0xc7, 0x43, 0x04, 0x2a, 0x00, 0x00, 0x00,
	0x48, 0xc7, 0x43, 0x08, 0x00, 0x12, 0x00, 0x00,
	0xc7, 0x43, 0x10, 0x68, 0x69, 0x00, 0x00,
	0xb8, 0x01, 0x00, 0x00, 0x00,
	0xe7, KVMKIT_HC_PORT,
	0xeb, 0xfe,
};

static uint8_t image[IMG_SIZE];

static struct kvmkit_payload_header *hdr(void)
{
	return (struct kvmkit_payload_header *)image;
}

static void make_image(void)
{
	image_make(image, guest_code, sizeof(guest_code));
	image_put_str(image, FILE_STR, "payload.c");
	hdr()->ram_size = 0x5555;	/* host fields: must be overwritten */
	hdr()->host_flags = 0x5555;
}

/* ---- validation on a fabricated VM ------------------------------------- */

static struct kvmkit_vm fake;
static uint8_t *fake_ram;

static void fake_setup(void)
{
	fake_ram = aligned_alloc(KVMKIT_PAGE_SIZE, FAKE_RAM);
	if (!fake_ram)
		unit_skip_all("out of memory");
	memset(&fake, 0, sizeof(fake));
	fake.fd = -1;
	fake.slots[0].region = (struct kvm_userspace_memory_region) {
		.slot = 0,
		.memory_size = FAKE_RAM,
		.userspace_addr = (uintptr_t)fake_ram,
	};
}

static int load_fake(void)
{
	memset(fake_ram, 0xaa, FAKE_RAM);
	fake.err[0] = '\0';
	return kvmkit_payload_load(&fake, image, sizeof(image));
}

static void test_load_good(void)
{
	struct kvmkit_payload_header h;
	size_t i, dirty = 0;

	make_image();
	CHECK_EQ(load_fake(), 0, "good image loads");
	CHECK(!memcmp(fake_ram + BASE + sizeof(h), image + sizeof(h),
		      IMG_SIZE - sizeof(h)), "image copied to KVMKIT_PAYLOAD_BASE");
	memcpy(&h, fake_ram + BASE, sizeof(h));
	CHECK_EQ(h.ram_size, FAKE_RAM, "header.ram_size = RAM from gpa 0");
	CHECK_EQ(h.host_flags, 0, "header.host_flags reset");
	CHECK_EQ(h.entry, IMG_CODE, "header copied");
	for (i = FILE_END; i < IMG_END; i++)
		dirty += fake_ram[i] != 0;
	CHECK_EQ(dirty, 0, ".bss zeroed up to image_end");
	CHECK_EQ(fake_ram[IMG_END], 0xaa, "nothing written past image_end");
	CHECK_EQ(fake_ram[BASE - 1], 0xaa, "nothing written below the image");
}

/* Change one thing in a good image; loading must fail with -ENOEXEC */
#define BAD(mutation, needle, what) do {				\
	int _r;								\
	make_image();							\
	mutation;							\
	_r = load_fake();						\
	CHECK(_r == -ENOEXEC && strstr(fake.err, needle) &&		\
	      fake_ram[BASE + 8] == 0xaa, what);			\
	if (_r != -ENOEXEC || !strstr(fake.err, needle))		\
		unit_diag("got %d \"%s\"", _r, fake.err);		\
} while (0)

static void test_load_bad(void)
{
	int r;

	BAD(hdr()->magic = 0x464c457f, "magic", "bad magic (an ELF file)");
	BAD(hdr()->abi_version = KVMKIT_ABI_VERSION + 1, "ABI version",
	    "other ABI version");
	BAD(hdr()->header_size = 8, "header size", "header_size too small");
	BAD(hdr()->header_size = 0xffff, "header size",
	    "header_size beyond the image");
	BAD(hdr()->entry = FILE_END, "entry point", "entry just past the file");
	BAD(hdr()->entry = BASE - 1, "entry point", "entry below the image");
	BAD(hdr()->entry = 0x8000, "entry point", "entry in .bss");
	BAD(hdr()->image_end = FAKE_RAM + KVMKIT_PAGE_SIZE, "beyond",
	    "image_end beyond RAM");
	BAD(hdr()->image_end = FILE_END - 1, "before the end",
	    "image_end before the end of the file");
	BAD(hdr()->pagetable = IMG_PAGETABLE + 8, "page-aligned",
	    "page tables not page-aligned");
	BAD(hdr()->pagetable = IMG_END - 7 * KVMKIT_PAGE_SIZE, "page tables",
	    "page tables running past image_end");
	BAD(hdr()->pagetable = 0, "page tables", "page tables at 0");
	BAD(hdr()->gdt = IMG_END - 8, "GDT", "GDT running past image_end");
	BAD(hdr()->idt = UINT64_MAX - 16, "IDT", "IDT wrapping around");
	BAD(hdr()->tss = IMG_END - 100, "TSS", "TSS running past image_end");
	BAD(hdr()->tss = 0x10, "TSS", "TSS below the image");
	BAD(hdr()->vectors = FILE_END - 0x800, "vectors",
	    "vector stubs running into .bss");
	BAD(hdr()->stack_top = IMG_END + 16, "stack", "stack above the image");
	BAD(hdr()->stack_top = BASE, "stack", "stack top at the image base");

	make_image();
	r = kvmkit_payload_load(&fake, image, 16);
	CHECK(r == -ENOEXEC && strstr(fake.err, "smaller than its header"),
	      "image smaller than a header");
	r = kvmkit_payload_load(&fake, NULL, 0);
	CHECK_EQ(r, -ENOEXEC, "NULL image");
	r = kvmkit_payload_load(&fake, image, FAKE_RAM);
	CHECK(r == -ENOEXEC && strstr(fake.err, "does not fit"),
	      "image larger than RAM");
}

static void test_ram_size(void)
{
	static uint8_t more[2 * KVMKIT_PAGE_SIZE] __attribute__((aligned(4096)));
	struct kvmkit_payload_header h;
	struct kvmkit_vm vm = fake;

	make_image();
	/* slot 3 continues slot 0; slot 2 is ROM beyond it; slot 1 leaves a hole */
	vm.slots[3].region = (struct kvm_userspace_memory_region) {
		.slot = 3, .guest_phys_addr = FAKE_RAM,
		.memory_size = KVMKIT_PAGE_SIZE,
		.userspace_addr = (uintptr_t)more,
	};
	vm.slots[2].region = (struct kvm_userspace_memory_region) {
		.slot = 2, .guest_phys_addr = FAKE_RAM + KVMKIT_PAGE_SIZE,
		.memory_size = KVMKIT_PAGE_SIZE, .flags = KVM_MEM_READONLY,
		.userspace_addr = (uintptr_t)more + KVMKIT_PAGE_SIZE,
	};
	vm.slots[1].region = (struct kvm_userspace_memory_region) {
		.slot = 1, .guest_phys_addr = FAKE_RAM + 3 * KVMKIT_PAGE_SIZE,
		.memory_size = KVMKIT_PAGE_SIZE,
		.userspace_addr = (uintptr_t)more,
	};
	CHECK_EQ(kvmkit_payload_load(&vm, image, sizeof(image)), 0,
		 "load with several slots");
	memcpy(&h, fake_ram + BASE, sizeof(h));
	CHECK_EQ(h.ram_size, FAKE_RAM + KVMKIT_PAGE_SIZE,
		 "ram_size: adjacent slots count, ROM and holes end it");
}

/*
 * The tables kvmkit_payload_boot() writes, checked with the walker on a
 * fabricated VM and vCPU (fd -1: the table writes happen, then
 * KVM_SET_SREGS fails with EBADF).  This covers the 1 GiB-page layout on
 * hosts whose KVM does not offer 1 GiB pages.
 */
static void test_boot_tables(int gb)
{
	union {
		struct kvm_cpuid2 c;
		char room[sizeof(struct kvm_cpuid2) +
			  sizeof(struct kvm_cpuid_entry2)];
	} cpuid;
	const uint64_t cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG;
	const uint64_t cr4 = KVMKIT_X86_CR4_PAE;
	const uint64_t efer = KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_LME;
	static const uint64_t probe[] = {
		0, 0x1000, 0x3fffffff, 0x40000000, 0x7fffffff,
	};
	static uint8_t result[KVMKIT_PAGE_SIZE] __attribute__((aligned(4096)));
	struct kvmkit_vcpu vcpu;
	struct kvmkit_payload_header h;
	uint64_t gpa, gdt[6], idt[2];
	unsigned int i, bad = 0;
	int r;

	memset(&cpuid, 0, sizeof(cpuid));
	cpuid.c.nent = 1;
	cpuid.c.entries[0].function = 0x80000001;
	cpuid.c.entries[0].edx = gb ? KVMKIT_X86_CPUID_PDPE1GB : 0;
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.fd = -1;
	vcpu.vm = &fake;
	fake.slots[1].region = (struct kvm_userspace_memory_region) {
		.slot = 1, .guest_phys_addr = KVMKIT_RESULT_BASE,
		.memory_size = KVMKIT_RESULT_SIZE,
		.userspace_addr = (uintptr_t)result,
	};

	make_image();
	CHECK_EQ(load_fake(), 0, "load for the table check");
	r = kvmkit_payload_boot(&vcpu, &cpuid.c);
	CHECK(r == -EBADF && strstr(vcpu.err, "KVM_SET_SREGS"),
	      "boot on a fake vCPU fails at KVM_SET_SREGS, after the tables");
	memcpy(&h, fake_ram + BASE, sizeof(h));
	CHECK_EQ(h.host_flags, gb ? KVMKIT_HOST_1G_PAGES : 0,
		 gb ? "host_flags: 1 GiB pages" : "host_flags: 2 MiB pages");
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		bad += kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
				       probe[i], &gpa) || gpa != probe[i];
	CHECK_EQ(bad, 0, gb ? "1 GiB map: identity up to 2 GiB" :
			      "2 MiB map: identity up to 2 GiB");
	CHECK(!kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer, 0xfffff123,
			       &gpa) && gpa == 0xfffff123, "result page mapped");
	CHECK(kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer, 0x80000000,
			      &gpa) == -EFAULT &&
	      kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer, 0xffffe000,
			      &gpa) == -EFAULT &&
	      kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
			      0x100000000ULL, &gpa) == -EFAULT,
	      "nothing else mapped (2 GiB, below the result page, 4 GiB)");
	memcpy(gdt, fake_ram + IMG_GDT, sizeof(gdt));
	CHECK(gdt[0] == 0 && gdt[1] == 0x00af9b000000ffffULL &&
	      gdt[2] == 0x00cf93000000ffffULL &&
	      gdt[3] == (0x00008b0000000067ULL | ((uint64_t)IMG_TSS << 16)) &&
	      gdt[4] == 0 && gdt[5] == 0x00cf9b000000ffffULL,
	      "GDT: null, code64, data, busy TSS, code32");
	memcpy(idt, fake_ram + IMG_IDT + 14 * 16, sizeof(idt));
	CHECK(idt[0] == (((IMG_VECTORS + 14 * 16) & 0xffff) | (0x08ULL << 16) |
			 (0x8eULL << 40)) && idt[1] == 0,
	      "IDT gate 14: interrupt gate to its stub, no IST");
	memcpy(idt, fake_ram + IMG_IDT + 8 * 16, sizeof(idt));
	CHECK(((idt[0] >> 32) & 7) == KVMKIT_DF_IST, "IDT gate 8 uses the #DF IST");
	CHECK(fake_ram[IMG_TSS + 0x66] == 104 && fake_ram[IMG_TSS + 0x67] == 0,
	      "TSS: no I/O bitmap");
	memset(&fake.slots[1], 0, sizeof(fake.slots[1]));
}

/* ---- SMP descriptors (ABI 5) -------------------------------------------- */

#define SMP_DESC	(IMG_STRINGS + 0x100)	/* in the file bytes */
#define SMP_AREAS	0x12000			/* above CPU 0's stacks */
#define SMP_END		(SMP_AREAS + KVMKIT_CPU_AREA_SIZE)	/* one area */

static struct kvmkit_smp_desc *smp(void)
{
	return (struct kvmkit_smp_desc *)(image + SMP_DESC - BASE);
}

static void make_smp_image(uint32_t cpus)
{
	make_image();
	hdr()->image_end = SMP_END;
	hdr()->smp = SMP_DESC;
	*smp() = (struct kvmkit_smp_desc) {
		.cpus = cpus, .area_size = KVMKIT_CPU_AREA_SIZE,
		.areas = SMP_AREAS, .ap_entry = IMG_CODE,
	};
}

/* kvmkit_payload_cpus() on one mutation of a 2-CPU image */
#define SMP_CASE(mutation, want, needle, what) do {			\
	char _why[KVMKIT_ERR_MAX];					\
	unsigned int _n;						\
	int _r;								\
	make_smp_image(2);						\
	mutation;							\
	_r = kvmkit_payload_cpus(image, sizeof(image), &_n, _why,	\
				 sizeof(_why));				\
	CHECK(_r == (want) && strstr(_why, needle), what);		\
	if (_r != (want) || !strstr(_why, needle))			\
		unit_diag("got %d \"%s\"", _r, _why);			\
} while (0)

static void test_smp_desc(void)
{
	struct kvmkit_vcpu vcpu;
	char why[KVMKIT_ERR_MAX];
	unsigned int n = 0;
	uint64_t gpa = 0;

	make_image();
	CHECK(!kvmkit_payload_cpus(image, sizeof(image), &n, why, sizeof(why)) &&
	      n == 1, "no SMP descriptor: one CPU");
	make_smp_image(2);
	CHECK(!kvmkit_payload_cpus(image, sizeof(image), &n, why, sizeof(why)) &&
	      n == 2, "descriptor of 2 CPUs: 2");
	SMP_CASE(smp()->cpus = 0, -EINVAL, "0 CPUs", "0 CPUs: -EINVAL");
	SMP_CASE(smp()->cpus = 10000, -E2BIG, "10000 CPUs",
		 "10000 CPUs: -E2BIG, the number said");
	SMP_CASE(smp()->cpus = KVMKIT_GUEST_MAX_CPUS + 1, -E2BIG, "at most",
		 "KVMKIT_GUEST_MAX_CPUS + 1: -E2BIG");
	SMP_CASE(smp()->area_size = 0x1000, -ENOEXEC, "area size",
		 "another area size: -ENOEXEC");
	SMP_CASE(smp()->areas = SMP_AREAS + 8, -ENOEXEC, "page-aligned",
		 "unaligned areas: -ENOEXEC");
	SMP_CASE(smp()->cpus = 3, -ENOEXEC, "inside the image",
		 "areas past image_end: -ENOEXEC");
	SMP_CASE(smp()->areas = 0xfffffffffffff000ULL, -ENOEXEC, "inside",
		 "areas near 2^64 (no wrap-around): -ENOEXEC");
	SMP_CASE(smp()->ap_entry = IMG_END, -ENOEXEC, "AP entry",
		 "AP entry outside the code: -ENOEXEC");
	SMP_CASE(hdr()->smp = FILE_END - 8, -ENOEXEC, "SMP descriptor",
		 "descriptor running off the file: -ENOEXEC");
	SMP_CASE(hdr()->smp = 0x10, -ENOEXEC, "SMP descriptor",
		 "descriptor below the image: -ENOEXEC");

	/* load checks it too, and the result pages follow from it */
	make_smp_image(0);
	CHECK(load_fake() == -EINVAL && strstr(fake.err, "0 CPUs"),
	      "kvmkit_payload_load() refuses 0 CPUs");
	make_smp_image(2);
	CHECK_EQ(load_fake(), 0, "2-CPU image loads");
	CHECK(!kvmkit_payload_result_gpa(&fake, 0, &gpa) &&
	      gpa == KVMKIT_RESULT_BASE, "CPU 0's result page: LTP's");
	CHECK(!kvmkit_payload_result_gpa(&fake, 1, &gpa) &&
	      gpa == SMP_AREAS + KVMKIT_CPU_RESULT, "CPU 1's: in its area");
	CHECK_EQ(kvmkit_payload_result_gpa(&fake, 2, &gpa), -ENOENT,
		 "CPU 2 of 2: -ENOENT");
	/* the guest rewrote its descriptor after the load: checked again */
	((struct kvmkit_smp_desc *)(fake_ram + SMP_DESC))->areas = 0x1008;
	CHECK_EQ(kvmkit_payload_result_gpa(&fake, 1, &gpa), -ENOEXEC,
		 "descriptor broken after the load: -ENOEXEC");

	/* the boot tables of CPU 1: GDT, TSS, guard page */
	{
		union {
			struct kvm_cpuid2 c;
			char room[sizeof(struct kvm_cpuid2) +
				  sizeof(struct kvm_cpuid_entry2)];
		} cpuid = { .c.nent = 0 };
		const uint64_t cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG;
		const uint64_t cr4 = KVMKIT_X86_CR4_PAE;
		const uint64_t efer = KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_LME;
		const uint64_t tss = SMP_AREAS + KVMKIT_CPU_TSS;
		uint64_t gdt[6], ist1;

		make_smp_image(2);
		CHECK_EQ(load_fake(), 0, "2-CPU image loads again");
		CHECK_EQ(kvmkit_payload_setup(&fake, &cpuid.c), 0,
			 "kvmkit_payload_setup() of 2 CPUs");
		memcpy(gdt, fake_ram + SMP_AREAS + KVMKIT_CPU_GDT, sizeof(gdt));
		CHECK(gdt[1] == 0x00af9b000000ffffULL &&
		      gdt[3] == (0x00008b0000000067ULL | (tss & 0xffffff) << 16 |
				 (tss >> 24) << 56) && gdt[4] == tss >> 32,
		      "CPU 1's own GDT: code64, busy TSS at its area's TSS");
		memcpy(&ist1, fake_ram + tss + KVMKIT_TSS_IST1_OFFSET, 8);
		CHECK_EQ(ist1, SMP_AREAS + KVMKIT_CPU_IST1_TOP,
			 "CPU 1's TSS: IST1 at its own IST1 stack");
		CHECK(kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
				      SMP_AREAS, &gpa) == -EFAULT,
		      "CPU 1's guard page unmapped");
		CHECK(!kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
				       SMP_AREAS + KVMKIT_PAGE_SIZE, &gpa) &&
		      gpa == SMP_AREAS + KVMKIT_PAGE_SIZE &&
		      !kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
				       SMP_AREAS - 1, &gpa) &&
		      gpa == SMP_AREAS - 1,
		      "the pages on both sides of it mapped");
		CHECK(kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, efer,
				      IMG_END - KVMKIT_STACK_SIZE -
				      KVMKIT_STACK_GUARD_SIZE, &gpa) == -EFAULT,
		      "CPU 0's guard page unmapped too, in the same 2 MiB");
	}

	/* a vCPU the payload has no area for is refused before any ioctl */
	make_image();
	CHECK_EQ(load_fake(), 0, "one-CPU image loads");
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.fd = -1;
	vcpu.id = 1;
	vcpu.vm = &fake;
	CHECK(kvmkit_payload_boot_cpu(&vcpu) == -EINVAL &&
	      strstr(vcpu.err, "vcpu 1 has none"),
	      "vCPU 1 of a one-CPU payload: -EINVAL");
}

/* ---- on KVM ------------------------------------------------------------- */

struct guest {
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	uint8_t *ram;
	uint8_t *result;
};

static uint64_t elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000ULL + b->tv_nsec - a->tv_nsec;
}

static int guest_create(struct guest *g, const struct kvm_cpuid2 *cpuid)
{
	char err[KVMKIT_ERR_MAX];
	int r;

	memset(g, 0, sizeof(*g));
	r = kvmkit_kvm_open(&g->kvm, NULL, err, sizeof(err));
	if (r) {
		unit_diag("%s", err);
		return r;
	}
	r = kvmkit_vm_create(g->kvm, &g->vm) ?:
	    kvmkit_vm_add_memory(g->vm, 0, 0, GUEST_RAM, 0, (void **)&g->ram) ?:
	    kvmkit_vm_add_memory(g->vm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE,
				 0, (void **)&g->result) ?:
	    kvmkit_vcpu_create(g->vm, 0, &g->vcpu);
	if (r) {
		unit_diag("%s", g->vm ? kvmkit_vm_error(g->vm) :
		       kvmkit_kvm_error(g->kvm));
		return r;
	}
	if (cpuid && (r = kvmkit_vcpu_set_cpuid(g->vcpu, cpuid)))
		unit_diag("%s", kvmkit_vcpu_error(g->vcpu));
	return r;
}

static void guest_destroy(struct guest *g)
{
	if (g->vm)
		kvmkit_vm_destroy(g->vm);
	if (g->kvm)
		kvmkit_kvm_close(g->kvm);
}

/* Load, boot (timed), run to the doorbell; 0 if it got there */
static int boot_and_run(struct guest *g, const struct kvm_cpuid2 *cpuid,
			const char *what, uint64_t *boot_ns)
{
	struct kvmkit_hypercall hc = { 0 };
	struct kvmkit_exit exit;
	struct timespec t0, t1;
	struct kvm_sregs sregs;
	int r;

	make_image();
	r = kvmkit_payload_load(g->vm, image, sizeof(image));
	CHECK_EQ(r, 0, "load into a real VM");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = kvmkit_payload_boot(g->vcpu, cpuid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*boot_ns = elapsed_ns(&t0, &t1);
	if (!CHECK_EQ(r, 0, "kvmkit_payload_boot"))
		unit_diag("%s", kvmkit_vcpu_error(g->vcpu));

	kvmkit_vcpu_set_timeout(g->vcpu, 5000000000ULL);
	r = kvmkit_vcpu_run(g->vcpu, &exit);
	kvmkit_vcpu_set_timeout(g->vcpu, 0);
	if (!CHECK(!r && !kvmkit_hypercall_decode(&exit, &hc) &&
		   hc.nr == KVMKIT_HC_REPORT, "%s: guest reached its doorbell OUT",
		   what)) {
		char buf[2048];

		kvmkit_exit_describe(&exit, buf, sizeof(buf));
		unit_diag("exit: %s", buf);
		if (!kvmkit_vcpu_dump(g->vcpu, buf, sizeof(buf)))
			unit_diag("%s", buf);
		return -1;
	}
	r = kvmkit_vcpu_get_sregs(g->vcpu, &sregs);
	CHECK(!r && (sregs.efer & KVMKIT_X86_EFER_LMA) && sregs.cs.l &&
	      sregs.cs.selector == KVMKIT_SEL_CODE64,
	      "%s: the guest ran in 64-bit mode", what);
	return 0;
}

static void test_report(struct guest *g)
{
	struct kvmkit_report *rep = malloc(sizeof(*rep));
	struct tst_kvm_result *page = (struct tst_kvm_result *)g->result;
	int r;

	if (!rep)
		return;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && rep->result == KVMKIT_TPASS && rep->lineno == 42 &&
	      rep->file_addr == FILE_STR, "report: fields the guest wrote");
	CHECK(rep->file_ok && !rep->file_truncated, "report: file name read");
	CHECK_STR(rep->file, "payload.c", "report: file name (in the image)");
	CHECK_STR(rep->message, "hi", "report: message");
	CHECK(!rep->message_truncated, "report: message not truncated");

	/* Outside the image: a real walk of the guest's tables */
	strcpy((char *)g->ram + 0x200000, "heap.c");
	page->file_addr = 0x200000;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && rep->file_ok && !strcmp(rep->file, "heap.c"),
	      "report: file name outside the image, walked");

	/*
	 * A name across two virtual pages that are not adjacent in RAM:
	 * map gva 4 GiB -> gpa 0x300000 and 4 GiB + 4 KiB -> gpa 0x500000
	 * with the payload's two spare page-table pages (6: PD, 7: PT).
	 */
	{
		uint64_t *pdpt = (uint64_t *)(g->ram + IMG_PAGETABLE + 0x1000);
		uint64_t *pd = (uint64_t *)(g->ram + IMG_PAGETABLE + 0x6000);
		uint64_t *pt = (uint64_t *)(g->ram + IMG_PAGETABLE + 0x7000);

		pdpt[4] = (IMG_PAGETABLE + 0x6000) | 3;
		pd[0] = (IMG_PAGETABLE + 0x7000) | 3;
		pt[0] = 0x300000 | 3;
		pt[1] = 0x500000 | 3;
		memcpy(g->ram + 0x300ffd, "abc", 3);
		memcpy(g->ram + 0x500000, "def", 4);
		page->file_addr = 0x100000ffdULL;
		r = kvmkit_report_read(g->vcpu, rep);
		CHECK(!r && rep->file_ok && !rep->file_truncated &&
		      !strcmp(rep->file, "abcdef"),
		      "report: file name across non-adjacent pages (got \"%s\")",
		      rep->file);
		pt[1] = 0;
		r = kvmkit_report_read(g->vcpu, rep);
		/* bytes before a hole are no name: a bad file address */
		CHECK(!r && !rep->file_ok && !rep->file[0],
		      "report: file name running into an unmapped page");
	}

	page->file_addr = 0x90000000;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && !rep->file_ok && !rep->file[0],
	      "report: unmapped file_addr gives file_ok = 0");
	page->file_addr = 0x800000000ULL;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && !rep->file_ok, "report: file_addr above 4 GiB, unmapped");
	page->file_addr = 0x0000800000000000ULL;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && !rep->file_ok, "report: non-canonical file_addr");

	memset(g->ram + GUEST_RAM - 10, 'x', 10);
	page->file_addr = GUEST_RAM - 10;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && !rep->file_ok && !rep->file[0],
	      "report: file name running off RAM is a bad file address");

	memset(g->ram + 0x210000, 'y', 1000);
	g->ram[0x210000 + 1000] = '\0';
	page->file_addr = 0x210000;
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && rep->file_ok && rep->file_truncated &&
	      strlen(rep->file) == sizeof(rep->file) - 1,
	      "report: long file name truncated to file[]");

	memset(page->message, 'A', KVMKIT_MESSAGE_MAX);
	r = kvmkit_report_read(g->vcpu, rep);
	CHECK(!r && rep->message_truncated &&
	      strlen(rep->message) == KVMKIT_MESSAGE_MAX,
	      "report: message without NUL is truncated and terminated");
	free(rep);
}

static void test_vcpu_state(struct guest *g)
{
	struct kvmkit_vcpu *v = g->vcpu;
	struct kvm_vcpu_events ev;
	struct kvm_guest_debug dbg;
	struct kvm_mp_state mp;
	struct kvm_fpu fpu;
	uint64_t val = 0, gpa = 0;
	char buf[2048];
	int r;

	r = kvmkit_vcpu_get_msr(v, 0xc0000080, &val);
	CHECK(!r && (val & KVMKIT_X86_EFER_LMA), "get_msr(EFER) has LMA");
	r = kvmkit_vcpu_set_msr(v, 0xc0000102, 0x123456789000ULL) ?:
	    kvmkit_vcpu_get_msr(v, 0xc0000102, &val);
	CHECK(!r && val == 0x123456789000ULL, "set/get_msr(KERNEL_GS_BASE)");
	r = kvmkit_vcpu_get_msr(v, 0xdeadbeef, &val);
	CHECK(r == -EINVAL && strstr(kvmkit_vcpu_error(v), "0xdeadbeef"),
	      "get_msr of an unknown MSR: -EINVAL naming it (%s)",
	      kvmkit_vcpu_error(v));
	CHECK_EQ(kvmkit_vcpu_get_fpu(v, &fpu), 0, "get_fpu");
	r = kvmkit_vcpu_get_events(v, &ev) ?: kvmkit_vcpu_set_events(v, &ev);
	CHECK_EQ(r, 0, "get/set_events");
	CHECK(!kvmkit_vcpu_get_mp_state(v, &mp) &&
	      mp.mp_state == KVM_MP_STATE_RUNNABLE, "get_mp_state: runnable");
	memset(&dbg, 0, sizeof(dbg));
	CHECK_EQ(kvmkit_vcpu_set_guest_debug(v, &dbg), 0, "set_guest_debug(off)");

	r = kvmkit_vcpu_gva_to_gpa(v, 0x1234, &gpa);
	CHECK(!r && gpa == 0x1234, "gva_to_gpa: identity map");
	r = kvmkit_vcpu_gva_to_gpa(v, 0x7fffffff, &gpa);
	CHECK(!r && gpa == 0x7fffffff, "gva_to_gpa: last identity byte");
	r = kvmkit_vcpu_gva_to_gpa(v, 0xfffff010, &gpa);
	CHECK(!r && gpa == 0xfffff010, "gva_to_gpa: result page");
	r = kvmkit_vcpu_gva_to_gpa(v, 0x80000000, &gpa);
	CHECK(r == -EFAULT && strstr(kvmkit_vcpu_error(v), "0x80000000"),
	      "gva_to_gpa: 2 GiB is unmapped (%s)", kvmkit_vcpu_error(v));
	r = kvmkit_vcpu_gva_to_gpa(v, 0xffffe000, &gpa);
	CHECK_EQ(r, -EFAULT, "gva_to_gpa: page below the result page unmapped");

	r = kvmkit_vcpu_dump(v, buf, sizeof(buf));
	CHECK(!r && strstr(buf, "CS 0x0008  SS 0x0010") &&
	      strstr(buf, "EFER 0x500") && strstr(buf, "CR3 0x4000"),
	      "vcpu_dump shows the boot state");
}

/* Re-boot the same vCPU to time kvmkit_payload_boot() alone */
static void time_boots(struct guest *g, const struct kvm_cpuid2 *cpuid)
{
	uint64_t ns[64], t;
	struct timespec t0, t1;
	int i, j, fails = 0;

	for (i = 0; i < 64; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		fails += !!kvmkit_payload_boot(g->vcpu, cpuid);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns[i] = elapsed_ns(&t0, &t1);
		for (j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
			t = ns[j];
			ns[j] = ns[j - 1];
			ns[j - 1] = t;
		}
	}
	CHECK_EQ(fails, 0, "64 more boots of the same vCPU");
	unit_diag("kvmkit_payload_boot: min %.1f us, median %.1f us, max %.1f us (64 boots)",
		  ns[0] / 1e3, ns[32] / 1e3, ns[63] / 1e3);
}

static void test_kvm(void)
{
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvm_cpuid_entry2 *ext;
	struct guest g;
	uint64_t ns;
	int gb;

	if (access("/dev/kvm", R_OK | W_OK)) {
		CHECK(1, "# SKIP payload boot on KVM: no usable /dev/kvm");
		return;
	}
	if (guest_create(&g, NULL) ||
	    kvmkit_kvm_supported_cpuid(g.kvm, &cpuid) ||
	    kvmkit_vcpu_set_cpuid(g.vcpu, cpuid)) {
		CHECK(0, "set up a VM");
		guest_destroy(&g);
		free(cpuid);
		return;
	}
	ext = (struct kvm_cpuid_entry2 *)kvmkit_cpuid_find(cpuid, 0x80000001, 0);
	gb = ext && (ext->edx & KVMKIT_X86_CPUID_PDPE1GB);
	unit_diag("1 GiB pages %ssupported", gb ? "" : "not ");
	if (!boot_and_run(&g, cpuid, gb ? "1 GiB pages" : "2 MiB pages", &ns)) {
		uint64_t flags;

		unit_diag("first kvmkit_payload_boot: %.1f us", ns / 1e3);
		memcpy(&flags, g.ram + BASE +
		       offsetof(struct kvmkit_payload_header, host_flags), 8);
		CHECK_EQ(flags, gb ? KVMKIT_HOST_1G_PAGES : 0,
			 "header.host_flags tells the page size");
		test_report(&g);
		test_vcpu_state(&g);
		time_boots(&g, cpuid);
	}
	guest_destroy(&g);

	/* The 2 MiB-page map, on a fresh VM whose CPUID hides 1 GiB pages */
	if (ext)
		ext->edx &= ~(uint32_t)KVMKIT_X86_CPUID_PDPE1GB;
	if (!guest_create(&g, cpuid) &&
	    !boot_and_run(&g, cpuid, "2 MiB pages", &ns)) {
		uint64_t *pd = (uint64_t *)(g.ram + IMG_PAGETABLE + 0x3000);
		uint64_t gpa = 0;

		unit_diag("first kvmkit_payload_boot (2 MiB pages): %.1f us",
			  ns / 1e3);
		CHECK(pd[511] == (0x7fe00000 | 0x83),
		      "2 MiB map: last PD entry maps 2 GiB - 2 MiB");
		CHECK(!kvmkit_vcpu_gva_to_gpa(g.vcpu, 0x7654321, &gpa) &&
		      gpa == 0x7654321, "2 MiB map: gva_to_gpa identity");
		time_boots(&g, cpuid);
	}
	guest_destroy(&g);
	free(cpuid);
}

int main(void)
{
	fake_setup();
	test_load_good();
	test_load_bad();
	test_ram_size();
	test_boot_tables(1);
	test_boot_tables(0);
	test_smp_desc();
	free(fake_ram);
	test_kvm();
	return unit_done();
}
