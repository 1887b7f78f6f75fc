// SPDX-License-Identifier: MIT
/*
 * The test's life: checks, save_restore, setup(), the iterations of
 * test()/test_all(), cleanup() and the exit code, all in this process
 * (see tst_fatal.c for why there is no fork).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"
#include "tst_clocks.h"
#include "tst_timer.h"

unsigned int tst_variant;
static struct timespec run_start;	/* for tst_remaining_runtime() */

static void assert_test_fn(void)
{
	if (!tst_test->test && !tst_test->test_all)
		tst_lib_brk(TBROK, "No test function specified");
	if (tst_test->test && tst_test->test_all)
		tst_lib_brk(TBROK, "You can define only one test function");
	if (tst_test->test && !tst_test->tcnt)
		tst_lib_brk(TBROK, "Number of tests (tcnt) must be > 0");
	if (!tst_test->test && tst_test->tcnt)
		tst_lib_brk(TBROK, "You can define tcnt only for test()");
}

static void heartbeat(void)
{
	clock_gettime(CLOCK_MONOTONIC, &run_start);
	tst_watchdog_arm(tst_overall_timeout_s());
}

static int results_sum(void)
{
	return tst_atomic_load(&tst_results->passed) +
	       tst_atomic_load(&tst_results->failed) +
	       tst_atomic_load(&tst_results->broken) +
	       tst_atomic_load(&tst_results->skipped) +
	       tst_atomic_load(&tst_results->warnings);
}

static void after_test(int before, int i)
{
	if (tst_test->forks_child)
		tst_reap_children();
	if (tst_atomic_load(&tst_results->abort_flag))
		tst_do_exit();
	if (results_sum() != before)
		return;
	if (i < 0)
		tst_lib_brk(TBROK, "Test haven't reported results!");
	else
		tst_lib_brk(TBROK, "Test %i haven't reported results!", i);
}

static void run_tests(void)
{
	unsigned int i;
	int before;

	if (tst_test->test_all) {
		heartbeat();
		before = results_sum();
		tst_test->test_all();
		after_test(before, -1);
		return;
	}
	for (i = 0; i < tst_test->tcnt; i++) {
		heartbeat();
		before = results_sum();
		tst_test->test(i);
		after_test(before, i);
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return tst_timespec_to_ms(ts);
}

static void testrun(void)
{
	long long stop = 0;
	unsigned int i = 0;

	heartbeat();	/* setup() is watched too; run_tests() re-arms */
	tst_mark_setup_started();
	if (tst_test->setup)
		tst_test->setup();

	if (tst_duration > 0)
		stop = now_ms() + (long long)(tst_duration * 1000);
	for (;;) {
		int more = 0;

		if (i < tst_iterations) {
			i++;
			more = 1;
		}
		if (stop && now_ms() < stop)
			more = 1;
		if (!more)
			break;
		run_tests();
	}

	tst_run_cleanup();
}

void tst_run_tcases(int argc, char *argv[], struct tst_test *self)
{
	unsigned int variants, v;
	struct utsname uts;
	int check_only;

	tst_test = self;
	/* before anything opens a device or prints: a description only */
	if (argc == 2 && !strcmp(argv[1], "--meta"))
		tst_print_meta(argv[0]);
	/*
	 * --check-needs: every check a run makes before setup(), then exit
	 * 0 (it would run) or TCONF with the reasons (it would skip); what
	 * kvmkit-run --info asks, so both come from the one decision below.
	 */
	check_only = argc == 2 && !strcmp(argv[1], "--check-needs");
	if (check_only)
		argc = 1;
	tst_results_init();
	tst_fatal_init();

	if (self->tconf_msg)
		tst_lib_brk(TCONF, "%s", self->tconf_msg);
	assert_test_fn();
	tst_parse_opts(argc, argv);
	tst_do_checks();
	if (tst_kvm_precheck)
		tst_kvm_precheck();
	tst_kvmkit_check_needs();
	if (check_only)
		exit(0);

	if (self->save_restore) {
		const struct tst_path_val *pv;

		for (pv = self->save_restore; pv->path; pv++)
			tst_sys_conf_save(pv);
	}
	if (self->needs_tmpdir)
		tst_tmpdir_create();

	if (!uname(&uts))
		tst_lib_res(TINFO, "Tested kernel: %s %s %s", uts.release,
			    uts.version, uts.machine);

	variants = self->test_variants ? self->test_variants : 1;
	for (v = 0; v < variants; v++) {
		tst_variant = v;
		testrun();
	}
	tst_do_exit();
}

unsigned int tst_remaining_runtime(void)
{
	int runtime = tst_test->runtime > 0 ? tst_test->runtime :
		      tst_test->max_runtime;
	struct timespec now;
	long long elapsed;

	if (runtime <= 0)
		tst_lib_brk(TBROK, "Runtime not set!");
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = tst_timespec_diff_ms(now, run_start) / 1000;
	return runtime > elapsed ? runtime - elapsed : 0;
}

void tst_set_runtime(int runtime)
{
	tst_test->runtime = runtime;
	heartbeat();
}

void tst_set_max_runtime(int max_runtime)
{
	tst_test->max_runtime = max_runtime;
	heartbeat();
}

void tst_set_timeout(int timeout)
{
	tst_test->timeout = timeout;
	heartbeat();
}

void tst_reap_children(void)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = wait(&status);
		if (pid > 0) {
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				tst_lib_brk(TBROK, "Child (%i) %s", pid,
					    tst_strstatus(status));
			}
			continue;
		}
		if (errno == ECHILD)
			return;
		if (errno != EINTR)
			tst_lib_brk(TBROK | TERRNO, "wait() failed");
	}
}

pid_t safe_fork(const char *filename, unsigned int lineno)
{
	pid_t pid;

	if (!tst_test->forks_child)
		tst_lib_brk(TBROK, "test.forks_child must be set!");
	tst_flush();
	pid = fork();
	if (pid < 0)
		tst_brk_(filename, lineno, TBROK | TERRNO, "fork() failed");
	return pid;
}
