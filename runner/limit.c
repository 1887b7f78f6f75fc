/* SPDX-License-Identifier: MIT */
/*
 * Each test's wall-clock limit, from what it declares (--meta "timeout")
 * rather than one global default:
 *
 *   -t SEC given          SEC for every test, declared or not
 *   declared overall_s N  N * LTP_TIMEOUT_MUL, plus KVMKIT_TIMEOUT when set,
 *                         plus 10 % (at least 2 s) of grace; 0 = unlimited
 *   nothing declared      60 s * LTP_TIMEOUT_MUL
 *
 * overall_s is the test's own watchdog as --meta prints it, unscaled; the
 * test scales its parts by the same LTP_TIMEOUT_MUL (and replaces its
 * guest part by KVMKIT_TIMEOUT), so N * MUL + KVMKIT_TIMEOUT is never
 * below it.  The grace lets the test's watchdog fire first: it reports
 * from inside the test, with the guest's state, which a SIGKILL cannot.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "runner.h"

#define DEFAULT_LIMIT	60.0
#define GRACE_MIN	2.0
#define GRACE_RATIO	0.1

/* "1.5" in [min, max]; -EINVAL for anything else, nan and inf included */
static int parse_number(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * LTP_TIMEOUT_MUL and KVMKIT_TIMEOUT as the tests will read them: a value
 * they would reject is one line and exit 2 here, before any test runs.
 */
int limit_env(struct options *opt)
{
	const char *mul = getenv("LTP_TIMEOUT_MUL");
	const char *kt = getenv("KVMKIT_TIMEOUT");

	opt->timeout_mul = 1;
	opt->kvmkit_timeout = 0;
	if (mul && *mul && parse_number(mul, 1, 10000, &opt->timeout_mul)) {
		fprintf(stderr, "kvmkit-run: invalid LTP_TIMEOUT_MUL '%s': must be a "
			"number >= 1 (and <= 10000)\n", mul);
		return RUN_USAGE;
	}
	if (kt && *kt && parse_number(kt, 0, 1e6, &opt->kvmkit_timeout)) {
		fprintf(stderr, "kvmkit-run: invalid KVMKIT_TIMEOUT '%s': must be "
			"seconds, 0 to 1e6\n", kt);
		return RUN_USAGE;
	}
	return 0;
}

void limit_set(struct test *t, const struct options *opt)
{
	const struct meta *m = t->meta;
	double v;

	if (opt->timeout > 0) {
		t->limit = opt->timeout;
		t->limit_src = LIMIT_OPTION;
	} else if (m && m->known && m->has_timeout && !m->overall_s) {
		t->limit = 0;
		t->limit_src = LIMIT_NONE;
	} else if (m && m->known && m->has_timeout) {
		v = m->overall_s * opt->timeout_mul + opt->kvmkit_timeout;
		t->limit = v + (v * GRACE_RATIO > GRACE_MIN ? v * GRACE_RATIO : GRACE_MIN);
		t->limit_src = LIMIT_DECLARED;
	} else {
		t->limit = DEFAULT_LIMIT * opt->timeout_mul;
		t->limit_src = LIMIT_DEFAULT;
	}
}

/* "timed out after 3.1 s (its declared 1 s, with LTP_TIMEOUT_MUL 1 ...)" */
void limit_describe(const struct test *t, const struct options *opt,
		    char *buf, size_t len)
{
	switch (t->limit_src) {
	case LIMIT_OPTION:
		snprintf(buf, len, "timed out after %g s (-t)", t->limit);
		break;
	case LIMIT_DECLARED:
		snprintf(buf, len, "timed out after %.3g s (declares %lu s, "
			 "LTP_TIMEOUT_MUL %g, plus grace)", t->limit,
			 t->meta->overall_s, opt->timeout_mul);
		break;
	default:
		snprintf(buf, len, "timed out after %g s (declares no timeout: "
			 "the default %g s * LTP_TIMEOUT_MUL %g)", t->limit,
			 DEFAULT_LIMIT, opt->timeout_mul);
	}
}
