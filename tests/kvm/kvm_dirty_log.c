// SPDX-License-Identifier: MIT
/*
 * The dirty log is exact: with KVM_MEM_LOG_DIRTY_PAGES on a 16-page slot,
 * KVM_GET_DIRTY_LOG reports exactly the pages the guest wrote (not the
 * ones it only read, not the ones the host wrote through its mapping), and
 * reading the log clears it: the next read reports only what was written
 * since.
 *
 * Where it is written: Linux Documentation/virt/kvm/api.rst, 4.8
 * KVM_GET_DIRTY_LOG ("Given a memory slot, return a bitmap containing any
 * pages dirtied since the last call to this ioctl.  Bit 0 is the first
 * page in the memory slot") and 4.35 KVM_SET_USER_MEMORY_REGION
 * (KVM_MEM_LOG_DIRTY_PAGES).  Without KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2
 * enabled, the read also clears (re-protects) the log.
 */
#include "kvm_test.h"
#include "kvm_hostside.h"

#ifndef COMPILE_PAYLOAD
#include <stdio.h>
#endif

#ifndef COMPILE_PAYLOAD

#define LOG_GPA		0x10000
#define LOG_PAGES	16

/* DS = 0x1000: offsets are from LOG_GPA */
static const uint8_t code[] = {
	0xb8, 0x00, 0x10,			/* mov $0x1000, %ax */
	0x8e, 0xd8,				/* mov %ax, %ds */
	0xc6, 0x06, 0x00, 0x00, 0x01,		/* movb $1, 0x0000 (page 0) */
	0xc6, 0x06, 0xff, 0x3f, 0x02,		/* movb $2, 0x3fff (page 3) */
	0xc7, 0x06, 0x10, 0x40, 0x03, 0x03,	/* movw $0x303, 0x4010 (page 4) */
	0xa0, 0x00, 0x50,			/* mov 0x5000, %al (page 5, read) */
	0xc6, 0x06, 0x08, 0x90, 0x09,		/* movb $9, 0x9008 (page 9) */
	0xc6, 0x06, 0x80, 0xf0, 0x0f,		/* movb $15, 0xf080 (page 15) */
	0xf4,					/* hlt */
	0xc6, 0x06, 0x00, 0x70, 0x07,		/* movb $7, 0x7000 (page 7) */
	0xa0, 0x00, 0x30,			/* mov 0x3000, %al (page 3, read) */
	0xf4,					/* hlt */
	0xf4,					/* hlt */
};

static void pages(uint64_t map, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < 64 && n + 4 < len; i++)
		if (map & (1ULL << i))
			n += snprintf(buf + n, len - n, "%s%d", n ? "," : "", i);
	if (!n)
		snprintf(buf, len, "none");
}

static void expect_log(const char *when, uint64_t want)
{
	char got_s[128], want_s[128];
	uint64_t map[1] = { ~0ULL };
	int ret = kvmkit_vm_get_dirty_log(hk_vm, 1, map, 1);

	if (ret)
		tst_brk(TBROK, "KVM_GET_DIRTY_LOG: %s", kvmkit_vm_error(hk_vm));
	pages(map[0], got_s, sizeof(got_s));
	pages(want, want_s, sizeof(want_s));
	if (map[0] == want)
		tst_res(TPASS, "%s: dirty pages %s", when, got_s);
	else
		tst_res(TFAIL, "%s: dirty pages %s, expected %s", when, got_s,
			want_s);
}

static void run_to_hlt(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_exit e;
	char line[160];

	if (hk_run(vcpu, &e, line, sizeof(line)) || e.type != KVMKIT_EXIT_HLT)
		tst_brk(TBROK, "guest: %s, expected HLT", line);
}

static void run(void)
{
	struct kvmkit_vcpu *vcpu;
	uint8_t *log;

	vcpu = hk_setup(0x10000, code, sizeof(code));
	if (kvmkit_vm_add_memory(hk_vm, 1, LOG_GPA, LOG_PAGES * 0x1000,
				 KVM_MEM_LOG_DIRTY_PAGES, (void **)&log))
		tst_brk(TBROK, "logged slot: %s", kvmkit_vm_error(hk_vm));
	expect_log("before the guest ran", 0);
	log[0x6000] = 0x66;	/* the host's own write: not logged */
	run_to_hlt(vcpu);
	if (log[0] == 1 && log[0x3fff] == 2 && log[0x4010] == 3 &&
	    log[0x9008] == 9 && log[0xf080] == 15)
		tst_res(TPASS, "the guest's writes reached the slot");
	else
		tst_res(TFAIL, "the guest's writes did not all reach the slot");
	expect_log("after writes to pages 0, 3, 4, 9, 15 and a read of 5",
		   1 << 0 | 1 << 3 | 1 << 4 | 1 << 9 | 1 << 15);
	expect_log("read again at once (the read cleared it)", 0);
	run_to_hlt(vcpu);
	expect_log("after a write to page 7 and a read of page 3", 1 << 7);
	expect_log("read again", 0);
	kvmkit_vm_destroy(hk_vm);
	hk_vm = NULL;
}

static struct tst_test test = {
	.kvmkit_desc = "The dirty log is exact",
	.test_all = run,
	.cleanup = hk_cleanup,
	.tags = (const struct tst_tag[]){
		{"kvmkit-area", "host"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
