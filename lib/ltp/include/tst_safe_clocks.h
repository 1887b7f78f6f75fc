/* SPDX-License-Identifier: MIT */
#ifndef TST_SAFE_CLOCKS_H__
#define TST_SAFE_CLOCKS_H__

#include <time.h>
#include "tst_clocks.h"

int safe_clock_getres(const char *file, const int lineno, clockid_t clk_id,
		      struct timespec *res);
#define SAFE_CLOCK_GETRES(clk_id, res) \
	safe_clock_getres(__FILE__, __LINE__, (clk_id), (res))

int safe_clock_gettime(const char *file, const int lineno, clockid_t clk_id,
		       struct timespec *tp);
#define SAFE_CLOCK_GETTIME(clk_id, tp) \
	safe_clock_gettime(__FILE__, __LINE__, (clk_id), (tp))

int safe_clock_settime(const char *file, const int lineno, clockid_t clk_id,
		       struct timespec *tp);
#define SAFE_CLOCK_SETTIME(clk_id, tp) \
	safe_clock_settime(__FILE__, __LINE__, (clk_id), (tp))

#endif /* TST_SAFE_CLOCKS_H__ */
