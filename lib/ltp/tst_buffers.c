// SPDX-License-Identifier: MIT
/*
 * Guarded buffers.  Each buffer ends where an inaccessible page starts, so
 * writing one byte past it faults at once; the slack before it (when the
 * size is not a page multiple) is filled with a canary checked on free.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define CANARY	0xa5

struct tst_map {
	struct tst_map *next;
	char *addr;		/* the mapping, guard page included */
	size_t size;
	char *buf;
};

static struct tst_map *maps;
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

void *tst_alloc(size_t size)
{
	size_t page = getpagesize();
	size_t data = LTP_ALIGN(size, page);
	struct tst_map *m;
	char *addr;

	if (data < size || data + page < data)
		tst_lib_brk(TBROK, "tst_alloc(%zu): size overflows", size);
	m = malloc(sizeof(*m));
	if (!m) {
		tst_lib_brk(TBROK | TERRNO, "malloc() failed");
		return NULL;
	}
	/*
	 * Plain 4 KiB pages, also for guest RAM: a guest touches few pages
	 * and a transparent huge page costs a 2 MiB clear (~300 us here) on
	 * its first touch, more with a compaction stall; kvm_hello started
	 * ~250 us later and heap_exhaust (a page per MiB) took 6.1 ms
	 * instead of 4.0 ms with MADV_HUGEPAGE.  Only a host filling all of
	 * RAM would gain.
	 */
	addr = mmap(NULL, data + page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		free(m);
		tst_lib_brk(TBROK | TERRNO, "mmap(%zu) failed", data + page);
		return NULL;
	}
	if (mprotect(addr + data, page, PROT_NONE))
		tst_lib_brk(TBROK | TERRNO, "mprotect() of a guard page failed");

	m->addr = addr;
	m->size = data + page;
	m->buf = addr + data - size;
	memset(addr, CANARY, data - size);

	pthread_mutex_lock(&maps_lock);
	m->next = maps;
	maps = m;
	pthread_mutex_unlock(&maps_lock);
	return m->buf;
}

char *tst_strdup(const char *str)
{
	size_t len = strlen(str) + 1;

	return memcpy(tst_alloc(len), str, len);
}

char *tst_aprintf(const char *fmt, ...)
{
	va_list va;
	char *ret;
	int len;

	va_start(va, fmt);
	len = vsnprintf(NULL, 0, fmt, va);
	va_end(va);
	if (len < 0)
		tst_lib_brk(TBROK, "vsnprintf() failed");
	ret = tst_alloc(len + 1);
	va_start(va, fmt);
	vsnprintf(ret, len + 1, fmt, va);
	va_end(va);
	return ret;
}

static void check_canary(const struct tst_map *m)
{
	const char *p;

	for (p = m->addr; p < m->buf; p++) {
		if (*(const unsigned char *)p != CANARY) {
			tst_lib_res(TWARN, "Guarded buffer %p: the bytes before it were overwritten",
				    (void *)m->buf);
			return;
		}
	}
}

void tst_free_all(void)
{
	struct tst_map *m;

	pthread_mutex_lock(&maps_lock);
	m = maps;
	maps = NULL;
	pthread_mutex_unlock(&maps_lock);

	while (m) {
		struct tst_map *next = m->next;

		check_canary(m);
		munmap(m->addr, m->size);
		free(m);
		m = next;
	}
}
