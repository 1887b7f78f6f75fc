// SPDX-License-Identifier: MIT
/*
 * A KVM_MEM_READONLY memory slot: the guest reads the bytes the host put
 * there; a guest write to it is not performed but exits to userspace as
 * KVM_EXIT_MMIO with is_write = 1 and the address, length and data the
 * guest wrote; the slot's memory is unchanged, and the guest's next read
 * sees the host's bytes again.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, 4.35
 * KVM_SET_USER_MEMORY_REGION (with KVM_CAP_READONLY_MEM, KVM_MEM_READONLY
 * makes the slot read-only for the guest: its writes are posted to
 * userspace as KVM_EXIT_MMIO exits) and 5. "The kvm_run structure",
 * KVM_EXIT_MMIO.
 */
#include "kvm_test.h"
#include "kvm_hostside.h"

#ifndef COMPILE_PAYLOAD

#define RO_GPA		0x8000

static const uint8_t code[] = {
	0xa0, 0x10, 0x80,			/* mov 0x8010, %al */
	0xe6, 0x10,				/* out %al, $0x10 */
	0xc7, 0x06, 0x20, 0x80, 0x34, 0x12,	/* movw $0x1234, 0x8020 */
	0x66, 0xc7, 0x06, 0x40, 0x80,		/* movl $0xcafef00d, 0x8040 */
	0x0d, 0xf0, 0xfe, 0xca,
	0xa1, 0x20, 0x80,			/* mov 0x8020, %ax */
	0xe7, 0x10,				/* out %ax, $0x10 */
	0xf4,					/* hlt */
};

static void run(void)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_exit e;
	char line[160];
	uint8_t *ro;
	int ret;

	vcpu = hk_setup(0x8000, code, sizeof(code));
	if (kvmkit_vm_check_extension(hk_vm, KVM_CAP_READONLY_MEM) <= 0)
		tst_brk(TCONF, "KVM_CAP_READONLY_MEM absent");
	if (kvmkit_vm_add_memory(hk_vm, 1, RO_GPA, 0x1000, KVM_MEM_READONLY,
				 (void **)&ro))
		tst_brk(TBROK, "read-only slot: %s", kvmkit_vm_error(hk_vm));
	ro[0x10] = 0x77;
	ro[0x20] = 0xa1;
	ro[0x21] = 0xb2;
	memset(ro + 0x40, 0x5c, 4);

	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.data[0] == 0x77)
		tst_res(TPASS, "the guest read the host's byte 0x77 from the read-only slot");
	else
		tst_res(TFAIL, "guest read of the read-only slot: %s, expected IO_OUT port 0x10 value 0x77",
			line);

	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (!ret && e.type == KVMKIT_EXIT_MMIO_WRITE && e.mmio.gpa == RO_GPA + 0x20 &&
	    e.mmio.len == 2 && e.mmio.data[0] == 0x34 && e.mmio.data[1] == 0x12)
		tst_res(TPASS, "16-bit write: KVM_EXIT_MMIO write at 0x%llx, 2 bytes, 0x1234",
			(unsigned long long)e.mmio.gpa);
	else
		tst_res(TFAIL, "16-bit write to the read-only slot: %s, expected MMIO_WRITE gpa 0x8020 len 2 value 0x1234",
			line);
	if (ro[0x20] == 0xa1 && ro[0x21] == 0xb2)
		tst_res(TPASS, "the slot's memory kept 0xb2a1");
	else
		tst_res(TFAIL, "the slot's memory changed to 0x%02x%02x",
			ro[0x21], ro[0x20]);

	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (!ret && e.type == KVMKIT_EXIT_MMIO_WRITE && e.mmio.gpa == RO_GPA + 0x40 &&
	    e.mmio.len == 4 && e.mmio.data[0] == 0x0d && e.mmio.data[1] == 0xf0 &&
	    e.mmio.data[2] == 0xfe && e.mmio.data[3] == 0xca)
		tst_res(TPASS, "32-bit write: KVM_EXIT_MMIO write at 0x%llx, 4 bytes, 0xcafef00d",
			(unsigned long long)e.mmio.gpa);
	else
		tst_res(TFAIL, "32-bit write to the read-only slot: %s, expected MMIO_WRITE gpa 0x8040 len 4 value 0xcafef00d",
			line);
	if (ro[0x40] == 0x5c && ro[0x41] == 0x5c && ro[0x42] == 0x5c && ro[0x43] == 0x5c)
		tst_res(TPASS, "the slot's memory kept 0x5c5c5c5c");
	else
		tst_res(TFAIL, "the slot's memory changed to 0x%02x%02x%02x%02x",
			ro[0x43], ro[0x42], ro[0x41], ro[0x40]);

	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (!ret && e.type == KVMKIT_EXIT_IO_OUT && e.io.size == 2 &&
	    e.io.data[0] == 0xa1 && e.io.data[1] == 0xb2)
		tst_res(TPASS, "the guest reads the host's 0xb2a1 back, not what it wrote");
	else
		tst_res(TFAIL, "guest read after its write: %s, expected IO_OUT port 0x10 size 2 value 0xb2a1",
			line);
	ret = hk_run(vcpu, &e, line, sizeof(line));
	if (ret || e.type != KVMKIT_EXIT_HLT)
		tst_res(TFAIL, "the guest did not reach its HLT: %s", line);
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static struct tst_test test = {
	.kvmkit_desc = "A KVM_MEM_READONLY memory slot",
	.test_all = run,
	.cleanup = hk_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
