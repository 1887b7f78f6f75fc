// SPDX-License-Identifier: MIT
/*
 * The native API without the LTP face: a single-source file whose host
 * side drives the VM with kvmkit_* calls only, for people writing their
 * own VMM or runner on top of kvmkit.  The library's run loop decodes the
 * guest's hypercalls and hands them to a callback.  Build and run:
 *
 *	bin/kvmkit-cc examples/native_hello.c -o native_hello && ./native_hello
 *
 * Exit status: 0 when the guest's report arrived as sent, 1 otherwise,
 * 77 when /dev/kvm is missing (the usual "skipped").
 */
#ifdef COMPILE_PAYLOAD

#include "kvm_guest.h"

void main(void)
{
	tst_res(TPASS, "hello from a %d-bit guest, %s", 64, "formatted on the host");
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmkit/kvmkit.h>

/* Put there by bin/kvmkit-cc */
extern const char kvm_payload_start[], kvm_payload_end[];

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "native_hello: %s: %s\n", what, why);
	return 1;
}

struct hello {
	struct kvmkit_report rep;	/* 4 KiB: static, not on the stack */
	int reports;
};

/*
 * The guest's hypercalls, decoded by the library: its reports (formatted
 * on the host from its registers) and its end.  Anything else is left to
 * the caller of the run loop.
 */
static int on_hypercall(struct kvmkit_vcpu *vcpu,
			const struct kvmkit_hypercall *hc, void *opaque)
{
	struct hello *h = opaque;
	int ret;

	if (hc->nr == KVMKIT_HC_EXIT)
		return KVMKIT_STOP;
	if (hc->nr != KVMKIT_HC_PRINTF)
		return KVMKIT_UNHANDLED;
	ret = kvmkit_report_from_hypercall(vcpu, hc, &h->rep);
	if (ret)
		return ret;
	printf("%s:%d: result %d: %s\n", h->rep.file, h->rep.lineno,
	       h->rep.result, h->rep.message);
	h->reports++;
	return KVMKIT_RESUME;
}

/* Run until the guest ends; returns 0 if its one report was right */
static int run(struct kvmkit_vcpu *vcpu)
{
	static struct hello h;
	const struct kvmkit_run_ops ops = {
		.hypercall = on_hypercall, .opaque = &h,
	};
	struct kvmkit_exit e;
	char desc[256];
	int ret;

	if (kvmkit_vcpu_set_timeout(vcpu, 5000000000ULL))
		return fail("timeout", kvmkit_vcpu_error(vcpu));
	ret = kvmkit_vcpu_run_loop(vcpu, &ops, &e);
	kvmkit_vcpu_set_timeout(vcpu, 0);
	if (ret < 0)
		return fail("run", kvmkit_vcpu_error(vcpu));
	if (ret != KVMKIT_STOP) {
		kvmkit_exit_describe(&e, desc, sizeof(desc));
		return fail("unexpected exit", desc);
	}
	if (h.reports != 1 || h.rep.result != 0 || h.rep.format_error ||
	    strcmp(h.rep.message, "hello from a 64-bit guest, formatted on the host"))
		return fail("report", "not what the guest sent");
	return 0;
}

int main(void)
{
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	char err[KVMKIT_ERR_MAX];
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "native_hello: %s\n", err);
		return ret == -ENOENT || ret == -EACCES ? 77 : 1;
	}
	ret = 1;
	if (kvmkit_kvm_supported_cpuid(kvm, &cpuid) ||
	    kvmkit_vm_create(kvm, &vm)) {
		fail("setup", kvmkit_kvm_error(kvm));
		goto out_kvm;
	}
	/* RAM from 0 and the result page, both guarded, owned by the VM */
	if (kvmkit_vm_add_memory(vm, 0, 0, KVMKIT_DEFAULT_RAM, 0, NULL) ||
	    kvmkit_vm_add_memory(vm, 1, KVMKIT_RESULT_BASE, KVMKIT_RESULT_SIZE,
				 0, NULL) ||
	    kvmkit_payload_load(vm, kvm_payload_start,
				kvm_payload_end - kvm_payload_start) ||
	    kvmkit_vcpu_create(vm, 0, &vcpu)) {
		fail("VM", kvmkit_vm_error(vm));
		goto out_vm;
	}
	if (kvmkit_vcpu_set_cpuid(vcpu, cpuid) ||
	    kvmkit_payload_boot(vcpu, cpuid)) {
		fail("vCPU", kvmkit_vcpu_error(vcpu));
		goto out_vm;
	}
	ret = run(vcpu);
out_vm:
	kvmkit_vm_destroy(vm);
out_kvm:
	free(cpuid);
	kvmkit_kvm_close(kvm);
	return ret;
}

#endif /* COMPILE_PAYLOAD */
