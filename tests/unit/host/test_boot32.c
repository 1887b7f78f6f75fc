// SPDX-License-Identifier: MIT
/*
 * kvmkit_payload_boot() of a 32-bit payload (header.guest_mode 1 or 2,
 * lib/host/x86_64/boot32.c).  On a fabricated VM and vCPU (fd -1: the
 * tables are written, then KVM_SET_SREGS fails with EBADF) the tables are
 * checked with the host's own walker in the mode the guest will use:
 * identity up to 2 GiB, the result page, the stack guard hole, nothing
 * else; then the GDT, an interrupt gate, the #DF task gate and the #DF
 * task's TSS.  An unknown guest_mode is refused at load.  On /dev/kvm a
 * hand-made i386 guest is booted in both modes: it must reach its
 * doorbell with the result page written (KVM 6.1), or the boot must fail
 * with -EOPNOTSUPP naming the dropped CR0.PG (kvm_pvm), never a guest
 * that runs astray.
 */
#include <unistd.h>
#include <kvmkit/x86.h>
#include "internal.h"
#include "unit.h"
#include "image.h"

#define FAKE_RAM	0x100000
#define GUEST_RAM	KVMKIT_DEFAULT_RAM
#define IMG_IMAGE_END	(IMG_END + KVMKIT_IST1_SIZE)	/* room for the #DF task */
#define GUARD		(IMG_END - KVMKIT_STACK_SIZE - KVMKIT_STACK_GUARD_SIZE)

/*
 * i386: fill the result page's line (42) and ring KVMKIT_HC_REPORT:
 *	mov $0xfffff000,%ebx; movl $0,(%ebx); movl $42,4(%ebx)
 *	mov $1,%eax; out %eax,$KVMKIT_HC_PORT; jmp .
 */
static const uint8_t code32[] = {
	0xbb, 0x00, 0xf0, 0xff, 0xff,
	0xc7, 0x03, 0x00, 0x00, 0x00, 0x00,
	0xc7, 0x43, 0x04, 0x2a, 0x00, 0x00, 0x00,
	0xb8, 0x01, 0x00, 0x00, 0x00,
	0xe7, KVMKIT_HC_PORT,
	0xeb, 0xfe,
};

static uint8_t image[IMG_SIZE];
static struct kvmkit_vm fake;
static uint8_t *fake_ram;
static uint8_t result[KVMKIT_PAGE_SIZE] __attribute__((aligned(4096)));

static void make_image(uint64_t mode)
{
	struct kvmkit_payload_header *h = (void *)image;

	image_make(image, code32, sizeof(code32));
	h->image_end = IMG_IMAGE_END;
	h->guest_mode = mode;
}

static void fake_setup(void)
{
	fake_ram = aligned_alloc(KVMKIT_PAGE_SIZE, FAKE_RAM);
	if (!fake_ram)
		unit_skip_all("out of memory");
	fake.fd = -1;
	fake.slots[0].region = (struct kvm_userspace_memory_region) {
		.memory_size = FAKE_RAM, .userspace_addr = (uintptr_t)fake_ram,
	};
	fake.slots[1].region = (struct kvm_userspace_memory_region) {
		.slot = 1, .guest_phys_addr = KVMKIT_RESULT_BASE,
		.memory_size = KVMKIT_RESULT_SIZE,
		.userspace_addr = (uintptr_t)result,
	};
}

static uint64_t u64_at(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, fake_ram + gpa, sizeof(v));
	return v;
}

static uint32_t u32_at(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, fake_ram + gpa, sizeof(v));
	return v;
}

static void test_tables(uint64_t mode)
{
	const int pae = mode == KVMKIT_GUEST_MODE_32PAE;
	const uint64_t cr0 = KVMKIT_X86_CR0_PE | KVMKIT_X86_CR0_PG;
	const uint64_t cr4 = pae ? KVMKIT_X86_CR4_PAE : KVMKIT_X86_CR4_PSE;
	static const uint64_t probe[] = {
		0, 0x1000, GUARD - 1, GUARD + KVMKIT_PAGE_SIZE, 0x3fffffff,
		0x40000000, 0x7fffffff,
	};
	const char *name = pae ? "PAE" : "2-level";
	const uint64_t df_entry = IMG_VECTORS +
				  KVMKIT_VECTOR_COUNT * KVMKIT_VECTOR_STUB_SIZE;
	struct kvmkit_vcpu vcpu = { .fd = -1, .vm = &fake };
	uint64_t gpa, off = IMG_VECTORS + 14 * 16;
	unsigned int i, bad = 0;
	int r;

	memset(fake_ram, 0xaa, FAKE_RAM);
	make_image(mode);
	CHECK(!kvmkit_payload_load(&fake, image, sizeof(image)), "%s: load", name);
	r = kvmkit_payload_boot(&vcpu, NULL);
	CHECK(r == -EBADF && strstr(vcpu.err, "KVM_SET_SREGS"),
	      "%s: boot on a fake vCPU fails at KVM_SET_SREGS, after the tables",
	      name);
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		bad += kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, 0,
				       probe[i], &gpa) || gpa != probe[i];
	CHECK_EQ(bad, 0, pae ? "PAE: identity up to 2 GiB" :
			       "2-level: identity up to 2 GiB");
	CHECK(!kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, 0, 0xfffff123,
			       &gpa) && gpa == 0xfffff123,
	      "%s: result page mapped", name);
	CHECK(kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, 0, GUARD, &gpa) ==
	      -EFAULT &&
	      kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, 0, 0x80000000,
			      &gpa) == -EFAULT &&
	      kvmkit_x86_walk(&fake, cr0, IMG_PAGETABLE, cr4, 0, 0xffffe000,
			      &gpa) == -EFAULT,
	      "%s: guard page, 2 GiB and below the result page unmapped", name);
	if (pae)
		CHECK((u64_at(IMG_PAGETABLE) & 0xfff) == 1 &&
		      (u64_at(IMG_PAGETABLE + 24) & 0xfff) == 1 &&
		      u64_at(IMG_PAGETABLE + 16) == 0,
		      "PAE: PDPTEs 0 and 3 have only P, PDPTE 2 is empty");
	else
		CHECK(u32_at(IMG_PAGETABLE + 4 * 5) == (5u << 22 | 0x83),
		      "2-level: PDE 5 is a 4 MiB page (P, RW, PS)");

	CHECK(u64_at(IMG_GDT + 8) == 0x00cf9b000000ffffULL &&
	      u64_at(IMG_GDT + 16) == 0x00cf93000000ffffULL &&
	      u64_at(IMG_GDT + 24) == (0x00008b0000000067ULL |
				       (uint64_t)IMG_TSS << 16) &&
	      u64_at(IMG_GDT + 32) == (0x0000890000000067ULL |
				       (uint64_t)IMG_END << 16) &&
	      u64_at(IMG_GDT + 40) == 0x00cf9b000000ffffULL,
	      "%s GDT: code32, data, busy 32-bit TSS, #DF TSS, code32", name);
	CHECK(u64_at(IMG_IDT + 14 * 8) == ((off & 0xffff) | 0x08ULL << 16 |
					   0x8eULL << 40 | (off >> 16) << 48),
	      "%s IDT: #PF is an 8-byte 32-bit interrupt gate", name);
	CHECK(u64_at(IMG_IDT + 8 * 8) == (0x20ULL << 16 | 0x85ULL << 40),
	      "%s IDT: #DF is a task gate to selector 0x20", name);
	CHECK(u32_at(IMG_END + 0x20) == df_entry &&
	      u32_at(IMG_END + 0x38) == IMG_IMAGE_END &&
	      u32_at(IMG_END + 0x1c) == IMG_PAGETABLE &&
	      u32_at(IMG_END + 0x4c) == KVMKIT_SEL_CODE64,
	      "%s: #DF TSS: EIP after the stubs, ESP the IST1 top, our CR3", name);
}

static void test_bad_mode(void)
{
	memset(fake_ram, 0, FAKE_RAM);
	make_image(3);
	fake.err[0] = '\0';
	CHECK(kvmkit_payload_load(&fake, image, sizeof(image)) == -ENOEXEC &&
	      strstr(fake.err, "unknown guest mode 3"),
	      "guest_mode 3 is refused at load");
}

static void boot_on_kvm(uint64_t mode)
{
	const char *name = mode == KVMKIT_GUEST_MODE_32PAE ? "PAE" : "2-level";
	char err[KVMKIT_ERR_MAX], buf[2048];
	struct kvmkit_kvm *kvm = NULL;
	struct kvmkit_vm *vm = NULL;
	struct kvmkit_vcpu *vcpu = NULL;
	struct kvmkit_hypercall hc = { 0 };
	struct kvmkit_exit exit;
	struct kvm_sregs sregs;
	uint8_t *ram = NULL, *res = NULL;
	int32_t line;
	int r;

	r = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (r) {
		CHECK(0, "open /dev/kvm: %s", err);
		return;
	}
	r = kvmkit_vm_create(kvm, &vm) ?:
	    kvmkit_vm_add_memory(vm, 0, 0, GUEST_RAM, 0, (void **)&ram) ?:
	    kvmkit_vm_add_memory(vm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE,
				 0, (void **)&res) ?:
	    kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!CHECK_EQ(r, 0, "set up a VM"))
		goto out;
	make_image(mode);
	CHECK_EQ(kvmkit_payload_load(vm, image, sizeof(image)), 0, "load");
	r = kvmkit_payload_boot(vcpu, NULL);
	if (r == -EOPNOTSUPP) {
		CHECK(strstr(kvmkit_vcpu_error(vcpu), "reads back CR0 0x") != NULL,
		      "%s: this KVM cannot run it: -EOPNOTSUPP with the values read back",
		      name);
		unit_diag("%s", kvmkit_vcpu_error(vcpu));
		goto out;
	}
	if (!CHECK_EQ(r, 0, "kvmkit_payload_boot (32-bit)")) {
		unit_diag("%s", kvmkit_vcpu_error(vcpu));
		goto out;
	}
	kvmkit_vcpu_set_timeout(vcpu, 5000000000ULL);
	r = kvmkit_vcpu_run(vcpu, &exit);
	kvmkit_vcpu_set_timeout(vcpu, 0);
	memcpy(&line, res + 4, sizeof(line));
	if (!CHECK(!r && !kvmkit_hypercall_decode(&exit, &hc) &&
		   hc.nr == KVMKIT_HC_REPORT && line == 42,
		   "%s: the i386 guest wrote the result page and rang", name)) {
		kvmkit_exit_describe(&exit, buf, sizeof(buf));
		unit_diag("exit: %s", buf);
		goto out;
	}
	r = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	CHECK(!r && (sregs.cr0 & KVMKIT_X86_CR0_PG) &&
	      !(sregs.efer & KVMKIT_X86_EFER_LMA) && sregs.cs.db &&
	      !!(sregs.cr4 & KVMKIT_X86_CR4_PAE) ==
	      (mode == KVMKIT_GUEST_MODE_32PAE),
	      "%s: it ran in 32-bit protected mode with paging", name);
out:
	if (vm)
		kvmkit_vm_destroy(vm);
	if (kvm)
		kvmkit_kvm_close(kvm);
}

int main(void)
{
	fake_setup();
	test_tables(KVMKIT_GUEST_MODE_32);
	test_tables(KVMKIT_GUEST_MODE_32PAE);
	test_bad_mode();
	free(fake_ram);
	if (access("/dev/kvm", R_OK | W_OK)) {
		CHECK(1, "# SKIP 32-bit boot on KVM: no usable /dev/kvm");
	} else {
		boot_on_kvm(KVMKIT_GUEST_MODE_32);
		boot_on_kvm(KVMKIT_GUEST_MODE_32PAE);
	}
	return unit_done();
}
