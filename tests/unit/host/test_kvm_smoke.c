// SPDX-License-Identifier: MIT
/*
 * The host library against the real /dev/kvm, with the smallest possible
 * guest: real mode, code at 0x1000, no payload or boot helpers (those are
 * tested elsewhere), registers set with raw ioctls.  Checks that exits
 * come back typed, that the timeout stops a spinning guest, that errors
 * name their ioctl, and that teardown leaves nothing behind (under LSan).
 * Skips (exit 77) when /dev/kvm is not there.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"

#define CODE_GPA	0x1000
#define RAM_SIZE	0x10000

static const uint8_t code[] = {
	0xb0, 0x2a,		/* 0x1000: mov $0x2a, %al */
	0xe6, 0x10,		/* 0x1002: out %al, $0x10 */
	0xf4,			/* 0x1004: hlt */
	0xeb, 0xfe,		/* 0x1005: jmp . */
};
#define SPIN_GPA	(CODE_GPA + 5)
#define HLT_GPA		(CODE_GPA + 4)

static int set_rip(struct kvmkit_vcpu *vcpu, uint64_t rip)
{
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 0x2;
	return ioctl(kvmkit_vcpu_fd(vcpu), KVM_SET_REGS, &regs);
}

/* Real mode with CS base 0 instead of the reset vector's 0xffff0000 */
static int real_mode(struct kvmkit_vcpu *vcpu)
{
	struct kvm_sregs sregs;
	int fd = kvmkit_vcpu_fd(vcpu);

	if (ioctl(fd, KVM_GET_SREGS, &sregs))
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(fd, KVM_SET_SREGS, &sregs))
		return -1;
	return set_rip(vcpu, CODE_GPA);
}

/* perms of the mapping holding addr in /proc/self/maps, "" if none */
static void map_perms(const void *addr, char perms[5])
{
	unsigned long lo, hi;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi)
			break;
		else
			perms[0] = '\0';
	fclose(f);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_open_errors(void)
{
	struct kvmkit_kvm *kvm = (void *)1;
	char err[KVMKIT_ERR_MAX];

	CHECK_EQ(kvmkit_kvm_open(&kvm, "/nonexistent/kvm", err, sizeof(err)), -ENOENT,
		 "open of a missing device: -ENOENT");
	CHECK_STR(err, "open /nonexistent/kvm: No such file or directory",
		  "missing device message");
	CHECK(kvm == NULL, "failed open leaves *kvm NULL");
	CHECK_EQ(kvmkit_kvm_open(&kvm, "/dev/null", err, sizeof(err)), -ENOTTY,
		 "a non-KVM device: -ENOTTY");
	CHECK(!strncmp(err, "KVM_GET_API_VERSION on /dev/null: ", 34), "non-KVM device message");
}

static void test_kvm(struct kvmkit_kvm *kvm)
{
	struct kvm_cpuid2 *cpuid = NULL;
	const struct kvm_cpuid_entry2 *leaf;

	CHECK(kvmkit_kvm_check_extension(kvm, KVM_CAP_USER_MEMORY) > 0,
	      "KVM_CAP_USER_MEMORY present");
	CHECK(kvmkit_kvm_check_extension(kvm, 0x7fffffff) == 0,
	      "a capability from the future is absent (0)");
	CHECK_EQ(kvmkit_kvm_supported_cpuid(kvm, &cpuid), 0, "supported CPUID");
	if (!cpuid)
		return;
	CHECK(cpuid->nent > 0, "supported CPUID has leaves");
	leaf = kvmkit_cpuid_find(cpuid, 0, 0);
	CHECK(leaf && leaf->eax >= 1, "leaf 0 present with a max leaf");
	CHECK(kvmkit_cpuid_find(cpuid, 0x7fffffff, 0) == NULL, "absent leaf: NULL");
	free(cpuid);
}

static void test_memory(struct kvmkit_vm *vm, uint8_t *ram)
{
	char perms[5];
	void *hva;

	map_perms(ram - 1, perms);
	CHECK_STR(perms, "---p", "guard page below RAM");
	map_perms(ram + RAM_SIZE, perms);
	CHECK_STR(perms, "---p", "guard page above RAM");
	map_perms(ram, perms);
	CHECK_STR(perms, "rw-p", "RAM itself read-write");

	CHECK_EQ(kvmkit_vm_add_memory(vm, 2, 0x8000, 0x1000, 0, &hva), -EEXIST,
		 "overlapping slot: -EEXIST");
	CHECK_STR(kvmkit_vm_error(vm), "KVM_SET_USER_MEMORY_REGION: File exists (slot 2)",
		  "overlap error message");
	CHECK_EQ(kvmkit_vm_add_memory(vm, 2, 0x100123, 0x10, 0, &hva), 0,
		 "unaligned slot rounded out to a page");
	CHECK(kvmkit_vm_memslot(vm, 2) &&
	      kvmkit_vm_memslot(vm, 2)->guest_phys_addr == 0x100000 &&
	      kvmkit_vm_memslot(vm, 2)->memory_size == 0x1000, "rounded slot");
	CHECK(kvmkit_gpa_to_hva(vm, 0x100000, 0x1000) == hva, "hva is the rounded-down gpa");
	CHECK_EQ(kvmkit_vm_remove_memory(vm, 2), 0, "remove a slot");
	CHECK(!kvmkit_vm_memslot(vm, 2) && !kvmkit_gpa_to_hva(vm, 0x100000, 1),
	      "removed slot is gone");
	CHECK_EQ(kvmkit_vm_add_memory(vm, 2, 0x100000, 0x1000, 0, NULL), 0,
		 "slot number reusable after removal");
}

static void test_run(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;
	struct timespec t0;
	char line[128];
	int ret;

	CHECK_EQ(real_mode(vcpu), 0, "real mode at 0x1000 (raw ioctls)");
	CHECK_EQ(kvmkit_vcpu_run(vcpu, &e), 0, "first run");
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x10 size 1 value 0x2a", "OUT exit decoded");
	CHECK_EQ(kvmkit_vcpu_run(vcpu, &e), 0, "second run");
	CHECK_EQ(e.type, KVMKIT_EXIT_HLT, "then HLT");

	/* a guest that spins forever is stopped by the timeout */
	CHECK_EQ(set_rip(vcpu, SPIN_GPA), 0, "jump to `jmp .`");
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 1000000), 0, "1 ms timeout");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(ret == 0 && e.type == KVMKIT_EXIT_TIMEOUT, "spinning guest: TIMEOUT");
	unit_diag("timeout after %.2f ms (%s)", ms_since(&t0),
		  kvmkit_exit_type_name(e.type));
	CHECK(ms_since(&t0) < 1000, "TIMEOUT came promptly");
	CHECK(kvmkit_vcpu_run(vcpu, &e) == 0 && e.type == KVMKIT_EXIT_TIMEOUT,
	      "past the deadline, the next run times out at once");
	CHECK_EQ(kvmkit_vcpu_kvm_run(vcpu)->immediate_exit, 0, "immediate_exit cleared after the run");

	/*
	 * The deadline passes, and the timer's signal lands, between two
	 * runs: the run that reports it must not leave immediate_exit set
	 * (in a nested VM the signal lagged the clock and did just that).
	 */
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 1000000), 0, "1 ms timeout again");
	{
		struct timespec nap = { 0, 5000000 };

		while (nanosleep(&nap, &nap) && errno == EINTR)
			;
	}
	CHECK(kvmkit_vcpu_run(vcpu, &e) == 0 && e.type == KVMKIT_EXIT_TIMEOUT,
	      "deadline passed between runs: TIMEOUT at once");
	CHECK_EQ(kvmkit_vcpu_kvm_run(vcpu)->immediate_exit, 0,
		 "immediate_exit cleared when the signal came between runs");

	/* disarmed, the same vCPU runs normally again */
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 0), 0, "disarm");
	CHECK_EQ(set_rip(vcpu, HLT_GPA), 0, "jump to hlt");
	CHECK(kvmkit_vcpu_run(vcpu, &e) == 0 && e.type == KVMKIT_EXIT_HLT,
	      "disarmed: HLT, no stale timeout");

	/* a long timeout does not disturb a short run */
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 10ULL * 1000000000), 0, "10 s timeout");
	CHECK_EQ(set_rip(vcpu, CODE_GPA), 0, "back to the start");
	CHECK(kvmkit_vcpu_run(vcpu, &e) == 0 && e.type == KVMKIT_EXIT_IO_OUT,
	      "armed but not expired: normal exit");
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, UINT64_MAX), 0, "UINT64_MAX timeout saturates");
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 0), 0, "disarm again");
}

/*
 * A timer that fires while its signal is blocked stays pending; destroying
 * the vCPU must drain it, or the handler would later write freed memory.
 */
static void test_destroy_pending(struct kvmkit_vm *vm)
{
	struct kvmkit_vcpu *vcpu;
	sigset_t set, pending;

	if (kvmkit_vcpu_create(vm, 1, &vcpu)) {
		CHECK(0, "create vcpu 1: %s", kvmkit_vm_error(vm));
		return;
	}
	CHECK_EQ(kvmkit_vcpu_set_timeout(vcpu, 20000000), 0, "20 ms timeout on vcpu 1");
	sigemptyset(&set);
	sigaddset(&set, KVMKIT_TIMEOUT_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	usleep(40000);
	sigpending(&pending);
	CHECK(sigismember(&pending, KVMKIT_TIMEOUT_SIGNAL), "its signal is pending (blocked)");
	kvmkit_vcpu_destroy(vcpu);
	sigpending(&pending);
	CHECK(!sigismember(&pending, KVMKIT_TIMEOUT_SIGNAL), "destroy drained it");
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

struct spinner {
	struct kvmkit_vcpu *vcpu;
	uint64_t timeout_ns;
	struct kvmkit_exit exit;
	int ret;
	double ms;
};

static void *spin(void *arg)
{
	struct spinner *s = arg;
	struct timespec t0;

	s->ret = real_mode(s->vcpu) ? -1 : set_rip(s->vcpu, SPIN_GPA);
	/*
	 * Before the timeout is set, which counts from a clock read of its
	 * own: measured after it, a slow set-up (a loaded VM under TCG took
	 * 10 ms) would shorten the run seen here below the deadline.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!s->ret)
		s->ret = kvmkit_vcpu_set_timeout(s->vcpu, s->timeout_ns);
	if (!s->ret)
		s->ret = kvmkit_vcpu_run(s->vcpu, &s->exit);
	s->ms = ms_since(&t0);
	kvmkit_vcpu_set_timeout(s->vcpu, 0);
	return NULL;
}

/*
 * Two vCPU threads with different deadlines: each timer must stop its
 * own thread only (SIGEV_THREAD_ID), so the long one is not cut short.
 */
static void test_threads(struct kvmkit_vm *vm)
{
	struct spinner fast = { .timeout_ns = 2000000 };
	struct spinner slow = { .timeout_ns = 60000000 };
	pthread_t t;

	if (kvmkit_vcpu_create(vm, 2, &fast.vcpu) ||
	    kvmkit_vcpu_create(vm, 3, &slow.vcpu)) {
		CHECK(0, "create vcpus 2 and 3: %s", kvmkit_vm_error(vm));
		return;
	}
	if (pthread_create(&t, NULL, spin, &fast)) {
		CHECK(0, "pthread_create");
		return;
	}
	spin(&slow);
	pthread_join(t, NULL);
	unit_diag("thread deadlines: 2 ms -> %.2f ms, 60 ms -> %.2f ms",
		  fast.ms, slow.ms);
	CHECK(fast.ret == 0 && fast.exit.type == KVMKIT_EXIT_TIMEOUT,
	      "vCPU thread with 2 ms: TIMEOUT");
	CHECK(slow.ret == 0 && slow.exit.type == KVMKIT_EXIT_TIMEOUT,
	      "vCPU thread with 60 ms: TIMEOUT");
	CHECK(slow.ms >= 59, "the other thread's timer did not stop the 60 ms run");
	kvmkit_vcpu_destroy(fast.vcpu);
	/* slow.vcpu is left to vm_destroy */
}

/*
 * kvmkit_payload_load_flags(): KVMKIT_LOAD_RAM_ZEROED leaves the .bss to
 * the fresh RAM, the plain load clears it on reused RAM, and unknown
 * flags are refused.  The image is a bare valid header (never run).
 */
#define PL_SIZE		0x2000		/* file bytes: header, vector stubs */
#define PL_BSS		0x3000		/* .bss: 0x3000..0x14000 */
#define PL_IMAGE_END	0x14000

static void test_payload_flags(struct kvmkit_kvm *kvm)
{
	static uint8_t image[PL_SIZE];
	struct kvmkit_payload_header h = {
		.magic = KVMKIT_PAYLOAD_MAGIC,
		.abi_version = KVMKIT_ABI_VERSION,
		.header_size = sizeof(h),
		.entry = 0x1100,
		.image_end = PL_IMAGE_END,
		.stack_top = 0x10000,
		.pagetable = 0x3000,
		.gdt = 0xb000,
		.idt = 0xb100,
		.tss = 0xc100,
		.vectors = 0x2000,
	};
	struct kvmkit_vm *vm;
	uint8_t *ram, *p;
	int ret, dirty = 0;

	memcpy(image, &h, sizeof(h));
	if (!CHECK_EQ(kvmkit_vm_create(kvm, &vm), 0, "payload flags: VM"))
		return;
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x100000, 0, (void **)&ram);
	if (!CHECK_EQ(ret, 0, "payload flags: RAM"))
		goto out;
	CHECK_EQ(kvmkit_payload_load_flags(vm, image, sizeof(image), 2), -EINVAL,
		 "unknown load flag: -EINVAL");
	CHECK_STR(kvmkit_vm_error(vm), "payload: unknown load flags 0x2",
		  "unknown load flag message");
	ret = kvmkit_payload_load_flags(vm, image, sizeof(image),
					KVMKIT_LOAD_RAM_ZEROED);
	if (!CHECK_EQ(ret, 0, "load on fresh RAM, .bss left alone"))
		unit_diag("%s", kvmkit_vm_error(vm));
	CHECK(ram[KVMKIT_PAYLOAD_BASE] == image[0] &&
	      ((struct kvmkit_payload_header *)(ram + KVMKIT_PAYLOAD_BASE))->ram_size == 0x100000,
	      "image and host fields written");
	for (p = ram + PL_BSS; p < ram + PL_IMAGE_END; p++)
		dirty |= *p;
	CHECK(!dirty, "fresh RAM: the .bss reads zero");

	/* reused RAM: the plain load must clear what a guest left there */
	memset(ram + PL_BSS, 0x5a, PL_IMAGE_END - PL_BSS);
	ret = kvmkit_payload_load(vm, image, sizeof(image));
	if (!CHECK_EQ(ret, 0, "load on reused RAM"))
		unit_diag("%s", kvmkit_vm_error(vm));
	for (p = ram + PL_BSS; p < ram + PL_IMAGE_END; p++)
		dirty |= *p;
	CHECK(!dirty && ram[PL_IMAGE_END] == 0,
	      "reused RAM: the .bss cleared, nothing past it");
out:
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu, *dup = (void *)1;
	char err[KVMKIT_ERR_MAX];
	void *ram;
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	test_open_errors();
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	test_kvm(kvm);
	test_payload_flags(kvm);

	if (!CHECK_EQ(kvmkit_vm_create(kvm, &vm), 0, "create VM")) {
		unit_diag("%s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	CHECK(kvmkit_vm_kvm(vm) == kvm && kvmkit_vm_fd(vm) >= 0, "VM accessors");
	CHECK(kvmkit_vm_check_extension(vm, KVM_CAP_NR_MEMSLOTS) >= KVMKIT_MAX_MEMSLOTS,
	      "VM has at least KVMKIT_MAX_MEMSLOTS slots");
	ret = kvmkit_vm_add_memory(vm, 0, 0, RAM_SIZE, 0, &ram);
	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!CHECK_EQ(ret, 0, "RAM slot 0, code written, vcpu 0 created")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK(kvmkit_vcpu_id(vcpu) == 0 && kvmkit_vcpu_vm(vcpu) == vm &&
	      kvmkit_vcpu_kvm_run(vcpu) != NULL &&
	      kvmkit_vcpu_kvm_run_size(vcpu) >= sizeof(struct kvm_run),
	      "vCPU accessors");
	CHECK_EQ(kvmkit_vcpu_create(vm, 0, &dup), -EEXIST, "duplicate vcpu id: -EEXIST");
	CHECK_STR(kvmkit_vm_error(vm), "KVM_CREATE_VCPU: File exists (vcpu 0)",
		  "duplicate vcpu message");
	CHECK(dup == NULL, "failed create leaves *vcpu NULL");

	test_memory(vm, ram);
	test_run(vcpu);
	test_destroy_pending(vm);
	test_threads(vm);
out:
	/* vcpu 0 and both slots are left for vm_destroy (LSan checks) */
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
