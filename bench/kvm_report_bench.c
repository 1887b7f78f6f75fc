// SPDX-License-Identifier: MIT
/*
 * kvmkit's side of the report round-trip benchmark: the guest sends N
 * reports in a loop, the host times the whole run and prints nanoseconds
 * per exit (N reports + the final EXIT).
 *
 * KVMKIT_BENCH_MODE selects the host path:
 *   ltp       tst_kvm_run_instance(): what every test pays (run with
 *             stdout and stderr to /dev/null: printing is part of it)
 *   native    kvmkit_vcpu_run_loop() with a hypercall callback that
 *             decodes each report (kvmkit_report_from_hypercall(): the
 *             result page, or the registers for KVMKIT_HC_PRINTF),
 *             nothing printed
 *   run-only  the same run loop, the callback only counting: the
 *             library's cost over KVM_RUN
 * KVMKIT_BENCH_GUEST selects the guest path:
 *   tst_res   tst_res(TINFO, "...") (default): what every test pays
 *   doorbell  the result page's fields stored by hand and one OUT, no
 *             formatting: the least an LTP-compatible report can cost,
 *             so the difference to tst_res is the guest's own work
 * KVMKIT_BENCH_REPORTS sets N (default 1000 for tst_res, 20000 for
 * doorbell).  The figure goes to $BENCH_RESULT_FD (bench-driver) or to
 * the test log.
 */
#include "kvm_test.h"

/*
 * The host's orders to the guest, left in the result page's message area
 * before the first run; the guest reads them once, before its first
 * report overwrites them.
 */
#define BENCH_MAGIC	0x48434e42	/* "BNCH" */

struct bench_ctl {
	uint32_t magic;
	uint32_t reports;
	uint32_t doorbell;
};

#ifdef COMPILE_PAYLOAD

/*
 * n reports without formatting: lineno, file_addr and result stored, then
 * the doorbell.  Assembly, so that it is instruction for instruction the
 * loop of raw_roundtrip's doorbell guest: this host emulates guest
 * supervisor code one instruction at a time, so one extra instruction
 * shows as much as the host's own work.
 */
static void doorbell_loop(uint32_t n)
{
	asm volatile("1:	movl %[line], 4(%%rdi)\n\t"
		     "	mov %%rsi, 8(%%rdi)\n\t"
		     "	movl %[tinfo], (%%rdi)\n\t"
		     "	out %%eax, %[port]\n\t"
		     "	dec %%ecx\n\t"
		     "	jnz 1b"
		     : "+c"(n)
		     : "D"(KVMKIT_RESULT_BASE), "S"(__FILE__),
		       "a"(KVMKIT_HC_REPORT), [port] "i"(KVMKIT_HC_PORT),
		       [line] "i"(__LINE__), [tinfo] "i"(TINFO)
		     : "memory");
}

void main(void)
{
	volatile struct tst_kvm_result *res = (void *)KVMKIT_RESULT_BASE;
	const volatile struct bench_ctl *ctl = (const void *)res->message;
	uint32_t i, n = 1000;
	int doorbell = 0;

	if (ctl->magic == BENCH_MAGIC) {
		n = ctl->reports;
		doorbell = ctl->doorbell;
	}
	if (doorbell) {
		res->message[0] = 'x';
		res->message[1] = '\0';
		if (n)
			doorbell_loop(n);
		return;
	}
	for (i = 0; i < n; i++)
		tst_res(TINFO, "kvmkit report round trip");
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>

static struct tst_kvm_instance inst;

struct native {
	struct kvmkit_report *rep;
	int read_reports;
	long reports;
};

static int on_hypercall(struct kvmkit_vcpu *vcpu,
			const struct kvmkit_hypercall *hc, void *opaque)
{
	struct native *n = opaque;

	if (hc->nr == KVMKIT_HC_EXIT)
		return KVMKIT_STOP;
	if (hc->nr != KVMKIT_HC_REPORT && hc->nr != KVMKIT_HC_PRINTF)
		return KVMKIT_UNHANDLED;
	/* tst_res() by registers or the result page, as the library knows */
	if (n->read_reports && kvmkit_report_from_hypercall(vcpu, hc, n->rep))
		return -EIO;
	n->reports++;
	return KVMKIT_RESUME;
}

/* The whole guest run on the native run loop; returns the reports seen */
static long run_native(int read_reports)
{
	struct kvmkit_vcpu *vcpu = inst.kvmkit_vcpu;
	struct native n = {
		.rep = malloc(sizeof(*n.rep)), .read_reports = read_reports,
	};
	const struct kvmkit_run_ops ops = {
		.hypercall = on_hypercall, .opaque = &n,
	};
	struct kvmkit_exit ex;
	int ret;

	if (!n.rep)
		tst_brk(TBROK, "malloc");
	ret = kvmkit_vcpu_run_loop(vcpu, &ops, &ex);
	if (ret < 0)
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
	if (ret != KVMKIT_STOP)
		tst_brk(TBROK, "unexpected exit %s",
			kvmkit_exit_type_name(ex.type));
	free(n.rep);
	return n.reports;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static void run(void)
{
	const char *mode = env_or("KVMKIT_BENCH_MODE", "ltp");
	const char *guest = env_or("KVMKIT_BENCH_GUEST", "tst_res");
	const char *fd = getenv("BENCH_RESULT_FD");
	struct bench_ctl ctl = { .magic = BENCH_MAGIC };
	struct timespec t0, t1;
	long reports;
	double ns;

	if (!strcmp(guest, "doorbell"))
		ctl.doorbell = 1;
	else if (strcmp(guest, "tst_res"))
		tst_brk(TBROK, "KVMKIT_BENCH_GUEST=%s: not tst_res or doorbell",
			guest);
	ctl.reports = atoi(env_or("KVMKIT_BENCH_REPORTS",
				  ctl.doorbell ? "20000" : "1000"));
	if (ctl.reports < 1)
		tst_brk(TBROK, "KVMKIT_BENCH_REPORTS must be positive");
	reports = ctl.reports;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	memcpy(inst.result->message, &ctl, sizeof(ctl));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(mode, "ltp"))
		tst_kvm_run_instance(&inst, 0);
	else if (!strcmp(mode, "native"))
		reports = run_native(1);
	else if (!strcmp(mode, "run-only"))
		reports = run_native(0);
	else
		tst_brk(TBROK, "KVMKIT_BENCH_MODE=%s: not ltp, native or run-only",
			mode);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tst_kvm_destroy_instance(&inst);
	if (reports != (long)ctl.reports)
		tst_brk(TBROK, "%ld reports, expected %u", reports, ctl.reports);

	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	     (reports + 1);
	if (fd)
		dprintf(atoi(fd), "%.0f\n", ns);
	tst_res(TPASS, "%s/%s: %.0f ns per exit over %ld reports", mode, guest,
		ns, reports);
}

static struct tst_test test = {
	.test_all = run,
};

#endif /* COMPILE_PAYLOAD */
