/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/host: what payload loading (lib/host/payload.c), booting
 * (x86_64/boot.c) and result reading (report.c) share about the payload
 * image.  The header's addresses are x86 tables, so the check lives here.
 */
#ifndef KVMKIT_HOST_X86_64_PAYLOAD_H
#define KVMKIT_HOST_X86_64_PAYLOAD_H

#include "internal.h"

#define KVMKIT_X86_TSS_SIZE	104

/*
 * Bytes of writable RAM contiguous from guest-physical 0, over every used
 * memory slot in any order (read-only slots are ROM, not RAM).
 */
uint64_t kvmkit_ram_size(const struct kvmkit_vm *vm);

/*
 * Check a payload header whose image has file_end bytes' worth of code and
 * data (guest addresses [KVMKIT_PAYLOAD_BASE, file_end)) against ram_size
 * bytes of RAM.  Returns 0, or -ENOEXEC with the reason in why.
 */
int kvmkit_arch_payload_check(const struct kvmkit_payload_header *hdr,
			      uint64_t file_end, uint64_t ram_size,
			      char *why, size_t whylen);

/*
 * Boot vcpu into the 32-bit protected mode h->guest_mode names
 * (x86_64/boot32.c): called by kvmkit_payload_boot_cpu() with a checked header.
 */
int kvmkit_arch_boot32(struct kvmkit_vcpu *vcpu,
		       const struct kvmkit_payload_header *h);

/*
 * The SMP descriptor of the payload in vm's memory (re-read: the guest
 * may have changed it), checked: 0 with *d (cpus 1 and no areas when the
 * payload has none), or -errno with the reason in why.
 */
int kvmkit_payload_smp_read(const struct kvmkit_vm *vm,
			    struct kvmkit_smp_desc *d, char *why, size_t len);

#endif /* KVMKIT_HOST_X86_64_PAYLOAD_H */
