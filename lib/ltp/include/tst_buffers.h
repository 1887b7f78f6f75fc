/* SPDX-License-Identifier: MIT */
/*
 * Guarded buffers: each ends right before an inaccessible page, so an
 * overrun faults at once; tst_free_all() releases them all.
 */
#ifndef TST_BUFFERS_H__
#define TST_BUFFERS_H__

#include <stddef.h>

/* size bytes ending at a guard page; page-aligned when size is */
void *tst_alloc(size_t size);
char *tst_strdup(const char *str);
/* printf into a guarded buffer */
char *tst_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Unmap every buffer tst_alloc() returned (thread-safe) */
void tst_free_all(void);

#endif /* TST_BUFFERS_H__ */
