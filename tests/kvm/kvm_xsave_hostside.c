// SPDX-License-Identifier: MIT
/*
 * Extended state through the host: the guest loads known values into
 * XMM0-15 (and YMM0-15, ZMM0-31, k0-k7 where CPUID offers AVX/AVX-512
 * and they run), MXCSR included, and exits with an OUT.  KVM_GET_XSAVE
 * must show exactly those values at the XSAVE standard-format places
 * (MXCSR at byte 24, XMM n at 160 + 16n, each component at the offset
 * CPUID.(EAX=0DH,ECX=i).EBX gives, with its XSTATE_BV bit set since the
 * values are not the initial ones); the host writes other values there
 * and KVM_SET_XSAVE loads them: the guest then reads the host's values
 * in its registers.
 *
 * Where it is written: Intel SDM Vol. 1 13.4 "XSAVE Area" (legacy region:
 * MXCSR at byte 24, XMM registers from byte 160; XSAVE header at 512 with
 * XSTATE_BV), 13.4.3 and 13.5 (component i at CPUID.(0DH,i).EBX in the
 * standard format: YMM_Hi128 = bits 255:128 of YMM0-15, opmask = k0-k7,
 * ZMM_Hi256 = bits 511:256 of ZMM0-15, Hi16_ZMM = ZMM16-31), 13.6
 * (XSTATE_BV[i] = 0: component i in its initial configuration); Linux
 * Documentation/virt/kvm/api.rst "KVM_GET_XSAVE"/"KVM_SET_XSAVE" (the
 * vCPU's xsave struct, in the XSAVE layout).
 */
#include "kvm_test.h"
#include "kvm_suite.h"
#include "kvm_xsave.h"

/* Both sides: the exit port, the seeds and the pattern of every byte */
#define XS_PORT		0x510
#define SEED_GUEST	0x21
#define SEED_HOST	0x6b
#define XS_K64		(1U << 31)	/* in the OUT value: k0-k7 are 64 bits */
#define XS_BYTE(seed, reg, byte) \
	((uint8_t)((seed) * 37 + (reg) * 64 + (byte) * 7 + 1))
#define XS_K(seed, r)	(0x0123456789abcdefULL * ((seed) + (r) + 1))
#define XS_MXCSR(seed)	(0x1f80U | ((seed) & 3) << 13)

#ifdef COMPILE_PAYLOAD

static struct kvm_vregs want, got;
static uint8_t probe_buf[128] __attribute__((aligned(64)));
static uint64_t mask;

static int probe_failed(const char *what)
{
	int r = suite_end();

	if (r == NO_EXCEPTION)
		return 0;
	tst_res(TFAIL, "%s with XCR0 0x%llx (offered by CPUID): %s instead of executing",
		what, (unsigned long long)mask, suite_vector_name(r));
	return 1;
}

static void enable(uint64_t m)
{
	int ret = kvm_enable_xsave(m);

	if (ret)
		tst_brk(TBROK, "kvm_enable_xsave(0x%llx) = %d",
			(unsigned long long)m, ret);
	mask = m;
}

/*
 * The widest of SSE, AVX, AVX-512 that CPUID offers, as XCR0 bits and as
 * instructions (CPUID.1:ECX.AVX, CPUID.7.0:EBX.AVX512F)
 */
static void choose_mask(void)
{
	uint64_t m = suite_xsave_enable_widest();

	enable(m);
	if (m & KVM_XFEATURE_AVX) {
		suite_begin();
		asm volatile(SUITE_TRY("vmovdqu %%ymm1, (%0)")
			     : : "r"(probe_buf) : "memory");
		if (probe_failed("VMOVDQU ymm1 (VEX)"))
			m &= ~(KVM_XFEATURE_AVX | KVM_XFEATURE_AVX512);
	}
	if (m & KVM_XFEATURE_AVX512) {
		suite_begin();
		asm volatile(SUITE_TRY("vmovdqu64 %%zmm17, (%0)")
			     : : "r"(probe_buf) : "memory");
		if (probe_failed("VMOVDQU64 zmm17 (EVEX)"))
			m &= ~KVM_XFEATURE_AVX512;
	}
	if (m != mask)
		enable(m);
}

static void fill(struct kvm_vregs *v, uint32_t seed)
{
	unsigned int r, b;
	int k64 = !!(suite_cpuid(7, 0).ebx & 1U << 30);	/* AVX512BW */

	memset(v, 0, sizeof(*v));
	for (r = 0; r < 32; r++)
		for (b = 0; b < 64; b++)
			v->zmm[r][b] = XS_BYTE(seed, r, b);
	for (r = 0; r < 8; r++)
		v->k[r] = k64 ? XS_K(seed, r) : XS_K(seed, r) & 0xffff;
	v->mxcsr = XS_MXCSR(seed);
	/* What the registers of mask cannot hold stays out of the compare */
	if (!(mask & KVM_XFEATURE_AVX512)) {
		memset(v->zmm[16], 0, 16 * 64);
		for (r = 0; r < 16; r++)
			memset(v->zmm[r] + 32, 0, 32);
	}
	if (!(mask & KVM_XFEATURE_AVX))
		for (r = 0; r < 16; r++)
			memset(v->zmm[r] + 16, 0, 16);
}

void main(void)
{
	int k64 = !!(suite_cpuid(7, 0).ebx & 1U << 30);
	char diff[120];

	suite_catch_all();
	choose_mask();
	fill(&want, SEED_GUEST);
	kvm_vregs_load(&want, mask);
	asm volatile("outl %0, %1" : : "a"((uint32_t)mask | (k64 ? XS_K64 : 0)),
		     "Nd"((uint16_t)XS_PORT) : "memory");
	kvm_vregs_store(&got, mask);
	fill(&want, SEED_HOST);
	if (kvm_vregs_diff(&want, &got, mask, diff, sizeof(diff)))
		tst_res(TFAIL, "after KVM_SET_XSAVE (XCR0 0x%llx): %s",
			(unsigned long long)mask, diff);
	else
		tst_res(TPASS, "after KVM_SET_XSAVE (XCR0 0x%llx): the registers hold the host's values",
			(unsigned long long)mask);
	kvm_disable_xsave();
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

#include <cpuid.h>

/* Standard-format offset of component i: the host CPU's, as KVM's uABI */
static unsigned int comp_offset(unsigned int i)
{
	unsigned int a, b, c, d;

	__cpuid_count(0xd, i, a, b, c, d);
	(void)a; (void)c; (void)d;
	return b;
}

/*
 * Where each register slice lives: XMM n, YMM n's 255:128, ZMM n's
 * 511:256 (n < 16), ZMM n (n >= 16); calls fn(area offset, reg, first
 * byte, length) for the slices mask covers.
 */
static void for_each_slice(uint64_t mask,
	void (*fn)(uint8_t *area, unsigned int off, unsigned int reg,
		   unsigned int byte, unsigned int len, uint32_t seed, int *bad),
	uint8_t *area, uint32_t seed, int *bad)
{
	unsigned int r;

	for (r = 0; r < 16; r++)
		fn(area, 160 + 16 * r, r, 0, 16, seed, bad);
	if (mask & 4)
		for (r = 0; r < 16; r++)
			fn(area, comp_offset(2) + 16 * r, r, 16, 16, seed, bad);
	if (mask & 0x40)
		for (r = 0; r < 16; r++)
			fn(area, comp_offset(6) + 32 * r, r, 32, 32, seed, bad);
	if (mask & 0x80)
		for (r = 16; r < 32; r++)
			fn(area, comp_offset(7) + 64 * (r - 16), r, 0, 64, seed,
			   bad);
}

static void check_slice(uint8_t *area, unsigned int off, unsigned int reg,
			unsigned int byte, unsigned int len, uint32_t seed,
			int *bad)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (area[off + i] != XS_BYTE(seed, reg, byte + i)) {
			if (!*bad)
				tst_res(TFAIL, "KVM_GET_XSAVE: register %u byte %u (area offset %u) is 0x%02x, the guest loaded 0x%02x",
					reg, byte + i, off + i, area[off + i],
					XS_BYTE(seed, reg, byte + i));
			(*bad)++;
			return;
		}
	}
}

static void write_slice(uint8_t *area, unsigned int off, unsigned int reg,
			unsigned int byte, unsigned int len, uint32_t seed,
			int *bad)
{
	unsigned int i;

	(void)bad;
	for (i = 0; i < len; i++)
		area[off + i] = XS_BYTE(seed, reg, byte + i);
}

static void host_xsave(struct kvmkit_vcpu *vcpu, uint32_t arg)
{
	uint64_t mask = arg & ~XS_K64, bv, k;
	struct kvm_xsave xs;
	uint8_t *a = (uint8_t *)xs.region;
	unsigned int r, koff = comp_offset(5);
	uint32_t mxcsr;
	int bad = 0;

	if (mask & ~0xe7ULL || !(mask & 2))
		tst_brk(TBROK, "guest sent XCR0 0x%llx", (unsigned long long)mask);
	if (kvmkit_vcpu_get_xsave(vcpu, &xs))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	memcpy(&bv, a + 512, 8);
	memcpy(&mxcsr, a + 24, 4);
	if ((bv & mask & ~1ULL) != (mask & ~1ULL)) {
		tst_res(TFAIL, "KVM_GET_XSAVE: XSTATE_BV 0x%llx lacks components of 0x%llx the guest loaded non-initial values into",
			(unsigned long long)bv, (unsigned long long)mask);
		bad++;
	}
	if (mxcsr != XS_MXCSR(SEED_GUEST)) {
		tst_res(TFAIL, "KVM_GET_XSAVE: MXCSR 0x%x, the guest loaded 0x%x",
			mxcsr, XS_MXCSR(SEED_GUEST));
		bad++;
	}
	for_each_slice(mask, check_slice, a, SEED_GUEST, &bad);
	if (mask & 0x20)
		for (r = 0; r < 8; r++) {
			memcpy(&k, a + koff + 8 * r, 8);
			if (k != (arg & XS_K64 ? XS_K(SEED_GUEST, r) :
				  (XS_K(SEED_GUEST, r) & 0xffff))) {
				tst_res(TFAIL, "KVM_GET_XSAVE: k%u 0x%llx", r,
					(unsigned long long)k);
				bad++;
				break;
			}
		}
	if (!bad)
		tst_res(TPASS, "KVM_GET_XSAVE (XCR0 0x%llx): MXCSR, XMM%s%s hold the guest's values at the standard-format offsets, XSTATE_BV 0x%llx",
			(unsigned long long)mask, mask & 4 ? ", YMM_Hi128" : "",
			mask & 0x20 ? ", opmask, ZMM_Hi256, Hi16_ZMM" : "",
			(unsigned long long)bv);

	mxcsr = XS_MXCSR(SEED_HOST);
	memcpy(a + 24, &mxcsr, 4);
	for_each_slice(mask, write_slice, a, SEED_HOST, &bad);
	if (mask & 0x20)
		for (r = 0; r < 8; r++) {
			k = arg & XS_K64 ? XS_K(SEED_HOST, r) :
				XS_K(SEED_HOST, r) & 0xffff;
			memcpy(a + koff + 8 * r, &k, 8);
		}
	bv |= mask & ~1ULL;
	memcpy(a + 512, &bv, 8);
	if (kvmkit_vcpu_set_xsave(vcpu, &xs))
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
}

/* XS_PORT: the guest asks the host for KVM_GET_XSAVE/KVM_SET_XSAVE */
static int on_xs_port(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io,
		      void *opaque)
{
	uint32_t nr;

	(void)opaque;
	if (!io->is_write || io->size != 4 || io->count != 1)
		return KVMKIT_UNHANDLED;
	memcpy(&nr, io->data, sizeof(nr));
	host_xsave(vcpu, nr);
	return KVMKIT_RESUME;
}

static void attach_xs_port(struct kvmkit_vm *vm)
{
	if (kvmkit_vm_add_pio_handler(vm, XS_PORT, 1, on_xs_port, NULL))
		tst_brk(TBROK, "%s", kvmkit_vm_error(vm));
}

static void run(void)
{
	suite_attach = attach_xs_port;
	suite_kvm_run();
}

static struct tst_test test = {
	.kvmkit_desc = "Extended state through the host",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "xsave,hostside" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
