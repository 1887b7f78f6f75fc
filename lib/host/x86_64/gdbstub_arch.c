// SPDX-License-Identifier: MIT
/*
 * The x86-64 registers as gdb's remote protocol numbers them without a
 * target description (what `maint print remote-registers` shows for
 * i386:x86-64): 16 general registers, RIP, EFLAGS, six segment
 * selectors, x87 st0-7 and its control words, xmm0-15, MXCSR; 536 bytes.
 * The registers gdb's Linux ABI adds after them (orig_rax, fs_base,
 * gs_base) are left out, so gdb shows them unavailable.
 */
#include <string.h>
#include "../gdbstub.h"

#define GPRS		16
#define OFF_RIP		128
#define OFF_EFLAGS	136
#define OFF_SEGS	140	/* cs ss ds es fs gs, 4 bytes each */
#define OFF_ST		164	/* st0-7, 10 bytes each */
#define OFF_FCTRL	244	/* fctrl fstat ftag fiseg fioff foseg fooff fop */
#define OFF_XMM		276	/* xmm0-15, 16 bytes each */
#define OFF_MXCSR	532
#define BLOCK		536

int kvmkit_arch_gdb_reg_slot(unsigned int n, size_t *offset, size_t *size)
{
	if (n < GPRS + 1) {
		*offset = 8 * n;
		*size = 8;
	} else if (n < 24) {
		*offset = OFF_EFLAGS + 4 * (n - 17);
		*size = 4;
	} else if (n < 32) {
		*offset = OFF_ST + 10 * (n - 24);
		*size = 10;
	} else if (n < 40) {
		*offset = OFF_FCTRL + 4 * (n - 32);
		*size = 4;
	} else if (n < 56) {
		*offset = OFF_XMM + 16 * (n - 40);
		*size = 16;
	} else if (n == 56) {
		*offset = OFF_MXCSR;
		*size = 4;
	} else {
		return -EINVAL;
	}
	return 0;
}

static __u64 *gpr(struct kvm_regs *r, unsigned int i)
{
	__u64 *const map[GPRS] = {
		&r->rax, &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi,
		&r->rbp, &r->rsp, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return map[i];
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* x86 is little-endian, as gdb's block */
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * FXSAVE's abridged tag (1 bit per register, 1 = valid) to the full tag
 * word gdb shows (2 bits, 3 = empty); a valid register is shown 0
 * (valid): telling zero and special apart would need the values decoded.
 */
static uint32_t full_tag(uint8_t ftwx)
{
	uint32_t tag = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (!(ftwx & (1u << i)))
			tag |= 3u << (2 * i);
	return tag;
}

static uint8_t abridged_tag(uint32_t tag)
{
	uint8_t ftwx = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (((tag >> (2 * i)) & 3) != 3)
			ftwx |= 1u << i;
	return ftwx;
}

long kvmkit_arch_gdb_read_regs(struct kvmkit_vcpu *vcpu, uint8_t *buf,
			       size_t len)
{
	const struct kvm_segment *segs[6];
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_fpu fpu;
	unsigned int i;
	int ret;

	if (len < BLOCK)
		return -ENOSPC;
	ret = kvmkit_vcpu_get_regs(vcpu, &regs);
	if (!ret)
		ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (!ret)
		ret = kvmkit_vcpu_get_fpu(vcpu, &fpu);
	if (ret)
		return ret;
	memset(buf, 0, BLOCK);
	for (i = 0; i < GPRS; i++)
		memcpy(buf + 8 * i, gpr(&regs, i), 8);
	memcpy(buf + OFF_RIP, &regs.rip, 8);
	put32(buf + OFF_EFLAGS, (uint32_t)regs.rflags);
	segs[0] = &sregs.cs, segs[1] = &sregs.ss, segs[2] = &sregs.ds;
	segs[3] = &sregs.es, segs[4] = &sregs.fs, segs[5] = &sregs.gs;
	for (i = 0; i < 6; i++)
		put32(buf + OFF_SEGS + 4 * i, segs[i]->selector);
	for (i = 0; i < 8; i++)
		memcpy(buf + OFF_ST + 10 * i, fpu.fpr[i], 10);
	put32(buf + OFF_FCTRL, fpu.fcw);
	put32(buf + OFF_FCTRL + 4, fpu.fsw);
	put32(buf + OFF_FCTRL + 8, full_tag(fpu.ftwx));
	put32(buf + OFF_FCTRL + 16, (uint32_t)fpu.last_ip);
	put32(buf + OFF_FCTRL + 24, (uint32_t)fpu.last_dp);
	put32(buf + OFF_FCTRL + 28, fpu.last_opcode);
	memcpy(buf + OFF_XMM, fpu.xmm, 16 * 16);
	put32(buf + OFF_MXCSR, fpu.mxcsr);
	return BLOCK;
}

/*
 * Segment selectors are not written: a selector alone is no segment (its
 * descriptor's base, limit and attributes would have to be loaded too).
 */
int kvmkit_arch_gdb_write_regs(struct kvmkit_vcpu *vcpu, const uint8_t *buf,
			       size_t len)
{
	struct kvm_regs regs;
	struct kvm_fpu fpu;
	unsigned int i;
	int ret;

	ret = kvmkit_vcpu_get_regs(vcpu, &regs);
	if (ret)
		return ret;
	for (i = 0; i < GPRS && 8 * (i + 1) <= len; i++)
		memcpy(gpr(&regs, i), buf + 8 * i, 8);
	if (len >= OFF_RIP + 8)
		memcpy(&regs.rip, buf + OFF_RIP, 8);
	if (len >= OFF_EFLAGS + 4)
		regs.rflags = (regs.rflags & ~0xffffffffull) | get32(buf + OFF_EFLAGS);
	ret = kvmkit_vcpu_set_regs(vcpu, &regs);
	if (ret || len < BLOCK)
		return ret;
	ret = kvmkit_vcpu_get_fpu(vcpu, &fpu);
	if (ret)
		return ret;
	for (i = 0; i < 8; i++)
		memcpy(fpu.fpr[i], buf + OFF_ST + 10 * i, 10);
	fpu.fcw = (uint16_t)get32(buf + OFF_FCTRL);
	fpu.fsw = (uint16_t)get32(buf + OFF_FCTRL + 4);
	fpu.ftwx = abridged_tag(get32(buf + OFF_FCTRL + 8));
	fpu.last_ip = get32(buf + OFF_FCTRL + 16);
	fpu.last_dp = get32(buf + OFF_FCTRL + 24);
	fpu.last_opcode = (uint16_t)get32(buf + OFF_FCTRL + 28);
	memcpy(fpu.xmm, buf + OFF_XMM, 16 * 16);
	fpu.mxcsr = get32(buf + OFF_MXCSR);
	return kvmkit_vcpu_set_fpu(vcpu, &fpu);
}

int kvmkit_arch_gdb_set_pc(struct kvmkit_vcpu *vcpu, uint64_t pc)
{
	struct kvm_regs regs;
	int ret = kvmkit_vcpu_get_regs(vcpu, &regs);

	if (ret)
		return ret;
	regs.rip = pc;
	return kvmkit_vcpu_set_regs(vcpu, &regs);
}

/*
 * Which debug exits this KVM really delivers, tried on a throwaway
 * real-mode guest: kvm_pvm lets INT3 reach the guest and ignores data
 * breakpoints, and KVM nested under QEMU TCG delivers neither INT3 nor
 * DR0-3 stops; both single-step.  The stub emulates by single-stepping
 * whatever is missing, so gdb works the same everywhere, only slower.
 */
#define PROBE_CODE	0x1000
#define PROBE_DATA	0x2000
static const uint8_t probe_code[] = {
	0x90,				/* 0x1000: nop */
	0xcc,				/* 0x1001: int3 */
	0xc6, 0x06, 0x00, 0x20, 0x01,	/* 0x1002: movb $1, 0x2000 */
	0x90,				/* 0x1007: nop (DR0) */
	0xf4,				/* 0x1008: hlt */
};
static const uint16_t probe_ivt3[2] = { 0x1100, 0 };	/* INT3 -> hlt */
static const uint8_t probe_hlt = 0xf4;

static int probe_start(struct kvmkit_vcpu *vcpu)
{
	struct kvmkit_debug d = {
		.sw_breakpoints = 1, .n_hw = 2,
		.hw = { { PROBE_CODE + 7, KVMKIT_HW_EXEC, 1 },
			{ PROBE_DATA, KVMKIT_HW_WRITE, 1 } },
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = PROBE_CODE, .rflags = 2, .rsp = 0x1800 };
	int ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);

	if (ret)
		return ret;
	sregs.cs.base = sregs.ds.base = sregs.ss.base = 0;
	sregs.cs.selector = sregs.ds.selector = sregs.ss.selector = 0;
	ret = kvmkit_vcpu_set_sregs(vcpu, &sregs);
	if (!ret)
		ret = kvmkit_vcpu_set_regs(vcpu, &regs);
	if (!ret)
		ret = kvmkit_vcpu_set_debug(vcpu, &d);
	return ret;
}

static void probe_run(struct kvmkit_vcpu *vcpu, struct kvmkit_gdb_caps *caps)
{
	struct kvmkit_exit e;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (kvmkit_vcpu_run_plain(vcpu, &e))
			return;
		if (e.type == KVMKIT_EXIT_DEBUG && e.debug.exception == 3) {
			caps->sw_breakpoints = 1;
		} else if (e.type == KVMKIT_EXIT_DEBUG && e.debug.dr6 & 2) {
			caps->hw_watchpoints = 1;
			continue;
		} else if (e.type == KVMKIT_EXIT_DEBUG && e.debug.dr6 & 1) {
			caps->hw_breakpoints = 1;
			return;
		} else if (e.type != KVMKIT_EXIT_HLT) {
			return;
		}
		/* past the INT3, whether it stopped or reached the guest */
		if (kvmkit_arch_gdb_set_pc(vcpu, PROBE_CODE + 2))
			return;
	}
}

void kvmkit_arch_gdb_probe(struct kvmkit_kvm *kvm, struct kvmkit_gdb_caps *caps)
{
	struct kvmkit_vcpu *vcpu;
	struct kvmkit_vm *vm;

	memset(caps, 0, sizeof(*caps));
	if (kvmkit_vm_create(kvm, &vm))
		return;
	if (!kvmkit_vm_add_memory(vm, 0, 0, 0x10000, 0, NULL) &&
	    !kvmkit_vm_write(vm, PROBE_CODE, probe_code, sizeof(probe_code)) &&
	    !kvmkit_vm_write(vm, 3 * 4, probe_ivt3, sizeof(probe_ivt3)) &&
	    !kvmkit_vm_write(vm, 0x1100, &probe_hlt, 1) &&
	    !kvmkit_vcpu_create(vm, 0, &vcpu) &&
	    !kvmkit_vcpu_set_timeout(vcpu, 2000000000ull) &&
	    !probe_start(vcpu))
		probe_run(vcpu, caps);
	kvmkit_vm_destroy(vm);
}
