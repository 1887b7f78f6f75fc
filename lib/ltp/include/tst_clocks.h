/* SPDX-License-Identifier: MIT */
#ifndef TST_CLOCKS_H__
#define TST_CLOCKS_H__

#include <time.h>

/* clock_*(), 0 or -1 with errno */
int tst_clock_getres(clockid_t clk_id, struct timespec *res);
int tst_clock_gettime(clockid_t clk_id, struct timespec *ts);
int tst_clock_settime(clockid_t clk_id, struct timespec *ts);
/* "CLOCK_MONOTONIC" */
const char *tst_clock_name(clockid_t clk_id);

#endif /* TST_CLOCKS_H__ */
