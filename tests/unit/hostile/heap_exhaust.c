/* kvmkit-expect: exit=2 match=TBROK.*[Hh]eap */
/* kvmkit-expect: nomatch=TFAIL */
// SPDX-License-Identifier: MIT
/*
 * The heap ends where RAM ends: allocating 1 MiB blocks from a 16 MiB VM
 * must end in TBROK before any block reaches past RAM (each is checked
 * and touched at its last byte).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	uint64_t ram = ((const struct kvmkit_payload_header *)
			KVMKIT_PAYLOAD_BASE)->ram_size;
	int i;

	for (i = 0; i < 64; i++) {
		char *p = tst_heap_alloc(1 << 20);

		if ((uintptr_t)p + (1 << 20) > ram)
			tst_res(TFAIL, "block %d at %p ends past RAM (0x%llx)",
				i, (void *)p, (unsigned long long)ram);
		p[(1 << 20) - 1] = 1;
	}
	tst_res(TFAIL, "64 MiB allocated from a 16 MiB guest");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "hostile", "TBROK" },	/* the verdict check.sh expects */
		{}
	},
	.kvmkit_desc = "1 MiB allocations until the heap is exhausted: TBROK before any block passes RAM",
};

#endif /* COMPILE_PAYLOAD */
