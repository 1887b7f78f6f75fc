// SPDX-License-Identifier: MIT
/*
 * Each vCPU's exit history and the FILE * dumps, against the real
 * /dev/kvm: a real-mode guest makes one OUT, one MMIO write, 40 more OUTs
 * and a HLT; the history must hold the last 32 of those 43 exits in
 * order, decoded (port, address, size, value written, RIP where KVM syncs
 * registers) and timed, and the dumps must show them with the registers,
 * segments, control registers and memory slots.  Also the record
 * formatter on fabricated records.  Exit 77 without /dev/kvm.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <kvmkit/kvmkit.h>
#include "unit.h"
#include "real_mode.h"

#define CODE_GPA	0x1000
#define MMIO_GPA	0x4000

static const uint8_t code[] = {
	0xb0, 0x42,			/* 0x1000: mov $0x42, %al */
	0xe6, 0x10,			/* 0x1002: out %al, $0x10 */
	0xc6, 0x06, 0x00, 0x40, 0x07,	/* 0x1004: movb $7, 0x4000 (MMIO) */
	0xb9, 0x28, 0x00,		/* 0x1009: mov $40, %cx */
	0xe6, 0x11,			/* 0x100c: out %al, $0x11 */
	0xe2, 0xfc,			/* 0x100e: loop 0x100c */
	0xf4,				/* 0x1010: hlt */
};

static void test_format(void)
{
	struct kvmkit_exit_record r = {
		.seq = 7, .type = KVMKIT_EXIT_IO_OUT, .addr = 0xf4, .size = 4,
		.count = 1, .value = 0x2a, .has_value = 1, .pc = 0x1234,
		.pc_valid = 1, .run_ns = 3150,
	};
	char buf[256];

	kvmkit_exit_record_format(&r, buf, sizeof(buf));
	CHECK_STR(buf, "#7 IO_OUT port 0xf4 size 4 value 0x2a rip 0x1234; 3.1 us in KVM_RUN",
		  "format: an OUT");
	r = (struct kvmkit_exit_record) {
		.seq = 1, .type = KVMKIT_EXIT_IO_IN, .addr = 0x60, .size = 1,
		.count = 5, .run_ns = 999,
	};
	kvmkit_exit_record_format(&r, buf, sizeof(buf));
	CHECK_STR(buf, "#1 IO_IN port 0x60 size 1 count 5; 0.9 us in KVM_RUN",
		  "format: a string IN, no RIP known");
	r = (struct kvmkit_exit_record) {
		.seq = 2, .type = KVMKIT_EXIT_UNKNOWN, .reason = 99,
	};
	kvmkit_exit_record_format(&r, buf, sizeof(buf));
	CHECK_STR(buf, "#2 UNKNOWN reason 99; 0.0 us in KVM_RUN",
		  "format: an unknown reason");
	CHECK_EQ(kvmkit_exit_record_format(&r, buf, 4), 39,
		 "format: the length it wanted, as snprintf");
	CHECK_STR(buf, "#2 ", "format: cut short, terminated");
}

static int start(struct kvmkit_vcpu *vcpu)
{
	return unit_real_mode(vcpu, CODE_GPA);
}

/* Run to the HLT: 43 exits, each resumed as if served */
static int run_guest(struct kvmkit_vcpu *vcpu, unsigned int *exits)
{
	struct kvmkit_exit e;
	unsigned int n = 0;

	do {
		if (kvmkit_vcpu_run(vcpu, &e))
			return -1;
		n++;
	} while (e.type != KVMKIT_EXIT_HLT && n < 100);
	*exits = n;
	return 0;
}

static void test_history(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit_record r[KVMKIT_EXIT_HISTORY + 4];
	struct kvmkit_exit e;
	unsigned int n, i, ok;

	CHECK_EQ(kvmkit_vcpu_exit_history(vcpu, r, 16), 0, "no exits yet: empty");
	if (!CHECK_EQ(kvmkit_vcpu_run(vcpu, &e), 0, "run to the first OUT") ||
	    !CHECK_EQ(kvmkit_vcpu_run(vcpu, &e), 0, "run to the MMIO write"))
		return;
	n = kvmkit_vcpu_exit_history(vcpu, r, 16);
	CHECK_EQ(n, 2, "two exits recorded");
	CHECK(r[0].seq == 1 && r[0].type == KVMKIT_EXIT_IO_OUT &&
	      r[0].addr == 0x10 && r[0].size == 1 && r[0].count == 1 &&
	      r[0].has_value && r[0].value == 0x42,
	      "#1: OUT of 0x42 to port 0x10, size 1");
	/*
	 * KVM completes an I/O instruction on the next KVM_RUN: kvm_amd
	 * leaves RIP at the OUT, kvm_pvm already past it
	 */
	if (r[0].pc_valid) {
		CHECK(r[0].pc == 0x1002 || r[0].pc == 0x1004,
		      "#1: RIP at the OUT or past it (synced registers): 0x%llx",
		      (unsigned long long)r[0].pc);
	}
	else
		unit_diag("KVM syncs no registers: no RIPs in the history");
	CHECK(r[1].seq == 2 && r[1].type == KVMKIT_EXIT_MMIO_WRITE &&
	      r[1].addr == MMIO_GPA && r[1].size == 1 && r[1].value == 7,
	      "#2: MMIO write of 7 at 0x4000, 1 byte");
	CHECK(r[0].run_ns > 0 && r[1].start_ns >= r[0].start_ns + r[0].run_ns,
	      "timed: time in KVM_RUN, starts in order");
	CHECK_EQ(kvmkit_vcpu_exit_history(vcpu, r, 1), 1, "max 1: one record");
	CHECK_EQ(r[0].seq, 2, "max 1: the newest");

	if (!CHECK_EQ(run_guest(vcpu, &n), 0, "run to the HLT"))
		return;
	CHECK_EQ(n, 41, "41 more exits (40 OUTs, HLT)");
	n = kvmkit_vcpu_exit_history(vcpu, r, KVMKIT_EXIT_HISTORY + 4);
	CHECK_EQ(n, KVMKIT_EXIT_HISTORY, "the ring holds the last 32");
	for (ok = 1, i = 0; i < n; i++)
		ok &= r[i].seq == 43 - KVMKIT_EXIT_HISTORY + 1 + i;
	CHECK(ok, "in order: #12..#43, oldest first");
	CHECK(r[n - 1].type == KVMKIT_EXIT_HLT, "the newest is the HLT");
	CHECK(r[n - 2].type == KVMKIT_EXIT_IO_OUT && r[n - 2].addr == 0x11,
	      "before it an OUT to port 0x11");
}

/* Whether text holds every one of the strings */
static int holds(const char *text, const char *const *what, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strstr(text, what[i])) {
			unit_diag("missing \"%s\"", what[i]);
			return 0;
		}
	return 1;
}

static void test_dumps(struct kvmkit_vm *vm, struct kvmkit_vcpu *vcpu)
{
	static const char *const vcpu_parts[] = {
		"vcpu 0:", "RIP 0x", "CS  sel 0x0000 base 0x0000000000000000",
		"LDT sel", "CR0 0x", "EFER", "APIC_BASE",
		"last 16 of 43 exits of vcpu 0", "#43 HLT", "#28 IO_OUT port 0x11 size 1",
		"us in KVM_RUN",
	};
	static const char *const vm_parts[] = {
		"memory slots:", "slot  0 gpa 0x000000000-0x000001fff (8 KiB)",
		"ports 0x80-0x83", "vcpu 0:", "#43 HLT",
	};
	char *text = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	f = open_memstream(&text, &size);
	if (!CHECK(f, "open_memstream"))
		return;
	ret = kvmkit_vcpu_fdump(vcpu, f, 16);
	fclose(f);
	CHECK_EQ(ret, 0, "kvmkit_vcpu_fdump");
	CHECK(holds(text, vcpu_parts, sizeof(vcpu_parts) / sizeof(*vcpu_parts)),
	      "vCPU dump: registers, segments, CRs, EFER, the last 16 exits");
	CHECK(!strstr(text, "#27 "), "vCPU dump: no more than 16 exits");
	free(text);

	text = NULL;
	f = open_memstream(&text, &size);
	if (!CHECK(f, "open_memstream"))
		return;
	ret = kvmkit_vm_fdump(vm, f, 4);
	fclose(f);
	CHECK_EQ(ret, 0, "kvmkit_vm_fdump");
	CHECK(holds(text, vm_parts, sizeof(vm_parts) / sizeof(*vm_parts)),
	      "VM dump: slots, handlers, each vCPU");
	unit_diag("the VM dump as a CI log shows it:");
	fputs(text, stdout);
	free(text);

	f = fopen("/dev/full", "w");
	if (f) {
		setvbuf(f, NULL, _IONBF, 0);
		CHECK_EQ(kvmkit_vm_fdump(vm, f, 4), -EIO, "a write error: -EIO");
		fclose(f);
	}
}

static int unused_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		       void *opaque)
{
	(void)vcpu, (void)io, (void)opaque;
	return KVMKIT_RESUME;
}

int main(void)
{
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	struct kvmkit_vcpu *vcpu = NULL;
	char err[KVMKIT_ERR_MAX];
	int ret;

	test_format();
	ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO ||
	    ret == -EACCES || ret == -EPERM) {
		unit_diag("SKIP the checks on KVM: %s", err);
		return unit_done();
	}
	if (!CHECK_EQ(ret, 0, "open /dev/kvm")) {
		unit_diag("%s", err);
		return unit_done();
	}
	ret = kvmkit_vm_create(kvm, &vm);
	if (ret) {
		CHECK(0, "VM: %s", kvmkit_kvm_error(kvm));
		kvmkit_kvm_close(kvm);
		return unit_done();
	}
	ret = kvmkit_vm_add_memory(vm, 0, 0, 0x2000, 0, NULL);
	if (!ret)
		ret = kvmkit_vm_write(vm, CODE_GPA, code, sizeof(code));
	if (!ret)
		ret = kvmkit_vm_add_pio_handler(vm, 0x80, 4, unused_port, NULL);
	if (!ret)
		ret = kvmkit_vcpu_create(vm, 0, &vcpu);
	if (!ret)
		ret = start(vcpu);
	if (CHECK_EQ(ret, 0, "real-mode guest")) {
		test_history(vcpu);
		test_dumps(vm, vcpu);
	} else {
		unit_diag("%s", vcpu ? kvmkit_vcpu_error(vcpu) : kvmkit_vm_error(vm));
	}
	kvmkit_vm_destroy(vm);
	kvmkit_kvm_close(kvm);
	return unit_done();
}
