// SPDX-License-Identifier: MIT
/*
 * The guest-physical page allocator and host-side mapping, against the
 * real /dev/kvm:
 *   - the allocator: zeroed pages, first fit, exhaustion, free, double
 *     free, reserve, a range outside RAM; one carved off a payload's heap;
 *   - kvmkit_x86_map() builds 4-level tables from the allocator: a code
 *     page, a data page at a high canonical address (writable, NX, global,
 *     PCD, PWT, PAT), a user page; a long-mode guest with CR3 at them runs
 *     from the code page, reads the data page and writes it, and a write
 *     to its read-only code page faults (a shutdown: there is no IDT);
 *   - kvmkit_x86_walk_ex() agrees: same gpa, read-only and
 *     supervisor-only faults at level 1, the leaf's bits as asked;
 *   - 5-level tables (KVMKIT_MAP_LA57) walked with CR4.LA57;
 *   - refusals: unaligned, non-canonical, unknown flags, a large page on
 *     the way, a root outside RAM, the allocator exhausted.
 * Skips (exit 77) when /dev/kvm is not there.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <kvmkit/kvmkit.h>
#include <kvmkit/x86.h>
#include "unit.h"

#define RAM_SIZE	0x400000ULL
#define POOL_START	0x200000ULL
#define POOL_END	0x400000ULL
#define CODE_GPA	0x1000
#define DATA_GPA	0x5000
#define USER_GPA	0x6000
#define CODE_GVA	0x400000ULL
#define DATA_GVA	0xffff800000345000ULL
#define USER_GVA	0x7f0000000000ULL
#define MAGIC		0x1122334455667788ULL

#define CR0	(KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_ET | KVMKIT_X86_CR0_NE | \
		 KVMKIT_X86_CR0_WP | KVMKIT_X86_CR0_PG)
#define CR4	KVMKIT_X86_CR4_PAE
#define EFER	(KVMKIT_X86_EFER_LME | KVMKIT_X86_EFER_LMA | KVMKIT_X86_EFER_NXE)

/*
 * movabs $DATA_GVA, %rdx; mov (%rdx), %rbx; out %ebx (through %eax);
 * shr $32, %rbx; out %ebx; movl $0xdeadbeef, 8(%rdx); hlt.  At +0x40: a write to the
 * code page itself, then hlt.
 */
static uint8_t code[0x60] = {
	0x48, 0xba, 0x00, 0x50, 0x34, 0x00, 0x00, 0x80, 0xff, 0xff,
	0x48, 0x8b, 0x1a,
	0x89, 0xd8, 0xe7, 0x10,
	0x48, 0xc1, 0xeb, 0x20,
	0x89, 0xd8, 0xe7, 0x10,
	0xc7, 0x42, 0x08, 0xef, 0xbe, 0xad, 0xde,
	0xf4,
	[0x40] = 0x48, 0xb8, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xc6, 0x00, 0x01,			/* movb $1, (%rax) */
	0xf4,
};

static void test_alloc(struct kvmkit_vm *vm)
{
	struct kvmkit_gpa_alloc *a;
	uint64_t gpa, g2, pages;
	uint8_t byte = 0;
	int ret, n;

	CHECK_EQ(kvmkit_gpa_alloc_create(vm, RAM_SIZE - 0x1000, RAM_SIZE + 0x1000,
					 &a), -EFAULT,
		 "allocator over a range leaving RAM: -EFAULT");
	CHECK(a == NULL, "and no allocator");
	CHECK_EQ(kvmkit_gpa_alloc_create(vm, 0x1800, 0x3000, &a), -EINVAL,
		 "allocator over an unaligned range: -EINVAL");
	CHECK_EQ(kvmkit_gpa_alloc_create(vm, 0x3000, 0x3000, &a), -EINVAL,
		 "allocator over an empty range: -EINVAL");
	/* 16 pages at 0x100000, whose bytes are not zero */
	memset(kvmkit_gpa_to_hva(vm, 0x100000, 0x10000), 0xcc, 0x10000);
	ret = kvmkit_gpa_alloc_create(vm, 0x100000, 0x110000, &a);
	if (!CHECK_EQ(ret, 0, "allocator over 16 pages"))
		return;
	CHECK_EQ(kvmkit_gpa_alloc_free_pages(a), 16, "16 pages free");
	CHECK_EQ(kvmkit_gpa_reserve(a, 0x100000, 0x1000), 0, "page 0 reserved");
	CHECK_EQ(kvmkit_gpa_reserve(a, 0x100000, 0x1000), -EBUSY,
		 "reserving it again: -EBUSY");
	ret = kvmkit_gpa_alloc(a, 0x1800, &gpa);
	CHECK(!ret && gpa == 0x101000, "1.5 pages: two pages after the reserved one");
	kvmkit_vm_read(vm, gpa + 0x1fff, &byte, 1);
	CHECK(byte == 0 && kvmkit_vm_read(vm, gpa, &byte, 1) == 0 && byte == 0,
	      "handed out zeroed");
	ret = kvmkit_gpa_alloc(a, 0x1000, &g2);
	CHECK(!ret && g2 == 0x103000, "next page after them");
	CHECK_EQ(kvmkit_gpa_free(a, gpa, 0x2000), 0, "the two pages freed");
	CHECK_EQ(kvmkit_gpa_free(a, gpa, 0x1000), -EINVAL, "double free: -EINVAL");
	CHECK_EQ(kvmkit_gpa_free(a, 0x200000, 0x1000), -EINVAL,
		 "free outside the range: -EINVAL");
	CHECK_EQ(kvmkit_gpa_free(a, 0x101800, 0x1000), -EINVAL,
		 "unaligned free: -EINVAL");
	ret = kvmkit_gpa_alloc(a, 0x3000, &gpa);
	CHECK(!ret && gpa == 0x104000, "3 pages: the first run long enough (first fit)");
	ret = kvmkit_gpa_alloc(a, 0x2000, &gpa);
	CHECK(!ret && gpa == 0x101000, "2 pages: the freed run");
	pages = kvmkit_gpa_alloc_free_pages(a);
	CHECK_EQ(pages, 16 - 7, "9 pages free");
	CHECK_EQ(kvmkit_gpa_alloc(a, 10 * 0x1000, &gpa), -ENOMEM,
		 "10 pages from 9: -ENOMEM");
	for (n = 0; !kvmkit_gpa_alloc(a, 0x1000, &gpa); n++)
		;
	CHECK_EQ(n, 9, "9 single pages, then -ENOMEM");
	CHECK(strstr(kvmkit_vm_error(vm), "no run of") != NULL,
	      "exhaustion message: %s", kvmkit_vm_error(vm));
	CHECK_EQ(kvmkit_gpa_alloc(a, 0, &gpa), -EINVAL, "0 bytes: -EINVAL");
	kvmkit_gpa_alloc_destroy(a);
}

/* The leaf PTE of gva under a 4-level root, read by hand; 0 if none */
static uint64_t leaf_where(struct kvmkit_vm *vm, uint64_t cr3, uint64_t gva,
			   uint64_t *where)
{
	uint64_t table = cr3, e = 0;
	int level;

	for (level = 4; level >= 1; level--) {
		uint64_t at = (table & KVMKIT_X86_PTE_ADDR) +
			      8 * ((gva >> (12 + 9 * (level - 1))) & 511);

		if (kvmkit_vm_read(vm, at, &e, 8) || !(e & KVMKIT_X86_PTE_P))
			return 0;
		table = e;
		*where = at;
	}
	return e;
}

static uint64_t leaf(struct kvmkit_vm *vm, uint64_t cr3, uint64_t gva)
{
	uint64_t where;

	return leaf_where(vm, cr3, gva, &where);
}

static int walk(struct kvmkit_vm *vm, uint64_t cr3, uint64_t cr4,
		uint64_t gva, unsigned int flags, uint64_t *gpa,
		struct kvmkit_walk_fault *f)
{
	return kvmkit_x86_walk_ex(vm, CR0, cr3, cr4, EFER, gva, flags, gpa, f);
}

static void test_walk_agrees(struct kvmkit_vm *vm, uint64_t cr3)
{
	struct kvmkit_walk_fault f;
	uint64_t gpa = 0, want;

	CHECK(!walk(vm, cr3, CR4, CODE_GVA + 0x40, 0, &gpa, NULL) &&
	      gpa == CODE_GPA + 0x40, "walk: code page maps to its gpa");
	CHECK(!walk(vm, cr3, CR4, DATA_GVA + 8, KVMKIT_WALK_WRITE, &gpa, NULL) &&
	      gpa == DATA_GPA + 8, "walk: data page, writable, at its gpa");
	CHECK(walk(vm, cr3, CR4, CODE_GVA, KVMKIT_WALK_WRITE, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_WRITE_PROTECTED && f.level == 1 && f.bit == 1,
	      "walk: a write to the code page faults on RW at level 1");
	CHECK(walk(vm, cr3, CR4, DATA_GVA, KVMKIT_WALK_USER, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_SUPERVISOR && f.level == 1 && f.bit == 2,
	      "walk: a user read of the data page faults on US at level 1");
	CHECK(!walk(vm, cr3, CR4, USER_GVA + 4, KVMKIT_WALK_USER, &gpa, NULL) &&
	      gpa == USER_GPA + 4, "walk: the user page, from CPL 3");
	CHECK(walk(vm, cr3, CR4, USER_GVA + 0x1000, 0, &gpa, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NOT_PRESENT && f.level == 1,
	      "walk: the page after it is not present at level 1");
	want = DATA_GPA | KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_RW |
	       KVMKIT_X86_PTE_NX | KVMKIT_BIT(8) | KVMKIT_BIT(3) |
	       KVMKIT_BIT(4) | KVMKIT_BIT(7);
	CHECK_EQ(leaf(vm, cr3, DATA_GVA) & ~(KVMKIT_X86_PTE_A | KVMKIT_X86_PTE_D),
		 want, "data leaf: P RW NX G PWT PCD PAT exactly");
	CHECK_EQ(leaf(vm, cr3, CODE_GVA) & ~KVMKIT_X86_PTE_A,
		 CODE_GPA | KVMKIT_X86_PTE_P, "code leaf: P only");
	CHECK_EQ(leaf(vm, cr3, USER_GVA), USER_GPA | KVMKIT_X86_PTE_P |
		 KVMKIT_X86_PTE_US, "user leaf: P US");
}

static int long_mode(struct kvmkit_vcpu *vcpu, uint64_t cr3, uint64_t rip)
{
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = 0x10, .type = 3, .present = 1,
		.s = 1, .db = 1, .g = 1,
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		return -1;
	sregs.cs = data;
	sregs.cs.selector = 0x8;
	sregs.cs.type = 0xb;
	sregs.cs.db = 0;
	sregs.cs.l = 1;
	sregs.ds = sregs.es = sregs.ss = sregs.fs = sregs.gs = data;
	sregs.tr.type = KVMKIT_X86_TYPE_TSS64_BUSY;
	sregs.tr.present = 1;
	sregs.tr.limit = 0x67;
	sregs.cr0 = CR0;
	sregs.cr3 = cr3;
	sregs.cr4 = CR4;
	sregs.efer = EFER;
	if (kvmkit_vcpu_set_sregs(vcpu, &sregs))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 0x2;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

/* The vCPU's own paging state (long mode, CR0.WP, EFER.NXE) checked */
static void test_copy_ex(struct kvmkit_vcpu *vcpu, uint64_t cr3)
{
	struct kvmkit_vm *vm = kvmkit_vcpu_vm(vcpu);
	struct kvmkit_walk_fault f;
	uint64_t v = 0, pte, at = 0;
	uint8_t b = 0x48;

	CHECK(kvmkit_vcpu_copy_from_guest_ex(vcpu, DATA_GVA, &v, 8, 0, &f) == 0 &&
	      v == MAGIC, "copy_from_guest_ex: the data page through the vCPU's CR3");
	CHECK(kvmkit_vcpu_copy_from_guest_ex(vcpu, DATA_GVA, &v, 8,
					     KVMKIT_WALK_USER, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_SUPERVISOR && f.level == 1 && f.bit == 2,
	      "copy_from_guest_ex as CPL 3: US of the PTE");
	CHECK(strstr(kvmkit_vcpu_error(vcpu), "supervisor-only at level 1, bit 2") != NULL,
	      "the vCPU's message says so: %s", kvmkit_vcpu_error(vcpu));
	CHECK(kvmkit_vcpu_copy_from_guest_ex(vcpu, DATA_GVA, &v, 8,
					     KVMKIT_WALK_FETCH, &f) == -EFAULT &&
	      f.why == KVMKIT_WALK_NO_EXECUTE && f.level == 1,
	      "copy_from_guest_ex as a fetch: the NX page refuses");
	CHECK(kvmkit_vcpu_copy_to_guest_ex(vcpu, CODE_GVA, &b, 1, 0, &f) ==
	      -EFAULT && f.why == KVMKIT_WALK_WRITE_PROTECTED && f.level == 1,
	      "copy_to_guest_ex into the read-only code page (CR0.WP): refused");
	CHECK_EQ(kvmkit_vcpu_copy_to_guest(vcpu, CODE_GVA, &b, 1), 0,
		 "plain copy_to_guest writes it, as a debugger");
	/* the guest's own write set A and D: clear them, then the copy's */
	pte = leaf_where(vm, cr3, DATA_GVA, &at) &
	      ~(KVMKIT_X86_PTE_A | KVMKIT_X86_PTE_D);
	kvmkit_vm_write(vm, at, &pte, 8);
	CHECK(kvmkit_vcpu_copy_to_guest_ex(vcpu, DATA_GVA + 16, &b, 1,
					   KVMKIT_WALK_SET_AD, &f) == 0 &&
	      (leaf(vm, cr3, DATA_GVA) & (KVMKIT_X86_PTE_A | KVMKIT_X86_PTE_D)) ==
	      (KVMKIT_X86_PTE_A | KVMKIT_X86_PTE_D),
	      "copy_to_guest_ex with SET_AD: A and D set in the data PTE");
}

static void test_guest(struct kvmkit_vm *vm, uint64_t cr3)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	uint64_t magic = MAGIC;
	uint32_t lo = 0, hi = 0, written = 0;
	int ret;

	kvmkit_vm_write(vm, DATA_GPA, &magic, 8);
	ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	ret = ret ? ret : long_mode(vcpu, cr3, CODE_GVA);
	if (!CHECK_EQ(ret, 0, "guest: long mode on the mapped tables")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		return;
	}
	ret = kvmkit_vcpu_run(vcpu, &e);
	if (!ret && e.type == KVMKIT_EXIT_IO_OUT)
		memcpy(&lo, e.io.data, 4);
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	if (!ret && e.type == KVMKIT_EXIT_IO_OUT)
		memcpy(&hi, e.io.data, 4);
	CHECK(lo == (uint32_t)MAGIC && hi == MAGIC >> 32,
	      "guest ran from the mapped code page and read the data page through its high address");
	if (lo != (uint32_t)MAGIC)
		unit_diag("exit %d: %s", e.type, kvmkit_vcpu_error(vcpu));
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	kvmkit_vm_read(vm, DATA_GPA + 8, &written, 4);
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT && written == 0xdeadbeef,
	      "guest wrote through the mapping, then HLT");
	/* before the shutdown below: SVM resets the vCPU on a triple fault */
	test_copy_ex(vcpu, cr3);

	ret = long_mode(vcpu, cr3, CODE_GVA + 0x40);
	ret = ret ? ret : kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_SHUTDOWN,
	      "guest write to its read-only code page faults (no IDT: shutdown)");
	CHECK_EQ(((uint8_t *)kvmkit_gpa_to_hva(vm, CODE_GPA, 1))[0], 0x48,
		 "and the code page is unchanged");
}

static void test_la57(struct kvmkit_vm *vm, struct kvmkit_gpa_alloc *a)
{
	uint64_t root, gpa = 0, gva = 0xff00123456789000ULL;
	int ret;

	ret = kvmkit_gpa_alloc(a, 0x1000, &root);
	ret = ret ? ret : kvmkit_x86_map(vm, a, root, gva, DATA_GPA, 0x2000,
					 KVMKIT_MAP_LA57 | KVMKIT_MAP_WRITE);
	CHECK_EQ(ret, 0, "5-level: two pages mapped at a 57-bit address");
	CHECK(!walk(vm, root, CR4 | KVMKIT_X86_CR4_LA57, gva + 0x1234,
		    KVMKIT_WALK_WRITE, &gpa, NULL) && gpa == DATA_GPA + 0x1234,
	      "5-level: the walk with CR4.LA57 agrees");
	CHECK(walk(vm, root, CR4, gva, 0, &gpa, NULL) == -EFAULT,
	      "5-level: the same address is not canonical for a 4-level walk");
	CHECK_EQ(kvmkit_x86_map(vm, a, root, gva, DATA_GPA, 0x1000,
				KVMKIT_MAP_LA57), 0,
		 "5-level: remapping a page read-only replaces its leaf");
	CHECK(walk(vm, root, CR4 | KVMKIT_X86_CR4_LA57, gva,
		   KVMKIT_WALK_WRITE, &gpa, NULL) == -EFAULT,
	      "5-level: and a write then faults");
}

static void test_refusals(struct kvmkit_vm *vm, struct kvmkit_gpa_alloc *a,
			  uint64_t cr3)
{
	struct kvmkit_gpa_alloc *tiny;
	uint64_t pde = 0, pt = 0;

	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, CODE_GVA + 1, CODE_GPA, 0x1000, 0),
		 -EINVAL, "unaligned gva: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, CODE_GVA, CODE_GPA, 0, 0), -EINVAL,
		 "size 0: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, 0x800000000000ULL, CODE_GPA, 0x1000, 0),
		 -EINVAL, "non-canonical gva: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, 0x7ffffffff000ULL, CODE_GPA, 0x2000, 0),
		 -EINVAL, "a range running into the non-canonical hole: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, CODE_GVA, CODE_GPA, 0x1000, 1u << 20),
		 -EINVAL, "unknown flag: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, CODE_GVA, 1ULL << 52, 0x1000, 0),
		 -EINVAL, "gpa past 52 bits: -EINVAL");
	CHECK_EQ(kvmkit_x86_map(vm, a, RAM_SIZE * 4, CODE_GVA, CODE_GPA, 0x1000, 0),
		 -EFAULT, "a root outside RAM: -EFAULT");
	/* turn the PDE over 0x40000000 into a 2 MiB page, then map under it */
	if (!CHECK_EQ(kvmkit_x86_map(vm, a, cr3, 0x40000000, CODE_GPA, 0x1000, 0),
		      0, "a page at 1 GiB"))
		return;
	pt = leaf(vm, cr3, 0x40000000);
	{
		uint64_t e = cr3, at = 0;
		int level;

		for (level = 4; level >= 2; level--) {
			at = (e & KVMKIT_X86_PTE_ADDR) +
			     8 * ((0x40000000ULL >> (12 + 9 * (level - 1))) & 511);
			kvmkit_vm_read(vm, at, &e, 8);
		}
		pde = (0x200000ULL) | KVMKIT_X86_PTE_P | KVMKIT_X86_PTE_PS;
		kvmkit_vm_write(vm, at, &pde, 8);
	}
	CHECK(pt != 0, "its leaf is there");
	CHECK_EQ(kvmkit_x86_map(vm, a, cr3, 0x40001000, CODE_GPA, 0x1000, 0),
		 -EEXIST, "mapping inside a 2 MiB page: -EEXIST");
	unit_diag("%s", kvmkit_vm_error(vm));
	/* an allocator with one page: the root, then no room for tables */
	if (CHECK_EQ(kvmkit_gpa_alloc_create(vm, 0x3f0000, 0x3f1000, &tiny), 0,
		     "one-page allocator")) {
		uint64_t root;

		kvmkit_gpa_alloc(tiny, 0x1000, &root);
		CHECK_EQ(kvmkit_x86_map(vm, tiny, root, CODE_GVA, CODE_GPA,
					0x1000, 0), -ENOMEM,
			 "no page left for a table: the allocator's -ENOMEM");
		kvmkit_gpa_alloc_destroy(tiny);
	}
}

/*
 * An allocator carved off a payload's heap: a header fabricated at
 * KVMKIT_PAYLOAD_BASE as kvmkit_payload_load() leaves it (only the fields
 * the call reads), image ending at 1 MiB, RAM (hence the heap) at 4 MiB.
 */
static void test_payload_alloc(struct kvmkit_kvm *kvm)
{
	struct kvmkit_payload_header h = {
		.magic = KVMKIT_PAYLOAD_MAGIC, .image_end = 0x100000,
		.ram_size = RAM_SIZE,
	};
	struct kvmkit_gpa_alloc *a = NULL;
	struct kvmkit_vm *vm = NULL;
	uint64_t gpa = 0;
	int ret;

	ret = kvmkit_vm_create(kvm, &vm);
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 0, 0, RAM_SIZE, 0, NULL);
	if (!CHECK_EQ(ret, 0, "payload allocator: set-up"))
		goto out;
	CHECK_EQ(kvmkit_gpa_alloc_create_payload(vm, 0x10000, &a), -ENOEXEC,
		 "payload allocator without a payload header: -ENOEXEC");
	kvmkit_vm_write(vm, KVMKIT_PAYLOAD_BASE, &h, sizeof(h));
	CHECK_EQ(kvmkit_gpa_alloc_create_payload(vm, RAM_SIZE - 0xff000, &a),
		 -ENOMEM, "more than the heap between image_end and ram_size: -ENOMEM");
	ret = kvmkit_gpa_alloc_create_payload(vm, 0xf001, &a);
	if (!CHECK_EQ(ret, 0, "payload allocator of 0xf001 bytes (16 pages)")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK_EQ(kvmkit_gpa_alloc_free_pages(a), 16, "16 pages");
	kvmkit_vm_read(vm, KVMKIT_PAYLOAD_BASE, &h, sizeof(h));
	CHECK_EQ(h.ram_size, RAM_SIZE - 0x10000,
		 "the header's ram_size (the guest heap's end) lowered below them");
	CHECK(!kvmkit_gpa_alloc(a, 0x1000, &gpa) && gpa == RAM_SIZE - 0x10000,
	      "first page handed out: the heap's old last 64 KiB");
out:
	kvmkit_gpa_alloc_destroy(a);
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm = NULL;
	struct kvmkit_gpa_alloc *a = NULL;
	char err[KVMKIT_ERR_MAX];
	uint64_t cr3 = 0;
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	ret = kvmkit_vm_create(kvm, &vm);
	ret = ret ? ret : kvmkit_vm_add_memory(vm, 0, 0, RAM_SIZE, 0, NULL);
	ret = ret ? ret : kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!CHECK_EQ(ret, 0, "set-up: VM with 4 MiB")) {
		unit_diag("%s", vm ? kvmkit_vm_error(vm) : kvmkit_kvm_error(kvm));
		goto out;
	}
	test_alloc(vm);
	ret = kvmkit_gpa_alloc_create(vm, POOL_START, POOL_END, &a);
	ret = ret ? ret : kvmkit_gpa_alloc(a, 0x1000, &cr3);
	ret = ret ? ret : kvmkit_x86_map(vm, a, cr3, CODE_GVA, CODE_GPA, 0x1000, 0);
	ret = ret ? ret : kvmkit_x86_map(vm, a, cr3, DATA_GVA, DATA_GPA, 0x1000,
					 KVMKIT_MAP_WRITE | KVMKIT_MAP_NX |
					 KVMKIT_MAP_GLOBAL | KVMKIT_MAP_PWT |
					 KVMKIT_MAP_PCD | KVMKIT_MAP_PAT);
	ret = ret ? ret : kvmkit_x86_map(vm, a, cr3, USER_GVA, USER_GPA, 0x1000,
					 KVMKIT_MAP_USER);
	if (!CHECK_EQ(ret, 0, "tables built: code, data and user pages mapped")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK_EQ(kvmkit_gpa_alloc_free_pages(a), 512 - 1 - 9,
		 "tables taken from the allocator: the root and 3 tables for each of the 3 PML4 entries");
	test_walk_agrees(vm, cr3);
	test_guest(vm, cr3);
	test_la57(vm, a);
	test_refusals(vm, a, cr3);
	test_payload_alloc(kvm);
out:
	kvmkit_gpa_alloc_destroy(a);
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
