/* SPDX-License-Identifier: MIT */
/*
 * LTP's KVM host library over kvmkit's native API: create a VM with one
 * vCPU, its RAM and result page, boot the embedded payload straight into
 * 64-bit mode, run it and print what it reports.
 *
 * The default functions for struct tst_test:
 *
 *	.test_all = tst_kvm_run, .setup = tst_kvm_setup,
 *	.cleanup = tst_kvm_cleanup,
 *
 * Every helper ends the test with TBROK on failure, as in LTP.
 */
#ifndef KVM_HOST_H_
#define KVM_HOST_H_

#include <inttypes.h>
#include <stddef.h>
#include <linux/kvm.h>
#include "kvm_common.h"

#define VM_KERNEL_BASEADDR	KVMKIT_PAYLOAD_BASE
#define VM_RESET_BASEADDR	0xfffffff0
#define VM_RESET_CODE_SIZE	8

#define MIN_FREE_RAM		(10 * 1024 * 1024)
#define DEFAULT_RAM_SIZE	KVMKIT_DEFAULT_RAM
#define MAX_KVM_MEMSLOTS	8

struct kvmkit_kvm;
struct kvmkit_vm;
struct kvmkit_vcpu;
struct tst_kvm_smp;

/* Guest-side only (kvm_guest.h): nothing for the host pass to do */
#define KVMKIT_GUEST_CPUS(n) \
	extern int kvmkit_guest_cpus_host_pass_[(n) > 0 ? 1 : -1]

struct tst_kvm_instance {
	int vm_fd, vcpu_fd;
	struct kvm_run *vcpu_info;
	size_t vcpu_info_size;
	/* slots in use have a non-zero userspace_addr */
	struct kvm_userspace_memory_region ram[MAX_KVM_MEMSLOTS];
	struct tst_kvm_result *result;

	/* kvmkit's objects behind the fds above (private) */
	struct kvmkit_kvm *kvmkit_kvm;
	struct kvmkit_vm *kvmkit_vm;
	struct kvmkit_vcpu *kvmkit_vcpu;	/* CPU 0 */
	/* the other CPUs of a KVMKIT_GUEST_CPUS() payload, or NULL */
	struct tst_kvm_smp *kvmkit_smp;
};

/* The payload image, embedded by kvmkit-cc, loaded at VM_KERNEL_BASEADDR */
extern const char kvm_payload_start[], kvm_payload_end[];

/*
 * LTP's real-mode reset vector code.  kvmkit's vCPU starts in 64-bit mode
 * at the payload's entry point and never executes it; kept for tests that
 * refer to it.
 */
extern const unsigned char tst_kvm_reset_code[VM_RESET_CODE_SIZE];

/*
 * Default test functions.  tst_kvm_run() creates a fresh VM per iteration,
 * runs it, destroys it and calls tst_free_all().
 */
void tst_kvm_setup(void);
void tst_kvm_run(void);
void tst_kvm_cleanup(void);

/* TBROK unless value (result->result) can go to tst_res()/tst_brk() */
void tst_kvm_validate_result(int value);

/* Print the report in inst's result page (tst_brk() for TBROK) */
void tst_kvm_print_result(const struct tst_kvm_instance *inst);

/*
 * Guest virtual to guest physical address through the vCPU's current
 * page tables; 0 when not mapped.
 */
uint64_t tst_kvm_get_phys_address(const struct tst_kvm_instance *inst,
				  uint64_t addr);

/* Memory slot (index into inst->ram) holding an address, or -1 */
int tst_kvm_find_phys_memslot(const struct tst_kvm_instance *inst,
			      uint64_t paddr);
int tst_kvm_find_memslot(const struct tst_kvm_instance *inst, uint64_t addr);

/*
 * Host pointer for a guest virtual address, or NULL when it is not
 * mapped to RAM.  Only the rest of that memory slot is valid behind it.
 */
void *tst_kvm_get_memptr(const struct tst_kvm_instance *inst, uint64_t addr);

/*
 * A guarded buffer (tst_alloc()) installed as memory slot `slot` from
 * baseaddr rounded down to a page; returns its page-aligned start, so
 * baseaddr itself is at ret + baseaddr % pagesize.  Freed by
 * tst_free_all(), never by tst_kvm_destroy_instance().
 */
void *tst_kvm_alloc_memory(struct tst_kvm_instance *inst, unsigned int slot,
			   uint64_t baseaddr, size_t size, unsigned int flags);

/*
 * KVM_GET_SUPPORTED_CPUID on an open /dev/kvm (malloc'ed, free() it);
 * NULL when KVM_CAP_EXT_CPUID is missing.
 */
struct kvm_cpuid2 *tst_kvm_get_cpuid(int sysfd);

/*
 * A new VM in inst: one vCPU (as many as the payload's
 * KVMKIT_GUEST_CPUS() asks for: TBROK for 0, TCONF for more than KVM or
 * kvmkit take) with the supported CPUID, RAM from guest
 * address 0 (slot 0, at least ram_size bytes, grown so that the payload
 * leaves MIN_FREE_RAM free and capped below the result page, with a
 * TWARN either way), the result page (slot 1) at KVM_RESULT_BASEADDR, and
 * the payload loaded and ready to run in 64-bit mode.
 */
void tst_kvm_create_instance(struct tst_kvm_instance *inst, size_t ram_size);

/*
 * Run inst until the payload exits, printing its reports.  A payload of
 * several CPUs runs CPU 0 in the calling thread and every other CPU in a
 * thread of its own, each with its own run loop and guest timeout; the
 * run ends when CPU 0's main() returns or any CPU ends the test
 * (kvm_exit(), tst_brk(), an unhandled exception, a timeout), and every
 * other CPU is then stopped (immediate_exit and a signal) and joined.  The guest gets
 * the harness's per-run timeout (-T, KVMKIT_TIMEOUT; 5 s by default).
 * Returns 0, or -1 with errno == exp_errno when KVM_RUN failed with
 * exp_errno (EINTR: a signal interrupted the guest).
 */
int tst_kvm_run_instance(struct tst_kvm_instance *inst, int exp_errno);

/*
 * kvmkit: the per-run guest timeout tst_kvm_run_instance() arms (-T,
 * KVMKIT_TIMEOUT; 5 s by default), for tests that run their own loop
 * with kvmkit_vcpu_set_timeout() and kvmkit_vcpu_run_loop().
 */
uint64_t tst_kvmkit_guest_timeout_ns(void);

/*
 * kvmkit: the interrupt controller of the VMs tst_kvm_create_instance()
 * makes from then on (process-wide; TST_KVM_IRQCHIP_NONE by default, as
 * in LTP).  With an in-kernel LAPIC the guest's APIC and its timers work,
 * but HLT no longer exits to the host: it waits in the kernel for an
 * interrupt, so kvm_yield() and "cli; hlt" block until the guest timeout.
 * SPLIT is the LAPIC in the kernel, PIC and IOAPIC nowhere
 * (KVM_CAP_SPLIT_IRQCHIP; KVM_INTERRUPT still injects, as ExtINT through
 * LVT0 of vCPU 0); FULL is KVM_CREATE_IRQCHIP (no KVM_INTERRUPT).
 * tst_kvm_create_instance() ends in TCONF when KVM has not the one asked.
 */
#define TST_KVM_IRQCHIP_NONE	0
#define TST_KVM_IRQCHIP_SPLIT	1
#define TST_KVM_IRQCHIP_FULL	2
void tst_kvm_set_irqchip(int mode);

/*
 * kvmkit extension: a controller that runs the vCPU with its own loop
 * (kvmkit_vcpu_run() or kvmkit_vcpu_run_loop()) hands each exit here, so
 * that KVMKIT_TRACE=FILE and kvmkit-run --trace record it as they do the
 * exits of tst_kvm_run_instance() (a run_ops .observe callback can do it).
 */
struct kvmkit_vcpu;
struct kvmkit_exit;
void tst_kvm_trace_exit(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e);

/* Destroy the VM; memory from tst_kvm_alloc_memory() stays allocated */
void tst_kvm_destroy_instance(struct tst_kvm_instance *inst);

/*
 * Wait for the guest's tst_signal_host()/tst_wait_host().  timeout_ms:
 * 0 checks once, negative waits forever.  Returns 0 on a signal,
 * KVM_TEXIT when the guest exited, -1 on timeout.
 */
int tst_kvm_wait_guest(struct tst_kvm_instance *inst, int timeout_ms);

/* Consume the guest's signal; a guest in tst_wait_host() resumes */
void tst_kvm_clear_guest_signal(struct tst_kvm_instance *inst);

/*
 * Makes every test that includes this header check /dev/kvm before
 * setup(): TCONF with the reason when it cannot be opened.
 */
void tst_kvm_precheck(void);
static void (*const tst_kvm_precheck_ref_)(void) __attribute__((used)) =
	tst_kvm_precheck;

#endif /* KVM_HOST_H_ */
