// SPDX-License-Identifier: MIT
/*
 * RDRAND and RDSEED: where CPUID offers them they return CF = 1 with a
 * value (a few retries allowed, as the SDM recommends) and successive
 * 64-bit values are not all equal; where CPUID does not offer them they
 * raise #UD.
 *
 * Where it is written: Intel SDM Vol. 2B "RDRAND" (#UD "If
 * CPUID.01H:ECX.RDRAND[bit 30] = 0"; CF = 1 when a random value was
 * available) and "RDSEED" (#UD "If CPUID.(EAX=07H, ECX=0H):EBX.RDSEED[bit
 * 18] = 0"); Vol. 1 7.3.17 "Random Number Generator Instructions" (retry
 * loop of 10).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

/* One RDRAND (seed = 0) or RDSEED (seed = 1); *cf gets CF */
static int draw(int seed, uint64_t *val, int *cf)
{
	uint64_t v = 0;
	uint8_t c = 0;

	suite_begin();
	if (seed)
		asm volatile(SUITE_TRY("rdseed %0") "setc %1"
			     : "+r"(v), "+q"(c) : : "memory", "cc");
	else
		asm volatile(SUITE_TRY("rdrand %0") "setc %1"
			     : "+r"(v), "+q"(c) : : "memory", "cc");
	*val = v;
	*cf = c;
	return suite_end();
}

static void check(int seed, int supported)
{
	const char *name = seed ? "RDSEED" : "RDRAND";
	uint64_t vals[8], v;
	unsigned int i, tries, distinct = 0;
	int cf;

	if (!supported) {
		draw(seed, &v, &cf);
		suite_expect(seed ? "RDSEED with CPUID RDSEED = 0" :
			     "RDRAND with CPUID RDRAND = 0", INTR_BAD_OPCODE, 0,
			     SUITE_FAULT);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		for (tries = 0; tries < 100; tries++) {
			if (draw(seed, &vals[i], &cf) != NO_EXCEPTION) {
				suite_expect_none(name);
				return;
			}
			if (cf)
				break;
		}
		if (!cf) {
			tst_res(TFAIL, "%s: CF = 0 on 100 tries in a row", name);
			return;
		}
		if (!i || vals[i] != vals[i - 1])
			distinct++;
	}
	if (distinct > 1)
		tst_res(TPASS, "%s: 8 values with CF = 1, %u changes", name, distinct);
	else
		tst_res(TFAIL, "%s: 8 equal values 0x%llx", name,
			(unsigned long long)vals[0]);
}

void main(void)
{
	suite_catch_all();
	check(0, !!(suite_cpuid(1, 0).ecx & 1U << 30));
	check(1, !!(suite_cpuid7().ebx & 1U << 18));
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "RDRAND and RDSEED",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "cpuid,instructions" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
