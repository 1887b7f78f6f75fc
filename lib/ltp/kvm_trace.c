// SPDX-License-Identifier: MIT
/*
 * KVMKIT_TRACE=FILE: every exit the run loop sees, one line each, appended
 * to FILE: seconds since the first traced exit, the process, the exit as
 * kvmkit describes it, the guest's RIP and, when the payload's line table
 * has it, the test's own file:line.  Off (one getenv) unless asked for;
 * kvmkit-run --trace DIR sets it per test.  Each line is one write() to an
 * O_APPEND file, so forked tests and threads interleave whole lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TST_NO_DEFAULT_MAIN
#include "kvm_private.h"

static pthread_once_t trace_once = PTHREAD_ONCE_INIT;
static int trace_fd = -1;
static struct timespec trace_start;

/* Per exit type: how many, and the time spent in the KVM_RUN that ended so */
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint64_t count, run_ns;
} trace_sum[KVMKIT_EXIT_TYPE_COUNT];

/*
 * At exit, after the lines: the exits by type, most time first, so that a
 * single binary's KVMKIT_TRACE file answers "where did the time go" as
 * kvmkit-run --trace's summary does.  One write per line, like the rest.
 */
static void trace_summary(void)
{
	unsigned int order[KVMKIT_EXIT_TYPE_COUNT], i, j, n = 0;
	uint64_t total = 0, exits = 0;
	char line[256];
	int len;

	pthread_mutex_lock(&trace_lock);
	for (i = 0; i < KVMKIT_EXIT_TYPE_COUNT; i++) {
		if (!trace_sum[i].count)
			continue;
		for (j = n++; j && trace_sum[order[j - 1]].run_ns < trace_sum[i].run_ns; j--)
			order[j] = order[j - 1];
		order[j] = i;
		total += trace_sum[i].run_ns;
		exits += trace_sum[i].count;
	}
	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof(line),
			       "# pid %d summary: %-16s %8llu exits %12.3f ms in KVM_RUN\n",
			       (int)getpid(), kvmkit_exit_type_name(order[i]),
			       (unsigned long long)trace_sum[order[i]].count,
			       trace_sum[order[i]].run_ns / 1e6);
		(void)!write(trace_fd, line, len);
	}
	len = snprintf(line, sizeof(line),
		       "# pid %d summary: %-16s %8llu exits %12.3f ms in KVM_RUN\n",
		       (int)getpid(), "total", (unsigned long long)exits, total / 1e6);
	(void)!write(trace_fd, line, len);
	pthread_mutex_unlock(&trace_lock);
}

static void trace_open(void)
{
	const char *path = getenv("KVMKIT_TRACE");

	if (!path || !*path)
		return;
	trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (trace_fd < 0)
		tst_res(TINFO | TERRNO, "KVMKIT_TRACE=%s: cannot open it, no exit trace", path);
	else
		atexit(trace_summary);
	clock_gettime(CLOCK_MONOTONIC, &trace_start);
}

void tst_kvm_trace_exit(struct kvmkit_vcpu *vcpu, const struct kvmkit_exit *e)
{
	char desc[256], at[160] = "", line[512];
	struct kvm_regs regs;
	struct timespec now;
	unsigned int lineno;
	char file[128];
	int n, saved = errno;

	pthread_once(&trace_once, trace_open);
	if (trace_fd < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((unsigned int)e->type < KVMKIT_EXIT_TYPE_COUNT) {
		struct kvmkit_exit_record rec;

		pthread_mutex_lock(&trace_lock);
		trace_sum[e->type].count++;
		if (kvmkit_vcpu_exit_history(vcpu, &rec, 1) == 1)
			trace_sum[e->type].run_ns += rec.run_ns;
		pthread_mutex_unlock(&trace_lock);
	}
	kvmkit_exit_describe(e, desc, sizeof(desc));
	if (!kvmkit_vcpu_exit_regs(vcpu, &regs)) {
		n = snprintf(at, sizeof(at), " rip=0x%llx", (unsigned long long)regs.rip);
		if (!tst_kvm_guest_line(regs.rip, file, sizeof(file), &lineno))
			snprintf(at + n, sizeof(at) - n, " (%s:%u)", file, lineno);
	}
	n = snprintf(line, sizeof(line), "%.6f pid %d %s%s\n",
		     (now.tv_sec - trace_start.tv_sec) +
		     (now.tv_nsec - trace_start.tv_nsec) / 1e9,
		     (int)getpid(), desc, at);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	/* a full disk costs the trace, not the test */
	(void)!write(trace_fd, line, n);
	errno = saved;
}

/*
 * The vCPU's last TST_KVM_LAST_EXITS exits for a TBROK report, one line
 * each after a newline (issue 9: a broken test's report shows what the
 * guest did just before).  buf is always terminated; a dump cut short by
 * a small buf ends where it was cut.
 */
void tst_kvm_last_exits(const struct kvmkit_vcpu *vcpu, char *buf, size_t len)
{
	FILE *f;
	size_t n;

	if (!len)
		return;
	buf[0] = '\0';
	f = fmemopen(buf, len, "w");
	if (!f)
		return;
	fputc('\n', f);
	kvmkit_vcpu_dump_exits(vcpu, f, TST_KVM_LAST_EXITS);
	fclose(f);
	buf[len - 1] = '\0';
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/*
 * --gdb PORT (or KVMKIT_GDB): the first guest this process runs waits for
 * gdb before its first instruction; later iterations run undebugged, as
 * gdb has gone by then.
 */
void tst_kvm_gdb_attach(struct kvmkit_vcpu *vcpu)
{
	static int attached;
	char exe[512];
	ssize_t n;
	int port;

	if (tst_kvmkit_gdb_port() < 0 || attached)
		return;
	attached = 1;
	port = kvmkit_gdb_serve(vcpu, (uint16_t)tst_kvmkit_gdb_port());
	if (port < 0) {
		tst_brk(TBROK, "%s", kvmkit_vcpu_error(vcpu));
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	tst_res(TINFO, "waiting for gdb on 127.0.0.1:%d: gdb -ex 'target remote 127.0.0.1:%d' %s.payload.elf",
		port, port, n > 0 ? exe : "BINARY");
}
