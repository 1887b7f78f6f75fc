// SPDX-License-Identifier: MIT
/*
 * The 32-bit runtime in protected mode with 2-level paging (4 MiB PSE
 * pages): see mode32_checks.h, which holds both halves (COMPILE_PAYLOAD
 * and the host's struct tst_test).  A KVM that cannot run the mode says TCONF
 * with what it did (kvm_pvm drops CR0.PG at KVM_SET_SREGS).
 */
#define MODE32_PAE 0
#include "mode32_checks.h"

KVMKIT_GUEST_MODE(32);
