// SPDX-License-Identifier: MIT
/*
 * libFuzzer: kvmkit_lines_lookup() on an arbitrary line table (the text
 * kvmkit-cc embeds next to a payload), address and file buffer size.
 * The table is its own allocation of exactly its length with no NUL
 * after it, so ASan sees a read past its end; an empty table is also
 * passed as NULL, which once applied an offset to a null pointer.
 *
 * Input: u64 address, u8 file buffer size, then the table.
 */
#include <errno.h>
#include <kvmkit/lines.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint64_t addr = fuzz_u64(&in);
	size_t filelen = fuzz_u8(&in);
	char *table = malloc(in.n ? in.n : 1), *file = malloc(filelen + 1);
	unsigned int line = 0;
	int ret;

	if (!table || !file)
		goto done;
	memcpy(table, in.p, in.n);
	ret = kvmkit_lines_lookup(in.n ? table : NULL, in.n, addr,
				  filelen ? file : NULL, filelen, &line);
	FUZZ_ASSERT(ret == 0 || ret == -ENOENT);
	if (!ret) {
		FUZZ_ASSERT(line != 0);
		if (filelen)
			FUZZ_ASSERT(memchr(file, '\0', filelen) != NULL);
	}
done:
	free(table);
	free(file);
	return 0;
}
