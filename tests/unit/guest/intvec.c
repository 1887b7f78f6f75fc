// SPDX-License-Identifier: MIT
/*
 * Guest runtime: every vector from 32 to 255 reaches its own callback and
 * resumes.  Each vector in turn is injected by the controller (see
 * inject.h: software INT n is not available on every host) with a
 * callback installed on all of them; each callback must run exactly once,
 * for its own vector (userdata), with error code 0 and the frame's RIP
 * just after the requesting instruction.  A wrong stub table (vectors
 * swapped, a stub size off by one, an error-code pop on a vector that has
 * none) shows up as a wrong vector, a wrong RIP or a crash.
 */
#include "kvm_test.h"
#include "inject.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static uint8_t hits[256];
static unsigned long last_vector, last_errcode;
static uintptr_t last_ip;

static int count(void *userdata, struct kvm_interrupt_frame *ifrm,
		 unsigned long errcode)
{
	unsigned long v = (uintptr_t)userdata;

	if (v < 256 && hits[v] < 255)
		hits[v]++;
	last_vector = v;
	last_errcode = errcode;
	last_ip = kvm_get_interrupt_ip(ifrm);
	return 1;
}

void main(void)
{
	unsigned int v, bad = 0;
	uintptr_t after;

	for (v = 32; v < 256; v++)
		tst_set_interrupt_callback(v, count, (void *)(uintptr_t)v);

	for (v = 32; v < 256; v++) {
		last_vector = ~0UL;
		last_errcode = ~0UL;
		last_ip = 0;
		after = inject_interrupt(v);

		if (last_vector != v || last_errcode || last_ip != after) {
			if (bad++ < 8)
				tst_res(TFAIL, "vector %u: callback of vector %lu, error code 0x%lx, RIP 0x%lx (expected %u, 0, 0x%lx)",
					v, last_vector, last_errcode,
					(unsigned long)last_ip, v,
					(unsigned long)after);
		}
	}

	for (v = 0; v < 256; v++) {
		if (hits[v] != (v >= 32)) {
			if (bad++ < 16)
				tst_res(TFAIL, "vector %u: callback ran %u times, expected %u",
					v, hits[v], v >= 32);
		}
	}

	if (bad)
		tst_res(TFAIL, "%u mismatches over vectors 32-255", bad);
	else
		tst_res(TPASS, "vectors 32-255: each callback ran once, error code 0, RIP after the request");

	/* Removing a callback must not disturb its neighbours */
	tst_set_interrupt_callback(0x41, NULL, NULL);
	last_vector = ~0UL;
	after = inject_interrupt(0x40);
	if (last_vector == 0x40 && last_ip == after)
		tst_res(TPASS, "vector 0x40 still handled after 0x41's callback was removed");
	else
		tst_res(TFAIL, "vector 0x40 broken after removing 0x41's callback");
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	inject_test(0);
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = inject_cleanup,
	.kvmkit_desc = "every vector 32-255 reaches its own callback once",
	.tags = (const struct tst_tag[]){
		{"kvmkit", "runtime"},
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
