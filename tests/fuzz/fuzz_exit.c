// SPDX-License-Identifier: MIT
/*
 * libFuzzer: kvmkit_exit_decode() on arbitrary kvm_run contents, mapping
 * sizes (smaller than struct kvm_run too), KVM_RUN return values and
 * errnos; then kvmkit_exit_describe() into buffers of every small size.
 * The mapping is its own allocation of exactly run_size bytes, so a
 * decoded pointer or a read past the mapping is an ASan report; every
 * pointer handed out is also checked to lie inside it.
 *
 * Input: u16 size, u8 mode, u8 errno, u8 describe length, then the
 * mapping's bytes (zeros past the input).
 */
#include <errno.h>
#include "fuzz.h"

/* What KVM maps on x86: kvm_run, the PIO page, the coalesced MMIO ring */
#define MAP_MAX		(3 * 4096)

static size_t run_size_of(uint16_t sel, uint8_t mode)
{
	if (mode & 0x80)	/* a truncated mapping, down to nothing */
		return sel % (sizeof(struct kvm_run) + 1);
	return sizeof(struct kvm_run) + sel % (MAP_MAX - sizeof(struct kvm_run) + 1);
}

static int inside(const uint8_t *map, size_t map_size, const uint8_t *p,
		  uint64_t len)
{
	return p >= map && (size_t)(p - map) <= map_size &&
	       len <= map_size - (size_t)(p - map);
}

static void check_exit(const struct kvmkit_exit *e, const uint8_t *map,
		       size_t map_size, int ret)
{
	volatile uint8_t sink = 0;
	uint64_t i, n;

	FUZZ_ASSERT(ret == 0 || ret == -EPROTO);
	FUZZ_ASSERT((unsigned int)e->type < KVMKIT_EXIT_TYPE_COUNT);
	if (ret)
		FUZZ_ASSERT(e->type == KVMKIT_EXIT_UNKNOWN);

	switch (e->type) {
	case KVMKIT_EXIT_IO_IN:
	case KVMKIT_EXIT_IO_OUT:
		FUZZ_ASSERT(e->io.size == 1 || e->io.size == 2 || e->io.size == 4);
		n = (uint64_t)e->io.size * e->io.count;
		FUZZ_ASSERT(n && inside(map, map_size, e->io.data, n));
		for (i = 0; i < n; i++)
			sink ^= e->io.data[i];
		break;
	case KVMKIT_EXIT_MMIO_READ:
	case KVMKIT_EXIT_MMIO_WRITE:
		FUZZ_ASSERT(e->mmio.len <= 8);
		FUZZ_ASSERT(inside(map, map_size, e->mmio.data, e->mmio.len));
		for (i = 0; i < e->mmio.len; i++)
			sink ^= e->mmio.data[i];
		break;
	case KVMKIT_EXIT_INTERNAL_ERROR:
		FUZZ_ASSERT(e->internal.ndata <= 16);
		break;
	case KVMKIT_EXIT_SYSTEM_EVENT:
		FUZZ_ASSERT(e->system_event.ndata <= 16);
		break;
	case KVMKIT_EXIT_ERROR:
		FUZZ_ASSERT(e->error > 0);
		break;
	default:
		break;
	}
	(void)sink;
}

static void check_describe(const struct kvmkit_exit *e, size_t len)
{
	char *buf = malloc(len ? len : 1);
	size_t n;

	if (!buf)
		return;
	n = kvmkit_exit_describe(e, len ? buf : NULL, len);
	if (len) {
		FUZZ_ASSERT(n < len);
		FUZZ_ASSERT(buf[n] == '\0' && strlen(buf) == n);
	} else {
		FUZZ_ASSERT(n == 0);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint16_t sel = fuzz_u16(&in);
	uint8_t mode = fuzz_u8(&in);
	int run_errno = (int8_t)fuzz_u8(&in);
	size_t desc_len = fuzz_u8(&in), map_size = run_size_of(sel, mode);
	int run_ret = (mode & 1) ? -1 : (mode & 2) ? (int8_t)mode : 0;
	uint8_t *map = malloc(map_size ? map_size : 1);
	struct kvmkit_exit e;
	size_t n;
	int ret;

	if (!map)
		return 0;
	n = in.n < map_size ? in.n : map_size;
	memcpy(map, in.p, n);
	memset(map + n, 0, map_size - n);

	/* mode bit 2: no mapping at all, as before the first KVM_RUN */
	ret = kvmkit_exit_decode((mode & 4) ? NULL : (struct kvm_run *)map,
				 map_size, run_ret, run_errno, &e);
	check_exit(&e, map, map_size, ret);
	check_describe(&e, desc_len);
	FUZZ_ASSERT(kvmkit_exit_type_name(e.type) != NULL);
	FUZZ_ASSERT(kvmkit_exit_reason_name(e.reason) != NULL);
	/* the describer must survive types the decoder never produces */
	e.type = (enum kvmkit_exit_type)(sel % (KVMKIT_EXIT_TYPE_COUNT + 2));
	if (e.type != KVMKIT_EXIT_IO_IN && e.type != KVMKIT_EXIT_IO_OUT &&
	    e.type != KVMKIT_EXIT_MMIO_READ && e.type != KVMKIT_EXIT_MMIO_WRITE)
		check_describe(&e, desc_len);
	free(map);
	return 0;
}
