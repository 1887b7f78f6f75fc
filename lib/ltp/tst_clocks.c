// SPDX-License-Identifier: MIT
/* Clocks and their SAFE_ wrappers */
#include <time.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"
#include "tst_safe_clocks.h"

int tst_clock_getres(clockid_t clk_id, struct timespec *res)
{
	return clock_getres(clk_id, res);
}

int tst_clock_gettime(clockid_t clk_id, struct timespec *ts)
{
	return clock_gettime(clk_id, ts);
}

int tst_clock_settime(clockid_t clk_id, struct timespec *ts)
{
	return clock_settime(clk_id, ts);
}

const char *tst_clock_name(clockid_t clk_id)
{
	switch (clk_id) {
	case CLOCK_REALTIME: return "CLOCK_REALTIME";
	case CLOCK_MONOTONIC: return "CLOCK_MONOTONIC";
	case CLOCK_PROCESS_CPUTIME_ID: return "CLOCK_PROCESS_CPUTIME_ID";
	case CLOCK_THREAD_CPUTIME_ID: return "CLOCK_THREAD_CPUTIME_ID";
	case CLOCK_MONOTONIC_RAW: return "CLOCK_MONOTONIC_RAW";
	case CLOCK_REALTIME_COARSE: return "CLOCK_REALTIME_COARSE";
	case CLOCK_MONOTONIC_COARSE: return "CLOCK_MONOTONIC_COARSE";
	case CLOCK_BOOTTIME: return "CLOCK_BOOTTIME";
	case CLOCK_REALTIME_ALARM: return "CLOCK_REALTIME_ALARM";
	case CLOCK_BOOTTIME_ALARM: return "CLOCK_BOOTTIME_ALARM";
	case CLOCK_TAI: return "CLOCK_TAI";
	}
	return "INVALID/UNKNOWN CLOCK";
}

/* The SAFE_ verdict on a clock call: a TBROK naming the clock if it failed */
static int clock_ret(const char *file, const int lineno, int ret,
		     const char *call, clockid_t clk_id)
{
	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "%s(%s) failed", call,
			 tst_clock_name(clk_id));
	return ret;
}

int safe_clock_getres(const char *file, const int lineno, clockid_t clk_id,
		      struct timespec *res)
{
	return clock_ret(file, lineno, clock_getres(clk_id, res),
			 "clock_getres", clk_id);
}

int safe_clock_gettime(const char *file, const int lineno, clockid_t clk_id,
		       struct timespec *tp)
{
	return clock_ret(file, lineno, clock_gettime(clk_id, tp),
			 "clock_gettime", clk_id);
}

int safe_clock_settime(const char *file, const int lineno, clockid_t clk_id,
		       struct timespec *tp)
{
	return clock_ret(file, lineno, clock_settime(clk_id, tp),
			 "clock_settime", clk_id);
}
