// SPDX-License-Identifier: MIT
/*
 * MSR accesses handed to the VMM: with KVM_CAP_X86_USER_SPACE_MSR and an
 * MSR filter, the guest's RDMSR and WRMSR of a filtered MSR exit to
 * userspace with reason KVM_MSR_EXIT_REASON_FILTER, an unknown MSR with
 * KVM_MSR_EXIT_REASON_UNKNOWN, an access KVM would refuse (a reserved EFER
 * bit) with KVM_MSR_EXIT_REASON_INVAL.  The value the VMM answers is what
 * RDMSR returns (EDX:EAX), the value the guest wrote is what the VMM sees,
 * a VMM's "error" answer is a #GP(0) in the guest, and an MSR outside the
 * filter never exits.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, 7.21
 * KVM_CAP_X86_USER_SPACE_MSR ("the access is forwarded to userspace ...
 * userspace ... sets 'error' to 1 if it wants KVM to inject a #GP"), 4.124
 * KVM_X86_SET_MSR_FILTER, and the kvm_run "msr" exit fields (index, data,
 * reason, error); Intel SDM Vol. 2B RDMSR/WRMSR (EDX:EAX; #GP(0)).
 */
#include "kvm_test.h"
#include "../unit/guest/inject.h"

#define MSR_TRAPPED	0x174		/* IA32_SYSENTER_CS: filtered */
#define MSR_UNTOUCHED	0x175		/* IA32_SYSENTER_ESP: not filtered */
#define MSR_UNKNOWN	0x4b564dfe	/* in KVM's range, never defined */
#define MSR_EFER	0xc0000080

#define READ_VALUE	0x1234abcd5678ef90ULL	/* what the VMM answers */
#define WRITE_VALUE	0x0badf00d	/* what the guest writes */
#define REFUSED_VALUE	0x5a5a		/* a write the VMM answers with #GP */
#define UNKNOWN_VALUE	0x42ULL

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static void check_read(const char *what, unsigned int msr, uint64_t expect)
{
	uint64_t v = 0;
	int ret = kvm_rdmsr_safe(msr, &v);

	if (ret)
		tst_res(TFAIL, "RDMSR 0x%x (%s): exception %d", msr, what, ret);
	else if (v != expect)
		tst_res(TFAIL, "RDMSR 0x%x (%s) = 0x%llx, the VMM answered 0x%llx",
			msr, what, (unsigned long long)v, (unsigned long long)expect);
	else
		tst_res(TPASS, "RDMSR 0x%x (%s) = the VMM's answer 0x%llx",
			msr, what, (unsigned long long)v);
}

static void check_write(const char *what, unsigned int msr, uint64_t value,
			int expect_vector)
{
	int ret = kvm_wrmsr_safe(msr, value);

	if (ret != expect_vector)
		tst_res(TFAIL, "WRMSR 0x%x = 0x%llx (%s): vector %d, expected %d",
			msr, (unsigned long long)value, what, ret, expect_vector);
	else
		tst_res(TPASS, "WRMSR 0x%x = 0x%llx (%s): %s", msr,
			(unsigned long long)value, what,
			expect_vector ? "#GP as the VMM answered" : "completed");
}

void main(void)
{
	uint64_t efer = kvm_rdmsr(MSR_EFER), v = 0;

	check_read("filtered", MSR_TRAPPED, READ_VALUE);
	check_write("filtered", MSR_TRAPPED, WRITE_VALUE, 0);
	/* the VMM answers the next read with what it saw written, inverted */
	check_read("filtered, after the write", MSR_TRAPPED, ~(uint64_t)WRITE_VALUE);
	check_write("filtered, refused by the VMM", MSR_TRAPPED, REFUSED_VALUE, INTR_GPF);
	check_read("unknown MSR", MSR_UNKNOWN, UNKNOWN_VALUE);
	check_write("reserved EFER bit 63", MSR_EFER, efer | 1ULL << 63, INTR_GPF);
	if (kvm_rdmsr(MSR_EFER) != efer)
		tst_res(TFAIL, "EFER changed by a refused write: 0x%llx",
			(unsigned long long)kvm_rdmsr(MSR_EFER));

	/* not filtered: KVM serves it, the VMM must not see it */
	check_write("not filtered", MSR_UNTOUCHED, 0x1000, 0);
	if (kvm_rdmsr_safe(MSR_UNTOUCHED, &v) || v != 0x1000)
		tst_res(TFAIL, "IA32_SYSENTER_ESP read back 0x%llx, wrote 0x1000",
			(unsigned long long)v);
}

#else /* COMPILE_PAYLOAD */

/* What the host saw, in order, checked against the guest's program */
struct seen {
	uint32_t index, reason;
	int is_write;
	uint64_t data;
};

static struct seen seen[16];
static unsigned int nseen;
static uint64_t last_written;

static int on_msr(struct kvmkit_vcpu *vcpu, struct kvmkit_msr_access *a,
		  void *opaque)
{
	(void)vcpu;
	(void)opaque;
	if (nseen < ARRAY_SIZE(seen))
		seen[nseen] = (struct seen){ a->index, a->reason, a->is_write, a->data };
	nseen++;
	if (a->index == MSR_TRAPPED && a->is_write) {
		a->fault = a->data == REFUSED_VALUE;
		if (!a->fault)
			last_written = a->data;
	} else if (a->index == MSR_TRAPPED) {
		a->data = last_written ? ~last_written : READ_VALUE;
	} else if (a->index == MSR_UNKNOWN && !a->is_write) {
		a->data = UNKNOWN_VALUE;
	} else {
		a->fault = 1;	/* anything else the guest does: refuse it */
	}
	return KVMKIT_RESUME;
}

static const struct seen expected[] = {
	{ MSR_TRAPPED, KVM_MSR_EXIT_REASON_FILTER, 0, 0 },
	{ MSR_TRAPPED, KVM_MSR_EXIT_REASON_FILTER, 1, WRITE_VALUE },
	{ MSR_TRAPPED, KVM_MSR_EXIT_REASON_FILTER, 0, 0 },
	{ MSR_TRAPPED, KVM_MSR_EXIT_REASON_FILTER, 1, REFUSED_VALUE },
	{ MSR_UNKNOWN, KVM_MSR_EXIT_REASON_UNKNOWN, 0, 0 },
	{ MSR_EFER, KVM_MSR_EXIT_REASON_INVAL, 1, 0 /* EFER | bit 63 */ },
};

static void check_seen(void)
{
	unsigned int i, bad = 0;

	if (nseen != ARRAY_SIZE(expected)) {
		tst_res(TFAIL, "the VMM saw %u MSR exits, expected %zu",
			nseen, ARRAY_SIZE(expected));
		bad = 1;
	}
	for (i = 0; i < nseen && i < ARRAY_SIZE(expected); i++) {
		const struct seen *s = &seen[i], *x = &expected[i];
		int data_ok = !x->is_write || (x->index == MSR_EFER ?
			(s->data >> 63) == 1 : s->data == x->data);

		if (s->index == x->index && s->reason == x->reason &&
		    s->is_write == x->is_write && data_ok)
			continue;
		tst_res(TFAIL, "MSR exit %u: %s 0x%x reason %u data 0x%llx, expected %s 0x%x reason %u",
			i, s->is_write ? "WRMSR" : "RDMSR", s->index, s->reason,
			(unsigned long long)s->data, x->is_write ? "WRMSR" : "RDMSR",
			x->index, x->reason);
		bad = 1;
	}
	if (!bad)
		tst_res(TPASS, "the VMM saw exactly the %zu expected MSR exits (index, reason, direction, written data); none for the unfiltered MSR",
			ARRAY_SIZE(expected));
}

static void run(void)
{
	static const uint32_t trap[] = { MSR_TRAPPED };
	struct kvmkit_vm *vm;
	int ret;

	tst_kvm_create_instance(&inject_vm, DEFAULT_RAM_SIZE);
	vm = inject_vm.kvmkit_vm;
	ret = kvmkit_vm_enable_user_msr(vm, KVM_MSR_EXIT_REASON_FILTER |
					KVM_MSR_EXIT_REASON_UNKNOWN |
					KVM_MSR_EXIT_REASON_INVAL);
	if (ret == -EOPNOTSUPP)
		tst_brk(TCONF, "%s", kvmkit_vm_error(vm));
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
	ret = kvmkit_vm_trap_msrs(vm, trap, ARRAY_SIZE(trap));
	if (ret == -EOPNOTSUPP)
		tst_brk(TCONF, "%s", kvmkit_vm_error(vm));
	if (ret)
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
	inject_run_msr(&inject_vm, 0, on_msr);
	check_seen();
	tst_kvm_destroy_instance(&inject_vm);
	tst_free_all();
}

static struct tst_test test = {
	.kvmkit_desc = "MSR accesses handed to the VMM",
	.test_all = run,
	.cleanup = inject_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host,msr"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
