/* SPDX-License-Identifier: MIT */
/* struct timespec arithmetic, as LTP's tst_timer.h names it */
#ifndef TST_TIMER_H__
#define TST_TIMER_H__

#include <time.h>
#include <sys/time.h>

static inline long long tst_timespec_to_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline long long tst_timespec_to_us(struct timespec t)
{
	return t.tv_sec * 1000000LL + (t.tv_nsec + 500) / 1000;
}

static inline long long tst_timespec_to_ms(struct timespec t)
{
	return t.tv_sec * 1000LL + (t.tv_nsec + 500000) / 1000000;
}

static inline struct timespec tst_timespec_from_us(long long us)
{
	struct timespec t = {
		.tv_sec = us / 1000000,
		.tv_nsec = (us % 1000000) * 1000,
	};

	return t;
}

static inline struct timespec tst_timespec_from_ms(long long ms)
{
	return tst_timespec_from_us(ms * 1000);
}

/* t1 - t2 */
static inline struct timespec tst_timespec_diff(struct timespec t1,
						struct timespec t2)
{
	struct timespec r = {
		.tv_sec = t1.tv_sec - t2.tv_sec,
		.tv_nsec = t1.tv_nsec - t2.tv_nsec,
	};

	if (r.tv_nsec < 0) {
		r.tv_sec--;
		r.tv_nsec += 1000000000;
	}
	return r;
}

static inline long long tst_timespec_diff_ns(struct timespec t1,
					     struct timespec t2)
{
	return tst_timespec_to_ns(t1) - tst_timespec_to_ns(t2);
}

static inline long long tst_timespec_diff_us(struct timespec t1,
					     struct timespec t2)
{
	return tst_timespec_to_us(tst_timespec_diff(t1, t2));
}

static inline long long tst_timespec_diff_ms(struct timespec t1,
					     struct timespec t2)
{
	return tst_timespec_to_ms(tst_timespec_diff(t1, t2));
}

static inline struct timespec tst_timespec_add(struct timespec t1,
					       struct timespec t2)
{
	struct timespec r = {
		.tv_sec = t1.tv_sec + t2.tv_sec,
		.tv_nsec = t1.tv_nsec + t2.tv_nsec,
	};

	if (r.tv_nsec >= 1000000000) {
		r.tv_sec++;
		r.tv_nsec -= 1000000000;
	}
	return r;
}

static inline struct timespec tst_timespec_add_us(struct timespec t,
						  long long us)
{
	return tst_timespec_add(t, tst_timespec_from_us(us));
}

static inline struct timespec tst_timespec_sub_us(struct timespec t,
						  long long us)
{
	return tst_timespec_diff(t, tst_timespec_from_us(us));
}

static inline long long tst_timespec_abs_diff_us(struct timespec t1,
						 struct timespec t2)
{
	long long d = tst_timespec_diff_us(t1, t2);

	return d < 0 ? -d : d;
}

static inline long long tst_timespec_abs_diff_ms(struct timespec t1,
						 struct timespec t2)
{
	long long d = tst_timespec_diff_ms(t1, t2);

	return d < 0 ? -d : d;
}

/* t1 < t2 */
static inline int tst_timespec_lt(struct timespec t1, struct timespec t2)
{
	if (t1.tv_sec == t2.tv_sec)
		return t1.tv_nsec < t2.tv_nsec;
	return t1.tv_sec < t2.tv_sec;
}

static inline long long tst_timeval_to_us(struct timeval t)
{
	return t.tv_sec * 1000000LL + t.tv_usec;
}

static inline long long tst_timeval_diff_us(struct timeval t1,
					    struct timeval t2)
{
	return tst_timeval_to_us(t1) - tst_timeval_to_us(t2);
}

#endif /* TST_TIMER_H__ */
