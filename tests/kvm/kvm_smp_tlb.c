// SPDX-License-Identifier: MIT
/*
 * TLB shootdown between two vCPUs sharing one set of page tables: CPU 1
 * caches a translation by reading through it, CPU 0 changes the PTE (and
 * invalidates its own TLB entry), then has CPU 1 invalidate its entry;
 * after that CPU 1 must use the new translation.  Three ways of asking
 * CPU 1: an IPI whose handler runs INVLPG (as operating systems do), a
 * flag CPU 1 polls before running INVLPG itself, and a flag after which
 * CPU 1 reloads CR3.  Last, CPU 0 clears the PTE and shoots it down: CPU
 * 1's read then raises #PF with CR2 = the address and error code 0 (not
 * present, read, supervisor).  A shadow-paging hypervisor keeps one
 * shadow per guest page table and must honour each vCPU's invalidation
 * for that vCPU.  (Stale translations before the invalidation are
 * allowed, so they are not checked.)
 *
 * Where it is written: Intel SDM Vol. 3A 4.10.5 "Propagation of Paging-
 * Structure Changes to Multiple Processors" ("the processor must
 * typically invalidate the paging-structure caches of other processors
 * ... by means of an IPI"; "TLB shootdown"), 4.10.4.1 (INVLPG; MOV to
 * CR3 invalidates all non-global entries), 4.7 "Page-Fault Exceptions"
 * (error code bits P, W/R, U/S; CR2 holds the linear address).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

KVMKIT_GUEST_CPUS(2);

#define VA		0x90000000UL	/* unmapped by the runtime: ours */
#define VEC_FLUSH	0x60
#define SPIN_LIMIT	2000000000ULL	/* TSC ticks */

enum { IDLE, READ, FLUSH_POLL, FLUSH_CR3, WAIT_IPI, QUIT };

static uint64_t *frame_a, *frame_b;
static volatile int command, done;
static volatile uint64_t seen;
static volatile int seen_vector;
static volatile uint64_t seen_cr2, seen_err;
static volatile unsigned int ipi_count, ipi_cpu;

static int on_flush_ipi(void *userdata, struct kvm_interrupt_frame *ifrm,
			unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	kvm_invlpg(VA);
	ipi_cpu = kvm_cpu_id();
	kvm_apic_eoi();
	__atomic_add_fetch(&ipi_count, 1, __ATOMIC_SEQ_CST);
	return 1;
}

static void read_va(void *arg)
{
	(void)arg;
	seen = *(volatile uint64_t *)VA;
}

/* CPU 1: obey commands until QUIT */
static void ap_loop(void *arg)
{
	struct kvm_fault f;
	int cmd;

	(void)arg;
	kvm_apic_enable();
	kvm_irq_enable();
	for (;;) {
		while ((cmd = __atomic_load_n(&command, __ATOMIC_ACQUIRE)) == IDLE)
			asm volatile("pause" : : : "memory");
		switch (cmd) {
		case FLUSH_POLL:
			kvm_invlpg(VA);
			break;
		case FLUSH_CR3:
			kvm_set_cr3(kvm_read_cr3());
			break;
		case READ:
			f = (struct kvm_fault){ 0 };
			seen = 0;
			seen_vector = kvm_call_safe(read_va, NULL, &f);
			seen_cr2 = f.cr2;
			seen_err = f.error_code;
			break;
		}
		__atomic_store_n(&command, IDLE, __ATOMIC_RELEASE);
		if (cmd == QUIT)
			break;
	}
	kvm_irq_disable();
	done = 1;
}

static int order(int cmd)
{
	uint64_t start = kvm_rdtsc();

	__atomic_store_n(&command, cmd, __ATOMIC_RELEASE);
	while (__atomic_load_n(&command, __ATOMIC_ACQUIRE) != IDLE) {
		if (kvm_rdtsc() - start > SPIN_LIMIT)
			return 0;
		asm volatile("pause" : : : "memory");
	}
	return 1;
}

static const char *frame_name(uint64_t v)
{
	return v == frame_a[0] ? "A" : v == frame_b[0] ? "B" : "neither";
}

/* CPU 1 reads VA; one TPASS/TFAIL naming the frame it should see */
static void expect_read(const char *what, const uint64_t *frame)
{
	if (!order(READ))
		tst_brk(TBROK, "%s: CPU 1 does not answer", what);
	if (seen_vector)
		tst_res(TFAIL, "%s: CPU 1's read raised %s (CR2 0x%llx)", what,
			tst_interrupt_names[seen_vector & 31],
			(unsigned long long)seen_cr2);
	else if (seen != frame[0])
		tst_res(TFAIL, "%s: CPU 1 read frame %s (0x%llx), the PTE points to frame %s",
			what, frame_name(seen), (unsigned long long)seen,
			frame_name(frame[0]));
	else
		tst_res(TPASS, "%s: CPU 1 reads the new frame %s", what,
			frame_name(frame[0]));
}

static void remap(uint64_t *frame)
{
	if (kvm_map_page(VA, (uintptr_t)frame, KVM_PAGE_WRITE))
		tst_brk(TBROK, "kvm_map_page(0x%lx) failed", VA);
}

static void shootdown_ipi(const char *what)
{
	uint64_t start = kvm_rdtsc();
	unsigned int before = ipi_count;

	kvm_apic_send_ipi(1, VEC_FLUSH);
	while (__atomic_load_n(&ipi_count, __ATOMIC_SEQ_CST) == before) {
		if (kvm_rdtsc() - start > SPIN_LIMIT)
			tst_brk(TFAIL, "%s: the flush IPI never reached CPU 1", what);
		asm volatile("pause" : : : "memory");
	}
	if (ipi_cpu != 1)
		tst_res(TFAIL, "%s: the flush IPI ran on CPU %u, not CPU 1", what,
			ipi_cpu);
}

void main(void)
{
	if (!kvm_apic_present())
		tst_brk(TCONF, "CPUID.1:EDX.APIC = 0: no local APIC for the flush IPI");
	frame_a = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);
	frame_b = tst_heap_alloc_aligned(KVMKIT_PAGE_SIZE, KVMKIT_PAGE_SIZE);
	frame_a[0] = 0xaaaaaaaaaaaaaaaaULL;
	frame_b[0] = 0xbbbbbbbbbbbbbbbbULL;
	tst_set_interrupt_callback(VEC_FLUSH, on_flush_ipi, NULL);
	kvm_apic_enable();

	remap(frame_a);
	kvm_smp_call_async(ap_loop, NULL);
	expect_read("first use of the translation", frame_a);

	remap(frame_b);
	shootdown_ipi("PTE to frame B");
	expect_read("PTE to frame B, INVLPG on CPU 1 by IPI", frame_b);

	remap(frame_a);
	if (!order(FLUSH_POLL))
		tst_brk(TBROK, "CPU 1 does not answer");
	expect_read("PTE to frame A, INVLPG on CPU 1 by request", frame_a);

	remap(frame_b);
	if (!order(FLUSH_CR3))
		tst_brk(TBROK, "CPU 1 does not answer");
	expect_read("PTE to frame B, MOV to CR3 on CPU 1", frame_b);

	if (kvm_unmap_page(VA))
		tst_brk(TBROK, "kvm_unmap_page(0x%lx) failed", VA);
	shootdown_ipi("PTE cleared");
	if (!order(READ))
		tst_brk(TBROK, "CPU 1 does not answer");
	if (seen_vector != INTR_PAGE_FAULT || seen_cr2 != VA || seen_err != 0)
		tst_res(TFAIL, "PTE cleared and shot down: CPU 1's read gave vector %d CR2 0x%llx error code 0x%llx (read 0x%llx), expected #PF, CR2 0x%lx, error code 0",
			seen_vector, (unsigned long long)seen_cr2,
			(unsigned long long)seen_err, (unsigned long long)seen,
			VA);
	else
		tst_res(TPASS, "PTE cleared and shot down: CPU 1's read raises #PF, CR2 = the address, error code 0");

	order(QUIT);
	kvm_smp_wait();
}

#else /* COMPILE_PAYLOAD */

static void setup(void)
{
	/* the flush IPI needs the LAPICs in the kernel */
	tst_kvm_set_irqchip(TST_KVM_IRQCHIP_SPLIT);
	tst_kvm_setup();
}

static struct tst_test test = {
	.kvmkit_desc = "TLB shootdown: a PTE change on CPU 0 reaches CPU 1 after its invalidation",
	.test_all = tst_kvm_run,
	.setup = setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "paging,tlb,smp" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
