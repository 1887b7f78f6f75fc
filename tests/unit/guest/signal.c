// SPDX-License-Identifier: MIT
/*
 * Guest runtime and host face together: tst_wait_host()/tst_signal_host()
 * against tst_kvm_wait_guest()/tst_kvm_clear_guest_signal(), with a custom
 * controller in kvm_svm03's shape (the vCPU runs in its own thread, the
 * main thread talks to the guest through the result page while the guest
 * keeps spinning inside KVM_RUN).
 *
 *  1. tst_wait_host(mailbox): the host finds the mailbox through
 *     file_addr, checks the guest's word, answers in the next one and
 *     clears the signal; the guest resumes and checks the answer.
 *  2. tst_signal_host(&mailbox[2]) does not block: the guest spins on the
 *     mailbox until the host has seen the signal and written to it.
 *  3. When the guest returns from main(), tst_kvm_wait_guest() reports
 *     KVM_TEXIT instead of timing out (kvm_svm03's "exited early" path).
 */
#include "kvm_test.h"

#define GUEST_HELLO	0x6b766d6b69742121ULL
#define HOST_ANSWER	0x686f737421212121ULL
#define HOST_ACK	0x61636b6e6f776c64ULL

#ifdef COMPILE_PAYLOAD

static volatile uint64_t mailbox[4];

void main(void)
{
	unsigned long spins;

	mailbox[0] = GUEST_HELLO;
	tst_wait_host((void *)mailbox);
	if (mailbox[1] == HOST_ANSWER)
		tst_res(TPASS, "guest: tst_wait_host() returned with the host's answer");
	else
		tst_res(TFAIL, "guest: tst_wait_host() returned, mailbox[1] = 0x%llx",
			(unsigned long long)mailbox[1]);

	tst_signal_host((void *)&mailbox[2]);
	/* A few seconds of spinning at most; the host answers in microseconds */
	for (spins = 0; mailbox[2] != HOST_ACK && spins < 4000000000UL; spins++)
		asm volatile("pause");
	if (mailbox[2] == HOST_ACK)
		tst_res(TPASS, "guest: tst_signal_host() did not block, host answered while the guest ran");
	else
		tst_res(TFAIL, "guest: no answer to tst_signal_host() after %lu spins",
			spins);
}

#else /* COMPILE_PAYLOAD */

#include <pthread.h>
#include <string.h>

static struct tst_kvm_instance vm = { .vm_fd = -1 };
static int vm_running;

static void *vm_thread(void *arg)
{
	tst_kvm_run_instance(&vm, 0);
	__atomic_store_n(&vm_running, 0, __ATOMIC_RELEASE);
	return arg;
}

/*
 * The guest words behind the signal's data pointer, or NULL.  Not
 * tst_kvm_get_memptr(): translating a virtual address reads the vCPU's
 * control registers (KVM_GET_SREGS), and a vCPU ioctl waits until
 * KVM_RUN returns in the other thread, which it never does while the
 * guest spins in tst_wait_host().  The payload's statics are identity-
 * mapped, so the physical slot lookup, pure memory, is enough.
 */
static volatile uint64_t *signal_data(size_t words)
{
	uint64_t addr = vm.result->file_addr;
	int slot = tst_kvm_find_phys_memslot(&vm, addr);
	const struct kvm_userspace_memory_region *r;

	if (slot < 0 || addr + words * 8 < addr)
		return NULL;
	r = &vm.ram[slot];
	if (addr + words * 8 > r->guest_phys_addr + r->memory_size)
		return NULL;
	return (volatile uint64_t *)(uintptr_t)(r->userspace_addr +
						 (addr - r->guest_phys_addr));
}

static int wait_signal(const char *what)
{
	int ret = tst_kvm_wait_guest(&vm, 5000);

	if (ret) {
		tst_res(TFAIL, "host: waiting for %s: tst_kvm_wait_guest() = %d",
			what, ret);
		return -1;
	}
	return 0;
}

static void run(void)
{
	volatile uint64_t *box;
	pthread_t tid;
	int ret;

	tst_kvm_create_instance(&vm, DEFAULT_RAM_SIZE);

	ret = tst_kvm_wait_guest(&vm, 0);
	if (ret == -1)
		tst_res(TPASS, "host: tst_kvm_wait_guest(0) before the guest runs: -1 (no signal)");
	else
		tst_res(TFAIL, "host: tst_kvm_wait_guest(0) before the guest runs returned %d",
			ret);

	vm_running = 1;
	ret = pthread_create(&tid, NULL, vm_thread, NULL);
	if (ret) {
		vm_running = 0;
		tst_brk(TBROK, "pthread_create: %s", strerror(ret));
	}

	if (!wait_signal("tst_wait_host()")) {
		box = signal_data(2);
		if (box && box[0] == GUEST_HELLO) {
			tst_res(TPASS, "host: tst_wait_host() data reached the host through file_addr");
			box[1] = HOST_ANSWER;
		} else {
			tst_res(TFAIL, "host: file_addr 0x%" PRIx64 " does not lead to the guest's mailbox",
				vm.result->file_addr);
		}
	}
	/* Clear even after a failure, so that a waiting guest can go on */
	tst_kvm_clear_guest_signal(&vm);

	if (!wait_signal("tst_signal_host()")) {
		box = signal_data(1);
		if (box) {
			box[0] = HOST_ACK;
			tst_res(TPASS, "host: got tst_signal_host() while the guest kept running");
		} else {
			tst_res(TFAIL, "host: file_addr 0x%" PRIx64 " of tst_signal_host() is not guest RAM",
				vm.result->file_addr);
		}
	}
	tst_kvm_clear_guest_signal(&vm);

	ret = tst_kvm_wait_guest(&vm, 5000);
	if (ret == KVM_TEXIT)
		tst_res(TPASS, "host: tst_kvm_wait_guest() returns KVM_TEXIT once the guest exited");
	else
		tst_res(TFAIL, "host: tst_kvm_wait_guest() after the guest's exit returned %d",
			ret);

	pthread_join(tid, NULL);
	tst_kvm_destroy_instance(&vm);
	tst_free_all();
}

/* A VM that still runs in its thread (the test broke meanwhile) stays */
static void cleanup(void)
{
	if (!__atomic_load_n(&vm_running, __ATOMIC_ACQUIRE))
		tst_kvm_destroy_instance(&vm);
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = cleanup,
	.kvmkit_desc = "tst_wait_host/tst_signal_host with a threaded controller",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
