/* SPDX-License-Identifier: MIT */
/*
 * A hand-made payload image for the host units that boot a guest without
 * the guest toolchain: the header, the test's machine code at IMG_CODE,
 * strings the test puts between IMG_STRINGS and IMG_VECTORS, and vector
 * stubs that all halt (an exception shows up as a HLT exit).  The page
 * tables, GDT, IDT and TSS sit in the .bss, which ends at IMG_END, the
 * stack top too.
 */
#ifndef KVMKIT_UNIT_IMAGE_H
#define KVMKIT_UNIT_IMAGE_H

#include <stdint.h>
#include <string.h>
#include <kvmkit/abi.h>

/* Guest addresses */
#define IMG_SIZE	0x3000			/* file bytes: 0x1000..0x4000 */
#define IMG_CODE	0x1100
#define IMG_STRINGS	0x1200
#define IMG_VECTORS	0x2000			/* 256 stubs of 16 bytes */
#define IMG_PAGETABLE	0x4000			/* 8 pages, in .bss */
#define IMG_GDT		0xc000
#define IMG_IDT		0xc100
#define IMG_TSS		0xd100
#define IMG_END		0x10000			/* image_end and stack_top */

/* image[] has IMG_SIZE bytes */
static inline void image_make(uint8_t *image, const uint8_t *code,
			      size_t code_size)
{
	struct kvmkit_payload_header h = {
		.magic = KVMKIT_PAYLOAD_MAGIC,
		.abi_version = KVMKIT_ABI_VERSION,
		.header_size = sizeof(h),
		.entry = IMG_CODE,
		.image_end = IMG_END,
		.stack_top = IMG_END,
		.pagetable = IMG_PAGETABLE,
		.gdt = IMG_GDT,
		.idt = IMG_IDT,
		.tss = IMG_TSS,
		.vectors = IMG_VECTORS,
	};

	memset(image, 0, IMG_SIZE);
	memcpy(image, &h, sizeof(h));
	memcpy(image + IMG_CODE - KVMKIT_PAYLOAD_BASE, code, code_size);
	memset(image + IMG_VECTORS - KVMKIT_PAYLOAD_BASE, 0xf4,
	       KVMKIT_VECTOR_COUNT * KVMKIT_VECTOR_STUB_SIZE);
}

/* s at guest address gpa, which lies in the image's file bytes */
static inline void image_put_str(uint8_t *image, uint64_t gpa, const char *s)
{
	strcpy((char *)image + gpa - KVMKIT_PAYLOAD_BASE, s);
}

#endif /* KVMKIT_UNIT_IMAGE_H */
