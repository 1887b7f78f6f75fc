/* SPDX-License-Identifier: MIT */
/*
 * The raw-ioctl baseline the benchmarks compare kvmkit against: the least
 * a program must do to run 64-bit code in a fresh VM with kvmkit's memory
 * map (16 MiB RAM at 0, a result page at 0xfffff000), written directly
 * against <linux/kvm.h>, no library.  Each call exits on failure: this is
 * a benchmark, not library code.
 */
#ifndef KVMKIT_BENCH_RAW_VM_H
#define KVMKIT_BENCH_RAW_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

struct raw_vm {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *ram;		/* 16 MiB at gpa 0 */
	uint8_t *result;	/* one page at 0xfffff000 */
};

#define RAW_PORT	0x10	/* the port the guest code writes to */

/* VM with code copied to 0x1000, long mode set up from the host */
void raw_vm_create(struct raw_vm *v, const void *code, size_t len);
/* One KVM_RUN; exits unless it ended in an OUT to port */
void raw_vm_run_to_out(struct raw_vm *v, unsigned int port);
void raw_vm_destroy(struct raw_vm *v);

#endif
