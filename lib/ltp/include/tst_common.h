/* SPDX-License-Identifier: MIT */
/* Small helpers every LTP test may use without including anything else. */
#ifndef TST_COMMON_H__
#define TST_COMMON_H__

#define LTP_ATTRIBUTE_NORETURN		__attribute__((noreturn))
#define LTP_ATTRIBUTE_UNUSED		__attribute__((unused))
#define LTP_ATTRIBUTE_UNUSED_RESULT	__attribute__((warn_unused_result))

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/* Round x up to a multiple of a, a power of two */
#define LTP_ALIGN(x, a)	__LTP_ALIGN_MASK(x, (typeof(x))(a) - 1)
#define __LTP_ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))

/*
 * Call FUNC until ECHCK(its value) holds, sleeping 1 us, 2 us, 4 us ...
 * between calls, for about MAX_DELAY seconds in all.  Evaluates to the
 * last value FUNC returned.
 */
#define TST_RETRY_FN_EXP_BACKOFF(FUNC, ECHCK, MAX_DELAY) ({		\
	unsigned int tst_delay_ = 1;					\
	unsigned int tst_max_delay_ = (MAX_DELAY) * 1000000;		\
	typeof(FUNC) tst_ret_;						\
	for (;;) {							\
		errno = 0;						\
		tst_ret_ = FUNC;					\
		if (ECHCK(tst_ret_))					\
			break;						\
		if (tst_delay_ >= tst_max_delay_)			\
			break;						\
		usleep(tst_delay_);					\
		tst_delay_ *= 2;					\
	}								\
	tst_ret_;							\
})
#define TST_RETRY_FUNC(FUNC, ECHCK)	TST_RETRY_FN_EXP_BACKOFF(FUNC, ECHCK, 1)
#define TST_RETVAL_EQ0(x)	(!(x))
#define TST_RETVAL_NOTNULL(x)	(!!(x))
#define TST_RETVAL_GE0(x)	((x) >= 0)

#define TST_BUILD_BUG_ON(condition) \
	do { ((void)sizeof(char[1 - 2 * !!(condition)])); } while (0)
#define TST_BRK_SUPPORTS_ONLY_TCONF_TBROK(condition) TST_BUILD_BUG_ON(condition)
#define TST_RES_SUPPORTS_TCONF_TDEBUG_TFAIL_TINFO_TPASS_TWARN(condition) \
	TST_BUILD_BUG_ON(condition)

#define TST_TO_STR_(s)	#s
#define TST_TO_STR(s)	TST_TO_STR_(s)

#endif /* TST_COMMON_H__ */
