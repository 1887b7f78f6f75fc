/* SPDX-License-Identifier: MIT */
/* TEST() and the result checks built on it */
#ifndef TST_TEST_MACROS_H__
#define TST_TEST_MACROS_H__

#include <errno.h>

extern long TST_RET;
extern int TST_ERR;
extern int TST_PASS;
extern void *TST_RET_PTR;

#define TEST(SCALL) do {			\
	errno = 0;				\
	TST_RET = SCALL;			\
	TST_ERR = errno;			\
} while (0)

#define TESTPTR(SCALL) do {			\
	errno = 0;				\
	TST_RET_PTR = (void *)(SCALL);		\
	TST_ERR = errno;			\
} while (0)

/* SCALL must return 0 (or, for _FD, a descriptor); TPASS/TFAIL */
#define TST_EXP_PASS(SCALL) do {					\
	TEST(SCALL);							\
	TST_PASS = 0;							\
	if (TST_RET == -1) {						\
		tst_res(TFAIL | TTERRNO, #SCALL " failed");		\
	} else if (TST_RET != 0) {					\
		tst_res(TFAIL | TTERRNO,				\
			#SCALL " invalid retval %ld", TST_RET);		\
	} else {							\
		tst_res(TPASS, #SCALL " passed");			\
		TST_PASS = 1;						\
	}								\
} while (0)

#define TST_EXP_FD(SCALL) do {						\
	TEST(SCALL);							\
	TST_PASS = 0;							\
	if (TST_RET < 0) {						\
		tst_res(TFAIL | TTERRNO, #SCALL " failed");		\
	} else {							\
		tst_res(TPASS, #SCALL " returned fd %ld", TST_RET);	\
		TST_PASS = 1;						\
	}								\
} while (0)

/* SCALL must fail with -1 and errno ERRNO */
#define TST_EXP_FAIL(SCALL, ERRNO) do {					\
	TEST(SCALL);							\
	TST_PASS = 0;							\
	if (TST_RET != -1) {						\
		tst_res(TFAIL, #SCALL " succeeded (returned %ld)",	\
			TST_RET);					\
	} else if (TST_ERR != (ERRNO)) {				\
		tst_res(TFAIL | TTERRNO, #SCALL " expected %s",		\
			tst_strerrno(ERRNO));				\
	} else {							\
		tst_res(TPASS | TTERRNO, #SCALL " failed as expected");	\
		TST_PASS = 1;						\
	}								\
} while (0)

#define TST_EXP_EQ_LI(VAL_A, VAL_B) do {				\
	long long tst_a_ = (VAL_A), tst_b_ = (VAL_B);			\
	if (tst_a_ == tst_b_)						\
		tst_res(TPASS, #VAL_A " == " #VAL_B " (%lli)", tst_a_);	\
	else								\
		tst_res(TFAIL, #VAL_A " (%lli) != " #VAL_B " (%lli)",	\
			tst_a_, tst_b_);				\
} while (0)

#define TST_EXP_EQ_LU(VAL_A, VAL_B) do {				\
	unsigned long long tst_a_ = (VAL_A), tst_b_ = (VAL_B);		\
	if (tst_a_ == tst_b_)						\
		tst_res(TPASS, #VAL_A " == " #VAL_B " (%llu)", tst_a_);	\
	else								\
		tst_res(TFAIL, #VAL_A " (%llu) != " #VAL_B " (%llu)",	\
			tst_a_, tst_b_);				\
} while (0)

#define TST_EXP_EXPR(EXPR, ...)						\
	tst_res((EXPR) ? TPASS : TFAIL, "Expect: " #EXPR)

#endif /* TST_TEST_MACROS_H__ */
