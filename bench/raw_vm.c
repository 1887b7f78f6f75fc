/* SPDX-License-Identifier: MIT */
/* The raw-ioctl baseline: see raw_vm.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "raw_vm.h"

#define RAM_SIZE	(16u << 20)
#define RESULT_GPA	0xfffff000ull
#define CODE_GPA	0x1000
#define PT_GPA		0x100000	/* page tables: 6 pages */
#define GDT_GPA		0x108000
#define TSS_GPA		0x109000
#define STACK_TOP	0x200000

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0)
		die(what);
	return ret;
}

static void add_slot(struct raw_vm *v, uint32_t slot, uint64_t gpa,
		     uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	xioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &r, "KVM_SET_USER_MEMORY_REGION");
}

/*
 * Identity map 0..2 GiB with 2 MiB pages (no CPUID query needed) and the
 * result page at 0xfffff000 through PDPT[3] -> PD[511] -> PT[511].
 */
static void build_page_tables(struct raw_vm *v)
{
	uint64_t *pml4 = (uint64_t *)(v->ram + PT_GPA);
	uint64_t *pdpt = pml4 + 512, *pd0 = pdpt + 512, *pd1 = pd0 + 512;
	uint64_t *pd3 = pd1 + 512, *pt = pd3 + 512;
	int i;

	pml4[0] = (PT_GPA + 0x1000) | 3;
	pdpt[0] = (PT_GPA + 0x2000) | 3;
	pdpt[1] = (PT_GPA + 0x3000) | 3;
	pdpt[3] = (PT_GPA + 0x4000) | 3;
	for (i = 0; i < 512; i++) {
		pd0[i] = ((uint64_t)i << 21) | 0x83;
		pd1[i] = ((1ull << 30) + ((uint64_t)i << 21)) | 0x83;
	}
	pd3[511] = (PT_GPA + 0x5000) | 3;
	pt[511] = RESULT_GPA | 3;
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		    int code64)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->l = code64;
	s->db = !code64;
	s->g = 1;
}

static void set_long_mode(struct raw_vm *v)
{
	uint64_t *gdt = (uint64_t *)(v->ram + GDT_GPA);
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	gdt[1] = 0x00af9b000000ffffull;	/* 64-bit code */
	gdt[2] = 0x00cf93000000ffffull;	/* data */
	gdt[3] = 0x0000890000000067ull | ((uint64_t)TSS_GPA << 16);	/* TSS */

	xioctl(v->vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cr0 = 0x80050033;		/* PG WP NE ET MP PE */
	sregs.cr3 = PT_GPA;
	sregs.cr4 = 0x620;		/* OSXMMEXCPT OSFXSR PAE */
	sregs.efer = 0x500;		/* LMA LME */
	set_seg(&sregs.cs, 0x08, 11, 1);
	set_seg(&sregs.ds, 0x10, 3, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.selector = 0x18;
	sregs.tr.base = TSS_GPA;
	sregs.tr.limit = 0x67;
	sregs.tr.type = 11;		/* busy 64-bit TSS */
	sregs.tr.present = 1;
	sregs.gdt.base = GDT_GPA;
	sregs.gdt.limit = 5 * 8 - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	xioctl(v->vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");

	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rsp = STACK_TOP;
	regs.rflags = 0x2;
	xioctl(v->vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");
}

void raw_vm_create(struct raw_vm *v, const void *code, size_t len)
{
	int size;

	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		die("/dev/kvm");
	v->vm = xioctl(v->kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	v->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	v->result = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED || v->result == MAP_FAILED)
		die("mmap");
	add_slot(v, 0, 0, RAM_SIZE, v->ram);
	add_slot(v, 1, RESULT_GPA, 4096, v->result);

	v->vcpu = xioctl(v->vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	size = xioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");

	memcpy(v->ram + CODE_GPA, code, len);
	build_page_tables(v);
	set_long_mode(v);
}

void raw_vm_run_to_out(struct raw_vm *v, unsigned int port)
{
	if (ioctl(v->vcpu, KVM_RUN, 0) < 0)
		die("KVM_RUN");
	if (v->run->exit_reason != KVM_EXIT_IO ||
	    v->run->io.direction != KVM_EXIT_IO_OUT ||
	    v->run->io.port != port) {
		fprintf(stderr, "unexpected exit %u (port %#x)\n",
			v->run->exit_reason, v->run->io.port);
		exit(2);
	}
}

void raw_vm_destroy(struct raw_vm *v)
{
	munmap(v->run, v->run_size);
	close(v->vcpu);
	close(v->vm);
	munmap(v->ram, RAM_SIZE);
	munmap(v->result, 4096);
	close(v->kvm);
}
