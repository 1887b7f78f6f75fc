// SPDX-License-Identifier: MIT
/*
 * 64-bit division for the 32-bit runtime.  An i386 compiler turns every
 * uint64_t / and % (printf's own digits, a test's arithmetic) into calls
 * to these libgcc helpers, and a freestanding payload has no libgcc: the
 * 32-bit libgcc.a is not installed with the 64-bit compiler.  Binary long
 * division, one quotient bit per step; the 64-bit shifts and subtractions
 * it uses are inline on i386, never calls back into these.
 */
#include "kvm_guest.h"

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem);
uint64_t __udivdi3(uint64_t num, uint64_t den);
uint64_t __umoddi3(uint64_t num, uint64_t den);
int64_t __divdi3(int64_t num, int64_t den);
int64_t __moddi3(int64_t num, int64_t den);

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem)
{
	uint64_t quot = 0, r = 0;
	int bit;

	/* As the hardware would, a division by zero faults (#DE) */
	if (!den) {
		volatile unsigned int zero = 0;

		return 1 / zero;
	}
	if ((den >> 32) == 0 && (num >> 32) == 0) {
		quot = (uint32_t)num / (uint32_t)den;
		r = (uint32_t)num % (uint32_t)den;
	} else {
		for (bit = 63; bit >= 0; bit--) {
			r = r << 1 | (num >> bit & 1);
			if (r >= den) {
				r -= den;
				quot |= 1ULL << bit;
			}
		}
	}
	if (rem)
		*rem = r;
	return quot;
}

uint64_t __udivdi3(uint64_t num, uint64_t den)
{
	return __udivmoddi4(num, den, NULL);
}

uint64_t __umoddi3(uint64_t num, uint64_t den)
{
	uint64_t r;

	__udivmoddi4(num, den, &r);
	return r;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* C rounds toward zero: the quotient's sign is the operands' product's */
int64_t __divdi3(int64_t num, int64_t den)
{
	uint64_t q = __udivmoddi4(magnitude(num), magnitude(den), NULL);

	return (num < 0) != (den < 0) ? (int64_t)(0 - q) : (int64_t)q;
}

/* and the remainder's sign is the dividend's */
int64_t __moddi3(int64_t num, int64_t den)
{
	uint64_t r;

	__udivmoddi4(magnitude(num), magnitude(den), &r);
	return num < 0 ? (int64_t)(0 - r) : (int64_t)r;
}
