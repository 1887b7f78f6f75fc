/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host: the x86-64 types behind the _arch_ interface that
 * generic files hold by value.  internal.h includes it, the one place the
 * architecture is chosen.
 */
#ifndef KVMKIT_HOST_X86_64_ARCH_H
#define KVMKIT_HOST_X86_64_ARCH_H

#include <stdint.h>

/* What a guest-virtual translation needs: the paging control registers */
struct kvmkit_arch_mmu {
	uint64_t cr0, cr3, cr4, efer;
};

#endif /* KVMKIT_HOST_X86_64_ARCH_H */
