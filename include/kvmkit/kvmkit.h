/* SPDX-License-Identifier: MIT */
/*
 * kvmkit native host API.
 *
 * Every function returns 0 (or a non-negative value where stated) on
 * success and a negative errno on failure; it then leaves a message that
 * names the failing ioctl, readable with kvmkit_*_error().  Nothing here
 * aborts, exits, prints or installs global state except the timeout
 * signal handler (see kvmkit_vcpu_set_timeout()).
 *
 * Where the message of a failure is kept (each object holds the last one
 * recorded on it; a success does not clear it):
 *   caller's errbuf     kvmkit_kvm_open() (there is no object yet)
 *   kvmkit_kvm_error()  kvmkit_kvm_check_extension(),
 *                       kvmkit_kvm_supported_cpuid(),
 *                       kvmkit_kvm_msr_index_list(), kvmkit_vm_create()
 *   kvmkit_vm_error()   kvmkit_vm_check_extension(), kvmkit_vm_enable_cap(),
 *                       kvmkit_vm_add_memory(), kvmkit_vm_add_memory_at(),
 *                       kvmkit_vm_remove_memory(), kvmkit_payload_load(),
 *                       kvmkit_payload_load_flags(), kvmkit_payload_setup(),
 *                       kvmkit_vcpu_create()
 *                       (the vCPU does not exist yet), the
 *                       kvmkit_vm_{add,remove}_{pio,mmio}_handler() calls,
 *                       kvmkit_vm_add_memory_huge(), kvmkit_vm_get_dirty_log(),
 *                       kvmkit_vm_restart() (naming the vCPU when saving or
 *                       restoring one failed), kvmkit_vm_enable_user_msr(),
 *                       kvmkit_vm_set_msr_filter(), kvmkit_vm_trap_msrs(),
 *                       kvmkit_vm_enable_exit_hypercall(),
 *                       kvmkit_vm_set_memory_flags(), kvmkit_vm_move_memory(),
 *                       kvmkit_vm_enable_manual_dirty_clear(),
 *                       kvmkit_vm_clear_dirty_log(),
 *                       kvmkit_vm_enable_dirty_ring(),
 *                       kvmkit_vm_reset_dirty_rings(), the kvmkit_gpa_*()
 *                       allocator calls (but kvmkit_gpa_alloc_free_pages(),
 *                       pure), kvmkit_x86_map(), and
 *                       kvmkit_vm_fdump() for the VM's part (-EIO: none);
 *                       the calls of the Interrupts section (at the end)
 *   kvmkit_vcpu_error() every other kvmkit_vcpu_*() call (but
 *                       kvmkit_vcpu_exit_history(), pure, and -EIO from
 *                       kvmkit_vcpu_dump_exits()/_fdump(): none), and
 *                       kvmkit_gdb_serve(), kvmkit_payload_boot(),
 *                       kvmkit_payload_boot_cpu(),
 *                       kvmkit_report_read(),
 *                       kvmkit_report_from_hypercall(),
 *                       kvmkit_report_from_regs() (which returns 0 even
 *                       when reading the guest's CRs failed: its text says
 *                       what could not be read, the vCPU's message why)
 *   none                the pure functions, whose return value is the
 *                       whole answer: kvmkit_vm_read(), kvmkit_vm_write(),
 *                       kvmkit_vm_read_string() (-EFAULT, -EINVAL),
 *                       kvmkit_gpa_to_hva() (NULL), kvmkit_vm_find_slot()
 *                       (-1), kvmkit_x86_walk(), kvmkit_cpuid_find(),
 *                       kvmkit_exit_decode(), kvmkit_hypercall_decode(),
 *                       kvmkit_payload_cpus() (why), kvmkit_payload_result_gpa(),
 *                       kvmkit_lines_lookup(), kvmkit_exit_record_format(),
 *                       kvmkit_cpuid_set_feature(), kvmkit_debug_cause(),
 *                       kvmkit_dirty_ring_harvest(), kvmkit_walk_why_name(),
 *                       kvmkit_gpa_alloc_free_pages()
 * A VM's message is shared by all users of the VM: threads that call
 * VM-level functions on one VM concurrently may overwrite each other's.
 * vCPU messages are per vCPU, so one thread per vCPU is safe.
 *
 * errno: read the return value, not errno.  When a system call failed
 * (an ioctl, mmap, timer_create...), errno is what it left, which is the
 * returned error; kvmkit_kvm_open() and a failed kvmkit_vcpu_run() set
 * errno to the returned error in every case.  Checks of arguments,
 * limits and guest memory (EINVAL, EFAULT, EBUSY, ENOSPC, ENOEXEC...)
 * leave errno as it was.  The close and destroy functions never change
 * errno.
 *
 * Lifetimes: a kvm handle must outlive every VM created from it (a VM
 * keeps a pointer to it: kvmkit_vcpu_create() reads the kvm_run size
 * through it, kvmkit_vm_kvm() returns it), and kvmkit_kvm_close() does
 * not destroy VMs.  kvmkit_vm_destroy() destroys the VM's vCPUs, so no
 * vCPU pointer may be used after it.
 */
#ifndef KVMKIT_KVMKIT_H
#define KVMKIT_KVMKIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <signal.h>
#include <linux/kvm.h>
#include <kvmkit/abi.h>
#include <kvmkit/exit.h>

/*
 * libkvmkit.so is built with -fvisibility=hidden: what is declared
 * between these pragmas is its public API, the only symbols it exports
 * (mk/check-exports.sh checks that).
 */
#pragma GCC visibility push(default)

#define KVMKIT_ERR_MAX		256
#define KVMKIT_MAX_MEMSLOTS	32
/* vCPUs per VM when KVM reports neither KVM_CAP_MAX_VCPUS nor _NR_VCPUS */
#define KVMKIT_MAX_VCPUS	64

struct kvmkit_kvm;	/* an open /dev/kvm */
struct kvmkit_vm;
struct kvmkit_vcpu;

/* ---- /dev/kvm ---------------------------------------------------------- */

/*
 * Open path (NULL: "/dev/kvm") and check KVM_GET_API_VERSION.  On failure
 * *kvm is NULL and errbuf (if not NULL) holds the reason.
 */
int kvmkit_kvm_open(struct kvmkit_kvm **kvm, const char *path,
		    char *errbuf, size_t errlen);
/* Only after every VM created from kvm is destroyed: they point at it */
void kvmkit_kvm_close(struct kvmkit_kvm *kvm);
int kvmkit_kvm_fd(const struct kvmkit_kvm *kvm);
const char *kvmkit_kvm_error(const struct kvmkit_kvm *kvm);
/* KVM_CHECK_EXTENSION: the capability's value (0 = absent) or -errno */
int kvmkit_kvm_check_extension(struct kvmkit_kvm *kvm, long cap);
/* KVM_GET_SUPPORTED_CPUID, grown until it fits; caller free()s *cpuid */
int kvmkit_kvm_supported_cpuid(struct kvmkit_kvm *kvm,
			       struct kvm_cpuid2 **cpuid);
/* Find one leaf in a cpuid list; NULL if absent */
const struct kvm_cpuid_entry2 *kvmkit_cpuid_find(const struct kvm_cpuid2 *cpuid,
						 uint32_t function,
						 uint32_t index);

/* ---- VMs and memory ---------------------------------------------------- */

/* kvm must stay open until the VM is destroyed; failure: kvm's message */
int kvmkit_vm_create(struct kvmkit_kvm *kvm, struct kvmkit_vm **vm);
/* Destroys the VM, its vCPUs and the memory kvmkit allocated for it */
void kvmkit_vm_destroy(struct kvmkit_vm *vm);
int kvmkit_vm_fd(const struct kvmkit_vm *vm);
struct kvmkit_kvm *kvmkit_vm_kvm(const struct kvmkit_vm *vm);
const char *kvmkit_vm_error(const struct kvmkit_vm *vm);
int kvmkit_vm_check_extension(struct kvmkit_vm *vm, long cap);
/* How many vCPUs the VM takes: KVM_CAP_MAX_VCPUS, read at creation */
unsigned int kvmkit_vm_max_vcpus(const struct kvmkit_vm *vm);
int kvmkit_vm_enable_cap(struct kvmkit_vm *vm, const struct kvm_enable_cap *cap);

/*
 * The same VM on a new KVM VM, as the KVM selftests' kvm_vm_restart():
 * its memory slots over the same host memory (the guest's memory is kept,
 * nothing is copied), the capabilities enabled with kvmkit_vm_enable_cap()
 * replayed, the port and MMIO handlers kept, and each vCPU recreated under
 * the same id and the same kvmkit_vcpu object with its whole state
 * (kvmkit_vcpu_save_state(): pending instruction completed first) and
 * CPUID; so the guest runs on where it was.  The VM's and vCPUs' fds and
 * kvm_run mappings change: kvmkit_vm_fd(), kvmkit_vcpu_fd() and
 * kvmkit_vcpu_kvm_run() must be asked again.  Not recreated: what was set
 * up with raw ioctls or outside kvmkit_vm_enable_cap() (an in-kernel
 * irqchip, whose LAPIC state then fails to restore; an MSR filter;
 * irqfds, ioeventfds).  No vCPU may be running.  A failure before the
 * switch leaves the old VM as it was; one after it (restoring a vCPU)
 * leaves the new VM with that vCPU's state partly set.  Message:
 * kvmkit_vm_error().
 */
int kvmkit_vm_restart(struct kvmkit_vm *vm);

/*
 * Back [gpa, gpa + size) with a fresh zeroed anonymous buffer, page-aligned,
 * with an inaccessible guard page on each side, owned by the VM.  gpa and
 * size are rounded out to pages; *hva (optional) points at gpa rounded down.
 * -EBUSY for a slot in use, -EEXIST for a range over an MMIO handler
 * (kvmkit_vm_add_mmio_handler(): its accesses would no longer exit),
 * -EINVAL for a bad range; KVM's own errno for an overlap with another
 * slot (KVM_SET_USER_MEMORY_REGION: EEXIST).
 */
int kvmkit_vm_add_memory(struct kvmkit_vm *vm, uint32_t slot, uint64_t gpa,
			 uint64_t size, uint32_t flags, void **hva);
/* Same with caller-owned backing (page-aligned, not freed by kvmkit) */
int kvmkit_vm_add_memory_at(struct kvmkit_vm *vm, uint32_t slot,
			    uint64_t gpa, uint64_t size, uint32_t flags,
			    void *hva);
int kvmkit_vm_remove_memory(struct kvmkit_vm *vm, uint32_t slot);
/*
 * KVM_GET_DIRTY_LOG of a slot added with KVM_MEM_LOG_DIRTY_PAGES: one bit
 * per page of the slot (bit n of bitmap[n / 64]: page gpa + n * 4096)
 * written since the previous call, which clears them.  bitmap holds
 * words 64-bit words; -ENOSPC if that is fewer than the slot's pages
 * need, -ENOENT for an unused slot.
 */
int kvmkit_vm_get_dirty_log(struct kvmkit_vm *vm, uint32_t slot,
			    uint64_t *bitmap, size_t words);
/*
 * Manual clearing (KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2): once enabled,
 * kvmkit_vm_get_dirty_log() only reads the log, and
 * kvmkit_vm_clear_dirty_log() clears and re-protects the pages whose bit
 * is set in bitmap (bit n: page first_page + n of the slot; first_page a
 * multiple of 64, num_pages too unless it reaches the slot's end, else
 * KVM's EINVAL).  -EOPNOTSUPP where KVM lacks the capability; -ENOENT for
 * an unused slot.  Message: kvmkit_vm_error().
 */
int kvmkit_vm_enable_manual_dirty_clear(struct kvmkit_vm *vm);
int kvmkit_vm_clear_dirty_log(struct kvmkit_vm *vm, uint32_t slot,
			      uint64_t first_page, uint32_t num_pages,
			      const uint64_t *bitmap);
/*
 * kvmkit_vm_add_memory() backed by huge pages: KVMKIT_HUGE_THP asks for
 * transparent huge pages (madvise MADV_HUGEPAGE: a hint, the kernel may
 * still use 4 KiB pages), KVMKIT_HUGE_HUGETLB maps 2 MiB hugetlbfs pages
 * (MAP_HUGETLB), -ENOMEM when too few are reserved (vm.nr_hugepages).
 * gpa and size are rounded out to 2 MiB; no guard pages.
 */
enum kvmkit_huge { KVMKIT_HUGE_THP = 1, KVMKIT_HUGE_HUGETLB = 2 };
int kvmkit_vm_add_memory_huge(struct kvmkit_vm *vm, uint32_t slot,
			      uint64_t gpa, uint64_t size, uint32_t flags,
			      enum kvmkit_huge huge, void **hva);
/* The region of a slot, or NULL if the slot is unused */
const struct kvm_userspace_memory_region *
kvmkit_vm_memslot(const struct kvmkit_vm *vm, uint32_t slot);
/* Slot holding gpa, or -1 */
int kvmkit_vm_find_slot(const struct kvmkit_vm *vm, uint64_t gpa);

/*
 * Host pointer for [gpa, gpa + len) or NULL unless the whole range lies in
 * one memory slot.  Never returns a pointer past the slot's end: the
 * contract for MMIO and holes is NULL.
 */
void *kvmkit_gpa_to_hva(const struct kvmkit_vm *vm, uint64_t gpa, uint64_t len);
/* Bounded copies; -EFAULT if any byte is outside guest RAM */
int kvmkit_vm_read(const struct kvmkit_vm *vm, uint64_t gpa, void *buf,
		   size_t len);
int kvmkit_vm_write(struct kvmkit_vm *vm, uint64_t gpa, const void *buf,
		    size_t len);
/*
 * Copy a NUL-terminated guest string at gpa into buf (always terminated).
 * Returns its length, or -EFAULT if gpa is outside RAM; *truncated is set
 * when the string is longer than buf or runs off the end of RAM.
 */
long kvmkit_vm_read_string(const struct kvmkit_vm *vm, uint64_t gpa,
			   char *buf, size_t buflen, int *truncated);

/* ---- Live slots, dirty ring, page allocator, host-side mapping ---------- */
/* (lib/host/memory_live.c, memory_ring.c, gpa_alloc.c, x86_64/map.c)      */

/*
 * Change a live slot's flags with KVM_SET_USER_MEMORY_REGION (same slot,
 * same range).  KVM lets KVM_MEM_LOG_DIRTY_PAGES be turned on or off; it
 * refuses a change of KVM_MEM_READONLY (EINVAL: the call is still made,
 * so the error is KVM's, and the message says to remove and re-add the
 * slot).  -ENOENT for an unused slot.  Message: kvmkit_vm_error();
 * errno: KVM's on an ioctl failure.
 */
int kvmkit_vm_set_memory_flags(struct kvmkit_vm *vm, uint32_t slot,
			       uint32_t flags);
/*
 * Move a live slot to guest-physical gpa (page-aligned), keeping its size,
 * flags and host memory (KVM's KVM_MR_MOVE): the guest and
 * kvmkit_vm_read() see its bytes at gpa and no longer at the old base.
 * -EEXIST over an MMIO handler (checked here) or over another slot
 * (KVM's EEXIST), -EINVAL unaligned, -ENOENT unused.  Pages handed out by
 * a kvmkit_gpa_alloc over the old range are not moved with it.  Message:
 * kvmkit_vm_error().  No vCPU may be running (KVM would let it, but the
 * guest would see memory vanish mid-instruction).
 */
int kvmkit_vm_move_memory(struct kvmkit_vm *vm, uint32_t slot, uint64_t gpa);

/*
 * The dirty ring.  kvmkit_vm_enable_dirty_ring() enables
 * KVM_CAP_DIRTY_LOG_RING_ACQ_REL, or KVM_CAP_DIRTY_LOG_RING where only that
 * exists, with a ring of bytes per vCPU (a power of two, each entry 16
 * bytes, at most what KVM reports); before any vCPU is created (KVM:
 * EINVAL after).  -EOPNOTSUPP where KVM has neither.  Then only slots
 * with KVM_MEM_LOG_DIRTY_PAGES are tracked, through the ring (the bitmap
 * of kvmkit_vm_get_dirty_log() is no longer available).  Message:
 * kvmkit_vm_error().  Recorded like kvmkit_vm_enable_cap(), so
 * kvmkit_vm_restart() enables it again; the rings mapped from the old
 * vCPU fds are then stale: close them before, open them again after.
 *
 * kvmkit_vcpu_dirty_ring_open() maps a vCPU's ring (at
 * KVM_DIRTY_LOG_PAGE_OFFSET of its fd); message: kvmkit_vcpu_error();
 * -ENOENT when the VM has no ring.  kvmkit_dirty_ring_close() unmaps it
 * (before the vCPU is destroyed).
 *
 * kvmkit_dirty_ring_harvest() collects up to max entries the vCPU pushed
 * since the last harvest, in order: slot and page offset in the slot
 * (the page is the slot's guest_phys_addr + offset * 4096).  A page is
 * pushed once until kvmkit_vm_reset_dirty_rings() (KVM_RESET_DIRTY_RINGS)
 * re-protects every harvested page of all vCPUs; it returns how many
 * entries it reset.  When a ring nears full, kvmkit_vcpu_run() returns
 * KVMKIT_EXIT_DIRTY_RING_FULL: harvest and reset before running again.
 * The harvest is pure (no message); one thread per ring.
 */
struct kvmkit_dirty_ring;
struct kvmkit_dirty_page {
	uint32_t slot;
	uint64_t offset;	/* in pages from the slot's start */
};
int kvmkit_vm_enable_dirty_ring(struct kvmkit_vm *vm, uint32_t bytes);
int kvmkit_vcpu_dirty_ring_open(struct kvmkit_vcpu *vcpu,
				struct kvmkit_dirty_ring **ring);
void kvmkit_dirty_ring_close(struct kvmkit_dirty_ring *ring);
size_t kvmkit_dirty_ring_harvest(struct kvmkit_dirty_ring *ring,
				 struct kvmkit_dirty_page *pages, size_t max);
int kvmkit_vm_reset_dirty_rings(struct kvmkit_vm *vm);

/*
 * A guest-physical page allocator over [start, end) of a VM's RAM (both
 * page-aligned; every page must lie in a memory slot now: -EFAULT names
 * the first that does not; at most 2^24 pages).  Give it RAM nothing
 * else uses: with a payload, the RAM past the image's footprint, or mark
 * used pages with kvmkit_gpa_reserve().  kvmkit_gpa_alloc() hands out the
 * first run of free pages holding size bytes (rounded up to pages),
 * zeroed; -ENOMEM when no run is long enough.  kvmkit_gpa_free() gives a
 * run back (-EINVAL for a page not allocated: nothing freed then);
 * kvmkit_gpa_reserve() marks a run used (-EBUSY if a page is already).
 * Each allocator is its own object (no shared state): several may serve
 * one VM on disjoint ranges.  It must not outlive the VM; removing or
 * moving the slots under it is the caller's business (kvmkit_gpa_alloc()
 * then fails with -EFAULT rather than write outside RAM).  Message:
 * kvmkit_vm_error() of its VM; errno unchanged.
 */
struct kvmkit_gpa_alloc;
int kvmkit_gpa_alloc_create(struct kvmkit_vm *vm, uint64_t start,
			    uint64_t end, struct kvmkit_gpa_alloc **alloc);
void kvmkit_gpa_alloc_destroy(struct kvmkit_gpa_alloc *alloc);
int kvmkit_gpa_alloc(struct kvmkit_gpa_alloc *alloc, uint64_t size,
		     uint64_t *gpa);
int kvmkit_gpa_free(struct kvmkit_gpa_alloc *alloc, uint64_t gpa,
		    uint64_t size);
int kvmkit_gpa_reserve(struct kvmkit_gpa_alloc *alloc, uint64_t gpa,
		       uint64_t size);
/* Pages neither allocated nor reserved (pure) */
uint64_t kvmkit_gpa_alloc_free_pages(const struct kvmkit_gpa_alloc *alloc);
/*
 * An allocator over the top size bytes (rounded up to pages) of a loaded
 * payload's RAM, taken from the guest's heap: the payload header's
 * ram_size, where the guest heap ends (lib/guest/heap.c), is lowered to
 * the allocator's start, so the guest never hands out those pages.  Call
 * it after kvmkit_payload_load() and before the guest runs (the heap may
 * have grown past the new end otherwise).  -ENOEXEC without a payload
 * header, -ENOMEM when the heap between image_end and ram_size is too
 * small.  Message: kvmkit_vm_error().
 */
int kvmkit_gpa_alloc_create_payload(struct kvmkit_vm *vm, uint64_t size,
				    struct kvmkit_gpa_alloc **alloc);

/*
 * Map [gva, gva + size) to [gpa, gpa + size) with 4 KiB pages in the x86
 * 4-level page tables rooted at cr3 (5-level with KVMKIT_MAP_LA57), by
 * writing guest memory from the host, as the guest's own kernel would.
 * Missing tables come from tables (zeroed pages).  Leaf permissions: P,
 * plus each flag's bit; intermediate entries are created P|RW|US, and an
 * existing one is widened to what the new leaf needs (RW, US set, NX
 * cleared), since the CPU ANDs permissions over all levels: that widens
 * what its other leaves allow too.  An existing leaf is replaced (no TLB
 * flush: a running guest must invlpg or reload CR3).  A large page on the
 * way is -EEXIST; a table outside RAM -EFAULT; unaligned, empty, wrapping
 * or non-canonical ranges, gpa past 52 bits and unknown flags -EINVAL.
 * A failure part-way leaves the pages before it mapped.  NX needs the
 * guest's EFER.NXE (else the CPU faults on a reserved bit).  Message:
 * kvmkit_vm_error(); errno unchanged.
 */
#define KVMKIT_MAP_WRITE	(1u << 0)	/* RW */
#define KVMKIT_MAP_USER		(1u << 1)	/* US */
#define KVMKIT_MAP_NX		(1u << 2)	/* XD, bit 63 */
#define KVMKIT_MAP_GLOBAL	(1u << 3)	/* G, bit 8 */
#define KVMKIT_MAP_PWT		(1u << 4)	/* bit 3 */
#define KVMKIT_MAP_PCD		(1u << 5)	/* bit 4 */
#define KVMKIT_MAP_PAT		(1u << 6)	/* PAT bit of a 4 KiB PTE, bit 7 */
#define KVMKIT_MAP_LA57		(1u << 7)	/* the tables are 5-level */
#define KVMKIT_MAP_ALL		0xffu
int kvmkit_x86_map(struct kvmkit_vm *vm, struct kvmkit_gpa_alloc *tables,
		   uint64_t cr3, uint64_t gva, uint64_t gpa, uint64_t size,
		   unsigned int flags);

/* ---- vCPUs ------------------------------------------------------------- */

/* Failure: the VM's message, as there is no vCPU yet */
int kvmkit_vcpu_create(struct kvmkit_vm *vm, uint32_t id,
		       struct kvmkit_vcpu **vcpu);
void kvmkit_vcpu_destroy(struct kvmkit_vcpu *vcpu);
int kvmkit_vcpu_fd(const struct kvmkit_vcpu *vcpu);
uint32_t kvmkit_vcpu_id(const struct kvmkit_vcpu *vcpu);
struct kvmkit_vm *kvmkit_vcpu_vm(const struct kvmkit_vcpu *vcpu);
struct kvm_run *kvmkit_vcpu_kvm_run(const struct kvmkit_vcpu *vcpu);
size_t kvmkit_vcpu_kvm_run_size(const struct kvmkit_vcpu *vcpu);
/*
 * Get vCPU out of KVM_RUN from another thread: set kvm_run's
 * immediate_exit, then send sig to thread, the one running the vCPU
 * (sig needs a handler, which may do nothing, and must not be blocked
 * there).  Its kvmkit_vcpu_run() returns KVMKIT_EXIT_INTERRUPTED, now or
 * at its next call, and clears immediate_exit.  Thread-safe.  No kick is
 * lost, even one landing between two runs (a per-vCPU pending flag
 * outlives the clearing); kicks before a run returns count as one, and a
 * kick racing that return may end the following run early too.
 */
int kvmkit_vcpu_kick(struct kvmkit_vcpu *vcpu, pthread_t thread, int sig);
/* vCPU errors are kept per vCPU so that vCPU threads do not race */
const char *kvmkit_vcpu_error(const struct kvmkit_vcpu *vcpu);

int kvmkit_vcpu_get_regs(struct kvmkit_vcpu *vcpu, struct kvm_regs *regs);
int kvmkit_vcpu_set_regs(struct kvmkit_vcpu *vcpu, const struct kvm_regs *regs);
int kvmkit_vcpu_get_sregs(struct kvmkit_vcpu *vcpu, struct kvm_sregs *sregs);
int kvmkit_vcpu_set_sregs(struct kvmkit_vcpu *vcpu,
			  const struct kvm_sregs *sregs);
int kvmkit_vcpu_get_fpu(struct kvmkit_vcpu *vcpu, struct kvm_fpu *fpu);
int kvmkit_vcpu_set_cpuid(struct kvmkit_vcpu *vcpu,
			  const struct kvm_cpuid2 *cpuid);
int kvmkit_vcpu_get_msr(struct kvmkit_vcpu *vcpu, uint32_t index,
			uint64_t *value);
int kvmkit_vcpu_set_msr(struct kvmkit_vcpu *vcpu, uint32_t index,
			uint64_t value);
int kvmkit_vcpu_get_events(struct kvmkit_vcpu *vcpu,
			   struct kvm_vcpu_events *events);
int kvmkit_vcpu_set_events(struct kvmkit_vcpu *vcpu,
			   const struct kvm_vcpu_events *events);
int kvmkit_vcpu_set_guest_debug(struct kvmkit_vcpu *vcpu,
				const struct kvm_guest_debug *dbg);
int kvmkit_vcpu_get_mp_state(struct kvmkit_vcpu *vcpu,
			     struct kvm_mp_state *state);

/* ---- More vCPU state (lib/host/x86_64/state.c) -------------------------- */

int kvmkit_vcpu_set_fpu(struct kvmkit_vcpu *vcpu, const struct kvm_fpu *fpu);
/* The legacy 4 KiB KVM_GET_XSAVE area (not AMX's larger KVM_GET_XSAVE2) */
int kvmkit_vcpu_get_xsave(struct kvmkit_vcpu *vcpu, struct kvm_xsave *xsave);
int kvmkit_vcpu_set_xsave(struct kvmkit_vcpu *vcpu,
			  const struct kvm_xsave *xsave);
int kvmkit_vcpu_get_xcrs(struct kvmkit_vcpu *vcpu, struct kvm_xcrs *xcrs);
int kvmkit_vcpu_set_xcrs(struct kvmkit_vcpu *vcpu, const struct kvm_xcrs *xcrs);
int kvmkit_vcpu_get_debugregs(struct kvmkit_vcpu *vcpu,
			      struct kvm_debugregs *dregs);
int kvmkit_vcpu_set_debugregs(struct kvmkit_vcpu *vcpu,
			      const struct kvm_debugregs *dregs);
/* -EINVAL unless the VM has an in-kernel irqchip (KVM_CREATE_IRQCHIP) */
int kvmkit_vcpu_get_lapic(struct kvmkit_vcpu *vcpu,
			  struct kvm_lapic_state *lapic);
int kvmkit_vcpu_set_lapic(struct kvmkit_vcpu *vcpu,
			  const struct kvm_lapic_state *lapic);
int kvmkit_vcpu_set_mp_state(struct kvmkit_vcpu *vcpu,
			     const struct kvm_mp_state *state);
/* KVM_GET_MSR_INDEX_LIST, sized to fit; caller free()s *list */
int kvmkit_kvm_msr_index_list(struct kvmkit_kvm *kvm,
			      struct kvm_msr_list **list);
/*
 * Batched KVM_GET_MSRS/KVM_SET_MSRS: the number of entries KVM processed
 * (it stops at the first MSR it refuses), or -errno.
 */
int kvmkit_vcpu_get_msrs(struct kvmkit_vcpu *vcpu, struct kvm_msrs *msrs);
int kvmkit_vcpu_set_msrs(struct kvmkit_vcpu *vcpu, const struct kvm_msrs *msrs);
/*
 * KVM_GET_NESTED_STATE into a buffer of KVM_CAP_NESTED_STATE's size
 * (caller free()s it); -EOPNOTSUPP where KVM has no nested state.
 */
int kvmkit_vcpu_get_nested_state(struct kvmkit_vcpu *vcpu,
				 struct kvm_nested_state **state);
int kvmkit_vcpu_set_nested_state(struct kvmkit_vcpu *vcpu,
				 const struct kvm_nested_state *state);

enum kvmkit_cpuid_reg {
	KVMKIT_CPUID_EAX, KVMKIT_CPUID_EBX, KVMKIT_CPUID_ECX, KVMKIT_CPUID_EDX,
};
/*
 * Set (on) or clear one feature bit of leaf function.index in a list for
 * KVM_SET_CPUID2 (pure): -ENOENT if the leaf is absent, -EINVAL for a
 * bad reg or bit.
 */
int kvmkit_cpuid_set_feature(struct kvm_cpuid2 *cpuid, uint32_t function,
			     uint32_t index, enum kvmkit_cpuid_reg reg,
			     unsigned int bit, int on);

/*
 * A whole vCPU: what kvmkit_vcpu_save_state() read, to restore into this
 * or another vCPU (of a fresh VM whose memory holds a copy of the old
 * one's, with the same CPUID set before).  parts says which optional
 * parts KVM gave: XSAVE and XCRs (absent without XSAVE), the LAPIC (only
 * with an in-kernel irqchip), nested state (only where KVM has it).
 * msrs holds every MSR of KVM_GET_MSR_INDEX_LIST the vCPU would read.
 */
#define KVMKIT_STATE_XSAVE	(1u << 0)
#define KVMKIT_STATE_XCRS	(1u << 1)
#define KVMKIT_STATE_LAPIC	(1u << 2)
#define KVMKIT_STATE_NESTED	(1u << 3)
struct kvmkit_vcpu_state {
	unsigned int parts;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_xcrs xcrs;
	struct kvm_debugregs debugregs;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events events;
	struct kvm_mp_state mp_state;
	struct kvm_msrs *msrs;
	struct kvm_nested_state *nested;
	struct kvm_xsave xsave;	/* last: newer headers end it in extra[] */
};
/*
 * Finish the instruction of the last I/O, MMIO or MSR exit (KVM does on
 * the next KVM_RUN) without running the guest further: a KVM_RUN with
 * immediate_exit.  The state read after it is consistent.
 */
int kvmkit_vcpu_complete_pending(struct kvmkit_vcpu *vcpu);
/*
 * Snapshot a stopped vCPU (not inside KVM_RUN), after
 * kvmkit_vcpu_complete_pending(); free with kvmkit_vcpu_state_free()
 */
int kvmkit_vcpu_save_state(struct kvmkit_vcpu *vcpu,
			   struct kvmkit_vcpu_state **state);
/*
 * -EINVAL naming the MSR when KVM refuses a saved MSR that the vCPU does
 * not already hold with the saved value
 */
int kvmkit_vcpu_restore_state(struct kvmkit_vcpu *vcpu,
			      const struct kvmkit_vcpu_state *state);
void kvmkit_vcpu_state_free(struct kvmkit_vcpu_state *state);

/* ---- Exits on request, injected events (msr_filter.c, inject.c) -------- */

/*
 * KVM_CAP_X86_USER_SPACE_MSR: RDMSR/WRMSR for the reasons asked
 * (KVM_MSR_EXIT_REASON_FILTER, _UNKNOWN, _INVAL) exit as
 * KVMKIT_EXIT_X86_RDMSR/WRMSR instead of raising #GP; -EOPNOTSUPP where
 * KVM lacks the capability.
 */
int kvmkit_vm_enable_user_msr(struct kvmkit_vm *vm, uint32_t reasons);
int kvmkit_vm_set_msr_filter(struct kvmkit_vm *vm,
			     const struct kvm_msr_filter *filter);
/*
 * A filter that lets every MSR through but the n listed (at most
 * KVM_MSR_FILTER_MAX_RANGES), whose reads and writes exit with reason
 * KVM_MSR_EXIT_REASON_FILTER; n 0 removes the filter's effect.
 */
int kvmkit_vm_trap_msrs(struct kvmkit_vm *vm, const uint32_t *indices,
			unsigned int n);
/*
 * Answer the RDMSR/WRMSR exit just returned: data for a read; fault
 * non-zero makes the guest's instruction raise #GP instead.  -EINVAL
 * when the last exit is no MSR exit.
 */
int kvmkit_vcpu_msr_reply(struct kvmkit_vcpu *vcpu, uint64_t data, int fault);
/*
 * KVM_CAP_EXIT_HYPERCALL: the hypercalls in mask (bit n: hypercall n,
 * KVM offers only KVM_HC_MAP_GPA_RANGE) exit as KVMKIT_EXIT_HYPERCALL;
 * -EOPNOTSUPP for one KVM does not offer.  The guest's RAX is set from
 * kvmkit_vcpu_hypercall_reply()'s ret (-EINVAL: the last exit is none).
 */
int kvmkit_vm_enable_exit_hypercall(struct kvmkit_vm *vm, uint64_t mask);
int kvmkit_vcpu_hypercall_reply(struct kvmkit_vcpu *vcpu, uint64_t ret);
/*
 * Ask KVM for KVMKIT_EXIT_IRQ_WINDOW_OPEN as soon as the guest can take
 * an external interrupt (no in-kernel irqchip); on 0 stops asking.
 */
void kvmkit_vcpu_request_irq_window(struct kvmkit_vcpu *vcpu, int on);

/*
 * Inject an exception (vectors 0-31 but 2) as bhyve's vm_inject_fault():
 * delivered through the guest's IDT before its next instruction, with
 * error_code where the vector has one (8, 10-14, 17, 21; ignored for the
 * others).  First completes the last exit's instruction
 * (kvmkit_vcpu_complete_pending()).  -EBUSY if one is queued already.
 */
int kvmkit_vcpu_inject_exception(struct kvmkit_vcpu *vcpu, uint8_t vector,
				 uint32_t error_code);
/* #PF with its error code, CR2 set to cr2 first */
int kvmkit_vcpu_inject_page_fault(struct kvmkit_vcpu *vcpu,
				  uint32_t error_code, uint64_t cr2);
/* KVM_NMI */
int kvmkit_vcpu_inject_nmi(struct kvmkit_vcpu *vcpu);
/*
 * KVM_INTERRUPT: an external interrupt, delivered once the guest's IF is
 * set; only without an in-kernel irqchip
 */
int kvmkit_vcpu_inject_irq(struct kvmkit_vcpu *vcpu, uint8_t vector);

/* ---- Guest debugging (lib/host/debug.c) -------------------------------- */

enum kvmkit_hw_type { KVMKIT_HW_EXEC, KVMKIT_HW_WRITE, KVMKIT_HW_ACCESS };
struct kvmkit_hw_breakpoint {
	uint64_t addr;		/* linear address */
	enum kvmkit_hw_type type;
	unsigned int len;	/* watchpoints: 1, 2, 4 or 8, aligned */
};
struct kvmkit_debug {
	int single_step;	/* stop after each instruction */
	int sw_breakpoints;	/* INT3 stops instead of reaching the guest */
	unsigned int n_hw;	/* hw[0..n_hw), at most 4: DR0-DR3 */
	struct kvmkit_hw_breakpoint hw[4];
};
/*
 * KVM_SET_GUEST_DEBUG from d (all zero: debugging off).  Each stop is a
 * KVMKIT_EXIT_DEBUG with the exception (1 or 3), the linear address
 * (pc), DR6 and DR7.  A watchpoint stops after the access, an
 * instruction breakpoint before the instruction: remove it (or step past
 * it without it) to go on.  -EINVAL for a bad breakpoint.
 */
int kvmkit_vcpu_set_debug(struct kvmkit_vcpu *vcpu,
			  const struct kvmkit_debug *d);
/*
 * What stopped a KVMKIT_EXIT_DEBUG (pure): 0-3 the hardware breakpoint
 * (DR6 B0-B3), or one of these; -EINVAL for another exit
 */
#define KVMKIT_DEBUG_STEP		4	/* DR6.BS */
#define KVMKIT_DEBUG_SW_BREAKPOINT	5	/* INT3 */
#define KVMKIT_DEBUG_OTHER		6
int kvmkit_debug_cause(const struct kvmkit_exit *e);

/*
 * A GDB remote stub for vcpu (lib/host/gdbstub.c): listen on
 * 127.0.0.1:port (0: any free port) and return the port, or -errno
 * (message: kvmkit_vcpu_error()).  The vCPU's next kvmkit_vcpu_run()
 * waits for gdb to connect, then obeys it: gdb reads and writes the
 * registers (g/G/p/P: general, RIP, EFLAGS, x87, SSE; segment selectors
 * read only) and guest memory by virtual address (through the guest's
 * page tables, bounds-checked), sets software breakpoints (INT3 written
 * into guest memory), up to four hardware breakpoints and watchpoints
 * (write or access), single-steps and continues.  While gdb is attached,
 * kvmkit_vcpu_run() reports each debug exit to gdb instead of returning
 * it, the other exits return as usual, and the vCPU's timeout is off (a
 * human is at the wheel; it stays off after gdb detaches).  gdb's detach, its kill and a closed
 * connection all detach the stub: breakpoints are taken out and the
 * guest runs on.  kvmkit_vcpu_destroy() tells a gdb waiting for a stop
 * that the program exited ("W00").  The guest's symbols: kvmkit-cc keeps
 * the payload's ELF beside the binary (BINARY.payload.elf).  Not served:
 * ^C while the guest runs, several vCPUs as threads of one gdb.
 */
int kvmkit_gdb_serve(struct kvmkit_vcpu *vcpu, uint16_t port);

/*
 * Bound the time a guest may run: kvmkit_vcpu_run() returns
 * KVMKIT_EXIT_TIMEOUT once timeout_ns have passed from this call (0
 * disarms).  It arms a POSIX timer aimed at the calling thread, whose
 * handler (for KVMKIT_TIMEOUT_SIGNAL, installed on first use) only sets
 * kvm_run->immediate_exit, so the deadline cannot be missed even when it
 * fires just before KVM_RUN.  Call it from the thread that runs the vCPU.
 */
#define KVMKIT_TIMEOUT_SIGNAL	(SIGRTMIN + 7)
int kvmkit_vcpu_set_timeout(struct kvmkit_vcpu *vcpu, uint64_t timeout_ns);

/*
 * One KVM_RUN, decoded once into *exit.  Returns 0 when *exit is valid
 * (including KVMKIT_EXIT_INTERRUPTED and KVMKIT_EXIT_TIMEOUT), -errno when
 * KVM_RUN failed for another reason (exit->type is then KVMKIT_EXIT_ERROR
 * and exit->error holds the errno).
 */
int kvmkit_vcpu_run(struct kvmkit_vcpu *vcpu, struct kvmkit_exit *exit);

/*
 * Guest-virtual to guest-physical by walking the guest's own page tables
 * from the current CR3, in the vCPU's paging mode (as
 * kvmkit_vcpu_copy_from_guest()); identity when paging is off.  -EFAULT if not mapped or a table lies outside RAM.
 */
int kvmkit_vcpu_gva_to_gpa(struct kvmkit_vcpu *vcpu, uint64_t gva,
			   uint64_t *gpa);
/*
 * Copy len bytes from or to the guest's virtual addresses [gva, gva +
 * len), as bhyve's vm_copyin()/vm_copyout(): page by page through the
 * vCPU's current page tables (no paging, 32-bit, PAE, 4- and 5-level),
 * every page checked against the memory slots first, so that a copy that
 * cannot be done whole is not done at all: -EFAULT naming the first
 * address not mapped to RAM.  Accessed and dirty bits are not set.
 */
int kvmkit_vcpu_copy_from_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
				void *buf, size_t len);
int kvmkit_vcpu_copy_to_guest(struct kvmkit_vcpu *vcpu, uint64_t gva,
			      const void *buf, size_t len);
/*
 * Why a walk failed, and where (kvmkit_x86_walk_ex()).  level: the table
 * level of the entry at fault, 5 (PML5) or 4 (PML4) down to 1 (PT) in
 * long mode, 3 (PDPT) to 1 with PAE, 2 (PD) to 1 in legacy paging; 0
 * when no table was involved.  bit: the entry's bit at fault (0 P, 1 RW,
 * 2 US, 7 PS, 63 XD), or -1.
 */
enum kvmkit_walk_why {
	KVMKIT_WALK_OK,
	KVMKIT_WALK_NOT_PRESENT,	/* P clear */
	KVMKIT_WALK_RESERVED,		/* PS set where it is reserved, or XD
					 * without EFER.NXE (PAE, long mode) */
	KVMKIT_WALK_WRITE_PROTECTED,	/* RW clear, for a KVMKIT_WALK_WRITE */
	KVMKIT_WALK_SUPERVISOR,		/* US clear, for a KVMKIT_WALK_USER */
	KVMKIT_WALK_TABLE_NOT_RAM,	/* the table holding the entry is no RAM */
	KVMKIT_WALK_NON_CANONICAL,	/* long mode, level 0 */
	KVMKIT_WALK_TOO_WIDE,		/* above 4 GiB in a 32-bit mode, level 0 */
	KVMKIT_WALK_NO_EXECUTE,		/* XD set, for a KVMKIT_WALK_FETCH */
	KVMKIT_WALK_PAGE_NOT_RAM,	/* a copy: the page mapped is no RAM
					 * (level 0, entry_gpa: its gpa) */
};
/* "not present", "read-only"...: the words of a walk's failure (pure) */
const char *kvmkit_walk_why_name(enum kvmkit_walk_why why);
struct kvmkit_walk_fault {
	enum kvmkit_walk_why why;
	int level;
	int bit;
	uint64_t entry_gpa;	/* where the entry at fault lies */
	uint64_t entry;		/* its value (0 when it could not be read) */
	uint64_t gva;		/* the address whose walk failed */
};
#define KVMKIT_WALK_WRITE	(1u << 0)	/* RW needed (CR0.WP for CPL 0) */
#define KVMKIT_WALK_USER	(1u << 1)	/* a CPL 3 access: US needed */
#define KVMKIT_WALK_SET_AD	(1u << 2)	/* set A in each entry used, and D
						 * in the leaf for a write, as
						 * the CPU does (only on success) */
#define KVMKIT_WALK_FETCH	(1u << 3)	/* an instruction fetch: XD (with
						 * EFER.NXE) at any level faults */
/*
 * kvmkit_x86_walk() with access checks, accessed/dirty bits and the
 * fault's description (fault may be NULL); -EFAULT on a fault
 */
int kvmkit_x86_walk_ex(struct kvmkit_vm *vm, uint64_t cr0, uint64_t cr3,
		       uint64_t cr4, uint64_t efer, uint64_t gva,
		       unsigned int flags, uint64_t *gpa,
		       struct kvmkit_walk_fault *fault);
/* Same walk on given control registers; pure apart from memory reads */
int kvmkit_x86_walk(const struct kvmkit_vm *vm, uint64_t cr0, uint64_t cr3,
		    uint64_t cr4, uint64_t efer, uint64_t gva, uint64_t *gpa);
/*
 * kvmkit_vcpu_copy_{from,to}_guest() with the checks of a guest access
 * and its side effects, and the fault described.  flags: KVMKIT_WALK_USER
 * (a CPL 3 access: US needed at every level), KVMKIT_WALK_SET_AD (set A
 * in each entry used and, copying to the guest, D in each leaf, once the
 * whole range has passed, as the CPU would), KVMKIT_WALK_FETCH (from the
 * guest only: an instruction fetch, refused by XD).  Copying to the guest
 * is a write: RW is needed where the CPU needs it (CPL 3, or CR0.WP).
 * The plain forms check only presence and ignore RW, as a debugger does.
 * On failure, *fault (may be NULL) says where: gva the first address that
 * failed, level and bit in the table (or KVMKIT_WALK_PAGE_NOT_RAM), and
 * the vCPU's message says the same; nothing is copied or marked then.
 * Message: kvmkit_vcpu_error(); errno unchanged (but KVM_GET_SREGS's).
 */
int kvmkit_vcpu_copy_from_guest_ex(struct kvmkit_vcpu *vcpu, uint64_t gva,
				   void *buf, size_t len, unsigned int flags,
				   struct kvmkit_walk_fault *fault);
int kvmkit_vcpu_copy_to_guest_ex(struct kvmkit_vcpu *vcpu, uint64_t gva,
				 const void *buf, size_t len,
				 unsigned int flags,
				 struct kvmkit_walk_fault *fault);

/* Human-readable general, segment and control registers (truncated to len) */
int kvmkit_vcpu_dump(struct kvmkit_vcpu *vcpu, char *buf, size_t len);
/* Same from already-fetched state (pure) */
size_t kvmkit_x86_format_regs(const struct kvm_regs *regs,
			      const struct kvm_sregs *sregs,
			      char *buf, size_t len);

/* ---- Exit history and dumps (lib/host/exit_history.c, dump_file.c) ---- */

/*
 * Each vCPU keeps its last KVMKIT_EXIT_HISTORY exits, as kvmkit_vcpu_run()
 * decoded them, in a ring: what a guest did just before it broke, for a
 * CI log.  Recording costs two clock reads per KVM_RUN and no ioctl: the
 * guest's RIP comes from the registers KVM syncs into kvm_run (pc_valid 0
 * where it does not).
 */
#define KVMKIT_EXIT_HISTORY	32
struct kvmkit_exit_record {
	uint64_t seq;		/* 1 for the vCPU's first exit, and on */
	uint64_t start_ns;	/* CLOCK_MONOTONIC when KVM_RUN was entered */
	uint64_t run_ns;	/* time spent in that KVM_RUN */
	/*
	 * guest RIP at the exit, if pc_valid: after an I/O or MMIO exit at
	 * the instruction or past it, as this KVM left it (the instruction
	 * completes on the next KVM_RUN; kvm_amd: at it, kvm_pvm: past it)
	 */
	uint64_t pc;
	/*
	 * What the exit was about: IO the port, MMIO the guest-physical
	 * address, DEBUG the pc, X86_RDMSR/WRMSR the MSR index, HYPERCALL
	 * the number, FAIL_ENTRY the hardware reason, INTERNAL_ERROR the
	 * suberror, SYSTEM_EVENT its type, ERROR the errno; else 0
	 */
	uint64_t addr;
	/* OUT and MMIO writes: the bytes written (the first 8); WRMSR: data */
	uint64_t value;
	enum kvmkit_exit_type type;
	uint32_t reason;	/* raw kvm_run->exit_reason */
	uint32_t size;		/* IO: bytes per access; MMIO: length */
	uint32_t count;		/* IO: accesses (> 1: string I/O) */
	uint8_t pc_valid;
	uint8_t has_value;
};
/*
 * Copy the vCPU's last min(max, KVMKIT_EXIT_HISTORY, exits so far)
 * records into out, oldest first; returns how many.  Call it from the
 * vCPU's thread, or while no thread runs the vCPU.
 */
unsigned int kvmkit_vcpu_exit_history(const struct kvmkit_vcpu *vcpu,
				      struct kvmkit_exit_record *out,
				      unsigned int max);
/*
 * One line for a record (pure, no newline): "#12 IO_OUT port 0xf4 size 4
 * value 0x0 rip 0x1a2b; 3.1 us in KVM_RUN".  Returns the length it
 * wanted, as snprintf().
 */
size_t kvmkit_exit_record_format(const struct kvmkit_exit_record *r,
				 char *buf, size_t len);
/*
 * The last n exits (at most KVMKIT_EXIT_HISTORY), one line each, oldest
 * first, each with its start relative to the newest exit's end.
 * Returns 0, or -EIO when writing to f failed (no message recorded).
 */
int kvmkit_vcpu_dump_exits(const struct kvmkit_vcpu *vcpu, FILE *f,
			   unsigned int n);
/*
 * A vCPU for a log: general registers, every segment (selector, base,
 * limit, attributes), descriptor tables, control registers, EFER, APIC
 * base, then its last n exits.  -errno when the registers could not be
 * read (message: kvmkit_vcpu_error(); what could be read is written),
 * -EIO when writing to f failed.
 */
int kvmkit_vcpu_fdump(struct kvmkit_vcpu *vcpu, FILE *f, unsigned int n);
/*
 * A VM for a log: its memory slots (guest range, size, flags, host
 * address), port and MMIO handlers, then kvmkit_vcpu_fdump() of each
 * vCPU.  Returns the first error (-EIO: writing failed), going on past
 * a vCPU whose registers could not be read.
 */
int kvmkit_vm_fdump(struct kvmkit_vm *vm, FILE *f, unsigned int n);

/* ---- kvmkit payloads (the guest runtime's images) ---------------------- */

/*
 * Check a payload image (header magic, ABI version, addresses inside the
 * image's own footprint and RAM), copy it to KVMKIT_PAYLOAD_BASE, and fill
 * the header's host fields.  RAM slot(s) covering the image must exist.
 */
int kvmkit_payload_load(struct kvmkit_vm *vm, const void *image, size_t size);
/*
 * The same with flags.  KVMKIT_LOAD_RAM_ZEROED: the caller guarantees that
 * the RAM the payload's .bss lands in still reads zero (fresh anonymous
 * memory nothing has written since it was mapped), so the .bss is not
 * cleared: writing zeros would fault in every page of it, most of which
 * the guest never touches.  RAM that a guest or the caller used already
 * needs the plain kvmkit_payload_load().
 */
#define KVMKIT_LOAD_RAM_ZEROED	(1u << 0)
int kvmkit_payload_load_flags(struct kvmkit_vm *vm, const void *image,
			      size_t size, unsigned int flags);

/*
 * How many CPUs a payload image runs on (pure, on the caller's copy of
 * the image): KVMKIT_GUEST_CPUS(n)'s n, 1 when it does not say.  Returns
 * 0, -EINVAL when it asks for 0, -E2BIG for more than
 * KVMKIT_GUEST_MAX_CPUS (*cpus is then the number asked), -ENOEXEC for
 * an image or SMP descriptor that is not valid; why says which.  Create
 * that many vCPUs, ids 0..n-1, before booting them.
 */
int kvmkit_payload_cpus(const void *image, size_t size, unsigned int *cpus,
			char *why, size_t whylen);

/*
 * Booting a loaded payload in two steps, as a machine does:
 * kvmkit_payload_setup() builds what the CPUs share (page tables, IDT)
 * and each CPU's own GDT and TSS in guest memory, once (message: the
 * VM's); kvmkit_payload_boot_cpu() sets one vCPU's registers so that its
 * first instruction runs in 64-bit mode: vCPU 0 at main() on the
 * header's stack, vCPU n >= 1 in the runtime's AP loop on its own stack
 * (abi.h), made runnable (an AP never goes through INIT/SIPI).  Its id
 * must be below the payload's CPU count (-EINVAL).  cpuid is the list
 * given to KVM_SET_CPUID2 (used to pick 1 GiB pages); it may be NULL.
 * kvmkit_payload_boot() is both for one vCPU.
 */
int kvmkit_payload_setup(struct kvmkit_vm *vm, const struct kvm_cpuid2 *cpuid);
int kvmkit_payload_boot_cpu(struct kvmkit_vcpu *vcpu);
int kvmkit_payload_boot(struct kvmkit_vcpu *vcpu,
			const struct kvm_cpuid2 *cpuid);
/*
 * The guest-physical address of CPU cpu's result page (abi.h): 0 and
 * KVMKIT_RESULT_BASE for CPU 0, the page in the CPU's area for the others,
 * -ENOENT for a CPU the payload does not have, -ENOEXEC (and more) for a
 * payload whose header or SMP descriptor is no longer valid.
 */
int kvmkit_payload_result_gpa(const struct kvmkit_vm *vm, uint32_t cpu,
			      uint64_t *gpa);

/*
 * A report read from the result page, copied and bounded: the guest can
 * change the page at any time, so callers use this copy, never the page.
 */
struct kvmkit_report {
	int32_t result;
	int32_t lineno;
	uint64_t file_addr;
	char file[256];
	char message[KVMKIT_RESULT_SIZE];
	unsigned int file_ok : 1;	/* file_addr translated and read */
	unsigned int file_truncated : 1;
	unsigned int message_truncated : 1; /* no NUL inside the page */
	unsigned int format_error : 1;	/* KVMKIT_HC_PRINTF: bad format,
					 * argument or %s (see below) */
};
/* Read the result page through vcpu (for the file name's translation) */
int kvmkit_report_read(struct kvmkit_vcpu *vcpu, struct kvmkit_report *rep);

/*
 * The vCPU's general registers as of its last exit: no ioctl when KVM
 * syncs them into kvm_run (KVM_CAP_SYNC_REGS with KVM_SYNC_X86_REGS,
 * enabled at vCPU creation when offered), else KVM_GET_REGS.
 */
int kvmkit_vcpu_exit_regs(struct kvmkit_vcpu *vcpu, struct kvm_regs *regs);

/*
 * A KVMKIT_HC_PRINTF report from the registers of its exit: result from
 * %edx, line from %esi, file name at %rdi, and the message formatted on
 * the host from the format at %rcx with the argument slots %r8, %r9,
 * [%rsp + 8], ... (at most KVMKIT_PRINTF_MAX_ARGS).  Guest memory is read
 * bounded: a %s that cannot be read prints "(bad address 0x...)", an
 * argument that cannot be read "(missing argument)", a format that cannot
 * be read or does not end in RAM a placeholder message; each sets
 * format_error.  message_truncated: the message did not fit.  A format
 * longer than KVMKIT_MESSAGE_MAX is formatted as far as it was read.
 */
int kvmkit_report_from_regs(struct kvmkit_vcpu *vcpu,
			    const struct kvm_regs *regs,
			    struct kvmkit_report *rep);

/* ---- Port I/O and MMIO handlers, kvmkit hypercalls, the run loop ------ */

/*
 * What every handler returns (or a negative errno, which stops the run
 * loop with that error):
 *   KVMKIT_RESUME     handled: enter the guest again
 *   KVMKIT_STOP       handled: kvmkit_vcpu_run_loop() returns KVMKIT_STOP
 *                     with the exit just handled
 *   KVMKIT_UNHANDLED  not this handler's (a size it does not serve, an
 *                     unknown hypercall): the run loop returns the exit
 *                     to its caller as if nothing were registered
 */
enum kvmkit_handled {
	KVMKIT_RESUME = 0,
	KVMKIT_STOP = 1,
	KVMKIT_UNHANDLED = 2,
};

/*
 * One port-I/O or MMIO access, from the decoded exit (data points into
 * kvm_run, bounds-checked by kvmkit_exit_decode()).  A write's bytes are
 * in data; a read (IN, MMIO read) puts the guest's value there.
 */
struct kvmkit_io {
	uint64_t addr;		/* the port, or the guest-physical address */
	uint64_t offset;	/* addr - the base the handler was added at */
	uint32_t size;		/* bytes per access: 1, 2 or 4 (ports), 1..8 (MMIO) */
	uint32_t count;		/* accesses, > 1 for string I/O (INS/OUTS, one
				 * port); always 1 for MMIO */
	uint8_t *data;		/* size * count bytes */
	int is_write;		/* OUT or MMIO write */
};

typedef int (*kvmkit_io_fn)(struct kvmkit_vcpu *vcpu,
			    const struct kvmkit_io *io, void *opaque);

/*
 * Serve ports [port, port + count), or guest-physical [gpa, gpa + len),
 * with fn(vcpu, io, opaque) during kvmkit_vcpu_run_loop() of any vCPU of
 * vm.  A port access goes to the range holding its port, whatever its
 * width (a port decodes the width, as in kvmtool and bhyve); an MMIO
 * access only when all its bytes lie in one range.  The table belongs to
 * the VM (no process-wide state); changing it while a vCPU of the VM
 * runs a loop in another thread is a race, while a handler may add or
 * remove handlers (itself too) of its own vCPU's VM.
 *   -EINVAL  count or len 0, a range past port 0xffff or wrapping around
 *            the address space, or fn NULL
 *   -EEXIST  the range overlaps one already added, or (MMIO) a memory
 *            slot: those accesses would never exit to user space (and
 *            kvmkit_vm_add_memory() refuses a slot over an MMIO handler)
 *   -ENOMEM
 * Removal takes the base given when adding; -ENOENT if none starts there.
 * Messages: kvmkit_vm_error().
 */
int kvmkit_vm_add_pio_handler(struct kvmkit_vm *vm, uint16_t port,
			      uint32_t count, kvmkit_io_fn fn, void *opaque);
int kvmkit_vm_remove_pio_handler(struct kvmkit_vm *vm, uint16_t port);
int kvmkit_vm_add_mmio_handler(struct kvmkit_vm *vm, uint64_t gpa,
			       uint64_t len, kvmkit_io_fn fn, void *opaque);
int kvmkit_vm_remove_mmio_handler(struct kvmkit_vm *vm, uint64_t gpa);

/*
 * A kvmkit hypercall: the guest's 32-bit OUT of nr (KVMKIT_HC_*) to
 * KVMKIT_HC_PORT (abi.h).  The calls that pass arguments in registers
 * (KVMKIT_HC_PRINTF, KVMKIT_HC_PRINTF_EXIT) come with the guest's
 * registers as of the OUT; has_regs says regs is filled.
 */
struct kvmkit_hypercall {
	uint32_t nr;
	uint32_t has_regs;
	struct kvm_regs regs;
};

typedef int (*kvmkit_hypercall_fn)(struct kvmkit_vcpu *vcpu,
				   const struct kvmkit_hypercall *hc,
				   void *opaque);

/*
 * Whether exit is a kvmkit hypercall, and which (pure; regs are not
 * filled): 0, -ENOENT when it is no OUT to KVMKIT_HC_PORT, -EPROTO when it
 * is one of another size or a string OUT.
 */
int kvmkit_hypercall_decode(const struct kvmkit_exit *exit,
			    struct kvmkit_hypercall *hc);
/* The same, with the registers fetched when the call carries arguments */
int kvmkit_vcpu_hypercall(struct kvmkit_vcpu *vcpu,
			  const struct kvmkit_exit *exit,
			  struct kvmkit_hypercall *hc);
/*
 * The report a hypercall carries: formatted from hc's registers for the
 * calls that pass them (kvmkit_report_from_regs()), else read from the
 * result page (kvmkit_report_read(); also when hc is NULL).
 */
int kvmkit_report_from_hypercall(struct kvmkit_vcpu *vcpu,
				 const struct kvmkit_hypercall *hc,
				 struct kvmkit_report *rep);

/*
 * An RDMSR/WRMSR exit to the run loop's msr callback: it sets data (a
 * read's value) or fault (#GP to the guest) and returns as a handler
 * does; the loop then replies to KVM (kvmkit_vcpu_msr_reply()).
 */
struct kvmkit_msr_access {
	uint32_t index;
	uint32_t reason;	/* KVM_MSR_EXIT_REASON_* */
	int is_write;
	int fault;
	uint64_t data;		/* written value, or the value to read */
};
typedef int (*kvmkit_msr_fn)(struct kvmkit_vcpu *vcpu,
			     struct kvmkit_msr_access *msr, void *opaque);

/* What kvmkit_vcpu_run_loop() does besides the VM's I/O handlers */
struct kvmkit_run_ops {
	/* kvmkit hypercalls; NULL: the doorbell is a port like any other */
	kvmkit_hypercall_fn hypercall;
	/* every exit as decoded, before it is dispatched (tracing); or NULL */
	void (*observe)(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *exit,
			void *opaque);
	void *opaque;		/* handed to all three */
	/* RDMSR/WRMSR exits; NULL: they go back to the caller */
	kvmkit_msr_fn msr;
};

/*
 * One decoded exit through the handlers, as the run loop does after each
 * KVM_RUN: a kvmkit hypercall to ops->hypercall (when given), port I/O and
 * MMIO to the VM's handlers.  Returns the handler's answer, KVMKIT_UNHANDLED
 * for an exit no handler took (HLT, shutdown, timeout, an unserved port,
 * ...), or -errno (a handler's, or fetching the registers failed; message
 * in kvmkit_vcpu_error(): it clears the vCPU's message before a handler
 * runs, so the message is the handler's own or names the exit).  Apart
 * from the handlers and a KVM_GET_REGS when KVM does not sync registers,
 * pure: testable on fabricated exits.
 */
int kvmkit_vcpu_dispatch(struct kvmkit_vcpu *vcpu,
			 const struct kvmkit_run_ops *ops,
			 const struct kvmkit_exit *exit);

/*
 * kvmkit_vcpu_run() and kvmkit_vcpu_dispatch() until an exit is not
 * resumed.  Returns KVMKIT_STOP (a handler stopped at *exit),
 * KVMKIT_UNHANDLED (*exit is the caller's: HLT, shutdown, timeout,
 * interrupted, unknown exits, an unserved port or address, a hypercall
 * without ops->hypercall), or -errno: KVM_RUN failed (exit->type
 * KVMKIT_EXIT_ERROR, as kvmkit_vcpu_run()) or a handler failed at *exit.
 * ops may be NULL.
 */
int kvmkit_vcpu_run_loop(struct kvmkit_vcpu *vcpu,
			 const struct kvmkit_run_ops *ops,
			 struct kvmkit_exit *exit);

/* ---- Interrupts (lib/host/irq.c, lib/host/x86_64/inject.c) ------------- */

/*
 * Every call of this section keeps its message in kvmkit_vm_error(), but
 * kvmkit_vcpu_exit_if_flag() (pure, no error).  Where KVM lacks what a
 * call needs, it returns -EOPNOTSUPP and the message names the capability
 * (KVM_CAP_IRQCHIP, KVM_CAP_SPLIT_IRQCHIP, KVM_CAP_SIGNAL_MSI,
 * KVM_CAP_IRQ_ROUTING, KVM_CAP_IRQFD, KVM_CAP_IOEVENTFD,
 * KVM_CAP_IOEVENTFD_ANY_LENGTH, KVM_CAP_X86_NOTIFY_VMEXIT).  Also in this
 * family, in the "Exits on request, injected events" section:
 * kvmkit_vcpu_inject_irq() (KVM_INTERRUPT) and kvmkit_vcpu_inject_nmi()
 * (KVM_NMI), whose messages are the vCPU's.  None of this survives
 * kvmkit_vm_restart(): the new VM has no irqchip, routes or irqfds.
 */
enum kvmkit_irqchip {
	/* KVM_CREATE_IRQCHIP: LAPICs, IOAPIC (GSIs 0-23) and PICs in KVM */
	KVMKIT_IRQCHIP_FULL = 1,
	/* KVM_CAP_SPLIT_IRQCHIP: LAPICs in KVM, IOAPIC and PIC are userspace's */
	KVMKIT_IRQCHIP_SPLIT = 2,
};
/*
 * Before the first vCPU.  ioapic_pins: the split irqchip's GSIs that
 * userspace's IOAPIC routes (0: 24); ignored by the full one.  -EEXIST
 * when this VM has one already.
 */
int kvmkit_vm_create_irqchip(struct kvmkit_vm *vm, enum kvmkit_irqchip chip,
			     unsigned int ioapic_pins);
/*
 * KVM_IRQ_LINE: raise (level 1) or lower (0) a GSI's line; with the full
 * irqchip GSIs 0-15 reach the PIC and the IOAPIC, 16-23 the IOAPIC.
 * An edge-triggered pin wants 1 then 0.  -ENXIO: no in-kernel irqchip.
 */
int kvmkit_vm_irq_line(struct kvmkit_vm *vm, uint32_t gsi, int level);
/*
 * KVM_SIGNAL_MSI: one MSI write (addr 0xfee..., x86: destination APIC id
 * in bits 19:12; data: vector in bits 7:0, delivery mode in 10:8).
 * Returns how many APICs took it (1 for one destination), 0 when none
 * did (none there, software-disabled, or the vector already pending), or
 * -errno (-ENXIO: no in-kernel irqchip).
 */
int kvmkit_vm_signal_msi(struct kvmkit_vm *vm, uint64_t addr, uint32_t data);
/*
 * Route gsi to an MSI (KVM_SET_GSI_ROUTING), as irqfds need: the VM keeps
 * its routes and sends them all each time (with the full irqchip's default
 * PIC/IOAPIC routes first, so KVM_IRQ_LINE keeps working); setting a gsi
 * again replaces its route.  -EINVAL past KVM_CAP_IRQ_ROUTING's count,
 * -EBUSY for GSIs 0-23 with the full irqchip (its IOAPIC pins).
 */
int kvmkit_vm_set_msi_route(struct kvmkit_vm *vm, uint32_t gsi, uint64_t addr,
			    uint32_t data);
/*
 * KVM_IRQFD: each write to the eventfd fd raises gsi (edge); fd stays the
 * caller's, to close after removing it.  -EBADF for a negative fd (KVM's
 * own EBADF for any other non-eventfd), -EINVAL for a gsi past KVM's
 * routes, -EBUSY when fd is assigned in this VM already.  _remove: -ENOENT
 * for an (fd, gsi) never assigned (KVM itself answers 0 to that).
 */
int kvmkit_vm_irqfd(struct kvmkit_vm *vm, int fd, uint32_t gsi);
int kvmkit_vm_irqfd_remove(struct kvmkit_vm *vm, int fd, uint32_t gsi);
/*
 * KVM_IOEVENTFD: a guest write of len bytes (1, 2, 4, 8; 0: any, with
 * KVM_CAP_IOEVENTFD_ANY_LENGTH) to port (is_pio) or guest-physical addr
 * signals the eventfd fd inside KVM, with no exit to userspace; with
 * datamatch (NULL: any value) only a write of *datamatch does, others
 * exit as usual.  -EEXIST for the same registration twice; _remove takes
 * the same arguments, -ENOENT for one never made.
 */
int kvmkit_vm_ioeventfd(struct kvmkit_vm *vm, uint64_t addr, uint32_t len,
			int is_pio, const uint64_t *datamatch, int fd);
int kvmkit_vm_ioeventfd_remove(struct kvmkit_vm *vm, uint64_t addr,
			       uint32_t len, int is_pio,
			       const uint64_t *datamatch, int fd);
/*
 * KVM_CAP_X86_NOTIFY_VMEXIT, before the first vCPU: a guest that keeps
 * the CPU in one instruction (microcode, no interrupt window) longer than
 * window crystal-clock cycles exits as KVMKIT_EXIT_NOTIFY.  Intel only
 * (-EOPNOTSUPP elsewhere).  The "NMI window" exit some VMMs have does not
 * exist in KVM's userspace API: KVM handles NMI windows itself.
 */
int kvmkit_vm_enable_notify_exit(struct kvmkit_vm *vm, uint32_t window);
/*
 * Whether the guest's RFLAGS.IF was set at the last exit (kvm_run's
 * if_flag): a HLT with it set waits for an interrupt.
 */
int kvmkit_vcpu_exit_if_flag(const struct kvmkit_vcpu *vcpu);

#pragma GCC visibility pop

#endif /* KVMKIT_KVMKIT_H */
