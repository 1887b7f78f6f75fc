// SPDX-License-Identifier: MIT
/*
 * Memory slot kinds and vCPU state against the real /dev/kvm, with
 * hand-made real-mode guests at 0x1000 (no payload):
 *   - a read-only slot: the guest reads it, its write exits as MMIO;
 *   - the dirty log: exactly the pages the guest wrote are reported;
 *   - THP and hugetlbfs slots (hugetlbfs skipped without reserved pages);
 *   - the state getters and setters, MSR list and batches, CPUID helper;
 *   - a vCPU saved mid-run and restored into a fresh VM goes on counting.
 * Skips (exit 77) when /dev/kvm is not there.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define CODE_GPA	0x1000
#define RO_GPA		0x8000
#define LOG_GPA		0xa000

/* Real mode, CS base 0, at CODE_GPA */
static int real_mode(struct kvmkit_vcpu *vcpu)
{
	return unit_real_mode(vcpu, CODE_GPA);
}

static int setup(struct kvmkit_kvm *kvm, struct kvmkit_vm **vm,
		 struct kvmkit_vcpu **vcpu, uint64_t ram, const void *code,
		 size_t len)
{
	int ret = kvmkit_vm_create(kvm, vm);

	if (ret)
		return ret;
	ret = kvmkit_vm_add_memory(*vm, 0, 0, ram, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(*vm, CODE_GPA, code, len);
	if (!ret)
		ret = kvmkit_vcpu_create(*vm, 0, vcpu);
	if (!ret)
		ret = real_mode(*vcpu);
	if (ret)
		unit_diag("setup: %s", kvmkit_vm_error(*vm));
	return ret;
}

static const uint8_t mem_code[] = {
	0xc6, 0x06, 0x00, 0x80, 0x55,	/* movb $0x55, 0x8000 (read-only) */
	0xa0, 0x10, 0x80,		/* mov 0x8010, %al */
	0xe6, 0x10,			/* out %al, $0x10 */
	0xc6, 0x06, 0x00, 0xa0, 0x01,	/* movb $1, 0xa000 (log page 0) */
	0xc6, 0x06, 0x23, 0xc1, 0x02,	/* movb $2, 0xc123 (log page 2) */
	0xf4,				/* hlt */
};

static void test_memory(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	uint64_t bitmap[1];
	uint8_t *ro, *log;
	char line[128];
	int ret;

	if (setup(kvm, &vm, &vcpu, 0x8000, mem_code, sizeof(mem_code))) {
		CHECK(0, "memory: set-up");
		return;
	}
	if (kvmkit_vm_check_extension(vm, KVM_CAP_READONLY_MEM) <= 0) {
		unit_diag("SKIP read-only slot: KVM_CAP_READONLY_MEM absent");
		goto out;
	}
	ret = kvmkit_vm_add_memory(vm, 1, RO_GPA, 0x1000, KVM_MEM_READONLY,
				   (void **)&ro);
	if (!CHECK_EQ(ret, 0, "read-only slot added"))
		unit_diag("%s", kvmkit_vm_error(vm));
	ret = kvmkit_vm_add_memory(vm, 2, LOG_GPA, 0x4000,
				   KVM_MEM_LOG_DIRTY_PAGES, (void **)&log);
	if (!CHECK_EQ(ret, 0, "dirty-logged slot of 4 pages added")) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	ro[0x10] = 0x77;
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 2, bitmap, 1), 0, "first dirty log");
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 2, bitmap, 0), -ENOSPC,
		 "a bitmap too small: -ENOSPC");
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 5, bitmap, 1), -ENOENT,
		 "an unused slot: -ENOENT");

	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "MMIO_WRITE gpa 0x8000 len 1 value 0x55",
		  "write to the read-only slot: MMIO write exit");
	CHECK_EQ(ro[0], 0, "the read-only page kept its byte");
	ret = kvmkit_vcpu_run(vcpu, &e);
	kvmkit_exit_describe(&e, line, sizeof(line));
	CHECK_STR(line, "IO_OUT port 0x10 size 1 value 0x77",
		  "the guest read the read-only slot's byte");
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_HLT, "then HLT");
	CHECK(log[0] == 1 && log[0x2123] == 2, "the logged slot was written");
	bitmap[0] = ~0ULL;
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 2, bitmap, 1), 0, "dirty log after the run");
	CHECK_EQ(bitmap[0], 0x5, "exactly pages 0 and 2 dirty");
	CHECK_EQ(kvmkit_vm_get_dirty_log(vm, 2, bitmap, 1), 0, "dirty log again");
	CHECK_EQ(bitmap[0], 0, "the log was cleared by reading it");
out:
	kvmkit_vm_destroy(vm);
}

static const uint8_t huge_code[] = {
	0xb8, 0x00, 0x20,		/* mov $0x2000, %ax */
	0x8e, 0xc0,			/* mov %ax, %es */
	0x26, 0xa0, 0x34, 0x12,		/* mov %es:0x1234, %al (0x21234) */
	0xe6, 0x10,			/* out %al, $0x10 */
	0xf4,				/* hlt */
};

static void test_huge(struct kvmkit_kvm *kvm, enum kvmkit_huge kind,
		      const char *name)
{
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	uint8_t *p;
	int ret;

	if (setup(kvm, &vm, &vcpu, 0x10000, huge_code, sizeof(huge_code))) {
		CHECK(0, "%s: set-up", name);
		return;
	}
	/* gpa 0x20000 rounds down to 0: slot 0 is in the way */
	if (kind == KVMKIT_HUGE_THP)
		CHECK_EQ(kvmkit_vm_add_memory_huge(vm, 1, 0x20000, 0x1000, 0, kind,
						   (void **)&p), -EEXIST,
		 "huge slot rounded onto RAM: -EEXIST");
	kvmkit_vm_remove_memory(vm, 0);
	ret = kvmkit_vm_add_memory_huge(vm, 1, 0x20000, 0x1000, 0, kind,
					(void **)&p);
	if (kind == KVMKIT_HUGE_HUGETLB && ret == -ENOMEM) {
		unit_diag("SKIP %s: %s", name, kvmkit_vm_error(vm));
		CHECK(strstr(kvmkit_vm_error(vm), "vm.nr_hugepages") != NULL,
		      "%s: the message names vm.nr_hugepages", name);
		goto out;
	}
	if (!CHECK_EQ(ret, 0, name)) {
		unit_diag("%s", kvmkit_vm_error(vm));
		goto out;
	}
	CHECK(((uintptr_t)p & ((2u << 20) - 1)) == 0 &&
	      kvmkit_vm_memslot(vm, 1)->memory_size == 2u << 20,
	      "%s: one 2 MiB-aligned slot of 2 MiB", name);
	memcpy(p + CODE_GPA, huge_code, sizeof(huge_code));
	p[0x21234] = 0x99;
	ret = kvmkit_vcpu_run(vcpu, &e);
	CHECK(!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.data[0] == 0x99,
	      "%s: the guest runs from it and reads it", name);
out:
	kvmkit_vm_destroy(vm);
}

/* inc %bx; mov %bx, %ax; out %ax, $0x10; incw 0x2000; jmp back */
static const uint8_t count_code[] = {
	0x43, 0x89, 0xd8, 0xe7, 0x10, 0xff, 0x06, 0x00, 0x20, 0xeb, 0xf5,
};
#define COUNT_RAM	0x10000

static int next_count(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;

	if (kvmkit_vcpu_run(vcpu, &e) || e.type != KVMKIT_EXIT_IO_OUT ||
	    e.io.size != 2)
		return -1;
	return e.io.data[0] | e.io.data[1] << 8;
}

static void test_getters(struct kvmkit_kvm *kvm, struct kvmkit_vcpu *vcpu)
{
	struct kvm_debugregs dr;
	struct kvm_xcrs xcrs;
	struct kvm_fpu fpu;
	struct kvm_msr_list *list = NULL;
	struct kvm_nested_state *nested;
	struct kvm_lapic_state lapic;
	union {
		struct kvm_msrs msrs;
		char room[sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry)];
	} u;
	uint32_t i;
	int found = 0, ret;

	CHECK_EQ(kvmkit_kvm_msr_index_list(kvm, &list), 0, "KVM_GET_MSR_INDEX_LIST");
	if (list) {
		for (i = 0; i < list->nmsrs; i++)
			found |= list->indices[i] == 0x174;
		unit_diag("%u MSRs in the index list", list->nmsrs);
		CHECK(found, "the list holds IA32_SYSENTER_CS");
		free(list);
	}
	memset(&u, 0, sizeof(u));
	u.msrs.nmsrs = 2;
	u.msrs.entries[0].index = 0x174;	/* IA32_SYSENTER_CS */
	u.msrs.entries[0].data = 0x10;
	u.msrs.entries[1].index = 0x175;	/* IA32_SYSENTER_ESP */
	u.msrs.entries[1].data = 0x5000;
	CHECK_EQ(kvmkit_vcpu_set_msrs(vcpu, &u.msrs), 2, "two MSRs set in one batch");
	u.msrs.entries[0].data = u.msrs.entries[1].data = 0;
	CHECK_EQ(kvmkit_vcpu_get_msrs(vcpu, &u.msrs), 2, "and read back in one");
	CHECK(u.msrs.entries[0].data == 0x10 && u.msrs.entries[1].data == 0x5000,
	      "batched MSR values");

	CHECK_EQ(kvmkit_vcpu_get_debugregs(vcpu, &dr), 0, "KVM_GET_DEBUGREGS");
	dr.db[0] = 0x1234;
	CHECK_EQ(kvmkit_vcpu_set_debugregs(vcpu, &dr), 0, "KVM_SET_DEBUGREGS");
	CHECK_EQ(kvmkit_vcpu_get_fpu(vcpu, &fpu), 0, "KVM_GET_FPU");
	fpu.xmm[3][0] = 0xab;
	fpu.fcw = 0x27f;
	CHECK_EQ(kvmkit_vcpu_set_fpu(vcpu, &fpu), 0, "KVM_SET_FPU");
	memset(&fpu, 0, sizeof(fpu));
	if (!CHECK(!kvmkit_vcpu_get_fpu(vcpu, &fpu) && fpu.xmm[3][0] == 0xab &&
		   fpu.fcw == 0x27f, "KVM_GET_FPU reads back what KVM_SET_FPU set"))
		unit_diag("FCW 0x%x XMM3[0] 0x%x", fpu.fcw, fpu.xmm[3][0]);
	ret = kvmkit_vcpu_get_xcrs(vcpu, &xcrs);
	if (ret)
		unit_diag("no XCRs: %s", kvmkit_vcpu_error(vcpu));
	else
		CHECK(xcrs.nr_xcrs >= 1 && xcrs.xcrs[0].xcr == 0 &&
		      (xcrs.xcrs[0].value & 1), "XCR0 with x87 set");
	CHECK_EQ(kvmkit_vcpu_get_lapic(vcpu, &lapic), -EINVAL,
		 "no in-kernel irqchip: KVM_GET_LAPIC -EINVAL");
	ret = kvmkit_vcpu_get_nested_state(vcpu, &nested);
	if (ret == -EOPNOTSUPP)
		unit_diag("TINFO no nested state here: %s", kvmkit_vcpu_error(vcpu));
	else if (CHECK_EQ(ret, 0, "KVM_GET_NESTED_STATE"))
		free(nested);
}

static void test_cpuid(struct kvm_cpuid2 *cpuid)
{
	const struct kvm_cpuid_entry2 *l1 = kvmkit_cpuid_find(cpuid, 1, 0);
	uint32_t ecx = l1 ? l1->ecx : 0;

	CHECK_EQ(kvmkit_cpuid_set_feature(cpuid, 1, 0, KVMKIT_CPUID_ECX, 31, 1),
		 0, "set CPUID.1:ECX[31] (hypervisor)");
	CHECK(l1 && (l1->ecx >> 31) == 1 && (l1->ecx & 0x7fffffff) ==
	      (ecx & 0x7fffffff), "only that bit changed");
	CHECK_EQ(kvmkit_cpuid_set_feature(cpuid, 0x7ffffff0, 0, KVMKIT_CPUID_EAX, 0, 1),
		 -ENOENT, "absent leaf: -ENOENT");
	CHECK_EQ(kvmkit_cpuid_set_feature(cpuid, 1, 0, KVMKIT_CPUID_EAX, 32, 1),
		 -EINVAL, "bit 32: -EINVAL");
}

static void test_save_restore(struct kvmkit_kvm *kvm)
{
	struct kvmkit_vm *vm = NULL, *vm2 = NULL;
	struct kvmkit_vcpu *vcpu, *vcpu2;
	struct kvmkit_vcpu_state *st = NULL;
	struct kvm_cpuid2 *cpuid = NULL;
	struct kvm_debugregs dr;
	struct kvm_fpu fpu;
	uint64_t v = 0;
	uint16_t mem;
	void *ram2;
	int ret, i;

	if (!CHECK_EQ(kvmkit_kvm_supported_cpuid(kvm, &cpuid), 0, "supported CPUID"))
		return;
	test_cpuid(cpuid);
	if (setup(kvm, &vm, &vcpu, COUNT_RAM, count_code, sizeof(count_code)) ||
	    kvmkit_vcpu_set_cpuid(vcpu, cpuid)) {
		CHECK(0, "save/restore: set-up");
		goto out;
	}
	for (i = 1; i <= 3; i++)
		CHECK_EQ(next_count(vcpu), i, "the guest counts");
	test_getters(kvm, vcpu);

	ret = kvmkit_vcpu_save_state(vcpu, &st);
	if (!CHECK_EQ(ret, 0, "state saved mid-run")) {
		unit_diag("%s", kvmkit_vcpu_error(vcpu));
		goto out;
	}
	unit_diag("saved %u MSRs, parts 0x%x", st->msrs->nmsrs, st->parts);
	CHECK_EQ(st->regs.rbx, 3, "saved RBX is the count");

	ret = kvmkit_vm_create(kvm, &vm2);
	if (!ret)
		ret = kvmkit_vm_add_memory(vm2, 0, 0, COUNT_RAM, 0, &ram2);
	if (!ret)
		ret = kvmkit_vm_read(vm, 0, ram2, COUNT_RAM);
	if (!ret)
		ret = kvmkit_vcpu_create(vm2, 0, &vcpu2);
	if (!CHECK_EQ(ret, 0, "a fresh VM with a copy of the memory")) {
		unit_diag("%s", vm2 ? kvmkit_vm_error(vm2) : kvmkit_kvm_error(kvm));
		goto out;
	}
	ret = kvmkit_vcpu_set_cpuid(vcpu2, cpuid);
	if (!ret)
		ret = kvmkit_vcpu_restore_state(vcpu2, st);
	if (!CHECK_EQ(ret, 0, "state restored into its vCPU")) {
		unit_diag("%s", kvmkit_vcpu_error(vcpu2));
		goto out;
	}
	CHECK(!kvmkit_vcpu_get_debugregs(vcpu2, &dr) && dr.db[0] == 0x1234,
	      "DR0 came along");
	memset(&fpu, 0, sizeof(fpu));
	if (!CHECK(!kvmkit_vcpu_get_fpu(vcpu2, &fpu) && fpu.xmm[3][0] == 0xab &&
		   fpu.fcw == 0x27f, "FPU and XMM state came along"))
		unit_diag("FCW 0x%x XMM3[0] 0x%x, XSAVE FCW 0x%x XMM3[0] 0x%x",
			  fpu.fcw, fpu.xmm[3][0], st->xsave.region[0] & 0xffff,
			  st->xsave.region[(160 + 3 * 16) / 4] & 0xff);
	CHECK(!kvmkit_vcpu_get_msr(vcpu2, 0x175, &v) && v == 0x5000,
	      "MSRs came along");
	CHECK_EQ(next_count(vcpu2), 4, "the restored guest goes on: 4");
	CHECK_EQ(next_count(vcpu2), 5, "then 5");
	CHECK(!kvmkit_vm_read(vm2, 0x2000, &mem, 2) && mem == 4,
	      "its memory counter went on too");
	CHECK_EQ(next_count(vcpu), 4, "the original goes on by itself: 4");
out:
	kvmkit_vcpu_state_free(st);
	free(cpuid);
	kvmkit_vm_destroy(vm2);
	kvmkit_vm_destroy(vm);
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	char err[KVMKIT_ERR_MAX];
	int ret;

	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM)
		unit_skip_all("%s", err);
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	test_memory(kvm);
	test_huge(kvm, KVMKIT_HUGE_THP, "THP slot");
	test_huge(kvm, KVMKIT_HUGE_HUGETLB, "hugetlbfs slot");
	test_save_restore(kvm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
