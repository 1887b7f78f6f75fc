/* SPDX-License-Identifier: MIT */
/*
 * kvmkit-run: runs test binaries in parallel, one process group each, with
 * a wall-clock timeout, and reports every test whole as it finishes.
 * Private to runner/; each .c file here has one job.
 */
#ifndef KVMKIT_RUNNER_H
#define KVMKIT_RUNNER_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

/* What a test's outcome counts as, worst last (a summary sorts by it) */
enum verdict {
	V_PASS,
	V_CONF,		/* skipped: LTP's TCONF, or exit 77 under --unit */
	V_WARN,
	V_FAIL,
	V_BROK,		/* TBROK, killed by a signal, timed out, not run */
	V_COUNT
};

/*
 * Captured output: the first OUT_HEAD bytes and the last OUT_TAIL bytes,
 * so that a test which floods its output can neither exhaust memory nor
 * hide the lines that explain its failure (they usually come last).
 */
#define OUT_HEAD	(256 * 1024)
#define OUT_TAIL	(256 * 1024)

struct output {
	char *head;
	size_t head_len;
	char *tail;		/* ring of OUT_TAIL bytes, allocated on overflow */
	size_t tail_pos;	/* next write position in the ring */
	size_t tail_len;	/* valid bytes in the ring */
	unsigned long long dropped;	/* bytes between head and tail */
};

struct tag {
	char *name;
	char *value;		/* may be NULL */
};

/* What a test needs to run (--meta "needs"; --info compares it with the host) */
struct needs {
	unsigned long vcpus, mem_mb, min_cpus, min_mem_avail_mb;
	int nested, root;
	char **cpu_features;	/* "vmx", "la57": /proc/cpuinfo names */
	size_t ncpu_features;
	char **kvm_caps;	/* "KVM_CAP_NESTED_STATE" */
	size_t nkvm_caps;
};

/* What a test says about itself (--meta); known = 0 when it cannot tell */
struct meta {
	int known;
	char *name;
	char *desc;		/* may be NULL */
	struct tag *tags;
	size_t ntags;
	struct needs needs;
	char *tconf;		/* always skipped, and why (may be NULL) */
	int has_timeout;	/* "timeout":{"overall_s":N} was given */
	unsigned long overall_s;	/* the test's own watchdog, 0: unlimited */
	unsigned long guest_s;		/* per guest run */
	char *json;		/* the line as the test printed it */
};

struct test {
	const char *path;	/* as given or dir/name (owned by the list) */
	const char *name;	/* basename of path */
	int explicit;		/* given as BINARY, not found in a --dir */
	unsigned int rep;	/* --repeat: 0 for the first run; copies share
				 * path and meta with it */
	struct meta *meta;	/* NULL until fetched */
	int own_meta;		/* fetched for this copy alone (--repeat) */
	pid_t pid;		/* also the process group id; 0 once reaped */
	int out_fd;		/* read end of stdout+stderr, -1 once closed */
	int running;
	int exited;		/* status below is valid */
	int status;		/* waitpid() status */
	int timed_out;
	int interrupted;	/* killed because the runner got ^C */
	int finished;		/* judged and reported */
	int spawn_errno;	/* posix_spawn failed: never ran */
	double limit;		/* wall-clock seconds, 0: none (limit.c) */
	enum { LIMIT_DEFAULT, LIMIT_OPTION, LIMIT_DECLARED, LIMIT_NONE } limit_src;
	struct timespec start, end, deadline, drain_deadline;
	struct output out;
	enum verdict verdict;
	char reason[512];	/* why, for non-PASS: "exit status 1 (TFAIL)" */
	int strict_skip;	/* a skip counted as failure under --strict */
	const char *known;	/* --known: the listed reason for this verdict */
	int known_passed;	/* --known listed it, and it passed */
};

/* --known FILE: this platform's expected non-passes (known.c) */
struct known_entry {
	char *test;		/* glob */
	unsigned int verdicts;	/* mask of 1 << enum verdict */
	int intermittent;	/* "FAIL?": a pass is not worth a note */
	char *reason;
};

struct known {
	char platform[64];
	struct known_entry *v;
	size_t n;
};

struct options {
	int jobs;
	double timeout;		/* -t seconds, 0: each test's own (limit.c) */
	double timeout_mul;	/* LTP_TIMEOUT_MUL, >= 1 */
	double kvmkit_timeout;	/* KVMKIT_TIMEOUT seconds, 0: unset */
	int verbose;
	int unit;		/* exit 0 pass, 77 skip, anything else fail */
	int strict;		/* skips fail when the KVM device exists */
	int kvm_present;	/* decided once in main() for --strict */
	int tap;
	int ktap;		/* --ktap: KTAP version 1 on stdout */
	const char *junit;
	const char *json;	/* --json FILE: results */
	int dirs;		/* --dir options given */
	int default_suite;	/* neither --dir nor binaries: the suite next to us */
	int list;		/* --list: describe the selection, run nothing */
	int list_json;		/* --list --json */
	int info;		/* --info: this host, and which tests skip */
	int vm;			/* --vm: the run inside kvmkit-vm */
	const char *vm_kernel;	/* --kernel FILE for kvmkit-vm */
	const char *trace_dir;	/* --trace DIR: KVMKIT_TRACE per test */
	unsigned int repeat;	/* runs of each test, >= 1 */
	int fail_fast;		/* start nothing after a failure */
	/* selection: NULL-terminated lists, argv strings */
	const char **patterns;	/* names to run (globs), empty: all */
	const char **excludes;	/* names not to run (globs) */
	const char **tags;	/* NAME or NAME=VALUE, any of them */
	const char *rerun_path;	/* --rerun-failed FILE */
	char **rerun;		/* the names that failed in it, NULL-terminated */
	int rerun_none;		/* it holds no failure: nothing to run */
	const char *known_path;	/* --known FILE */
	const struct known *known;	/* loaded from it, or NULL */
};

struct test_list {
	struct test *v;
	size_t n, cap;
	char **paths;		/* owned strings, freed with the list */
	size_t npaths;
	size_t not_tests;	/* --dir entries skipped: not executable files */
};

/* kvmkit-run's exit statuses */
#define RUN_OK		0	/* all passed (skips allowed unless --strict) */
#define RUN_FAILED	1	/* something failed, broke or timed out */
#define RUN_USAGE	2	/* bad command line; nothing was run */
#define RUN_NO_MATCH	3	/* no test to run: the selection is empty */
#define RUN_INTERRUPTED	130

/* discover.c */
int tests_add_dir(struct test_list *l, const char *dir);
int tests_add_file(struct test_list *l, const char *path);
void tests_free(struct test_list *l);

/* select.c: patterns, --exclude, --tag, then --repeat; 0 or -errno */
int tests_select(struct test_list *l, const struct options *opt);

/* meta.c */
int meta_fetch(struct test *t);
int meta_fetch_many(struct test **v, size_t n, size_t jobs);
/* A test asked something (--meta, --check-needs): start, then finish */
struct ask {
	pid_t pid;
	int fd;
	int err;	/* why it did not start */
};
int ask_start(struct ask *a, const char *path, const char *arg, int both);
int ask_finish(struct ask *a, char *buf, size_t max, size_t *len, int *status);
int test_ask(const char *path, const char *arg, int both, char *buf,
	     size_t max, size_t *len, int *status);
/* The message of the first "TCONF: " line in buf, up to its end */
int tconf_message(const char *buf, size_t len, char *out, size_t outlen);
void meta_free(struct meta *m);

/* json.c */
int json_parse_meta(const char *buf, size_t len, struct meta *m);
void json_put_str(FILE *f, const char *s);
void json_put_bytes(FILE *f, const char *buf, size_t len);

/* --rerun-failed FILE: fn(ctx, name, path) for each test that failed */
typedef int (*json_failed_fn)(void *ctx, const char *name, const char *path);
int json_parse_results(const char *buf, size_t len, json_failed_fn fn, void *ctx);

/* rerun.c: --rerun-failed FILE; the exit status when it decides the run */
int rerun_load(const char *file, struct options *opt, struct test_list *l,
	       int add_paths);

/* json_report.c: --json FILE, written at the end and closed */
int json_write(FILE *f, const struct test_list *l, double elapsed,
	       const struct options *opt);

/* info.c: --info; returns the exit status */
int info_print(FILE *f, const struct test_list *l, const char *dev, size_t jobs);
/* The folder this kvmkit-run really is in (symlinks resolved), or NULL */
char *self_dir(void);

/* vm.c: --vm, re-executes inside kvmkit-vm; returns only on error */
int vm_reexec(int argc, char **argv, const struct options *opt);

/* list.c: --list as a table or JSON */
void list_tests(FILE *f, const struct test_list *l, int json);

/* output.c */
int output_append(struct output *o, const char *buf, size_t len);
/* Calls fn on each piece of the capture in order (the gap as a note) */
void output_foreach(const struct output *o,
		    void (*fn)(void *ctx, const char *buf, size_t len),
		    void *ctx);
int output_empty(const struct output *o);
void output_free(struct output *o);

/* spawn.c */
int test_spawn(struct test *t, const struct options *opt);
/* path in its own process group, stdout to out, stderr to err (-1: null),
 * environment env (NULL: ours) */
int spawn_process(const char *path, char *const argv[], int out, int err,
		  char *const env[], pid_t *pid);

/* trace.c: --trace DIR */
int trace_dir_check(const char *dir);
int trace_path(const struct test *t, const struct options *opt, char *buf,
	       size_t len);
char **trace_env(const struct test *t, const struct options *opt);
void trace_env_free(char **env);
void trace_report(FILE *f, const struct test *t, const struct options *opt);

/* known.c */
void known_platform(char *buf, size_t len);
int known_load(struct known *k, const char *path, char *why, size_t whylen);
void known_apply(const struct known *k, struct test *t);
void known_free(struct known *k);

/* limit.c: each test's wall-clock limit */
int limit_env(struct options *opt);
void limit_set(struct test *t, const struct options *opt);
void limit_describe(const struct test *t, const struct options *opt,
		    char *buf, size_t len);

/* progress.c: the live line on a terminal */
struct progress {
	int on;
	int drawn;		/* on screen now */
	struct timespec last;	/* last drawn */
};
int progress_wanted(const struct options *opt);
void progress_draw(struct progress *p, FILE *f, const struct test_list *l,
		   int force);
void progress_erase(struct progress *p, FILE *f);

/* verdict.c */
void test_judge(struct test *t, const struct options *opt);
const char *verdict_tag(enum verdict v);
double ts_diff(const struct timespec *a, const struct timespec *b);

/* loop.c: runs every test; returns 0, or 130 when interrupted */
int run_all(struct test_list *l, const struct options *opt,
	    FILE *human, FILE *tap);

/* escape.c: output safe for YAML/XML (valid UTF-8, no control chars) */
void put_clean(FILE *f, const char *buf, size_t len, int xml);
void put_clean_str(FILE *f, const char *s, int xml);
size_t utf8_len(const unsigned char *s, size_t len);

/* report.c, tap.c, junit.c */
void report_test(FILE *f, const struct test *t, const struct options *opt);
/* The not-passed tests with their wall times, and the slowest, before it */
void report_table(FILE *f, const struct test_list *l, const struct options *opt);
void report_summary(FILE *f, const struct test_list *l, double elapsed,
		    const struct options *opt, int interrupted);
int run_failed(const struct test_list *l);
void tap_begin(FILE *f, size_t n);
void tap_test(FILE *f, const struct test *t, size_t number);
void tap_end(FILE *f, const struct test_list *l, int interrupted);
void ktap_begin(FILE *f, size_t n);
void ktap_test(FILE *f, const struct test *t, size_t number,
	       const struct options *opt);
/* Writes to f (opened up front, so a bad path fails before any test) and closes it */
int junit_write(FILE *f, const struct test_list *l, double elapsed);

#endif /* KVMKIT_RUNNER_H */
