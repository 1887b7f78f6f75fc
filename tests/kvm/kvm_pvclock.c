// SPDX-License-Identifier: MIT
/*
 * KVM's paravirtual clock, as KVM documents it for guests: with
 * KVM_FEATURE_CLOCKSOURCE2 in CPUID 4000_0001H:EAX (bit 3), writing a
 * 4-byte aligned guest-physical address with bit 0 set to
 * MSR_KVM_SYSTEM_TIME_NEW (4B564D01H) makes KVM fill a struct
 * pvclock_vcpu_time_info there: an even version (odd means an update is in
 * progress), a non-zero tsc_to_system_mul, and a system time that,
 * extrapolated with the TSC, does not go backwards between two reads;
 * writing a guest-physical address to MSR_KVM_WALL_CLOCK_NEW (4B564D00H)
 * makes KVM write a struct pvclock_wall_clock with an even version and
 * nanoseconds below 10^9.
 *
 * Where it is written: Linux Documentation/virt/kvm/x86/msr.rst
 * ("MSR_KVM_WALL_CLOCK_NEW", "MSR_KVM_SYSTEM_TIME_NEW": "version: guest has
 * to check version before and after grabbing time information and check
 * that they are both equal and even. An odd version indicates an
 * in-progress update"; "time = (current_tsc - tsc_timestamp) ... *
 * tsc_to_system_mul >> 32, shifted by tsc_shift") and cpuid.rst
 * (KVM_FEATURE_CLOCKSOURCE2, bit 3).
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MSR_KVM_WALL_CLOCK_NEW	0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01

struct pvclock_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

struct pvclock_wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
} __attribute__((packed));

static volatile struct pvclock_vcpu_time_info ti __attribute__((aligned(64)));
static volatile struct pvclock_wall_clock wc __attribute__((aligned(64)));

/* Nanoseconds of kvmclock now, per msr.rst; 0 when no even version */
static uint64_t kvmclock_ns(void)
{
	unsigned int tries;

	for (tries = 0; tries < 1000; tries++) {
		uint32_t v1 = ti.version, v2;
		uint64_t delta, ns;
		__uint128_t prod;

		asm volatile("" : : : "memory");
		delta = rdtsc() - ti.tsc_timestamp;
		if (ti.tsc_shift >= 0)
			delta <<= ti.tsc_shift;
		else
			delta >>= -ti.tsc_shift;
		prod = (__uint128_t)delta * ti.tsc_to_system_mul;
		ns = ti.system_time + (uint64_t)(prod >> 32);
		asm volatile("" : : : "memory");
		v2 = ti.version;
		if (v1 == v2 && !(v1 & 1))
			return ns;
	}
	return 0;
}

void main(void)
{
	uint64_t t1, t2;

	suite_catch_all();
	if (suite_cpuid(0x40000000, 0).eax < 0x40000001 ||
	    !(suite_cpuid(0x40000001, 0).eax & 1U << 3))
		tst_brk(TCONF, "KVM_FEATURE_CLOCKSOURCE2 not offered");

	wrmsr_safe(MSR_KVM_SYSTEM_TIME_NEW, (uintptr_t)&ti | 1);
	if (!suite_expect_none("MSR_KVM_SYSTEM_TIME_NEW = &ti | 1")) {
		suite_finish();
		return;
	}
	/* KVM updates the structure before the next entry: make an exit */
	tst_res(TINFO, "kvmclock enabled at 0x%lx", (unsigned long)(uintptr_t)&ti);
	if (ti.version && !(ti.version & 1) && ti.tsc_to_system_mul)
		tst_res(TPASS, "pvclock: version %u, mul 0x%x, shift %d, flags 0x%x",
			ti.version, ti.tsc_to_system_mul, ti.tsc_shift, ti.flags);
	else
		tst_res(TFAIL, "pvclock: version %u, mul 0x%x, shift %d (expected an even non-zero version and a multiplier)",
			ti.version, ti.tsc_to_system_mul, ti.tsc_shift);

	t1 = kvmclock_ns();
	tst_res(TINFO, "kvmclock %llu ns", (unsigned long long)t1);
	t2 = kvmclock_ns();
	if (t1 && t2 >= t1)
		tst_res(TPASS, "kvmclock advances: %llu ns, then +%llu ns",
			(unsigned long long)t1, (unsigned long long)(t2 - t1));
	else
		tst_res(TFAIL, "kvmclock: %llu ns, then %llu ns",
			(unsigned long long)t1, (unsigned long long)t2);
	wrmsr_safe(MSR_KVM_SYSTEM_TIME_NEW, 0);
	suite_expect_none("MSR_KVM_SYSTEM_TIME_NEW = 0 (disable)");

	wrmsr_safe(MSR_KVM_WALL_CLOCK_NEW, (uintptr_t)&wc);
	if (suite_expect_none("MSR_KVM_WALL_CLOCK_NEW = &wc")) {
		if (wc.version && !(wc.version & 1) && wc.nsec < 1000000000)
			tst_res(TPASS, "wall clock: version %u, %u s %u ns",
				wc.version, wc.sec, wc.nsec);
		else
			tst_res(TFAIL, "wall clock: version %u, %u s %u ns",
				wc.version, wc.sec, wc.nsec);
	}
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "KVM's paravirtual clock, as KVM documents it for guests",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,kvm-pv,clock" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
