/* SPDX-License-Identifier: MIT */
/*
 * kvmkit-run [options] [--dir DIR]... [BINARY|PATTERN...]
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
	"[--tap|--ktap] [--junit FILE] [--json FILE] [--list [--json]] [--tag TAG]... " \
	"[--exclude PATTERN]... [--repeat N] [--fail-fast] [--rerun-failed FILE] " \
	"[--known FILE] [--info] " \
	"[--vm [--kernel FILE]] [--trace DIR] [--dir DIR]... [BINARY|PATTERN...]"

static const char help[] =
	USAGE "\n\n"
	"Runs test binaries (every executable file in each DIR, sorted, then\n"
	"each BINARY) in parallel, each in its own process group, and prints\n"
	"one line per test as it finishes, with its output indented below\n"
	"unless it passed.  An argument that is not an existing file (and has\n"
	"no '/') is a PATTERN: a glob on the names of the tests found in DIRs.\n"
	"Without DIR or BINARY: the suite next to kvmkit-run (installed in\n"
	"PREFIX/libexec/kvmkit/tests, or built in BUILD/tests/kvm).\n"
	"On a terminal a progress line shows the counts and the running tests\n"
	"(KVMKIT_RUN_PROGRESS=0 or 1 overrides).  See docs/runner.md.\n\n"
	"  -j, --jobs N      tests at a time (default: online CPUs)\n"
	"  -t, --timeout SEC wall-clock limit for every test, replacing each\n"
	"                    test's own (default: what the test declares in\n"
	"                    --meta, times LTP_TIMEOUT_MUL, plus KVMKIT_TIMEOUT\n"
	"                    if set, plus 10 % (at least 2 s); 60 s times\n"
	"                    LTP_TIMEOUT_MUL when it declares none); the test's\n"
	"                    whole process group is then killed: BROK\n"
	"  -v, --verbose     show the output of passing tests too\n"
	"      --unit        exit codes 0 pass, 77 skip, else fail (default:\n"
	"                    LTP's: bits 1 TFAIL, 2 TBROK, 4 TWARN, 32 TCONF)\n"
	"      --strict      skipped tests fail the run if /dev/kvm exists\n"
	"                    (path overridable by KVMKIT_RUN_KVM_DEVICE)\n"
	"      --tap         TAP version 13 on stdout instead of the report\n"
	"      --ktap        KTAP version 1 on stdout instead of the report\n"
	"      --junit FILE  also write JUnit XML to FILE\n"
	"      --json FILE   also write the results as JSON to FILE\n"
	"      --list        print name, tags and description of the selected\n"
	"                    tests (from TEST --meta), run nothing; with --json\n"
	"                    (no FILE then) as JSON\n"
	"      --tag TAG     only tests with tag TAG (NAME or NAME=VALUE, as\n"
	"                    in --list; a VALUE may be one item of a comma-\n"
	"                    separated value; NAME alone also matches an item\n"
	"                    of kvmkit-area, e.g. svm); repeated: any of them\n"
	"      --exclude PATTERN  not the tests whose names match (repeatable)\n"
	"      --repeat N    run each test N times\n"
	"      --fail-fast   start no more tests after one failed or broke\n"
	"      --rerun-failed FILE  only the tests that failed, broke or did not\n"
	"                    run in FILE, an earlier --json FILE (not those\n"
	"                    --known listed); without --dir or binaries, from\n"
	"                    the paths FILE records\n"
	"      --known FILE  expected non-passes per KVM platform (lines\n"
	"                    'PLATFORM TEST FAIL|BROK|CONF[?] REASON', ? when\n"
	"                    intermittent): reported\n"
	"                    with their reason, they do not fail the run\n"
	"      --info        print what this host offers KVM tests (kernel, KVM\n"
	"                    module and parameters, capabilities, guest CPU\n"
	"                    features) and which selected tests will skip here\n"
	"                    and why; runs nothing (default selection: the\n"
	"                    suite next to kvmkit-run)\n"
	"      --vm          run the same selection inside a throwaway VM\n"
	"                    (kvmkit-vm, found next to kvmkit-run), booted once\n"
	"      --kernel FILE with --vm: the kernel kvmkit-vm boots\n"
	"      --trace DIR   each test writes its VM exits, one per line, to\n"
	"                    DIR/NAME.trace (KVMKIT_TRACE=FILE for the LTP face)\n"
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

static int parse_uint(const char *s, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max)
		return -EINVAL;
	*out = v;
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

/* Appends s to a NULL-terminated list of argv strings */
static int push(const char ***v, const char *s)
{
	size_t n = 0;
	const char **p;

	while (*v && (*v)[n])
		n++;
	p = realloc(*v, (n + 2) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	p[n] = s;
	p[n + 1] = NULL;
	*v = p;
	return 0;
}

enum { OPT_UNIT = 256, OPT_STRICT, OPT_TAP, OPT_KTAP, OPT_JUNIT, OPT_JSON, OPT_LIST,
       OPT_TAG, OPT_EXCLUDE, OPT_REPEAT, OPT_FAIL_FAST, OPT_KNOWN, OPT_INFO, OPT_VM,
       OPT_KERNEL, OPT_TRACE, OPT_RERUN };

static struct option longopts[] = {
	{ "jobs",      required_argument, NULL, 'j' },
	{ "timeout",   required_argument, NULL, 't' },
	{ "verbose",   no_argument,       NULL, 'v' },
	{ "dir",       required_argument, NULL, 'd' },
	{ "help",      no_argument,       NULL, 'h' },
	{ "unit",      no_argument,       NULL, OPT_UNIT },
	{ "strict",    no_argument,       NULL, OPT_STRICT },
	{ "tap",       no_argument,       NULL, OPT_TAP },
	{ "ktap",      no_argument,       NULL, OPT_KTAP },
	{ "junit",     required_argument, NULL, OPT_JUNIT },
	{ "json",      required_argument, NULL, OPT_JSON },	/* see main() */
	{ "list",      no_argument,       NULL, OPT_LIST },
	{ "tag",       required_argument, NULL, OPT_TAG },
	{ "exclude",   required_argument, NULL, OPT_EXCLUDE },
	{ "repeat",    required_argument, NULL, OPT_REPEAT },
	{ "fail-fast", no_argument,       NULL, OPT_FAIL_FAST },
	{ "known",     required_argument, NULL, OPT_KNOWN },
	{ "info",      no_argument,       NULL, OPT_INFO },
	{ "vm",        no_argument,       NULL, OPT_VM },
	{ "kernel",    required_argument, NULL, OPT_KERNEL },
	{ "trace",     required_argument, NULL, OPT_TRACE },
	{ "rerun-failed", required_argument, NULL, OPT_RERUN },
	{ NULL, 0, NULL, 0 },
};

/* Options that take no test list: they cannot fail for want of one */
static int parse_option(int c, struct options *opt)
{
	long v;

	switch (c) {
	case 'j':
		if (parse_uint(optarg, 4096, &v))
			return usage_error("bad -j '%s'", optarg);
		opt->jobs = v;
		return 0;
	case 't':
		if (parse_timeout(optarg, &opt->timeout))
			return usage_error("bad -t '%s'", optarg);
		return 0;
	case OPT_REPEAT:
		if (parse_uint(optarg, 1000000, &v))
			return usage_error("bad --repeat '%s'", optarg);
		opt->repeat = v;
		return 0;
	case 'v': opt->verbose = 1; return 0;
	case OPT_UNIT: opt->unit = 1; return 0;
	case OPT_STRICT: opt->strict = 1; return 0;
	case OPT_TAP: opt->tap = 1; return 0;
	case OPT_KTAP: opt->ktap = 1; return 0;
	case OPT_JUNIT: opt->junit = optarg; return 0;
	case OPT_LIST: opt->list = 1; return 0;
	case OPT_FAIL_FAST: opt->fail_fast = 1; return 0;
	case OPT_KNOWN: opt->known_path = optarg; return 0;
	case OPT_INFO: opt->info = 1; return 0;
	case OPT_VM: opt->vm = 1; return 0;
	case OPT_KERNEL: opt->vm_kernel = optarg; return 0;
	case OPT_RERUN: opt->rerun_path = optarg; return 0;
	case OPT_TRACE:
		if (trace_dir_check(optarg)) {
			fprintf(stderr, "kvmkit-run: --trace %s: %s\n", optarg,
				strerror(-trace_dir_check(optarg)));
			return RUN_USAGE;
		}
		opt->trace_dir = optarg;
		return 0;
	case OPT_JSON:
		if (opt->list)
			opt->list_json = 1;
		else
			opt->json = optarg;
		return 0;
	case OPT_TAG:
		return push(&opt->tags, optarg) ? -ENOMEM : 0;
	case OPT_EXCLUDE:
		return push(&opt->excludes, optarg) ? -ENOMEM : 0;
	}
	return -1;
}

/* A path to run, or a glob on the names of the tests found in DIRs */
static int positional(const char *arg, struct options *opt, struct test_list *l)
{
	int ret;

	if (!strchr(arg, '/') && access(arg, F_OK))
		return push(&opt->patterns, arg) ? usage_error("%s", strerror(ENOMEM)) : 0;
	ret = tests_add_file(l, arg);
	if (ret) {
		fprintf(stderr, "kvmkit-run: %s\n", strerror(-ret));
		return RUN_USAGE;
	}
	return 0;
}

/* Directories are scanned in order, so collect them while parsing */
static int parse_args(int argc, char **argv, struct options *opt,
		      struct test_list *l)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c, i, ret;

	opt->jobs = cpus > 0 ? cpus : 1;
	opt->timeout = 0;	/* each test's own limit (limit.c) */
	opt->repeat = 1;
	/* with --list, --json is a flag (the listing as JSON), else --json FILE */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--list"))
			opt->list = 1;
	for (i = 0; opt->list && longopts[i].name; i++)
		if (!strcmp(longopts[i].name, "json"))
			longopts[i].has_arg = no_argument;
	ret = limit_env(opt);
	if (ret)
		return ret;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":j:t:vd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			opt->dirs++;
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
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		case '?':
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		default:
			ret = parse_option(c, opt);
			if (ret)
				return ret < 0 ? usage_error("%s", strerror(ENOMEM)) : ret;
		}
	}
	if (opt->tap && opt->ktap)
		return usage_error("%s", "--tap and --ktap are two formats of one stream: pick one");
	if (opt->vm_kernel && !opt->vm)
		return usage_error("%s", "--kernel is for --vm: the kernel the VM boots");
	for (; optind < argc; optind++) {
		ret = positional(argv[optind], opt, l);
		if (ret)
			return ret;
	}
	return 0;
}

static void put_list(const char *what, const char **v)
{
	for (; v && *v; v++)
		fprintf(stderr, " %s '%s'", what, *v);
}

/* One line saying why nothing runs: an empty run must not look like a pass */
static int no_match(const struct test_list *l, const struct options *opt)
{
	fputs("kvmkit-run: no test matched", stderr);
	if (!l->npaths && !l->not_tests && !opt->dirs)
		fputs(" (no suite next to kvmkit-run: give --dir DIR or test binaries)", stderr);
	else if (opt->default_suite)
		fputs(" in the suite next to kvmkit-run", stderr);
	if (l->not_tests)
		fprintf(stderr, " (%zu entr%s skipped: not executable files)",
			l->not_tests, l->not_tests == 1 ? "y" : "ies");
	put_list("pattern", opt->patterns);
	put_list("--tag", opt->tags);
	put_list("--exclude", opt->excludes);
	fputc('\n', stderr);
	return RUN_NO_MATCH;
}

/* Opened before any test runs, so that a bad path costs no run */
static int open_out(const char *what, const char *file, FILE **f)
{
	if (!file)
		return 0;
	*f = fopen(file, "w");
	if (*f)
		return 0;
	fprintf(stderr, "kvmkit-run: %s %s: %s\n", what, file, strerror(errno));
	return RUN_USAGE;
}

static void free_options(struct options *opt)
{
	char **v;

	for (v = opt->rerun; v && *v; v++)
		free(*v);
	free(opt->rerun);
	free(opt->patterns);
	free(opt->excludes);
	free(opt->tags);
}

static const char *kvm_device(void)
{
	const char *dev = getenv("KVMKIT_RUN_KVM_DEVICE");

	return dev && *dev ? dev : "/dev/kvm";
}

/*
 * One line when the KVM tests cannot run here, before they all skip one
 * by one: no device, or no permission to it.
 */
static void kvm_warning(const char *dev, const struct options *o, const char *pfx)
{
	int err;

	if (!access(dev, R_OK | W_OK))
		return;
	err = errno;
	if (o->strict && !o->kvm_present) {
		printf("%skvmkit-run: warning: --strict but %s does not exist: "
		       "skipped tests are tolerated\n", pfx, dev);
		return;
	}
	printf("%skvmkit-run: warning: %s: %s: the KVM tests will skip%s\n", pfx,
	       dev, strerror(err), err == ENOENT ?
	       " (no KVM here: --vm runs them in a VM)" : err == EACCES ?
	       " (add the user to the kvm group, or run as root)" : "");
}

/* Runs the selection and writes the reports; returns the exit status */
static int run(struct test_list *l, const struct options *opt, FILE *junit,
	       FILE *json)
{
	const char *dev = kvm_device();
	struct options o = *opt;
	FILE *human = stdout, *tap = NULL;
	struct timespec start, end;
	double elapsed;
	int ret, err;

	o.kvm_present = !access(dev, F_OK);
	if (o.tap || o.ktap) {
		tap = stdout;
		human = NULL;
	}
	if (o.ktap)
		ktap_begin(tap, l->n);
	else if (tap)
		tap_begin(tap, l->n);
	kvm_warning(dev, &o, tap ? "# " : "");
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = run_all(l, &o, human, tap);
	clock_gettime(CLOCK_MONOTONIC, &end);
	elapsed = ts_diff(&end, &start);

	if (ret < 0)
		fprintf(stderr, "kvmkit-run: %s\n", strerror(-ret));
	if (tap) {
		fputs("# ", tap);
		report_summary(tap, l, elapsed, &o, ret != 0);
		tap_end(tap, l, ret != 0);
	} else {
		report_table(human, l, &o);
		report_summary(human, l, elapsed, &o, ret != 0);
	}
	fflush(stdout);
	err = junit ? junit_write(junit, l, elapsed) : 0;
	if (err) {
		fprintf(stderr, "kvmkit-run: %s: %s\n", o.junit, strerror(-err));
		ret = ret ? ret : RUN_FAILED;
	}
	err = json ? json_write(json, l, elapsed, &o) : 0;
	if (err) {
		fprintf(stderr, "kvmkit-run: %s: %s\n", o.json, strerror(-err));
		ret = ret ? ret : RUN_FAILED;
	}
	if (ret < 0 || (!ret && run_failed(l)))
		ret = RUN_FAILED;
	return ret;
}

/*
 * No --dir and no binary: the suite installed or built next to
 * kvmkit-run (PREFIX/libexec/kvmkit/tests, or BUILD/tests/kvm)
 */
static int default_suite(struct test_list *l)
{
	static const char *const where[] = { "../libexec/kvmkit/tests", "../tests/kvm" };
	char *self = self_dir(), path[4096];
	size_t i;
	int ret = 0;

	for (i = 0; self && i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", self, where[i]);
		if (!access(path, F_OK)) {
			ret = tests_add_dir(l, path);
			break;
		}
	}
	free(self);
	return ret;
}

int main(int argc, char **argv)
{
	struct known known = { 0 };
	struct options opt = { 0 };
	struct test_list l = { 0 };
	FILE *junit = NULL, *json = NULL;
	int ret;

	ret = parse_args(argc, argv, &opt, &l);
	if (!ret && opt.vm) {
		ret = vm_reexec(argc, argv, &opt);
		goto out;
	}
	if (!ret && opt.rerun_path) {
		ret = rerun_load(opt.rerun_path, &opt, &l,
				 !l.npaths && !opt.dirs && !l.not_tests);
		if (!ret && opt.rerun_none)
			goto out;
	}
	if (!ret && !l.npaths && !opt.dirs && !l.not_tests) {
		opt.default_suite = 1;
		ret = default_suite(&l) ? RUN_FAILED : 0;
	}
	if (!ret) {
		ret = tests_select(&l, &opt);
		if (ret) {
			fprintf(stderr, "kvmkit-run: %s\n", strerror(-ret));
			ret = RUN_FAILED;
		}
	}
	if (!ret && opt.info) {
		ret = info_print(stdout, &l, kvm_device(), opt.jobs);
		goto out;
	}
	if (!ret && opt.known_path) {
		char why[256];

		if (known_load(&known, opt.known_path, why, sizeof(why))) {
			fprintf(stderr, "kvmkit-run: %s\n", why);
			ret = RUN_USAGE;
		} else {
			opt.known = &known;
		}
	}
	if (!ret && !l.n)
		ret = no_match(&l, &opt);
	if (!ret && opt.list) {
		list_tests(stdout, &l, opt.list_json);
		ret = fflush(stdout) ? RUN_FAILED : RUN_OK;
		goto out;
	}
	if (!ret)
		ret = open_out("--junit", opt.junit, &junit);
	if (!ret)
		ret = open_out("--json", opt.json, &json);
	if (!ret)
		ret = run(&l, &opt, junit, json);
	else if (junit)
		fclose(junit);
out:
	tests_free(&l);
	free_options(&opt);
	known_free(&known);
	return ret < 0 ? RUN_OK : ret;
}
