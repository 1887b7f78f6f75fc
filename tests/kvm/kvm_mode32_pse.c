// SPDX-License-Identifier: MIT
/*
 * 2-level paging with CR4.PSE = 1 (KVMKIT_GUEST_MODE(32)): a PDE with PS
 * maps a 4 MiB page.
 *
 * - PDE 600 (0x96000000) set to frame 0 with PS: a variable read through
 *   the alias has the value written through the identity map, a write
 *   through the alias is seen through the identity map.
 * - The walk sets the PDE's accessed bit on the read and its dirty bit
 *   on the write (the PDE is the last level of a 4 MiB page).
 * - Bit 21 of a 4 MiB PDE is reserved whatever MAXPHYADDR is (bits 20:13
 *   are PSE-36 address bits): a read raises #PF with P and RSVD (error
 *   code 0x9) and CR2 the address.
 *
 * Where it is written: Intel SDM Vol. 3A 4.3 "32-Bit Paging" (a PDE with
 * PS = 1 and CR4.PSE = 1 maps a 4-MByte page), Table 4-4 (format of a
 * 4-MByte PDE: bit 5 accessed, bit 6 dirty, bits 21:(M-19) reserved with
 * M = min(MAXPHYADDR, 40)), 4.8 (accessed and dirty flags), 4.7 (#PF error
 * code: bit 0 P, bit 3 RSVD).
 */
#include "kvm_test.h"

KVMKIT_GUEST_MODE(32);

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define ALIAS_PDE	600u
#define ALIAS		(ALIAS_PDE << 22)
#define PDE_P		0x1u
#define PDE_RW		0x2u
#define PDE_A		0x20u
#define PDE_D		0x40u
#define PDE_PS		0x80u

static volatile uint32_t var = 0x600dcafe;

static void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static void read_alias(void *arg)
{
	(void)*(volatile uint32_t *)(uintptr_t)(ALIAS + (uintptr_t)arg);
}

void main(void)
{
	volatile uint32_t *pd = (volatile uint32_t *)(kvm_read_cr3() & ~0xfffu);
	volatile uint32_t *alias = (volatile uint32_t *)(ALIAS + (uintptr_t)&var);
	struct kvm_fault f = { 0 };
	uint32_t pde;
	int vec;

	if (!(kvm_read_cr4() & CR4_PSE) || (kvm_read_cr4() & CR4_PAE))
		tst_brk(TBROK, "not in 2-level paging with PSE (CR4 0x%lx)",
			kvm_read_cr4());
	if (pd[ALIAS_PDE] & PDE_P)
		tst_brk(TBROK, "PDE %u is in use", ALIAS_PDE);

	pd[ALIAS_PDE] = PDE_P | PDE_RW | PDE_PS;	/* frame 0, A and D clear */
	invlpg(ALIAS);
	if (*alias == 0x600dcafe)
		tst_res(TPASS, "4 MiB alias reads the identity-mapped variable");
	else
		tst_res(TFAIL, "4 MiB alias read 0x%x, expected 0x600dcafe", *alias);
	pde = pd[ALIAS_PDE];
	if ((pde & (PDE_A | PDE_D)) == PDE_A)
		tst_res(TPASS, "read through the 4 MiB page: PDE.A set, D clear");
	else
		tst_res(TFAIL, "read through the 4 MiB page: PDE 0x%x (A and D)", pde);

	*alias = 0xfeedf00d;
	if (var == 0xfeedf00d)
		tst_res(TPASS, "a write through the alias is seen at the variable");
	else
		tst_res(TFAIL, "variable 0x%x after the alias write", var);
	pde = pd[ALIAS_PDE];
	if ((pde & (PDE_A | PDE_D)) == (PDE_A | PDE_D))
		tst_res(TPASS, "write through the 4 MiB page: PDE.D set");
	else
		tst_res(TFAIL, "write through the 4 MiB page: PDE 0x%x (A and D)", pde);

	pd[ALIAS_PDE] = PDE_P | PDE_RW | PDE_PS | 1u << 21;
	invlpg(ALIAS);
	vec = kvm_call_safe(read_alias, (void *)0x123, &f);
	if (vec == INTR_PAGE_FAULT && f.error_code == 0x9 &&
	    f.cr2 == ALIAS + 0x123)
		tst_res(TPASS, "4 MiB PDE with bit 21: #PF, error code 0x9 (P, RSVD)");
	else
		tst_res(TFAIL, "4 MiB PDE with bit 21: vector %d error code 0x%x CR2 0x%llx, expected #PF 0x9 at 0x%x",
			vec, f.error_code, f.cr2, ALIAS + 0x123);

	pd[ALIAS_PDE] = 0;
	invlpg(ALIAS);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "2-level paging with CR4.PSE = 1 (KVMKIT_GUEST_MODE(32))",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mode32" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
