/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/ltp: the state the harness files share.  The LTP API is
 * process-global by design (one test per process), so this face keeps
 * its state in globals; the native library under it keeps none.
 */
#ifndef KVMKIT_LTP_PRIVATE_H
#define KVMKIT_LTP_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include "tst_test.h"

/* Harness messages name their own file, as LTP's do (tst_res prints its basename) */
#define TST_LIB_FILE	__FILE__
#define tst_lib_res(ttype, fmt, ...) \
	tst_res_(TST_LIB_FILE, __LINE__, (ttype), (fmt), ##__VA_ARGS__)
#define tst_lib_brk(ttype, fmt, ...) \
	tst_brk_(TST_LIB_FILE, __LINE__, (ttype), (fmt), ##__VA_ARGS__)

#define TST_DEFAULT_TIMEOUT	30	/* seconds of watchdog, as LTP's */
#define TST_GUEST_TIMEOUT	5	/* seconds per guest run */

/* Result counters: in a shared page so that forked children count too */
struct tst_results {
	tst_atomic_t passed;
	tst_atomic_t failed;
	tst_atomic_t broken;
	tst_atomic_t skipped;
	tst_atomic_t warnings;
	tst_atomic_t abort_flag;	/* a child hit TBROK */
};

extern struct tst_test *tst_test;
extern struct tst_results *tst_results;
extern pid_t tst_main_pid;
extern int tst_tdebug;			/* -D / LTP_ENABLE_DEBUG */

/* tst_res.c */
void tst_results_init(void);
void tst_vres_(const char *file, int lineno, int ttype, const char *fmt,
	       va_list va);
/* The exit code LTP derives from the counters */
int tst_exit_code(void);
/* Write the Summary block; async-signal-safe */
void tst_print_summary(void);
/* End the test: cleanup() once if setup() ran, then summary and exit */
void tst_do_exit(void) __attribute__((noreturn));
/* setup() has started: tst_brk() must run cleanup() from now on */
void tst_mark_setup_started(void);
/* cleanup() (if setup() ran) and tst_free_all(); tst_brk() returns meanwhile */
void tst_run_cleanup(void);

/* tst_fatal.c: crash and hang reporting */
void tst_fatal_init(void);
/* (Re)start the overall watchdog: seconds, 0 disarms */
void tst_watchdog_arm(unsigned int seconds);
/* async-signal-safe formatting helpers */
size_t tst_fmt_uint(char *buf, unsigned long long v);
void tst_write_all(int fd, const char *buf, size_t len);

/* tst_options.c */
void tst_parse_opts(int argc, char *argv[]);
extern unsigned int tst_iterations;
extern float tst_duration;		/* -I seconds, <= 0: unset */
/* Per-run guest timeout (-T, KVMKIT_TIMEOUT, the test's own timeouts) */
unsigned int tst_kvmkit_guest_timeout_s(void);
uint64_t tst_kvmkit_guest_timeout_ns(void);
/* Overall watchdog seconds, 0 for unlimited */
unsigned int tst_overall_timeout_s(void);
/* --gdb PORT or KVMKIT_GDB=PORT: the port, -1 when not asked */
int tst_kvmkit_gdb_port(void);

/* tst_checks.c: the struct tst_test requirements, before setup() */
void tst_do_checks(void);
const char *tst_arch_name(void);

/* tst_sys_conf.c: async-signal-safe restore for the fatal path */
void tst_sys_conf_restore_unsafe_exit(void);

/* tst_tmpdir.c */
void tst_tmpdir_create(void);
void tst_tmpdir_remove(void);

/* The KVM face's hook, linked in by kvm_host.h (weak: absent otherwise) */
void tst_kvm_precheck(void) __attribute__((weak));

/* tst_meta.c: --meta, one line of JSON describing the test, then exit 0 */
void tst_print_meta(const char *argv0) __attribute__((noreturn));
/* tst_needs.c: TCONF when the declared kvmkit_needs are not met here */
void tst_kvmkit_check_needs(void);

/* tst_module.c */
int tst_check_driver(const char *driver);

#endif /* KVMKIT_LTP_PRIVATE_H */
