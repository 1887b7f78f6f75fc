/* SPDX-License-Identifier: MIT */
/*
 * kvmkit's implementation of LTP's test API (struct tst_test, tst_res(),
 * tst_brk(), SAFE_* macros), enough for LTP's KVM tests to build unchanged.
 *
 * Unlike LTP the test runs in the process that parses the options: there
 * is no library process to fork, which keeps a KVM test's start-up cost at
 * that of a raw ioctl program.  Crashes and hangs are still reported:
 * fatal signals and an overall watchdog print a TBROK, the summary and
 * restore save_restore values before the process ends (see tst_fatal.c).
 */
#ifndef TST_TEST_H__
#define TST_TEST_H__

#include <unistd.h>
#include <limits.h>
#include <string.h>
#include <errno.h>
#include <sys/types.h>

#include "tst_common.h"
#include "tst_res_flags.h"
#include "tst_test_macros.h"
#include "tst_minmax.h"
#include "tst_atomic.h"
#include "tst_buffers.h"
#include "tst_cmd.h"
#include "tst_cpu.h"
#include "tst_sys_conf.h"
#include "tst_kconfig.h"

/*
 * Print "file:line: TTYPE: message" to stderr and count the result.
 * Callable from any thread.
 */
void tst_res_(const char *file, const int lineno, int ttype,
	      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define tst_res(ttype, arg_fmt, ...) ({					\
	TST_RES_SUPPORTS_TCONF_TDEBUG_TFAIL_TINFO_TPASS_TWARN(		\
		!((TTYPE_RESULT(ttype) ?: TCONF) &			\
		(TCONF | TDEBUG | TFAIL | TINFO | TPASS | TWARN)));	\
	tst_res_(__FILE__, __LINE__, (ttype), (arg_fmt), ##__VA_ARGS__); \
})

void tst_resm_hexd_(const char *file, const int lineno, int ttype,
		    const void *buf, size_t size, const char *arg_fmt, ...)
	__attribute__((format(printf, 6, 7)));
#define tst_res_hexd(ttype, buf, size, arg_fmt, ...)			\
	tst_resm_hexd_(__FILE__, __LINE__, (ttype), (buf), (size),	\
		       (arg_fmt), ##__VA_ARGS__)

/*
 * Report and end the test: the first thread to call it runs cleanup()
 * once, prints the summary and exits; any other thread calling it
 * meanwhile ends itself.  Called from cleanup() it reports (TBROK as
 * TWARN) and returns, as in LTP, so cleanup can go on.
 */
void tst_brk_(const char *file, const int lineno, int ttype,
	      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define tst_brk(ttype, arg_fmt, ...) ({					\
	TST_BRK_SUPPORTS_ONLY_TCONF_TBROK(!((ttype) &			\
		(TBROK | TCONF | TFAIL)));				\
	tst_brk_(__FILE__, __LINE__, (ttype), (arg_fmt), ##__VA_ARGS__); \
})

void tst_printf(const char *const fmt, ...)
	__attribute__((nonnull(1), format(printf, 1, 2)));
void tst_flush(void);

pid_t safe_fork(const char *filename, unsigned int lineno);
#define SAFE_FORK() safe_fork(__FILE__, __LINE__)

#define TST_TRACE(expr) ({						\
	int tst_ret_ = expr;						\
	tst_ret_ != 0 ? tst_res(TINFO, #expr " failed"), tst_ret_ : tst_ret_; \
})

/* "EINVAL", "SIGSEGV", "exited with 1" */
const char *tst_strerrno(int err);
const char *tst_strsig(int sig);
const char *tst_strstatus(int status);	/* not thread-safe */

#include "tst_safe_macros.h"
#include "tst_safe_file_ops.h"

/* Wait for all children; TBROK if one did not exit with 0 */
void tst_reap_children(void);

struct tst_option {
	char *optstr;
	char **arg;
	char *help;
};

/* 0 or an errno value; no-ops when str is NULL */
int tst_parse_int(const char *str, int *val, int min, int max);
int tst_parse_long(const char *str, long *val, long min, long max);
int tst_parse_float(const char *str, float *val, float min, float max);
int tst_parse_filesize(const char *str, long long *val, long long min,
		       long long max);

struct tst_tag {
	const char *name;
	const char *value;
};

/* Accepted so that tests setting them build; see tst_checks.c */
struct tst_hugepage {
	unsigned long number;
	int policy;
};
struct tst_buffers;
struct tst_cap;
struct tst_ulimit_val;
struct tst_fs;

extern unsigned int tst_variant;

/*
 * kvmkit extension: what a test needs to run, printed by --meta so that a
 * runner can list and select tests without starting a guest, and checked
 * before setup() (lib/ltp/tst_needs.c): a need this machine does not meet
 * is a TCONF naming it; TEST --check-needs makes the same decision alone.
 */
struct tst_kvmkit_needs {
	const char *const *cpu_features;	/* NULL-terminated: "vmx", "svm", "la57" */
	const char *const *kvm_caps;	/* NULL-terminated: "KVM_CAP_NESTED_STATE" */
	unsigned int vcpus;		/* 0: one */
	unsigned long mem_mb;		/* guest memory, 0: the default 16 MiB */
	unsigned int nested:1;		/* needs nested virtualization */
};

#define TST_NO_HUGEPAGES	((unsigned long)-1)
#define TST_UNLIMITED_RUNTIME	(-1)
#define TST_UNLIMITED_TIMEOUT	(-1)

struct tst_test {
	/* number of tests test() is called for */
	unsigned int tcnt;

	struct tst_option *options;
	const char *min_kver;
	/* NULL-terminated: "x86_64", "x86", "aarch64", ... */
	const char *const *supported_archs;
	/* set by TST_TEST_TCONF(): the test only reports this as TCONF */
	const char *tconf_msg;

	unsigned int needs_tmpdir:1;
	unsigned int needs_root:1;
	unsigned int forks_child:1;
	unsigned int needs_device:1;
	unsigned int needs_checkpoints:1;
	unsigned int needs_overlay:1;
	unsigned int format_device:1;
	unsigned int mount_device:1;
	unsigned int needs_rofs:1;
	unsigned int child_needs_reinit:1;
	unsigned int runs_script:1;
	unsigned int needs_devfs:1;
	unsigned int restore_wallclock:1;
	unsigned int all_filesystems:1;
	unsigned int skip_in_lockdown:1;
	unsigned int skip_in_secureboot:1;
	unsigned int skip_in_compat:1;
	unsigned int needs_hugetlbfs:1;

	const char *const *skip_filesystems;
	unsigned long min_cpus;
	unsigned long min_mem_avail;	/* MB of MemAvailable */
	unsigned long min_swap_avail;	/* MB of SwapFree */
	struct tst_hugepage hugepages;
	unsigned int taint_check;
	unsigned int test_variants;
	int needs_abi_bits;

	unsigned int dev_min_size;
	const char *dev_fs_type;
	const char *const *dev_fs_opts;
	const char *const *dev_extra_opts;
	const char *mntpoint;
	unsigned int mnt_flags;
	void *mnt_data;

	/*
	 * Seconds: older LTP's max_runtime, newer LTP's runtime and timeout.
	 * kvmkit lets the guest run at least this long per run (see -T).
	 */
	int max_runtime;
	int runtime;
	int timeout;

	void (*setup)(void);
	void (*cleanup)(void);
	void (*test)(unsigned int test_nr);
	void (*test_all)(void);

	const char *scall;
	int (*sample)(int clk_id, long long usec);
	const char *const *resource_files;
	/* NULL-terminated kernel modules, loaded or built in */
	const char *const *needs_drivers;
	/* {} -terminated /proc and /sys values to save and restore */
	const struct tst_path_val *save_restore;
	/* NULL-terminated "CONFIG_FOO", "CONFIG_FOO=m", "CONFIG_A | CONFIG_B" */
	const char *const *needs_kconfigs;
	struct tst_buffers *bufs;
	struct tst_cap *caps;
	/* {} -terminated; printed by -h and as hints after failures */
	const struct tst_tag *tags;
	const char *const *needs_cmds;
	const char *const *needs_cgroup_ctrls;
	const struct tst_ulimit_val *ulimit;
	struct tst_fs *filesystems;

	/*
	 * kvmkit extensions (LTP has no such fields, so LTP tests build
	 * unchanged): a one-line description and the needs, for --meta.
	 */
	const char *kvmkit_desc;
	const struct tst_kvmkit_needs *kvmkit_needs;
};

/* Run the test described by self; never returns */
void tst_run_tcases(int argc, char *argv[], struct tst_test *self)
	__attribute__((noreturn));

/* Not supported (no library process to reattach to): TBROK */
void tst_reinit(void);

unsigned int tst_multiply_timeout(unsigned int timeout);
unsigned int tst_remaining_runtime(void);
void tst_set_max_runtime(int max_runtime);
void tst_set_runtime(int runtime);
void tst_set_timeout(int timeout);

/* The temporary directory of needs_tmpdir (malloc'ed) and its root */
char *tst_get_tmpdir(void);
const char *tst_get_tmpdir_root(void);

#ifndef TST_NO_DEFAULT_MAIN

static struct tst_test test;

int main(int argc, char *argv[])
{
	tst_run_tcases(argc, argv, &test);
}

#endif /* TST_NO_DEFAULT_MAIN */

#define TST_TEST_TCONF(message) \
	static struct tst_test test = { .tconf_msg = message }

#endif /* TST_TEST_H__ */
