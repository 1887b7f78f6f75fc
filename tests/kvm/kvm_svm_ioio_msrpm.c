// SPDX-License-Identifier: MIT
/*
 * Nested SVM I/O and MSR permission maps, the parts kvm_svm_intercepts
 * leaves out (TCONF without SVM).  IOIO exits (7Bh) describe the access
 * in EXITINFO1: OUT DX, AX to port P whose IOPM bit is clear but whose
 * P+1 bit is set still exits (a 2-byte access checks both ports' bits),
 * with port P in bits 31:16, TYPE (bit 0) 0 and SZ16 (bit 5); IN EAX, DX
 * gives TYPE 1 and SZ32 (bit 6), and the value the host puts in RAX
 * reaches the guest; REP OUTSB gives STR (bit 2), REP (bit 3), SZ8 (bit
 * 4) and A64 (bit 9); EXITINFO2 is always the next RIP.  MSR exits (7Ch)
 * follow the map's three ranges: an MSR of 0-1FFFh with only its read
 * bit set exits on RDMSR (EXITINFO1 0) but not on WRMSR; one of
 * C001_0000h-C001_1FFFh (offset 1000h) with its write bit set exits on
 * WRMSR (EXITINFO1 1); an MSR outside the three ranges always exits.
 *
 * Where it is written: AMD APM Vol. 2 15.10.1 "I/O Permissions Map"
 * ("for multi-byte accesses the processor checks the bits of all the
 * ports accessed"), 15.10.2 "IN and OUT Behavior" (Figure 15-2
 * "EXITINFO1 for IOIO Intercept": TYPE bit 0, STR 2, REP 3, SZ8/16/32
 * bits 4-6, A16/32/64 bits 7-9, port 31:16; EXITINFO2 = rIP of the next
 * instruction), 15.11 "MSR Intercepts" (Table 15-5: MSRPM byte offsets
 * 0000h, 0800h, 1000h for the three ranges, two bits per MSR, read then
 * write; "MSRs outside the ranges ... are always intercepted").
 */
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_svm.h"

#define EXIT_IOIO	0x7b
#define EXIT_MSR	0x7c
#define INTERCEPT_IOIO	0x7b
#define INTERCEPT_MSR	0x7c
#define PORT_W		0x70	/* bit clear; PORT_W + 1 set */
#define PORT_L		0x7c
#define PORT_S		0x7e
#define MSR_R		0x174		/* SYSENTER_CS: read intercepted */
#define MSR_W		0xc0011000	/* range 3: write intercepted */
#define MSR_OUT		0xc0002000	/* outside every range */

#define IO_TYPE_IN	(1ULL << 0)
#define IO_STR		(1ULL << 2)
#define IO_REP		(1ULL << 3)
#define IO_SZ8		(1ULL << 4)
#define IO_SZ16		(1ULL << 5)
#define IO_SZ32		(1ULL << 6)
#define IO_A64		(1ULL << 9)

uintptr_t l2_rip[8] SUITE_UNUSED;
uint32_t l2_in SUITE_UNUSED;
uint64_t l2_msr SUITE_UNUSED;
static const char l2_str[4] = "abc";

static int l2_main(void)
{
	asm volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, l2_rip+0(%%rip)\n\t"
		     "mov $0x70, %%edx\n\tmov $0x1234, %%eax\n"
		     "1:\toutw %%ax, %%dx\n\t"
		     "lea 2f(%%rip), %%rax\n\tmov %%rax, l2_rip+8(%%rip)\n\t"
		     "mov $0x7c, %%edx\n"
		     "2:\tinl %%dx, %%eax\n\t"
		     "mov %%eax, l2_in(%%rip)\n\t"
		     "lea 3f(%%rip), %%rax\n\tmov %%rax, l2_rip+16(%%rip)\n\t"
		     "mov $0x7e, %%edx\n\tmov $3, %%ecx\n\tmov %0, %%rsi\n"
		     "3:\trep outsb\n\t"
		     "lea 4f(%%rip), %%rax\n\tmov %%rax, l2_rip+24(%%rip)\n\t"
		     "mov $0x174, %%ecx\n"
		     "4:\trdmsr\n\t"
		     "shl $32, %%rdx\n\tor %%rdx, %%rax\n\t"
		     "mov %%rax, l2_msr(%%rip)\n\t"
		     /* write bit clear: no exit */
		     "mov $0x174, %%ecx\n\tmov $0x10, %%eax\n\txor %%edx, %%edx\n\t"
		     "wrmsr\n\t"
		     "lea 5f(%%rip), %%rax\n\tmov %%rax, l2_rip+32(%%rip)\n\t"
		     "mov $0xc0011000, %%ecx\n\tmov $0x55, %%eax\n\txor %%edx, %%edx\n"
		     "5:\twrmsr\n\t"
		     "lea 6f(%%rip), %%rax\n\tmov %%rax, l2_rip+40(%%rip)\n\t"
		     "mov $0xc0002000, %%ecx\n"
		     "6:\trdmsr\n\t"
		     : : "r"(l2_str) : "rax", "rcx", "rdx", "rsi", "memory");
	return 0x3c;
}

static int run_expect(struct kvm_svm_vcpu *cpu, const char *what,
		      uint64_t code, unsigned int i)
{
	struct kvm_vmcb *v = cpu->vmcb;

	kvm_svm_vmrun(cpu);
	if (v->exitcode == code && v->rip == l2_rip[i])
		return 1;
	tst_res(TFAIL, "%s: #VMEXIT 0x%llx at RIP 0x%llx (EXITINFO1 0x%llx), expected 0x%llx at 0x%llx",
		what, (unsigned long long)v->exitcode,
		(unsigned long long)v->rip, (unsigned long long)v->exitinfo1,
		(unsigned long long)code, (unsigned long long)l2_rip[i]);
	return 0;
}

static void check_io(struct kvm_svm_vcpu *cpu, const char *what,
		     unsigned int i, unsigned int len, uint64_t port,
		     uint64_t bits)
{
	struct kvm_vmcb *v = cpu->vmcb;
	uint64_t want = port << 16 | bits;

	if (!run_expect(cpu, what, EXIT_IOIO, i))
		tst_brk(TFAIL, "the guest is not where the test expects it");
	if ((v->exitinfo1 & (0xffff03ffULL)) == want &&
	    v->exitinfo2 == l2_rip[i] + len)
		tst_res(TPASS, "%s: IOIO exit, EXITINFO1 0x%llx, EXITINFO2 = next RIP",
			what, (unsigned long long)v->exitinfo1);
	else
		tst_res(TFAIL, "%s: EXITINFO1 0x%llx (bits 31:16, 9:0 should be 0x%llx), EXITINFO2 0x%llx (next RIP 0x%llx)",
			what, (unsigned long long)v->exitinfo1,
			(unsigned long long)want,
			(unsigned long long)v->exitinfo2,
			(unsigned long long)(l2_rip[i] + len));
	v->rip = v->exitinfo2;
}

static void check_msr(struct kvm_svm_vcpu *cpu, const char *what,
		      unsigned int i, uint64_t info1)
{
	struct kvm_vmcb *v = cpu->vmcb;

	if (!run_expect(cpu, what, EXIT_MSR, i))
		tst_brk(TFAIL, "the guest is not where the test expects it");
	if (v->exitinfo1 == info1)
		tst_res(TPASS, "%s: MSR exit at the instruction, EXITINFO1 %llu",
			what, (unsigned long long)info1);
	else
		tst_res(TFAIL, "%s: EXITINFO1 0x%llx, expected %llu", what,
			(unsigned long long)v->exitinfo1,
			(unsigned long long)info1);
	v->rip += 2;
}

static void set_msr_bit(uint8_t *msrpm, uint32_t msr, int write)
{
	unsigned int base = msr >= 0xc0010000 ? 0x1000 :
		msr >= 0xc0000000 ? 0x800 : 0;
	unsigned int bit = base * 8 + (msr & 0x1fff) * 2 + write;

	msrpm[bit / 8] |= 1 << (bit % 8);
}

void main(void)
{
	struct kvm_svm_vcpu *cpu;
	struct kvm_vmcb *v;
	uint8_t *iopm, *msrpm;

	kvm_init_svm();
	suite_catch_all();
	cpu = kvm_create_svm_vcpu(l2_main, 1);
	v = cpu->vmcb;
	iopm = tst_heap_alloc_aligned(3 * 4096, 4096);
	msrpm = tst_heap_alloc_aligned(2 * 4096, 4096);
	memset(iopm, 0, 3 * 4096);
	memset(msrpm, 0, 2 * 4096);
	iopm[(PORT_W + 1) / 8] |= 1 << ((PORT_W + 1) % 8);
	iopm[PORT_L / 8] |= 1 << (PORT_L % 8);
	iopm[PORT_S / 8] |= 1 << (PORT_S % 8);
	set_msr_bit(msrpm, MSR_R, 0);
	set_msr_bit(msrpm, MSR_W, 1);
	v->iopm_base_addr = (uintptr_t)iopm;
	v->msrpm_base_addr = (uintptr_t)msrpm;
	kvm_vmcb_set_intercept(v, INTERCEPT_IOIO, 1);
	kvm_vmcb_set_intercept(v, INTERCEPT_MSR, 1);

	check_io(cpu, "OUT DX, AX to a port whose bit is clear, the next port's set",
		 0, 2, PORT_W, IO_SZ16);
	check_io(cpu, "IN EAX, DX", 1, 1, PORT_L, IO_TYPE_IN | IO_SZ32);
	v->rax = 0xfeedf00d;
	check_io(cpu, "REP OUTSB", 2, 2, PORT_S, IO_STR | IO_REP | IO_SZ8 |
		 IO_A64);
	if (l2_in == 0xfeedf00d)
		tst_res(TPASS, "the value the host gave for IN reached the guest's EAX");
	else
		tst_res(TFAIL, "the guest's IN read 0x%x, the host gave 0xfeedf00d",
			l2_in);
	check_msr(cpu, "RDMSR 174h, read bit set (range 0000h-1FFFh)", 3, 0);
	v->rax = 0x23;
	cpu->regs.rdx = 0;
	check_msr(cpu, "WRMSR C001_1000h, write bit set (range at 1000h; WRMSR 174h with its write bit clear before it did not exit)",
		  4, 1);
	check_msr(cpu, "RDMSR C000_2000h, outside every range", 5, 0);
	v->rax = 0;
	cpu->regs.rdx = 0;
	kvm_svm_vmrun(cpu);
	if (v->exitcode == SVM_EXIT_HLT && (uint32_t)v->rax == 0x3c &&
	    l2_msr == 0x23)
		tst_res(TPASS, "the guest read the host's RDMSR value and ended with HLT, 0x3c");
	else
		tst_res(TFAIL, "at the end: #VMEXIT 0x%llx, RAX 0x%llx (expected 78h, 0x3c), RDMSR gave the guest 0x%llx (host: 0x23)",
			(unsigned long long)v->exitcode,
			(unsigned long long)v->rax,
			(unsigned long long)l2_msr);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "Nested SVM I/O and MSR permission maps and their EXITINFO",
	.kvmkit_needs = &(const struct tst_kvmkit_needs){ .cpu_features = (const char *const[]){ "svm", NULL } },
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "svm,nested" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
