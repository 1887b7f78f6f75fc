// SPDX-License-Identifier: MIT
/*
 * The time-stamp counter: RDTSC never goes backwards; WRMSR to IA32_TSC
 * (MSR 10H) sets the counter, which then keeps counting up from the value
 * written; RDTSC at CPL 0 works with CR4.TSD set (TSD restricts CPL > 0
 * only); RDTSCP returns IA32_TSC_AUX (MSR C000_0103H) in ECX and RDPID
 * returns it in a register, each #UD when CPUID does not offer it.
 *
 * Where it is written: Intel SDM Vol. 3B 18.17 "Time-Stamp Counter"
 * ("monotonically increasing", "WRMSR to IA32_TIME_STAMP_COUNTER"); Vol.
 * 2B "RDTSC" (#GP only "If the TSD flag in register CR4 is set and the CPL
 * is greater than 0"), "RDTSCP" (#UD "If the LOCK prefix is used or
 * CPUID.80000001H:EDX.RDTSCP[bit 27] = 0"; ECX = IA32_TSC_AUX[31:0]) and
 * "RDPID" (#UD "If CPUID.7H.0:ECX.RDPID[bit 22] = 0").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define MSR_IA32_TSC	0x10
#define MSR_TSC_AUX	0xc0000103

static void monotonic(void)
{
	uint64_t prev = rdtsc(), now;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		now = rdtsc();
		if (now < prev) {
			tst_res(TFAIL, "RDTSC went backwards: 0x%llx after 0x%llx",
				(unsigned long long)now, (unsigned long long)prev);
			return;
		}
		prev = now;
	}
	tst_res(TPASS, "RDTSC: 200 reads never decrease");
}

static void write_tsc(void)
{
	static const uint64_t vals[] = { 0x123456789ULL, 1ULL << 50, 1000 };
	uint64_t before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		uint64_t got, t2;

		before = rdtsc();
		kvm_wrmsr(MSR_IA32_TSC, vals[i]);
		got = rdtsc();
		t2 = kvm_rdmsr(MSR_IA32_TSC);
		/* A few ms at most have passed: 2^36 cycles is ~20 s at 3 GHz */
		if ((got < vals[i] || got - vals[i] > (1ULL << 36)) &&
		    got >= before && got - before <= (1ULL << 36))
			tst_res(TFAIL, "IA32_TSC = 0x%llx: RDTSC 0x%llx, then RDMSR 0x%llx: the count went on from 0x%llx: the write was lost",
				(unsigned long long)vals[i],
				(unsigned long long)got, (unsigned long long)t2,
				(unsigned long long)before);
		else if (got < vals[i] || got - vals[i] > (1ULL << 36) || t2 < got)
			tst_res(TFAIL, "IA32_TSC = 0x%llx: RDTSC 0x%llx, then RDMSR 0x%llx",
				(unsigned long long)vals[i],
				(unsigned long long)got, (unsigned long long)t2);
		else
			tst_res(TPASS, "IA32_TSC = 0x%llx: RDTSC +%llu, RDMSR after it not smaller",
				(unsigned long long)vals[i],
				(unsigned long long)(got - vals[i]));
	}
}

static void tsd_at_cpl0(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint32_t lo = 0, hi = 0;

	kvm_set_cr4(cr4 | CR4_TSD);
	suite_begin();
	asm volatile(SUITE_TRY("rdtsc") : "+a"(lo), "+d"(hi) : : "memory");
	suite_end();
	kvm_set_cr4(cr4);
	suite_expect_none("RDTSC at CPL 0 with CR4.TSD = 1");
}

static void tsc_aux(void)
{
	int rdtscp = !!(suite_cpuid_ext1().edx & 1U << 27);
	int rdpid = !!(suite_cpuid7().ecx & 1U << 22);
	uint32_t lo = 0, hi = 0, aux = 0;
	uint64_t id = 0;

	if (rdtscp || rdpid)
		kvm_wrmsr(MSR_TSC_AUX, 0x5a5a1234);

	suite_begin();
	asm volatile(SUITE_TRY("rdtscp")
		     : "+a"(lo), "+d"(hi), "+c"(aux) : : "memory");
	suite_end();
	if (!rdtscp)
		suite_expect("RDTSCP with CPUID RDTSCP = 0", INTR_BAD_OPCODE, 0,
			     SUITE_FAULT);
	else if (suite_expect_none("RDTSCP") && aux != 0x5a5a1234)
		tst_res(TFAIL, "RDTSCP: ECX 0x%x, IA32_TSC_AUX 0x5a5a1234", aux);

	suite_begin();
	asm volatile(SUITE_TRY("rdpid %0") : "+r"(id) : : "memory");
	suite_end();
	if (!rdpid)
		suite_expect("RDPID with CPUID RDPID = 0", INTR_BAD_OPCODE, 0,
			     SUITE_FAULT);
	else if (suite_expect_none("RDPID") && id != 0x5a5a1234)
		tst_res(TFAIL, "RDPID: 0x%llx, IA32_TSC_AUX 0x5a5a1234",
			(unsigned long long)id);
}

void main(void)
{
	if (!(suite_cpuid(1, 0).edx & 1U << 4))
		tst_brk(TCONF, "CPUID.1:EDX.TSC = 0");
	suite_catch_all();
	monotonic();
	write_tsc();
	tsd_at_cpl0();
	tsc_aux();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "The time-stamp counter",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "msr,tsc" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
