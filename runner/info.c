/* SPDX-License-Identifier: MIT */
/*
 * --info: what this host offers KVM tests, and which of the selected tests
 * will skip here and why.  The kernel and the KVM modules with their
 * parameters (sysfs), the capabilities that matter (KVM_CHECK_EXTENSION),
 * the CPU features KVM offers guests (KVM_GET_SUPPORTED_CPUID), then each
 * test's --meta "needs" against all that.  Raw ioctls on /dev/kvm: the
 * runner has no library dependency.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "runner.h"

#define WRAP	78

/* How a capability's value reads: 0/1, a count, a bit mask */
enum cap_fmt { CAP_BOOL, CAP_NUM, CAP_MASK };

struct cap {
	const char *name;
	long nr;
	enum cap_fmt fmt;
	const char *what;
};

#define CAP(n, fmt, what) { #n, n, fmt, what }
static const struct cap caps[] = {
	CAP(KVM_CAP_IRQCHIP, CAP_BOOL, "in-kernel interrupt controller"),
	CAP(KVM_CAP_SPLIT_IRQCHIP, CAP_BOOL, "local APIC in kernel, PIC/IOAPIC in user space"),
	CAP(KVM_CAP_X86_USER_SPACE_MSR, CAP_MASK, "MSR accesses exit to user space"),
	CAP(KVM_CAP_X86_MSR_FILTER, CAP_BOOL, "MSR filter"),
	CAP(KVM_CAP_EXIT_HYPERCALL, CAP_MASK, "hypercalls exit to user space"),
	CAP(KVM_CAP_SET_GUEST_DEBUG, CAP_BOOL, "guest debug (single step, breakpoints)"),
	CAP(KVM_CAP_READONLY_MEM, CAP_BOOL, "read-only memory slots"),
	CAP(KVM_CAP_DIRTY_LOG_RING, CAP_NUM, "dirty log ring (max bytes)"),
	CAP(KVM_CAP_NESTED_STATE, CAP_NUM, "nested state save/restore (max bytes)"),
	CAP(KVM_CAP_NR_VCPUS, CAP_NUM, "recommended vCPUs per VM"),
	CAP(KVM_CAP_MAX_VCPUS, CAP_NUM, "max vCPUs per VM"),
	CAP(KVM_CAP_USER_MEMORY, CAP_BOOL, "user memory slots"),
	CAP(KVM_CAP_NR_MEMSLOTS, CAP_NUM, "memory slots per VM"),
	CAP(KVM_CAP_IMMEDIATE_EXIT, CAP_BOOL, "immediate_exit"),
	CAP(KVM_CAP_SYNC_REGS, CAP_MASK, "registers synced through kvm_run"),
	CAP(KVM_CAP_X2APIC_API, CAP_MASK, "x2APIC API"),
	CAP(KVM_CAP_TSC_DEADLINE_TIMER, CAP_BOOL, "TSC-deadline timer"),
	CAP(KVM_CAP_XSAVE, CAP_BOOL, "KVM_GET/SET_XSAVE"),
	CAP(KVM_CAP_XCRS, CAP_BOOL, "KVM_GET/SET_XCRS"),
	CAP(KVM_CAP_GET_MSR_FEATURES, CAP_BOOL, "feature MSRs"),
	CAP(KVM_CAP_HYPERV, CAP_BOOL, "Hyper-V enlightenments"),
	CAP(KVM_CAP_PMU_EVENT_FILTER, CAP_BOOL, "PMU event filter"),
	CAP(KVM_CAP_X86_DISABLE_EXITS, CAP_MASK, "exits that can be disabled"),
	CAP(KVM_CAP_SMALLER_MAXPHYADDR, CAP_BOOL, "guest MAXPHYADDR below the host's"),
	CAP(KVM_CAP_EXCEPTION_PAYLOAD, CAP_BOOL, "exception payloads"),
	CAP(KVM_CAP_X86_BUS_LOCK_EXIT, CAP_MASK, "bus lock exits"),
#ifdef KVM_CAP_MEMORY_FAULT_INFO
	CAP(KVM_CAP_MEMORY_FAULT_INFO, CAP_BOOL, "memory fault exits"),
#endif
#ifdef KVM_CAP_GUEST_MEMFD
	CAP(KVM_CAP_GUEST_MEMFD, CAP_BOOL, "guest_memfd"),
#endif
#ifdef KVM_CAP_VM_TYPES
	CAP(KVM_CAP_VM_TYPES, CAP_MASK, "VM types"),
#endif
};
#define NCAPS	(sizeof(caps) / sizeof(caps[0]))

/* CPU features by their /proc/cpuinfo names, as tests name them in needs */
enum reg { EAX, EBX, ECX, EDX };
struct feature {
	const char *name;
	uint32_t leaf, sub;
	enum reg reg;
	unsigned int bit;
	const char *what;	/* when the name does not say it */
};

static const struct feature features[] = {
	{ "vmx",		1, 0, ECX, 5, "Intel VT-x" },
	{ "svm",		0x80000001, 0, ECX, 2, "AMD-V" },
	{ "x2apic",		1, 0, ECX, 21, NULL },
	{ "tsc_deadline_timer",	1, 0, ECX, 24, NULL },
	{ "xsave",		1, 0, ECX, 26, NULL },
	{ "avx",		1, 0, ECX, 28, NULL },
	{ "avx2",		7, 0, EBX, 5, NULL },
	{ "avx512f",		7, 0, EBX, 16, NULL },
	{ "pcid",		1, 0, ECX, 17, NULL },
	{ "invpcid",		7, 0, EBX, 10, NULL },
	{ "smep",		7, 0, EBX, 7, NULL },
	{ "smap",		7, 0, EBX, 20, NULL },
	{ "umip",		7, 0, ECX, 2, NULL },
	{ "pku",		7, 0, ECX, 3, NULL },
	{ "la57",		7, 0, ECX, 16, "5-level paging" },
	{ "rdpid",		7, 0, ECX, 22, NULL },
	{ "pdpe1gb",		0x80000001, 0, EDX, 26, "1 GiB pages" },
	{ "fsgsbase",		7, 0, EBX, 0, NULL },
	{ "rdtscp",		0x80000001, 0, EDX, 27, NULL },
	{ "nx",			0x80000001, 0, EDX, 20, NULL },
};
#define NFEATURES	(sizeof(features) / sizeof(features[0]))

/* The vendor modules, and the parameters worth seeing first */
static const char *const vendor_modules[][2] = {
	{ "kvm_intel", "VMX, Intel VT-x" },
	{ "kvm_amd", "SVM, AMD-V" },
	{ "kvm_pvm", "PVM: KVM in software, no VMX/SVM for guests" },
};
static const char *const key_params[] = {
	"nested", "ept", "npt", "enable_apicv", "avic", "vnmi",
	"unrestricted_guest", "vpid", "enable_shadow_vmcs", "pml", "tdp_mmu",
	"enable_pmu", "ignore_msrs", "force_emulation_prefix", NULL,
};

struct host {
	int fd;			/* /dev/kvm, or -1 */
	int err;		/* why not */
	const char *dev;
	struct kvm_cpuid2 *cpuid;
	long cap[NCAPS];	/* -1: KVM_CHECK_EXTENSION failed */
	int nested;		/* a vendor module with nested=Y or 1 */
	char nested_module[320];	/* "kvm_amd nested=1" */
	long cpus;
	long mem_avail_mb;	/* -1: unknown */
};

/* The first line of a small file, without its newline; -errno */
static int read_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int is_key_param(const char *name)
{
	const char *const *k;

	for (k = key_params; *k; k++)
		if (!strcmp(*k, name))
			return 1;
	return 0;
}

/* Writes "word" after the others on a line of at most WRAP columns */
static void put_word(FILE *f, int *col, const char *indent, const char *word)
{
	int n = strlen(word);

	if (*col + 1 + n > WRAP && *col > (int)strlen(indent)) {
		fputc('\n', f);
		*col = 0;
	}
	if (!*col)
		*col = fprintf(f, "%s%s", indent, word);
	else
		*col += fprintf(f, " %s", word);
}

/* "  kvm_intel: nested=Y ept=Y ...", the key parameters first */
static void put_params(FILE *f, struct host *h, const char *module)
{
	char pattern[128], val[256], word[320];
	glob_t g;
	size_t i;
	int pass, col = 0;

	snprintf(pattern, sizeof(pattern), "/sys/module/%s/parameters/*", module);
	if (glob(pattern, 0, NULL, &g)) {
		fprintf(f, "  %s: no parameters\n", module);
		return;
	}
	snprintf(word, sizeof(word), "  %s:", module);
	put_word(f, &col, "", word);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < g.gl_pathc; i++) {
			const char *name = strrchr(g.gl_pathv[i], '/') + 1;

			if (is_key_param(name) != !pass)
				continue;
			if (read_line(g.gl_pathv[i], val, sizeof(val)))
				continue;	/* write-only */
			snprintf(word, sizeof(word), "%s=%s", name, val);
			put_word(f, &col, "      ", word);
			if (!strcmp(name, "nested") && (!strcmp(val, "Y") || !strcmp(val, "1")) &&
			    strcmp(module, "kvm")) {
				h->nested = 1;
				snprintf(h->nested_module, sizeof(h->nested_module),
					 "%s nested=%s", module, val);
			}
		}
	}
	fputc('\n', f);
	globfree(&g);
}

static int module_loaded(const char *m)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", m);
	return !access(path, F_OK);
}

static void put_kernel(FILE *f, struct host *h)
{
	struct utsname u;
	const char *vendor = NULL;
	size_t i;

	if (!uname(&u))
		fprintf(f, "Kernel:   %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
	for (i = 0; i < sizeof(vendor_modules) / sizeof(vendor_modules[0]); i++) {
		if (!module_loaded(vendor_modules[i][0]))
			continue;
		fprintf(f, "Module:   %s (%s)\n", vendor_modules[i][0], vendor_modules[i][1]);
		vendor = vendor_modules[i][0];
	}
	if (!vendor)
		fprintf(f, "Module:   %s\n", module_loaded("kvm") ?
			"kvm, without a vendor module (kvm_intel, kvm_amd, kvm_pvm)" :
			"no kvm module loaded (or KVM built in without sysfs parameters)");
	if (module_loaded("kvm"))
		put_params(f, h, "kvm");
	for (i = 0; i < sizeof(vendor_modules) / sizeof(vendor_modules[0]); i++)
		if (module_loaded(vendor_modules[i][0]))
			put_params(f, h, vendor_modules[i][0]);
}

static struct kvm_cpuid2 *supported_cpuid(int fd)
{
	unsigned int n = 64;

	for (;;) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			return NULL;
		c->nent = n;
		if (!ioctl(fd, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		if (errno != E2BIG || n >= 4096)
			return NULL;
		n *= 2;
	}
}

/* 1, 0, or -1 when KVM_GET_SUPPORTED_CPUID could not tell */
static int has_feature(const struct host *h, const struct feature *ft)
{
	uint32_t i;

	if (!h->cpuid)
		return -1;
	for (i = 0; i < h->cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &h->cpuid->entries[i];
		uint32_t r[4] = { e->eax, e->ebx, e->ecx, e->edx };

		if (e->function != ft->leaf)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && e->index != ft->sub)
			continue;
		return !!(r[ft->reg] & (1u << ft->bit));
	}
	return 0;
}

static const struct feature *find_feature(const char *name)
{
	size_t i;

	for (i = 0; i < NFEATURES; i++)
		if (!strcmp(features[i].name, name))
			return &features[i];
	return NULL;
}

static void put_kvm(FILE *f, struct host *h)
{
	size_t i;
	int col = 0, pass;

	fprintf(f, "KVM:      %s, API version %d\n", h->dev,
		ioctl(h->fd, KVM_GET_API_VERSION, 0));
	fprintf(f, "Capabilities (KVM_CHECK_EXTENSION on %s):\n", h->dev);
	for (i = 0; i < NCAPS; i++) {
		const struct cap *c = &caps[i];
		long v = h->cap[i];
		char val[32];

		if (v < 0)
			snprintf(val, sizeof(val), "?");
		else if (!v)
			snprintf(val, sizeof(val), "no");
		else if (c->fmt == CAP_NUM)
			snprintf(val, sizeof(val), "%ld", v);
		else if (c->fmt == CAP_MASK)
			snprintf(val, sizeof(val), "yes (%#lx)", v);
		else
			snprintf(val, sizeof(val), "yes");
		fprintf(f, "  %-28s %-12s %s\n", c->name, val, c->what);
	}
	fputs("CPU features offered to guests (KVM_GET_SUPPORTED_CPUID):\n", f);
	if (!h->cpuid) {
		fputs("  unknown: KVM_GET_SUPPORTED_CPUID failed\n", f);
		return;
	}
	for (pass = 1; pass >= 0; pass--) {
		col = 0;
		put_word(f, &col, "", pass ? "  yes:" : "  no: ");
		for (i = 0; i < NFEATURES; i++) {
			char word[64];

			if (has_feature(h, &features[i]) != pass)
				continue;
			if (features[i].what)
				snprintf(word, sizeof(word), "%s (%s)", features[i].name, features[i].what);
			else
				snprintf(word, sizeof(word), "%s", features[i].name);
			put_word(f, &col, "       ", word);
		}
		fputc('\n', f);
	}
}

/*
 * What the test itself decides here: `TEST --check-needs` runs every
 * check a real run makes before setup() (lib/ltp/tst_needs.c and LTP's
 * checks) and exits 0 or TCONF, so --info never disagrees with a run.
 * 1: will run; 0: will skip, why in buf; -1: cannot tell, why in buf.
 */
static int will_run(const struct test *t, struct ask *a, char *buf, size_t len)
{
	char out[8192];
	size_t n = 0;
	int status, ret;

	if (t->meta->tconf) {
		snprintf(buf, len, "always: %s", t->meta->tconf);
		return 0;
	}
	ret = ask_finish(a, out, sizeof(out) - 1, &n, &status);
	if (ret) {
		snprintf(buf, len, "--check-needs: %s", strerror(-ret));
		return -1;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 32 &&
	    tconf_message(out, n, buf, len))
		return 0;
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
	if (WIFEXITED(status))
		snprintf(buf, len, "--check-needs exit status %d: %.200s",
			 WEXITSTATUS(status), out);
	else
		snprintf(buf, len, "--check-needs killed by signal %d", WTERMSIG(status));
	return -1;
}

static int asks(const struct test *t)
{
	return !t->rep && t->meta && t->meta->known && !t->meta->tconf;
}

/*
 * -1 cannot tell, 0 will skip, 1 will run for each test (why[] the
 * reason), -j tests asked at a time
 */
static void decide(const struct test_list *l, size_t jobs, signed char *runs,
		   char (*why)[512])
{
	struct ask *a = calloc(jobs, sizeof(*a));
	size_t i, j, k;

	for (i = 0; i < l->n; i += k) {
		k = l->n - i < jobs ? l->n - i : jobs;
		for (j = 0; a && j < k; j++)
			if (asks(&l->v[i + j]))
				ask_start(&a[j], l->v[i + j].path, "--check-needs", 1);
		for (j = 0; j < k; j++) {
			const struct test *t = &l->v[i + j];

			if (t->rep)
				continue;
			if (!t->meta || !t->meta->known) {
				runs[i + j] = -1;
				snprintf(why[i + j], sizeof(why[0]), "does not answer --meta");
			} else if (!a) {
				runs[i + j] = -1;
				snprintf(why[i + j], sizeof(why[0]), "%s", strerror(ENOMEM));
			} else {
				runs[i + j] = will_run(t, &a[j], why[i + j], sizeof(why[0]));
			}
		}
	}
	free(a);
}

static void put_tests(FILE *f, const struct test_list *l, size_t jobs)
{
	size_t i, skip = 0, unknown = 0, n = 0;
	signed char *runs;
	char (*why)[512];
	int col = 0;

	for (i = 0; i < l->n; i++)
		n += !l->v[i].rep;
	if (!n) {
		fputs("Tests:    none found (give --dir DIR or test binaries)\n", f);
		return;
	}
	runs = calloc(l->n, 1);
	why = calloc(l->n, sizeof(*why));
	if (!runs || !why) {
		free(runs);
		free(why);
		return;
	}
	decide(l, jobs ? jobs : 1, runs, why);
	fprintf(f, "Tests (%zu, as each decides with --check-needs):\n", n);
	for (i = 0; i < l->n; i++) {
		if (l->v[i].rep)
			continue;
		if (!runs[i])
			fprintf(f, "  %s: will skip: %s\n", l->v[i].name, why[i]);
		if (runs[i] < 0)
			fprintf(f, "  %s: cannot tell%s%s\n", l->v[i].name,
				l->v[i].meta && l->v[i].meta->known ? ": " : " (",
				l->v[i].meta && l->v[i].meta->known ? why[i] : "does not answer --meta)");
		skip += !runs[i];
		unknown += runs[i] < 0;
	}
	put_word(f, &col, "", "  will run:");
	if (skip + unknown == n)
		put_word(f, &col, "    ", "none");
	for (i = 0; i < l->n; i++)
		if (!l->v[i].rep && runs[i] == 1)
			put_word(f, &col, "    ", l->v[i].name);
	fputc('\n', f);
	fprintf(f, "Summary:  %zu tests, %zu will run, %zu will skip, %zu cannot tell\n",
		n, n - skip - unknown, skip, unknown);
	free(runs);
	free(why);
}

static long mem_available_mb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

int info_print(FILE *f, const struct test_list *l, const char *dev, size_t jobs)
{
	struct host h = { .fd = -1, .dev = dev };
	size_t i;

	h.cpus = sysconf(_SC_NPROCESSORS_ONLN);
	h.mem_avail_mb = mem_available_mb();
	put_kernel(f, &h);
	h.fd = open(dev, O_RDWR | O_CLOEXEC);
	if (h.fd < 0) {
		h.err = errno;
		fprintf(f, "KVM:      %s: %s: no KVM here, every KVM test will skip\n",
			dev, strerror(h.err));
	} else {
		for (i = 0; i < NCAPS; i++) {
			h.cap[i] = ioctl(h.fd, KVM_CHECK_EXTENSION, caps[i].nr);
			if (h.cap[i] < 0)
				h.cap[i] = -1;
		}
		h.cpuid = supported_cpuid(h.fd);
		put_kvm(f, &h);
		/* nested needs the module's consent and the CPU feature */
		if (h.nested && !has_feature(&h, find_feature("vmx")) &&
		    !has_feature(&h, find_feature("svm")))
			h.nested = 0;
	}
	if (h.nested)
		fprintf(f, "Nested:   yes (%s, VMX/SVM offered to guests)\n",
			h.nested_module);
	else
		fputs("Nested:   no (needs kvm_intel or kvm_amd with nested=Y and "
		      "VMX/SVM offered to guests)\n", f);
	fflush(f);	/* before the tests write anything */
	put_tests(f, l, jobs);
	if (h.fd >= 0)
		close(h.fd);
	free(h.cpuid);
	return fflush(f) ? RUN_FAILED : RUN_OK;
}
