/* SPDX-License-Identifier: MIT */
/* Type-checked MIN()/MAX() */
#ifndef TST_MINMAX_H__
#define TST_MINMAX_H__

#include <sys/param.h>	/* defines MIN/MAX itself: replace them */
#undef MIN
#undef MAX

#define MIN(a, b) ({				\
	typeof(a) tst_a_ = (a);			\
	typeof(b) tst_b_ = (b);			\
	(void)(&tst_a_ == &tst_b_);		\
	tst_a_ < tst_b_ ? tst_a_ : tst_b_;	\
})
#define MAX(a, b) ({				\
	typeof(a) tst_a_ = (a);			\
	typeof(b) tst_b_ = (b);			\
	(void)(&tst_a_ == &tst_b_);		\
	tst_a_ > tst_b_ ? tst_a_ : tst_b_;	\
})

#endif /* TST_MINMAX_H__ */
