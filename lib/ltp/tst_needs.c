// SPDX-License-Identifier: MIT
/*
 * struct tst_kvmkit_needs enforced: before setup(), a test whose declared
 * needs this machine does not meet ends as TCONF with every reason, in
 * one line.  The same code answers `TEST --check-needs` (no setup, no
 * guest), which is what kvmkit-run --info asks, so that what --info says
 * will skip and what the run reports can never disagree: there is only
 * this one decision.  A need kvmkit cannot check (a misspelt feature or
 * capability) is the test's bug: TBROK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/kvm.h>
#include <kvmkit/kvmkit.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

/* CPU features by their /proc/cpuinfo names, as KVM offers them to guests */
enum reg { EAX, EBX, ECX, EDX };
static const struct feature {
	const char *name;
	uint32_t leaf;
	enum reg reg;
	unsigned int bit;
} features[] = {
	{ "vmx", 1, ECX, 5 },		{ "svm", 0x80000001, ECX, 2 },
	{ "x2apic", 1, ECX, 21 },	{ "tsc_deadline_timer", 1, ECX, 24 },
	{ "xsave", 1, ECX, 26 },	{ "avx", 1, ECX, 28 },
	{ "pcid", 1, ECX, 17 },		{ "rdrand", 1, ECX, 30 },
	{ "avx2", 7, EBX, 5 },		{ "avx512f", 7, EBX, 16 },
	{ "invpcid", 7, EBX, 10 },	{ "smep", 7, EBX, 7 },
	{ "smap", 7, EBX, 20 },		{ "fsgsbase", 7, EBX, 0 },
	{ "umip", 7, ECX, 2 },		{ "pku", 7, ECX, 3 },
	{ "la57", 7, ECX, 16 },		{ "rdpid", 7, ECX, 22 },
	{ "pdpe1gb", 0x80000001, EDX, 26 }, { "rdtscp", 0x80000001, EDX, 27 },
	{ "nx", 0x80000001, EDX, 20 },	{ "lm", 0x80000001, EDX, 29 },
};

#define CAP(n) { #n, n }
static const struct cap {
	const char *name;
	long nr;
} caps[] = {
	CAP(KVM_CAP_IRQCHIP), CAP(KVM_CAP_SPLIT_IRQCHIP),
	CAP(KVM_CAP_X86_USER_SPACE_MSR), CAP(KVM_CAP_X86_MSR_FILTER),
	CAP(KVM_CAP_EXIT_HYPERCALL), CAP(KVM_CAP_SET_GUEST_DEBUG),
	CAP(KVM_CAP_READONLY_MEM), CAP(KVM_CAP_DIRTY_LOG_RING),
	CAP(KVM_CAP_NESTED_STATE), CAP(KVM_CAP_IMMEDIATE_EXIT),
	CAP(KVM_CAP_SYNC_REGS), CAP(KVM_CAP_X2APIC_API),
	CAP(KVM_CAP_TSC_DEADLINE_TIMER), CAP(KVM_CAP_XSAVE), CAP(KVM_CAP_XCRS),
	CAP(KVM_CAP_GET_MSR_FEATURES), CAP(KVM_CAP_HYPERV),
	CAP(KVM_CAP_PMU_EVENT_FILTER), CAP(KVM_CAP_X86_DISABLE_EXITS),
	CAP(KVM_CAP_SMALLER_MAXPHYADDR), CAP(KVM_CAP_EXCEPTION_PAYLOAD),
	CAP(KVM_CAP_X86_BUS_LOCK_EXIT), CAP(KVM_CAP_VCPU_EVENTS),
	CAP(KVM_CAP_DEBUGREGS), CAP(KVM_CAP_MP_STATE), CAP(KVM_CAP_TSC_CONTROL),
	CAP(KVM_CAP_X86_TRIPLE_FAULT_EVENT), CAP(KVM_CAP_MAX_VCPUS),
	CAP(KVM_CAP_NR_MEMSLOTS), CAP(KVM_CAP_USER_MEMORY),
	CAP(KVM_CAP_ENABLE_CAP), CAP(KVM_CAP_X86_SMM),
	CAP(KVM_CAP_HYPERV_ENLIGHTENED_VMCS), CAP(KVM_CAP_MSR_PLATFORM_INFO),
	CAP(KVM_CAP_BINARY_STATS_FD), CAP(KVM_CAP_DIRTY_LOG_RING_ACQ_REL),
	CAP(KVM_CAP_ADJUST_CLOCK), CAP(KVM_CAP_KVMCLOCK_CTRL),
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct why {
	char buf[1024];
	size_t len;
};

static void add(struct why *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct why *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->len + 3 >= sizeof(w->buf))
		return;
	if (w->len)
		w->len += snprintf(w->buf + w->len, sizeof(w->buf) - w->len, "; ");
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->len, sizeof(w->buf) - w->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len += (size_t)n < sizeof(w->buf) - w->len ? (size_t)n :
			  sizeof(w->buf) - w->len - 1;
}

static const struct feature *find_feature(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(features); i++)
		if (!strcmp(features[i].name, name))
			return &features[i];
	tst_lib_brk(TBROK, "kvmkit_needs: CPU feature '%s' is unknown to kvmkit "
		    "(lib/ltp/tst_needs.c lists the known ones)", name);
	return NULL;
}

static const struct cap *find_cap(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(caps); i++)
		if (!strcmp(caps[i].name, name))
			return &caps[i];
	tst_lib_brk(TBROK, "kvmkit_needs: capability '%s' is unknown to kvmkit "
		    "(lib/ltp/tst_needs.c lists the known ones)", name);
	return NULL;
}

/* 1 when KVM offers the feature to guests, 0 when not or unknown */
static int offered(const struct kvm_cpuid2 *cpuid, const struct feature *ft)
{
	const struct kvm_cpuid_entry2 *e;
	uint32_t r[4];

	if (!cpuid)
		return 0;
	e = kvmkit_cpuid_find(cpuid, ft->leaf, 0);
	if (!e)
		return 0;
	r[EAX] = e->eax;
	r[EBX] = e->ebx;
	r[ECX] = e->ecx;
	r[EDX] = e->edx;
	return !!(r[ft->reg] & (1u << ft->bit));
}

/* nested=Y or 1 on the vendor module */
static const char *nested_module(void)
{
	static const char *const modules[] = { "kvm_intel", "kvm_amd" };
	char path[96], val[8] = "";
	size_t i;
	FILE *f;

	for (i = 0; i < ARRAY_LEN(modules); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s/parameters/nested", modules[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (!fgets(val, sizeof(val), f))
			val[0] = 0;
		fclose(f);
		if (val[0] == 'Y' || val[0] == '1')
			return modules[i];
	}
	return NULL;
}

static long mem_available_mb(void)
{
	char line[128];
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

static void check_kvm(const struct tst_kvmkit_needs *n, struct kvmkit_kvm *kvm,
		      struct why *w)
{
	struct kvm_cpuid2 *cpuid = NULL;
	const char *const *p;
	long max;

	if (kvmkit_kvm_supported_cpuid(kvm, &cpuid))
		cpuid = NULL;
	for (p = n->cpu_features; p && *p; p++)
		if (!offered(cpuid, find_feature(*p)))
			add(w, "KVM offers no %s to guests", *p);
	for (p = n->kvm_caps; p && *p; p++)
		if (kvmkit_kvm_check_extension(kvm, find_cap(*p)->nr) <= 0)
			add(w, "no %s", *p);
	if (n->vcpus > 1) {
		max = kvmkit_kvm_check_extension(kvm, KVM_CAP_MAX_VCPUS);
		if (max <= 0)
			max = kvmkit_kvm_check_extension(kvm, KVM_CAP_NR_VCPUS);
		if (max <= 0)
			max = 4;	/* api.rst: when neither capability exists */
		if (n->vcpus > (unsigned long)max)
			add(w, "needs %u vCPUs, KVM allows %ld", n->vcpus, max);
	}
	if (n->nested && !nested_module())
		add(w, "needs nested virtualization: no kvm_intel or kvm_amd with nested=1");
	else if (n->nested && !offered(cpuid, &features[0]) && !offered(cpuid, &features[1]))
		add(w, "needs nested virtualization: KVM offers neither VMX nor SVM to guests");
	free(cpuid);
}

void tst_kvmkit_check_needs(void)
{
	const struct tst_kvmkit_needs *n = tst_test->kvmkit_needs;
	struct kvmkit_kvm *kvm;
	struct why w = { .len = 0 };
	char err[256];
	long avail;

	if (!n)
		return;
	avail = mem_available_mb();
	if (n->mem_mb && avail >= 0 && n->mem_mb > (unsigned long)avail)
		add(&w, "needs %lu MiB of guest memory, more than MemAvailable", n->mem_mb);
	if ((n->cpu_features && *n->cpu_features) || (n->kvm_caps && *n->kvm_caps) ||
	    n->vcpus > 1 || n->nested) {
		if (kvmkit_kvm_open(&kvm, NULL, err, sizeof(err))) {
			add(&w, "%s", err);
		} else {
			check_kvm(n, kvm, &w);
			kvmkit_kvm_close(kvm);
		}
	}
	if (w.len)
		tst_lib_brk(TCONF, "%s", w.buf);
}
