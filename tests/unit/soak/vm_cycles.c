// SPDX-License-Identifier: MIT
/*
 * Soak: create, boot, run and destroy one VM after another through the
 * native API (two memory slots, payload load and boot, a 5 s timeout, run
 * to the guest's first report), and check that nothing is left behind:
 * the process ends with the file descriptors it started with, and under
 * LeakSanitizer with no leaked byte.  A lost timeout or a stuck KVM_RUN
 * shows as a cycle that takes seconds, named with its number.
 *
 *	vm_cycles [CYCLES]	(default 1000, or KVMKIT_SOAK_CYCLES)
 *
 * Exit status: 0 pass, 1 fail, 77 without /dev/kvm (unit convention).
 */
#ifdef COMPILE_PAYLOAD

#include "kvm_guest.h"

void main(void)
{
	tst_res(TPASS, "cycle");
}

#else /* COMPILE_PAYLOAD */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>

extern const char kvm_payload_start[], kvm_payload_end[];

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The first hypercall stops the run loop; its number lands in opaque */
static int first_call(struct kvmkit_vcpu *vcpu,
		      const struct kvmkit_hypercall *hc, void *opaque)
{
	(void)vcpu;
	*(uint32_t *)opaque = hc->nr;
	return KVMKIT_STOP;
}

/* Run to the first report: 0 when it is the guest's TPASS */
static int run_to_report(struct kvmkit_vcpu *vcpu, char *why, size_t len)
{
	uint32_t nr = 0;
	const struct kvmkit_run_ops ops = { .hypercall = first_call, .opaque = &nr };
	struct kvmkit_exit e;
	int ret;

	if (kvmkit_vcpu_set_timeout(vcpu, 5000000000ULL)) {
		snprintf(why, len, "timeout: %s", kvmkit_vcpu_error(vcpu));
		return -1;
	}
	ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
	if (ret < 0) {
		snprintf(why, len, "run: %s", kvmkit_vcpu_error(vcpu));
		return -1;
	}
	if (ret != KVMKIT_STOP) {
		kvmkit_exit_describe(&e, why, len);
		return -1;
	}
	if (nr != KVMKIT_HC_PRINTF) {
		snprintf(why, len, "hypercall %u instead of a report", nr);
		return -1;
	}
	return kvmkit_vcpu_set_timeout(vcpu, 0);
}

static int cycle(struct kvmkit_kvm *kvm, const struct kvm_cpuid2 *cpuid,
		 char *why, size_t len)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_vm *vm;
	int ret = -1;

	if (kvmkit_vm_create(kvm, &vm)) {
		snprintf(why, len, "VM: %s", kvmkit_kvm_error(kvm));
		return -1;
	}
	if (kvmkit_vm_add_memory(vm, 0, 0, KVMKIT_DEFAULT_RAM, 0, NULL) ||
	    kvmkit_vm_add_memory(vm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE,
				 0, NULL) ||
	    kvmkit_payload_load(vm, kvm_payload_start,
				kvm_payload_end - kvm_payload_start) ||
	    kvmkit_vcpu_create(vm, 0, &vcpu)) {
		snprintf(why, len, "setup: %s", kvmkit_vm_error(vm));
		goto out;
	}
	if (kvmkit_vcpu_set_cpuid(vcpu, cpuid) ||
	    kvmkit_payload_boot(vcpu, cpuid)) {
		snprintf(why, len, "boot: %s", kvmkit_vcpu_error(vcpu));
		goto out;
	}
	ret = run_to_report(vcpu, why, len);
out:
	kvmkit_vm_destroy(vm);
	return ret;
}

int main(int argc, char **argv)
{
	const char *arg = argc > 1 ? argv[1] : getenv("KVMKIT_SOAK_CYCLES");
	long cycles = arg ? strtol(arg, NULL, 0) : 1000;
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvmkit_kvm *kvm;
	char err[KVMKIT_ERR_MAX], why[256];
	double t0, t, slowest = 0;
	long i, slowest_at = 0;
	int fds0, fds1, ret;

	if (cycles < 1) {
		fprintf(stderr, "vm_cycles: CYCLES must be a number >= 1\n");
		return 2;
	}
	fds0 = count_fds();
	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret) {
		printf("1..0 # SKIP %s\n", err);
		return ret == -ENOENT || ret == -EACCES ? 77 : 1;
	}
	if (kvmkit_kvm_supported_cpuid(kvm, &cpuid)) {
		printf("not ok 1 - supported CPUID: %s\n", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return 1;
	}
	printf("1..2\n");
	t0 = now_s();
	for (i = 1; i <= cycles; i++) {
		t = now_s();
		if (cycle(kvm, cpuid, why, sizeof(why))) {
			printf("not ok 1 - %ld VM cycles: cycle %ld: %s\n", cycles, i, why);
			free(cpuid);
			kvmkit_kvm_close(kvm);
			return 1;
		}
		t = now_s() - t;
		if (t > slowest) {
			slowest = t;
			slowest_at = i;
		}
	}
	t = now_s() - t0;
	printf("ok 1 - %ld VM cycles in %.2f s (%.0f/s), slowest %.1f ms (cycle %ld)\n",
	       cycles, t, cycles / t, slowest * 1e3, slowest_at);
	free(cpuid);
	kvmkit_kvm_close(kvm);
	fds1 = count_fds();
	if (fds1 != fds0) {
		printf("not ok 2 - file descriptors: %d before, %d after\n", fds0, fds1);
		return 1;
	}
	printf("ok 2 - file descriptors: %d before and after\n", fds0);
	return 0;
}

#endif /* COMPILE_PAYLOAD */
