// SPDX-License-Identifier: MIT
/*
 * tst_brk() from a second thread while the main thread waits for it:
 * cleanup runs once (in the breaking thread), then the process exits 2.
 */
#include <pthread.h>
#include "tst_test.h"
#include "tst_safe_pthread.h"

static void *worker(void *arg)
{
	tst_brk(TBROK, "worker broke");
	return arg;
}

static void run(void)
{
	pthread_t tid;

	SAFE_PTHREAD_CREATE(&tid, NULL, worker, NULL);
	SAFE_PTHREAD_JOIN(tid, NULL);
	tst_res(TFAIL, "worker returned from tst_brk()");
}

static void cleanup(void)
{
	tst_res(TINFO, "cleanup ran");
}

static struct tst_test test = {
	.test_all = run,
	.cleanup = cleanup,
};
