// SPDX-License-Identifier: MIT
/*
 * An access that crosses a page boundary, one page RAM and the other
 * MMIO (either order), or two MMIO pages that are not contiguous in
 * guest-physical space: each byte goes to the frame its own page maps.
 * The RAM part lands in RAM, the MMIO part reaches the device, every
 * device byte exactly once, with the right value, and nothing outside the
 * operand; a load combines the parts in little-endian order.  How the
 * device part is cut into accesses is the implementation's; it is not
 * judged, only what the accesses cover.
 *
 * Where it is written: Intel SDM Vol. 3A 4.3 / 4.5 (the translation of
 * each linear address is per page: a linear range across a 4 KiB boundary
 * uses the two pages' frames); Vol. 3A 9.1.1 (an access that is not
 * aligned, crossing a page, may be done as several accesses); Vol. 1
 * 1.3.1 (little-endian byte order); Linux
 * Documentation/virt/kvm/api.rst, KVM_EXIT_MMIO.
 */
#define SUITE_DEVICE
#include "kvm_test.h"
#include "kvm_suite.h"

#ifdef COMPILE_PAYLOAD

#define SEED	0x77
#define MMIO_FLAGS	(SUITE_PTE_P | SUITE_PTE_W | SUITE_PTE_PCD)

/* The device bytes [gpa, gpa + len) must be covered exactly once, with val */
struct seg {
	uint64_t gpa;
	unsigned int len;
	const uint8_t *val;
};

static void covered(const char *what, int is_write, const struct seg *s,
		    unsigned int nseg)
{
	unsigned int n = suite_dev_fetch(), i, j, k, bad = n > SUITE_DEV_MAX;
	uint8_t seen[2][8] = { { 0 } };

	for (i = 0; !bad && i < n; i++) {
		const struct suite_io_rec *r = &suite_dev_log[i];

		if (r->is_pio || r->is_write != (uint32_t)is_write || r->count != 1) {
			bad = 1;
			break;
		}
		for (j = 0; !bad && j < r->size; j++) {
			uint64_t a = r->addr + j;

			for (k = 0; k < nseg; k++)
				if (a >= s[k].gpa && a < s[k].gpa + s[k].len)
					break;
			if (k == nseg || seen[k][a - s[k].gpa]++ ||
			    r->data[j] != s[k].val[a - s[k].gpa])
				bad = 1;
		}
	}
	for (k = 0; !bad && k < nseg; k++)
		for (j = 0; j < s[k].len; j++)
			if (seen[k][j] != 1)
				bad = 1;
	if (!bad) {
		tst_res(TPASS, "%s: the device bytes were %s exactly once (%u access%s)",
			what, is_write ? "written" : "read", n, n == 1 ? "" : "es");
		return;
	}
	tst_res(TFAIL, "%s: the %u MMIO accesses served do not cover the device part exactly once:",
		what, n);
	for (k = 0; k < nseg; k++)
		tst_res(TINFO, "  expected 0x%llx, %u bytes",
			(unsigned long long)s[k].gpa, s[k].len);
	for (i = 0; i < n && i < SUITE_DEV_MAX; i++)
		tst_res(TINFO, "  served %s 0x%llx size %u value 0x%llx",
			suite_dev_log[i].is_write ? "write" : "read",
			(unsigned long long)suite_dev_log[i].addr,
			suite_dev_log[i].size,
			(unsigned long long)suite_rec_value(&suite_dev_log[i]));
}

void main(void)
{
	uint8_t *f0 = suite_alloc_page(), *f3 = suite_alloc_page();
	uint8_t pat[8], vb[8];
	uint64_t v = 0x8877665544332211ULL, got = 0, want;
	uintptr_t va0, va2, va4;
	struct seg s[2];
	unsigned int i;

	suite_catch_all();
	suite_dev_map();
	memcpy(vb, &v, 8);
	va0 = suite_map(0, (uintptr_t)f0, SUITE_PTE_P | SUITE_PTE_W);
	suite_map(1, SUITE_DEV_MMIO, MMIO_FLAGS);
	va2 = suite_map(2, SUITE_DEV_MMIO + 0x1000, MMIO_FLAGS);
	suite_map(3, (uintptr_t)f3, SUITE_PTE_P | SUITE_PTE_W);
	va4 = suite_map(4, SUITE_DEV_MMIO + 0x1000, MMIO_FLAGS);
	suite_map(5, SUITE_DEV_MMIO, MMIO_FLAGS);

	/* RAM | MMIO: 4 + 4 bytes, store */
	suite_dev_reset(SEED);
	asm volatile("movq %0, (%1)" : : "r"(v), "r"(va0 + 0xffc) : "memory");
	s[0] = (struct seg){ SUITE_DEV_MMIO, 4, vb + 4 };
	covered("8-byte store, 4 bytes RAM then 4 bytes MMIO", 1, s, 1);
	suite_check_value("8-byte store across RAM | MMIO: the RAM part",
	      *(uint32_t *)(f0 + 0xffc), 0x44332211);

	/* RAM | MMIO: 6 + 2 bytes, load */
	for (i = 0; i < 6; i++)
		f0[0xffa + i] = (uint8_t)(0xc0 + i);
	for (i = 0; i < 8; i++)
		pat[i] = suite_dev_pattern(SEED, i);
	suite_dev_reset(SEED);
	asm volatile("movq (%1), %0" : "=r"(got) : "r"(va0 + 0xffa) : "memory");
	s[0] = (struct seg){ SUITE_DEV_MMIO, 2, pat };
	covered("8-byte load, 6 bytes RAM then 2 bytes MMIO", 0, s, 1);
	want = 0x0000c5c4c3c2c1c0ULL | (uint64_t)pat[0] << 48 | (uint64_t)pat[1] << 56;
	suite_check_value("8-byte load across RAM | MMIO", got, want);

	/* MMIO | RAM: 2 + 2 bytes, store */
	suite_dev_reset(SEED);
	asm volatile("movl %k0, (%1)" : : "r"(v), "r"(va2 + 0xffe) : "memory");
	s[0] = (struct seg){ SUITE_DEV_MMIO + 0x1ffe, 2, vb };
	covered("4-byte store, 2 bytes MMIO then 2 bytes RAM", 1, s, 1);
	suite_check_value("4-byte store across MMIO | RAM: the RAM part",
	      *(uint16_t *)f3, 0x4433);

	/* MMIO | MMIO, second page before the first: 3 + 5 bytes, store */
	suite_dev_reset(SEED);
	asm volatile("movq %0, (%1)" : : "r"(v), "r"(va4 + 0xffd) : "memory");
	s[0] = (struct seg){ SUITE_DEV_MMIO + 0x1ffd, 3, vb };
	s[1] = (struct seg){ SUITE_DEV_MMIO, 5, vb + 3 };
	covered("8-byte store across two MMIO pages, not contiguous", 1, s, 2);

	/* And the load back: the device kept what each part wrote */
	suite_dev_fetch();
	asm volatile("movq (%1), %0" : "=r"(got) : "r"(va4 + 0xffd) : "memory");
	suite_check_value("8-byte load across the same two MMIO pages", got, v);
	suite_finish();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.kvmkit_desc = "An access crossing a page boundary between RAM and MMIO, or two MMIO pages",
	.test_all = suite_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = suite_kvm_cleanup,
	.tags = (const struct tst_tag[]) {
		{ "kvmkit-area", "mmio,emulator,paging" },
		{}
	},
};

#endif /* COMPILE_PAYLOAD */
