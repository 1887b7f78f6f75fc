/* SPDX-License-Identifier: MIT */
/* Private to lib/host: object layouts and helpers shared by its files. */
#ifndef KVMKIT_HOST_INTERNAL_H
#define KVMKIT_HOST_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <time.h>
#include <sys/types.h>
#include <kvmkit/kvmkit.h>
#include "x86_64/arch.h"	/* the architecture, chosen once */

struct kvmkit_kvm {
	int fd;
	int vcpu_mmap_size;
	char err[KVMKIT_ERR_MAX];
};

struct kvmkit_memslot {
	struct kvm_userspace_memory_region region; /* memory_size 0: unused */
	void *alloc;		/* mmap'd by kvmkit (with guards), or NULL */
	size_t alloc_size;
};

#define KVMKIT_RESTART_CAPS	16

/* One handler's range, [base, base + len), len >= 1 */
struct kvmkit_io_range {
	uint64_t base, len;
	kvmkit_io_fn fn;
	void *opaque;
};

/*
 * A VM's port or MMIO handlers: sorted by base and disjoint, so an exit
 * finds its handler by binary search.  A VMM has a handful of devices;
 * an array beats a tree at that size and is trivially freed.
 */
struct kvmkit_io_table {
	struct kvmkit_io_range *ranges;
	size_t n, cap;
};

struct kvmkit_vm {
	int fd;
	struct kvmkit_kvm *kvm;
	struct kvmkit_memslot slots[KVMKIT_MAX_MEMSLOTS];
	struct kvmkit_io_table pio, mmio;
	struct kvmkit_vcpu **vcpus;	/* max_vcpus slots */
	unsigned int max_vcpus;		/* KVM_CAP_MAX_VCPUS */
	/* kvmkit_vm_enable_cap()'s, replayed by kvmkit_vm_restart() */
	struct kvm_enable_cap caps[KVMKIT_RESTART_CAPS];
	unsigned int n_caps;		/* > KVMKIT_RESTART_CAPS: lost some */
	struct kvmkit_irq *irq;		/* irq.c's routes and irqfds, or NULL */
	char err[KVMKIT_ERR_MAX];
};

struct kvmkit_vcpu {
	int fd;
	uint32_t id;
	struct kvmkit_vm *vm;
	struct kvm_run *run;
	size_t run_size;
	/*
	 * Set by kvmkit_vcpu_kick() before immediate_exit, consumed by the
	 * run (run.c): survives the clearing of immediate_exit after KVM_RUN
	 */
	int kick_pending;
	/* timeout: a POSIX timer aimed at the thread that armed it */
	timer_t timer;
	int timer_created;	/* kept across runs, re-armed */
	int timer_armed;
	pid_t timer_tid;	/* the thread the timer is aimed at */
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	/* exit history (exit_history.c): hist[seq % KVMKIT_EXIT_HISTORY] */
	struct kvmkit_exit_record hist[KVMKIT_EXIT_HISTORY];
	uint64_t hist_seq;	/* exits recorded so far */
	struct kvmkit_gdb *gdb;	/* gdbstub.c, or NULL */
	char err[KVMKIT_ERR_MAX];
};

/*
 * Record an error message in buf ("KVM_SET_SREGS: Invalid argument (vcpu 0)")
 * and return -err.  err is a positive errno.
 */
int kvmkit_set_error(char *buf, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The handler range of t meeting [base, last], or NULL (memory.c refuses
 * a slot over an MMIO handler with it)
 */
const struct kvmkit_io_range *kvmkit_io_overlap(const struct kvmkit_io_table *t,
					       uint64_t base, uint64_t last);

/* Forget a VM's irqchip, routes and irqfds (irq.c): destroy, restart */
void kvmkit_irq_release(struct kvmkit_vm *vm);

/* Free a VM's handler tables (io_handlers.c); kvmkit_vm_destroy() calls it */
void kvmkit_io_tables_release(struct kvmkit_vm *vm);
/*
 * An I/O or MMIO exit to the handler of the VM's range holding it: the
 * handler's answer, or KVMKIT_UNHANDLED (run_loop.c's dispatch uses it)
 */
int kvmkit_io_dispatch(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e);

/* kvmkit_vcpu_run() without a gdb stub (run.c) */
int kvmkit_vcpu_run_plain(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit);
struct kvmkit_gdb;

/* A monotonic clock in ns, for the exit history */
uint64_t kvmkit_now_ns(void);
/* Record the exit kvmkit_vcpu_run() just decoded (exit_history.c) */
void kvmkit_exit_record(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e,
			uint64_t start_ns, uint64_t end_ns);

/* ---- the _arch_ interface: what generic files ask of lib/host/<arch>/ ---- */
/* At vCPU creation: have KVM sync what it can into kvm_run */
void kvmkit_arch_vcpu_init(struct kvmkit_vcpu *vcpu);
/* The guest's PC at the last exit from kvm_run alone: 0 if unknown */
int kvmkit_arch_exit_pc(const struct kvmkit_vcpu *vcpu, uint64_t *pc);
/* The arch part of a debug exit: exception, pc, DR6, DR7 */
void kvmkit_arch_decode_debug(const struct kvm_run *run, struct kvmkit_exit *e);
/*
 * The paging state of the vCPU's last exit (from kvm_run when KVM syncs
 * it, else an ioctl; message on the vCPU), and a translation through it
 * (-EFAULT: not mapped)
 */
int kvmkit_arch_mmu_fetch(struct kvmkit_vcpu *vcpu, struct kvmkit_arch_mmu *mmu);
int kvmkit_arch_mmu_translate(const struct kvmkit_vm *vm,
			      const struct kvmkit_arch_mmu *mmu, uint64_t gva,
			      uint64_t *gpa);
/*
 * What kvmkit_vm_restart() carries from a vCPU to its new self: its whole
 * state and whatever else the architecture keeps per vCPU (x86: CPUID)
 */
struct kvmkit_arch_snapshot;
int kvmkit_arch_vcpu_snapshot(struct kvmkit_vcpu *vcpu,
			      struct kvmkit_arch_snapshot **snap);
int kvmkit_arch_vcpu_resume(struct kvmkit_vcpu *vcpu,
			    const struct kvmkit_arch_snapshot *snap);
void kvmkit_arch_snapshot_free(struct kvmkit_arch_snapshot *snap);
/*
 * kvmkit_vcpu_copy_{from,to}_guest() on given paging state (guest_copy.c;
 * pure apart from guest memory, for the unit tests): -EFAULT with *fault
 * the first address not mapped to RAM, nothing copied then
 */
int kvmkit_guest_copy(struct kvmkit_vm *vm, const struct kvmkit_arch_mmu *mmu,
		      uint64_t gva, void *buf, size_t len, int write,
		      uint64_t *fault);
/* The same with KVMKIT_WALK_* access flags and the walk's fault (or NULL) */
int kvmkit_guest_copy_ex(struct kvmkit_vm *vm, const struct kvmkit_arch_mmu *mmu,
			 uint64_t gva, void *buf, size_t len, int write,
			 unsigned int flags, struct kvmkit_walk_fault *fault);
int kvmkit_arch_mmu_translate_ex(struct kvmkit_vm *vm,
				 const struct kvmkit_arch_mmu *mmu,
				 uint64_t gva, unsigned int flags,
				 uint64_t *gpa, struct kvmkit_walk_fault *fault);
/* Registers, segments and control registers for kvmkit_vcpu_fdump() */
int kvmkit_arch_vcpu_fdump(struct kvmkit_vcpu *vcpu, FILE *f);

#define KVMKIT_VM_ERR(vm, e, ...) kvmkit_set_error((vm)->err, (e), __VA_ARGS__)
/* Record "<what>: <strerror> (vcpu N)" on the vCPU and return -err */
int kvmkit_vcpu_fail(struct kvmkit_vcpu *vcpu, int err, const char *what);

/*
 * ioctl with its argument's type checked against the command's encoded
 * size at compile time, as the KVM selftests do.
 */
#define kvmkit_ioctl(fd, cmd, arg) ({					\
	_Static_assert(!(_IOC_SIZE(cmd)) || sizeof(*(arg)) == _IOC_SIZE(cmd), \
		       "ioctl argument does not match " #cmd);		\
	ioctl((fd), (cmd), (arg));					\
})

#endif /* KVMKIT_HOST_INTERNAL_H */
