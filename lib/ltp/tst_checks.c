// SPDX-License-Identifier: MIT
/*
 * struct tst_test's requirements, checked before setup() in LTP's order;
 * an unmet one is a TCONF.  Features this harness does not provide
 * (block devices, file systems, cgroups ...) are a TCONF too, rather than
 * a test that runs without what it asked for.
 */
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/utsname.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

const char *tst_arch_name(void)
{
#if defined(__x86_64__)
	return "x86_64";
#elif defined(__i386__)
	return "x86";
#elif defined(__aarch64__)
	return "aarch64";
#elif defined(__arm__)
	return "arm";
#elif defined(__powerpc64__)
	return "ppc64";
#elif defined(__powerpc__)
	return "ppc";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__s390__)
	return "s390";
#elif defined(__riscv)
	return "riscv64";
#else
	return "unknown";
#endif
}

static int on_supported_arch(const char *const *archs)
{
	for (; *archs; archs++) {
		if (!strcmp(*archs, tst_arch_name()))
			return 1;
	}
	return 0;
}

/* Kernel release "a.b.c..." against "x.y.z"; <0 when older */
static int kver_cmp(const char *release, const char *want)
{
	int r[3] = { 0 }, w[3] = { 0 }, i;

	sscanf(release, "%d.%d.%d", &r[0], &r[1], &r[2]);
	if (sscanf(want, "%d.%d.%d", &w[0], &w[1], &w[2]) < 2)
		tst_lib_res(TWARN, "Invalid kernel version %s", want);
	for (i = 0; i < 3; i++) {
		if (r[i] != w[i])
			return r[i] - w[i];
	}
	return 0;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long val = -1;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

static void check_unsupported(void)
{
	const struct tst_test *t = tst_test;
	const char *what = NULL;

	if (t->needs_device || t->format_device || t->mount_device ||
	    t->all_filesystems || t->needs_rofs)
		what = "block devices and file systems";
	else if (t->needs_overlay || t->needs_devfs || t->needs_hugetlbfs ||
		 t->mntpoint)
		what = "mount points";
	else if (t->needs_checkpoints || t->child_needs_reinit || t->runs_script)
		what = "checkpoints and re-executed children";
	else if (t->resource_files || t->bufs || t->caps || t->ulimit ||
		 t->filesystems || t->sample)
		what = "resource files, buffers, capabilities, ulimits and timer sampling";
	else if (t->needs_cgroup_ctrls)
		what = "cgroups";
	else if (t->hugepages.number && t->hugepages.number != TST_NO_HUGEPAGES)
		what = "huge page reservation";
	else if (t->restore_wallclock || t->taint_check)
		what = "wall clock restore and taint checks";
	if (what)
		tst_lib_brk(TCONF, "kvmkit's LTP harness does not support %s", what);
}

void tst_do_checks(void)
{
	const struct tst_test *t = tst_test;
	struct utsname uts;
	const char *const *name;

	if (t->supported_archs && !on_supported_arch(t->supported_archs))
		tst_lib_brk(TCONF, "This arch '%s' is not supported for test!",
			    tst_arch_name());

	if (t->needs_kconfigs && tst_kconfig_check(t->needs_kconfigs))
		tst_lib_brk(TCONF, "Aborting due to unsuitable kernel config, see above!");

	if (t->needs_root && geteuid() != 0)
		tst_lib_brk(TCONF, "Test needs to be run as root");

	if (t->min_kver && !uname(&uts) && kver_cmp(uts.release, t->min_kver) < 0)
		tst_lib_brk(TCONF, "The test requires kernel %s or newer",
			    t->min_kver);

	if (t->skip_in_compat && sizeof(long) == 4)
		tst_lib_brk(TCONF, "Not supported in 32-bit compat mode");

	if (t->needs_abi_bits && t->needs_abi_bits != (int)sizeof(long) * 8)
		tst_lib_brk(TCONF, "%dbit ABI is not supported", t->needs_abi_bits);

	for (name = t->needs_cmds; name && *name; name++)
		tst_check_cmd(*name, 1);

	for (name = t->needs_drivers; name && *name; name++) {
		if (tst_check_driver(*name))
			tst_lib_brk(TCONF, "%s driver not available", *name);
	}

	if (t->min_cpus && t->min_cpus > (unsigned long)tst_ncpus())
		tst_lib_brk(TCONF, "Test needs at least %lu CPUs online",
			    t->min_cpus);

	if (t->min_mem_avail &&
	    t->min_mem_avail > (unsigned long)(meminfo_kb("MemAvailable") / 1024))
		tst_lib_brk(TCONF, "Test needs at least %luMB MemAvailable",
			    t->min_mem_avail);

	if (t->min_swap_avail &&
	    t->min_swap_avail > (unsigned long)(meminfo_kb("SwapFree") / 1024))
		tst_lib_brk(TCONF, "Test needs at least %luMB SwapFree",
			    t->min_swap_avail);

	check_unsupported();
}

long tst_ncpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

long tst_ncpus_conf(void)
{
	return sysconf(_SC_NPROCESSORS_CONF);
}

long tst_ncpus_available(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return tst_ncpus();
	return CPU_COUNT(&set);
}
