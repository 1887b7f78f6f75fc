// SPDX-License-Identifier: MIT
/*
 * CVE-2017-1000407: a guest that writes port 80H in a tight loop must
 * neither reach the host's port 80H nor disturb the host.  KVM on VMX
 * used to pass port 80H straight through (no I/O exit), and a flood of
 * writes could crash the host; since the fix every access to port 80H
 * is intercepted like any other port and goes to the VMM.  Here the VMM
 * (kvmkit) serves port 80H and counts: every one of N single OUTs and
 * every byte of a REP OUTSB must reach it, in order, and the guest goes
 * on afterwards (its next hypercalls arrive).
 *
 * Where it is written: CVE-2017-1000407, fixed by Linux commit
 * d59d51f088014f25c2562de59b9abff4f42a7468 ("KVM: VMX: remove I/O port
 * 0x80 bypass on Intel hosts", v4.15); the rule that every guest port
 * access is the VMM's: Linux Documentation/virt/kvm/api.rst, KVM_EXIT_IO;
 * Intel SDM Vol. 2B "OUT", "OUTS", "REP".
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define FLOOD	4000

static uint8_t buf[4096];

void main(void)
{
	uint32_t bytes;
	uint64_t si, cx;
	unsigned int i, n, bad = 0;

	suite_catch_all();

	suite_dev_reset(0);
	for (i = 0; i < FLOOD; i++)
		asm volatile("outb %b0, $0x80" : : "a"(i) : "memory");
	bytes = suite_inl(SUITE_DEV_BYTES);
	n = suite_dev_fetch();
	for (i = 0; i < SUITE_DEV_MAX && i < n; i++)
		if (suite_dev_log[i].addr != 0x80 || !suite_dev_log[i].is_pio ||
		    !suite_dev_log[i].is_write || suite_dev_log[i].size != 1 ||
		    suite_dev_log[i].count != 1 || suite_dev_log[i].data[0] != (uint8_t)i)
			bad = 1;
	if (n == FLOOD && bytes == FLOOD && !bad)
		tst_res(TPASS, "%u OUTs to port 0x80 in a loop: the VMM served each one, in order",
			FLOOD);
	else
		tst_res(TFAIL, "%u OUTs to port 0x80 in a loop: the VMM served %u accesses, %u bytes%s",
			FLOOD, n, bytes, bad ? ", the first ones out of order or malformed" : "");

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 13);
	suite_dev_reset(0);
	si = (uintptr_t)buf;
	cx = sizeof(buf);
	asm volatile("cld\n\trep outsb" : "+S"(si), "+c"(cx) : "d"((uint16_t)0x80)
		     : "memory");
	bytes = suite_inl(SUITE_DEV_BYTES);
	if (bytes == sizeof(buf) && cx == 0 && si == (uintptr_t)buf + sizeof(buf))
		tst_res(TPASS, "REP OUTSB of %u bytes to port 0x80: the VMM got all of them",
			(unsigned int)sizeof(buf));
	else
		tst_res(TFAIL, "REP OUTSB of %u bytes to port 0x80: the VMM got %u bytes, RCX %llu",
			(unsigned int)sizeof(buf), bytes, (unsigned long long)cx);
	tst_res(TPASS, "the guest runs on after the port 0x80 flood");
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "CVE-2017-1000407: a port 80H write flood must neither reach nor disturb the host",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "pio,cve" },
		{ "CVE", "2017-1000407" },
		{ "linux-git", "d59d51f08801" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
