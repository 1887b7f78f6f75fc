/* SPDX-License-Identifier: MIT */
/*
 * Guest addresses to payload source lines.  bin/kvmkit-cc embeds the
 * payload's line table (from its DWARF, as "address line file" text lines)
 * next to the payload image, so a host report can name the test's own
 * file:line for a faulting RIP without shipping the ELF.
 */
#ifndef KVMKIT_LINES_H
#define KVMKIT_LINES_H

#include <stddef.h>
#include <stdint.h>

/*
 * libkvmkit.so is built with -fvisibility=hidden: what is declared
 * between these pragmas is its public API, the only symbols it exports
 * (mk/check-exports.sh checks that).
 */
#pragma GCC visibility push(default)

/*
 * Find the line whose code covers addr: the entry with the greatest
 * address <= addr (an end-of-sequence entry, line 0, means "not covered").
 * file receives the file name, always terminated.  Returns 0, or -ENOENT.
 * Pure: the table is only read, malformed lines are skipped.
 */
int kvmkit_lines_lookup(const char *table, size_t len, uint64_t addr,
			char *file, size_t filelen, unsigned int *line);

#pragma GCC visibility pop

#endif /* KVMKIT_LINES_H */
