// SPDX-License-Identifier: MIT
/*
 * Command line: LTP's -h, -i, -I, -D, -V, the test's own options, and
 * kvmkit's -T (per-run guest timeout).  A bad command line is one usage
 * line and exit status TBROK, before anything else happens.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define KVMKIT_LTP_VERSION	"kvmkit-1"

unsigned int tst_iterations = 1;
float tst_duration = -1;
static double guest_timeout = -1;	/* -T / KVMKIT_TIMEOUT, seconds */
static double timeout_mul_v = 1;	/* LTP_TIMEOUT_MUL, checked up front */
static int gdb_port = -1;		/* --gdb / KVMKIT_GDB, -1: off */

/*
 * A positive -T never means "no timeout": below this it is raised to it.
 * 1 ms rather than 1 ns, because a guest does not even boot in less, and
 * a float that rounds to 0 ns on the way must not switch the timer off.
 */
#define GUEST_TIMEOUT_MIN	1e-3
static const char *prog = "test";

static const struct {
	const char *optstr;
	const char *help;
} lib_options[] = {
	{ "h",  "-h       Prints this help" },
	{ "i:", "-i n     Execute test n times" },
	{ "I:", "-I x     Execute test for x seconds" },
	{ "D",  "-D       Prints debug information" },
	{ "V",  "-V       Prints LTP (kvmkit) version" },
	{ "T:", "-T s     Guest timeout per run in seconds, 0: none, at least 1 ms otherwise (env KVMKIT_TIMEOUT, default 5)" },
};

static void usage_error(const char *what, const char *arg)
{
	dprintf(STDERR_FILENO, "%s: %s '%s' (usage: %s [-hDV] [-i n] [-I x] [-T s]%s)\n",
		prog, what, arg, prog,
		tst_test->options ? " [test options, see -h]" : "");
	exit(TBROK);
}

/* A bad environment variable: one line, exit TBROK, as a bad option */
static void env_error(const char *var, const char *val, const char *why)
{
	dprintf(STDERR_FILENO, "%s: Invalid %s '%s'%s\n", prog, var, val, why);
	exit(TBROK);
}

static void print_help(void)
{
	const struct tst_tag *tag;
	size_t i;

	fprintf(stderr, "Environment Variables\n---------------------\n");
	fprintf(stderr, "KCONFIG_PATH             Specify kernel config file\n");
	fprintf(stderr, "KCONFIG_SKIP_CHECK       Skip kernel config check if variable set\n");
	fprintf(stderr, "KVMKIT_TIMEOUT           Guest timeout per run in seconds (as -T)\n");
	fprintf(stderr, "KVMKIT_GDB               As --gdb PORT: wait for gdb before the guest runs\n");
	fprintf(stderr, "LTP_ENABLE_DEBUG         Print TDEBUG messages (1 or y)\n");
	fprintf(stderr, "LTP_TIMEOUT_MUL          Timeout multiplier (must be a number >= 1)\n");
	fprintf(stderr, "TMPDIR                   Base directory for .needs_tmpdir (default /tmp)\n\n");
	fprintf(stderr, "Timeout\n-------\n");
	fprintf(stderr, "Guest timeout per run %us, overall watchdog ",
		tst_kvmkit_guest_timeout_s());
	if (tst_overall_timeout_s())
		fprintf(stderr, "%us\n\n", tst_overall_timeout_s());
	else
		fprintf(stderr, "unlimited\n\n");
	fprintf(stderr, "Options\n-------\n");
	for (i = 0; i < ARRAY_SIZE(lib_options); i++)
		fprintf(stderr, "%s\n", lib_options[i].help);
	fprintf(stderr, "--gdb p  Wait for gdb on 127.0.0.1:p (0: any free port) before the first guest instruction; no timeouts then\n");
	for (i = 0; tst_test->options && tst_test->options[i].optstr; i++)
		fprintf(stderr, "-%c\t %s\n", tst_test->options[i].optstr[0],
			tst_test->options[i].help);

	if (!tst_test->tags)
		return;
	fprintf(stderr, "\nTags\n----\n");
	for (tag = tst_test->tags; tag->name; tag++)
		fprintf(stderr, "%s: %s\n", tag->name, tag->value);
	fprintf(stderr, "\n");
}

static float parse_seconds(const char *what, const char *str)
{
	float val;

	if (tst_parse_float(str, &val, 0, 1e6))
		usage_error(what, str);
	return val;
}

/*
 * -T and KVMKIT_TIMEOUT: a double, because a float turns 1e-50 into 0,
 * which would mean "no timeout"; a positive value is raised to 1 ms.
 * Returns -1 when str is not a number of seconds in [0, 1e6].
 */
static double parse_guest_timeout(const char *str)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (end == str || *end)
		return -1;
	/* underflow (1e-400) is a tiny positive number, not 0: "none" */
	if (errno == ERANGE && v < 1)
		v = signbit(v) ? -1 : GUEST_TIMEOUT_MIN / 2;
	if (!(v >= 0 && v <= 1e6))
		return -1;
	if (v > 0 && v < GUEST_TIMEOUT_MIN) {
		tst_lib_res(TINFO, "Guest timeout %s s raised to the minimum, 1 ms", str);
		v = GUEST_TIMEOUT_MIN;
	}
	return v;
}

static double parse_timeout_mul(const char *str)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (end == str || *end || errno || !(v >= 1 && v <= 10000))
		env_error("LTP_TIMEOUT_MUL", str, ": must be a number >= 1 (and <= 10000)");
	return v;
}

static void test_option(int opt, char *arg)
{
	struct tst_option *o;

	for (o = tst_test->options; o && o->optstr; o++) {
		if (o->optstr[0] != opt)
			continue;
		if (*o->arg)
			tst_lib_res(TWARN, "Option -%c passed multiple times", opt);
		*o->arg = arg ? arg : "";
		return;
	}
}

/* A TCP port for --gdb and KVMKIT_GDB; -1 when str is none */
static int parse_port(const char *str)
{
	long val;

	if (tst_parse_long(str, &val, 0, 65535))
		return -1;
	return (int)val;
}

/*
 * --gdb PORT and --gdb=PORT, taken out of argv before getopt() sees it:
 * LTP's options are short ones, and this one is kvmkit's own.
 */
static int take_gdb_option(int argc, char *argv[])
{
	int i, j, used;
	const char *arg;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (strcmp(argv[i], "--gdb") && strncmp(argv[i], "--gdb=", 6))
			continue;
		used = argv[i][5] == '=' ? 1 : 2;
		arg = used == 1 ? argv[i] + 6 : argv[i + 1];
		if (!arg)
			usage_error("Missing argument for option", "--gdb");
		gdb_port = parse_port(arg);
		if (gdb_port < 0)
			usage_error("Invalid --gdb port (0 to 65535)", arg);
		for (j = i; j + used <= argc; j++)
			argv[j] = argv[j + used];
		argc -= used;
		i--;
	}
	return argc;
}

int tst_kvmkit_gdb_port(void)
{
	return gdb_port;
}

void tst_parse_opts(int argc, char *argv[])
{
	char optstr[128] = "";
	struct tst_option *o;
	const char *env;
	size_t i;
	long val;
	int opt;

	if (argv[0] && argv[0][0])
		prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	for (i = 0; i < ARRAY_SIZE(lib_options); i++)
		strcat(optstr, lib_options[i].optstr);
	for (o = tst_test->options; o && o->optstr; o++) {
		for (i = 0; i < ARRAY_SIZE(lib_options); i++) {
			if (lib_options[i].optstr[0] == o->optstr[0])
				tst_lib_brk(TBROK, "Option collision '%s'",
					    lib_options[i].help);
		}
		if (strlen(optstr) + strlen(o->optstr) < sizeof(optstr))
			strcat(optstr, o->optstr);
	}

	env = getenv("LTP_ENABLE_DEBUG");
	if (env && (!strcmp(env, "1") || !strcmp(env, "y")))
		tst_tdebug = 1;
	env = getenv("LTP_TIMEOUT_MUL");
	if (env && *env)
		timeout_mul_v = parse_timeout_mul(env);
	env = getenv("KVMKIT_TIMEOUT");
	if (env && *env) {
		guest_timeout = parse_guest_timeout(env);
		if (guest_timeout < 0)
			env_error("KVMKIT_TIMEOUT", env, ": must be seconds, 0 to 1e6");
	}

	env = getenv("KVMKIT_GDB");
	if (env && *env) {
		gdb_port = parse_port(env);
		if (gdb_port < 0)
			env_error("KVMKIT_GDB", env, ": must be a TCP port, 0 to 65535");
	}
	argc = take_gdb_option(argc, argv);

	opterr = 0;	/* the one usage line below says it all */
	while ((opt = getopt(argc, argv, optstr)) != -1) {
		switch (opt) {
		case '?': {
			char bad[3] = { '-', (char)optopt, 0 };

			usage_error(strchr(optstr, optopt) ?
				    "Missing argument for option" :
				    "Invalid option", bad);
			break;
		}
		case 'h':
			print_help();
			exit(0);
		case 'i':
			if (tst_parse_long(optarg, &val, 0, INT_MAX))
				usage_error("Invalid -i value", optarg);
			tst_iterations = val;
			break;
		case 'I':
			tst_duration = parse_seconds("Invalid -I value", optarg);
			break;
		case 'D':
			tst_tdebug = 1;
			break;
		case 'V':
			fprintf(stderr, "LTP version: " KVMKIT_LTP_VERSION "\n");
			exit(0);
		case 'T':
			guest_timeout = parse_guest_timeout(optarg);
			if (guest_timeout < 0)
				usage_error("Invalid -T value", optarg);
			break;
		default:
			test_option(opt, optarg);
		}
	}
	if (optind < argc)
		usage_error("Unexpected argument", argv[optind]);
}

unsigned int tst_multiply_timeout(unsigned int timeout)
{
	return timeout * timeout_mul_v;
}

static int test_runtime(void)
{
	int rt = tst_test->runtime > 0 ? tst_test->runtime : 0;

	return tst_test->max_runtime > rt ? tst_test->max_runtime : rt;
}

/*
 * The guest gets -T/KVMKIT_TIMEOUT exactly when given; otherwise 5 s, or
 * longer when the test declares that it runs longer.
 */
unsigned int tst_kvmkit_guest_timeout_s(void)
{
	unsigned int t = TST_GUEST_TIMEOUT;

	if (guest_timeout >= 0) {
		t = (unsigned int)guest_timeout;
		return t + (guest_timeout > t);
	}
	if (tst_test && tst_test->timeout > 0 && (unsigned int)tst_test->timeout > t)
		t = tst_test->timeout;
	if (tst_test && (unsigned int)test_runtime() > t)
		t = test_runtime();
	return tst_multiply_timeout(t);
}

uint64_t tst_kvmkit_guest_timeout_ns(void)
{
	/* rounded: 1e-3 * 1e9 may come out a hair below 1 ms */
	if (guest_timeout >= 0)
		return (uint64_t)(guest_timeout * 1e9 + 0.5);
	return tst_kvmkit_guest_timeout_s() * 1000000000ULL;
}

unsigned int tst_overall_timeout_s(void)
{
	unsigned int t = TST_DEFAULT_TIMEOUT;

	/* someone steps through the guest: no watchdog may end the test */
	if (gdb_port >= 0 ||
	    tst_test->timeout == TST_UNLIMITED_TIMEOUT ||
	    tst_test->max_runtime == TST_UNLIMITED_RUNTIME)
		return 0;
	if (tst_test->timeout > 0)
		t += tst_test->timeout;
	return tst_multiply_timeout(t) + test_runtime() +
	       tst_kvmkit_guest_timeout_s();
}
