/* SPDX-License-Identifier: MIT */
/*
 * kvmkit-run [options] [--dir DIR]... [BINARY...]
 *
 * Exit status (RUN_* in runner.h): 0 when no test failed, broke or timed
 * out (and, under --strict on a host with /dev/kvm, none was skipped);
 * 1 otherwise; 2 for a usage error; 3 when no test matched; 130 when
 * interrupted.  Every bad input is one line on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runner.h"

#define USAGE "usage: kvmkit-run [-j N] [-t SEC] [-v] [--unit] [--strict] " \
	"[--tap] [--junit FILE] [--dir DIR]... [BINARY...]"

static const char help[] =
	USAGE "\n\n"
	"Runs test binaries (every executable file in each DIR, sorted, then\n"
	"each BINARY) in parallel, each in its own process group, and prints\n"
	"one line per test as it finishes, with its output indented below\n"
	"unless it passed.\n\n"
	"  -j, --jobs N      tests at a time (default: online CPUs)\n"
	"  -t, --timeout SEC wall-clock limit per test (default 60); the test's\n"
	"                    whole process group is then killed: BROK\n"
	"  -v, --verbose     show the output of passing tests too\n"
	"      --unit        exit codes 0 pass, 77 skip, else fail (default:\n"
	"                    LTP's: bits 1 TFAIL, 2 TBROK, 4 TWARN, 32 TCONF)\n"
	"      --strict      skipped tests fail the run if /dev/kvm exists\n"
	"                    (path overridable by KVMKIT_RUN_KVM_DEVICE)\n"
	"      --tap         TAP version 13 on stdout instead of the report\n"
	"      --junit FILE  also write JUnit XML to FILE\n"
	"  -d, --dir DIR     run every executable regular file in DIR\n\n"
	"Exit status: 0 all passed (skips and warnings allowed), 1 something\n"
	"failed or broke, 2 usage error, 3 no test matched, 130 interrupted.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("kvmkit-run: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("; " USAGE "\n", stderr);
	return RUN_USAGE;
}

static int parse_jobs(const char *s, int *jobs)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 4096)
		return -EINVAL;
	*jobs = v;
	return 0;
}

static int parse_timeout(const char *s, double *sec)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* a week is already "forever" and keeps the nanosecond math exact */
	if (errno || end == s || *end || !(v > 0) || v > 7 * 86400)
		return -EINVAL;
	*sec = v;
	return 0;
}

enum { OPT_UNIT = 256, OPT_STRICT, OPT_TAP, OPT_JUNIT };

static const struct option longopts[] = {
	{ "jobs",    required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "verbose", no_argument,       NULL, 'v' },
	{ "dir",     required_argument, NULL, 'd' },
	{ "help",    no_argument,       NULL, 'h' },
	{ "unit",    no_argument,       NULL, OPT_UNIT },
	{ "strict",  no_argument,       NULL, OPT_STRICT },
	{ "tap",     no_argument,       NULL, OPT_TAP },
	{ "junit",   required_argument, NULL, OPT_JUNIT },
	{ NULL, 0, NULL, 0 },
};

/* Directories are scanned in order, so collect them while parsing */
static int parse_args(int argc, char **argv, struct options *opt,
		      struct test_list *l)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c, ret;

	opt->jobs = cpus > 0 ? cpus : 1;
	opt->timeout = 60;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":j:t:vd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (parse_jobs(optarg, &opt->jobs))
				return usage_error("bad -j '%s'", optarg);
			break;
		case 't':
			if (parse_timeout(optarg, &opt->timeout))
				return usage_error("bad -t '%s'", optarg);
			break;
		case 'v':
			opt->verbose = 1;
			break;
		case 'd':
			ret = tests_add_dir(l, optarg);
			if (ret) {
				fprintf(stderr, "kvmkit-run: --dir %s: %s\n",
					optarg, strerror(-ret));
				return RUN_USAGE;
			}
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		case OPT_UNIT:
			opt->unit = 1;
			break;
		case OPT_STRICT:
			opt->strict = 1;
			break;
		case OPT_TAP:
			opt->tap = 1;
			break;
		case OPT_JUNIT:
			opt->junit = optarg;
			break;
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		ret = tests_add_file(l, argv[optind]);
		if (ret) {
			fprintf(stderr, "kvmkit-run: %s\n", strerror(-ret));
			return RUN_USAGE;
		}
	}
	return 0;
}

/* One line saying why nothing runs: an empty run must not look like a pass */
static int no_match(const struct test_list *l)
{
	if (l->not_tests)
		fprintf(stderr, "kvmkit-run: no test matched (%zu entr%s skipped: "
			"not executable files)\n", l->not_tests,
			l->not_tests == 1 ? "y" : "ies");
	else
		fprintf(stderr, "kvmkit-run: no test matched\n");
	return RUN_NO_MATCH;
}

/* Opened before any test runs, so that a bad path costs no run */
static int open_junit(const char *file, FILE **f)
{
	if (!file)
		return 0;
	*f = fopen(file, "w");
	if (*f)
		return 0;
	fprintf(stderr, "kvmkit-run: --junit %s: %s\n", file, strerror(errno));
	return RUN_USAGE;
}

int main(int argc, char **argv)
{
	struct options opt = { 0 };
	struct test_list l = { 0 };
	struct timespec start, end;
	const char *dev = getenv("KVMKIT_RUN_KVM_DEVICE");
	FILE *human = stdout, *tap = NULL, *junit = NULL;
	double elapsed;
	int ret;

	ret = parse_args(argc, argv, &opt, &l);
	if (!ret && !l.n)
		ret = no_match(&l);
	if (!ret)
		ret = open_junit(opt.junit, &junit);
	if (ret) {
		tests_free(&l);
		return ret < 0 ? RUN_OK : ret;
	}
	if (!dev || !*dev)
		dev = "/dev/kvm";
	opt.kvm_present = !access(dev, F_OK);
	if (opt.tap) {
		tap = stdout;
		human = NULL;
	}

	if (opt.strict && !opt.kvm_present)
		printf("%skvmkit-run: warning: --strict but %s does not exist: "
		       "skipped tests are tolerated\n", tap ? "# " : "", dev);
	if (tap)
		tap_begin(tap, l.n);
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = run_all(&l, &opt, human, tap);
	clock_gettime(CLOCK_MONOTONIC, &end);
	elapsed = ts_diff(&end, &start);

	if (ret < 0)
		fprintf(stderr, "kvmkit-run: %s\n", strerror(-ret));
	if (tap) {
		fputs("# ", tap);
		report_summary(tap, &l, elapsed, &opt, ret != 0);
		tap_end(tap, ret != 0);
	} else {
		report_summary(human, &l, elapsed, &opt, ret != 0);
	}
	fflush(stdout);
	if (junit) {
		int err = junit_write(junit, &l, elapsed);

		if (err) {
			fprintf(stderr, "kvmkit-run: %s: %s\n", opt.junit,
				strerror(-err));
			ret = ret ? ret : RUN_FAILED;
		}
	}
	if (!ret && run_failed(&l))
		ret = RUN_FAILED;
	else if (ret < 0)
		ret = RUN_FAILED;
	tests_free(&l);
	return ret;
}
