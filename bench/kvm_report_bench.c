// SPDX-License-Identifier: MIT
/*
 * kvmkit's side of the report round-trip benchmark: the guest sends
 * BENCH_REPORTS tst_res(TINFO) reports in a loop, the host times the run
 * and prints nanoseconds per exit (reports + the final EXIT).
 *
 * KVMKIT_BENCH_MODE selects the host path:
 *   ltp       tst_kvm_run_instance(): what every test pays (run with
 *             stdout and stderr to /dev/null: printing is part of it)
 *   native    kvmkit_vcpu_run() + kvmkit_report_read(), nothing printed
 *   run-only  kvmkit_vcpu_run() alone: the library's cost over a bare
 *             KVM_RUN
 * The figure goes to $BENCH_RESULT_FD (bench-driver) or to the log.
 */
#include "kvm_test.h"

#define BENCH_REPORTS	20000

#ifdef COMPILE_PAYLOAD

void main(void)
{
	int i;

	for (i = 0; i < BENCH_REPORTS; i++)
		tst_res(TINFO, "kvmkit report round trip");
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kvmkit/kvmkit.h>

static struct tst_kvm_instance inst;

/* The whole guest run on the native API; returns the reports seen */
static long run_native(int read_reports)
{
	struct kvmkit_vcpu *vcpu = inst.kvmkit_vcpu;
	struct kvmkit_report *rep = malloc(sizeof(*rep));
	struct kvmkit_exit ex;
	long reports = 0;
	uint32_t hc;

	if (!rep)
		tst_brk(TBROK, "malloc");
	for (;;) {
		if (kvmkit_vcpu_run(vcpu, &ex))
			tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
		if (ex.type != KVMKIT_EXIT_IO_OUT ||
		    ex.io.port != KVMKIT_HC_PORT || ex.io.size != 4)
			tst_brk(TBROK, "unexpected exit %s",
				kvmkit_exit_type_name(ex.type));
		memcpy(&hc, ex.io.data, sizeof(hc));
		if (hc == KVMKIT_HC_EXIT)
			break;
		if (hc != KVMKIT_HC_REPORT)
			tst_brk(TBROK, "unexpected hypercall %u", hc);
		if (read_reports && kvmkit_report_read(vcpu, rep))
			tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
		reports++;
	}
	free(rep);
	return reports;
}

static void run(void)
{
	const char *mode = getenv("KVMKIT_BENCH_MODE");
	const char *fd = getenv("BENCH_RESULT_FD");
	struct timespec t0, t1;
	long reports = BENCH_REPORTS;
	double ns;

	if (!mode)
		mode = "ltp";
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
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
	if (reports != BENCH_REPORTS)
		tst_brk(TBROK, "%ld reports, expected %d", reports, BENCH_REPORTS);

	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	     (BENCH_REPORTS + 1);
	if (fd)
		dprintf(atoi(fd), "%.0f\n", ns);
	tst_res(TPASS, "%s: %.0f ns per exit over %d reports", mode, ns,
		BENCH_REPORTS);
}

static struct tst_test test = {
	.test_all = run,
};

#endif /* COMPILE_PAYLOAD */
