// SPDX-License-Identifier: MIT
/*
 * --known FILE: the failures a KVM implementation is known to have, so
 * that a suite full of real findings can still gate CI.  A line is
 *
 *	PLATFORM TEST VERDICT REASON...
 *
 * (PLATFORM and TEST are globs, VERDICT is FAIL, BROK or CONF, or several
 * joined by '|', with a '?' when it comes and goes; # starts a comment).  A listed test that ends with that verdict on this platform
 * is reported as such, with the reason, and does not fail the run; one
 * that passes is reported as passing again, so the list gets pruned.
 * Nothing is hidden: both show in every report.
 *
 * The platform is what the KVM at hand is: "kvm_pvm", "kvm_amd",
 * "kvm_intel", with "+tcg" when the CPU it runs on is QEMU's TCG (nested
 * KVM under emulation), or KVMKIT_PLATFORM when set.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runner.h"

static int under_tcg(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int tcg = 0;

	if (!f)
		return 0;
	while (!tcg && fgets(line, sizeof(line), f))
		tcg = !strncmp(line, "model name", 10) && strstr(line, "QEMU TCG");
	fclose(f);
	return tcg;
}

void known_platform(char *buf, size_t len)
{
	static const char *const modules[] = { "kvm_pvm", "kvm_amd", "kvm_intel" };
	const char *env = getenv("KVMKIT_PLATFORM");
	const char *kvm = "kvm";
	char path[64];
	size_t i;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", modules[i]);
		if (!access(path, F_OK)) {
			kvm = modules[i];
			break;
		}
	}
	snprintf(buf, len, "%s%s", kvm, under_tcg() ? "+tcg" : "");
}

/*
 * "FAIL", "BROK", "CONF" or several joined by '|' (a deviation after which
 * the guest runs astray may end either way); a trailing '?' marks one
 * that comes and goes.  Returns the mask of verdicts, 0 when malformed.
 */
static unsigned int parse_verdicts(const char *s, int *intermittent)
{
	static const struct { const char *name; enum verdict v; } names[] = {
		{ "FAIL", V_FAIL }, { "BROK", V_BROK }, { "CONF", V_CONF },
	};
	unsigned int mask = 0, i;
	size_t n = strlen(s);

	*intermittent = n && s[n - 1] == '?';
	n -= *intermittent;
	while (n) {
		size_t len = strcspn(s, "|?");

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (len == 4 && !strncmp(s, names[i].name, 4))
				break;
		if (i == sizeof(names) / sizeof(names[0]) || len > n)
			return 0;
		mask |= 1u << names[i].v;
		if (len == n)
			break;
		if (s[len] != '|')
			return 0;
		s += len + 1;
		n -= len + 1;
		if (!n)
			return 0;
	}
	return mask;
}

/* Keeps this platform's entries; a malformed line is a usage error */
int known_load(struct known *k, const char *path, char *why, size_t whylen)
{
	char line[4096], *plat, *test, *verd, *reason, *save;
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");

	known_platform(k->platform, sizeof(k->platform));
	if (!f) {
		snprintf(why, whylen, "--known %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct known_entry *e;
		int ok;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		plat = strtok_r(line, " \t", &save);
		if (!plat || plat[0] == '#')
			continue;
		test = strtok_r(NULL, " \t", &save);
		verd = test ? strtok_r(NULL, " \t", &save) : NULL;
		reason = verd ? strtok_r(NULL, "", &save) : NULL;
		if (reason)
			reason += strspn(reason, " \t");
		if (!reason || !*reason || !parse_verdicts(verd, &ok)) {
			snprintf(why, whylen,
				 "--known %s:%u: want PLATFORM TEST FAIL|BROK|CONF[?] REASON",
				 path, lineno);
			fclose(f);
			return -1;
		}
		if (fnmatch(plat, k->platform, 0))
			continue;
		e = realloc(k->v, (k->n + 1) * sizeof(*k->v));
		if (!e) {
			snprintf(why, whylen, "--known: out of memory");
			fclose(f);
			return -1;
		}
		k->v = e;
		e = &k->v[k->n++];
		e->test = strdup(test);
		e->reason = strdup(reason);
		e->verdicts = parse_verdicts(verd, &e->intermittent);
		if (!e->test || !e->reason) {
			snprintf(why, whylen, "--known: out of memory");
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

void known_free(struct known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].test);
		free(k->v[i].reason);
	}
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

/* After judging: mark t when the list expects its verdict, or listed it */
void known_apply(const struct known *k, struct test *t)
{
	size_t i;

	t->known = NULL;
	t->known_passed = 0;
	if (!k)
		return;
	for (i = 0; i < k->n; i++) {
		const struct known_entry *e = &k->v[i];

		if (fnmatch(e->test, t->name, 0))
			continue;
		if (e->verdicts & (1u << t->verdict)) {
			t->known = e->reason;
			t->strict_skip = 0;
		} else if (t->verdict == V_PASS && !e->intermittent) {
			t->known_passed = 1;
		}
		return;
	}
}
