// SPDX-License-Identifier: MIT
/*
 * needs_kconfigs: the kernel config is read once, from $KCONFIG_PATH,
 * /boot/config-$(uname -r) or /proc/config.gz.  The compressed one is read
 * through zlib when it can be loaded at run time (no link-time
 * dependency), else through gzip(1).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

static char *config;		/* the whole file, NUL-terminated */
static int config_loaded;

static char *slurp_stream(FILE *f)
{
	size_t len = 0, cap = 64 * 1024;
	char *buf = malloc(cap + 1);
	size_t n;

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *nbuf = realloc(buf, cap * 2 + 1);

			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = 0;
	return buf;
}

static char *read_plain(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;

	if (!f)
		return NULL;
	buf = slurp_stream(f);
	fclose(f);
	return buf;
}

static char *read_gz(const char *path)
{
	char cmd[PATH_MAX + 32];
	char *buf;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "gzip -dc '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	buf = slurp_stream(f);
	if (pclose(f) && buf) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

static void load_config(void)
{
	const char *env = getenv("KCONFIG_PATH");
	char path[PATH_MAX] = "";
	struct utsname uts;
	size_t len;

	if (config_loaded)
		return;
	config_loaded = 1;

	if (env) {
		snprintf(path, sizeof(path), "%s", env);
	} else if (!uname(&uts)) {
		snprintf(path, sizeof(path), "/boot/config-%s", uts.release);
		if (access(path, R_OK))
			snprintf(path, sizeof(path), "/proc/config.gz");
	}
	if (!path[0] || access(path, R_OK)) {
		tst_lib_res(TINFO, "Kernel config not found%s%s, not checking it",
			    env ? " at " : "", env ? env : "");
		return;
	}
	tst_lib_res(TINFO, "Parsing kernel config '%s'", path);
	len = strlen(path);
	config = len > 3 && !strcmp(path + len - 3, ".gz") ?
		 read_gz(path) : read_plain(path);
	if (!config)
		tst_lib_res(TWARN, "Cannot read kernel config '%s'", path);
}

/* The value of name ("y", "m", "\"str\""), "n" when unset, NULL: no config */
static const char *lookup(const char *name, size_t nlen, size_t *vlen)
{
	const char *p;

	load_config();
	if (!config)
		return NULL;
	for (p = config; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, name, nlen) && p[nlen] == '=') {
			const char *v = p + nlen + 1;

			*vlen = strcspn(v, "\n");
			return v;
		}
	}
	*vlen = 1;
	return "n";
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* One term: "CONFIG_X" or "CONFIG_X=value"; -1 when there is no config */
static int term_ok(const char *t, size_t len)
{
	const char *eq, *val;
	size_t nlen, vlen;

	trim(&t, &len);
	eq = memchr(t, '=', len);
	nlen = eq ? (size_t)(eq - t) : len;
	val = lookup(t, nlen, &vlen);
	if (!val)
		return -1;
	if (!eq)
		return (vlen == 1 && (*val == 'y' || *val == 'm'));
	eq++;
	len -= nlen + 1;
	trim(&eq, &len);
	return vlen == len && !strncmp(val, eq, len);
}

/* "A & B | C": '&' binds tighter; -1 when there is no config */
static int expr_ok(const char *expr)
{
	const char *alt = expr;

	while (alt) {
		const char *end = strchr(alt, '|');
		size_t alen = end ? (size_t)(end - alt) : strlen(alt);
		const char *t = alt;
		int all = 1;

		while (t < alt + alen) {
			const char *amp = memchr(t, '&', alt + alen - t);
			size_t tlen = amp ? (size_t)(amp - t) : (size_t)(alt + alen - t);
			int ok = term_ok(t, tlen);

			if (ok < 0)
				return -1;
			all &= ok;
			t += tlen + 1;
		}
		if (all)
			return 1;
		alt = end ? end + 1 : NULL;
	}
	return 0;
}

int tst_kconfig_check(const char *const kconfigs[])
{
	int failed = 0;

	if (getenv("KCONFIG_SKIP_CHECK")) {
		tst_lib_res(TINFO, "Skipping kernel config check as requested");
		return 0;
	}
	for (; *kconfigs; kconfigs++) {
		int ok = expr_ok(*kconfigs);

		if (ok < 0)
			return 0;	/* no config: the TINFO said so */
		if (!ok) {
			tst_lib_res(TINFO, "Constraint '%s' not satisfied!", *kconfigs);
			failed = 1;
		}
	}
	return failed;
}

char tst_kconfig_get(const char *confname)
{
	size_t vlen;
	const char *val = lookup(confname, strlen(confname), &vlen);

	if (!val)
		return 0;
	return vlen == 1 ? *val : 'y';
}
