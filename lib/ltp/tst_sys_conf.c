// SPDX-License-Identifier: MIT
/*
 * save_restore: /proc and /sys values saved before setup() and written
 * back at exit.  The saved values live in memory the fatal-signal path
 * can use with open()/write() alone, so a crash restores them too.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define SR_MAX		64
#define SR_VALUE_MAX	1024

struct sr_entry {
	char path[PATH_MAX];
	char value[SR_VALUE_MAX];
	size_t len;
};

static struct sr_entry *saved[SR_MAX];
static int nsaved;		/* atomic: published entries */

void tst_sys_conf_save_str(const char *path, const char *value)
{
	struct sr_entry *e;
	int n = __atomic_load_n(&nsaved, __ATOMIC_ACQUIRE);

	if (n >= SR_MAX)
		tst_lib_brk(TBROK, "Too many save_restore entries (%d)", SR_MAX);
	e = SAFE_MALLOC(sizeof(*e));
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->value, sizeof(e->value), "%s", value);
	e->len = strlen(e->value);
	saved[n] = e;
	__atomic_store_n(&nsaved, n + 1, __ATOMIC_RELEASE);
}

static void sr_error(int lineno, int ignore, const char *what,
		     const char *path)
{
	if (ignore)
		tst_res_(TST_LIB_FILE, lineno, TINFO | TERRNO, what, path);
	else
		tst_brk_(TST_LIB_FILE, lineno, TBROK | TERRNO, what, path);
}

static int not_writable(const struct tst_path_val *conf)
{
	if (conf->flags & TST_SR_SKIP_RO) {
		tst_lib_res(TINFO | TERRNO, "Path is not writable: %s", conf->path);
		return 1;
	}
	tst_lib_brk(((conf->flags & TST_SR_TBROK_RO) ? TBROK : TCONF) | TERRNO,
		    "Path is not writable: %s", conf->path);
	return 1;
}

int tst_sys_conf_save(const struct tst_path_val *conf)
{
	char line[SR_VALUE_MAX];
	int ignore = conf->flags & TST_SR_IGNORE_ERR;
	FILE *fp;

	if (access(conf->path, F_OK)) {
		if (conf->flags & TST_SR_SKIP_MISSING) {
			tst_lib_res(TINFO | TERRNO, "Path not found: %s", conf->path);
			return 1;
		}
		tst_lib_brk(((conf->flags & TST_SR_TBROK_MISSING) ? TBROK : TCONF) |
			    TERRNO, "Path not found: %s", conf->path);
		return 1;
	}
	if (access(conf->path, W_OK))
		return not_writable(conf);

	fp = fopen(conf->path, "r");
	if (!fp) {
		sr_error(__LINE__, ignore, "Failed to open '%s' for reading",
			 conf->path);
		return 1;
	}
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		if (!ignore)
			tst_lib_brk(TBROK | TERRNO, "Failed to read anything from '%s'",
				    conf->path);
		return 1;
	}
	fclose(fp);
	if (!conf->val) {
		tst_sys_conf_save_str(conf->path, line);
		return 0;
	}

	/*
	 * access(W_OK) passes for root on a read-only sysfs parameter; the
	 * open fails.  That is the "not writable" case the flags describe.
	 */
	fp = fopen(conf->path, "w");
	if (!fp && (errno == EACCES || errno == EPERM || errno == EROFS))
		return not_writable(conf);
	if (!fp) {
		sr_error(__LINE__, ignore, "Failed to open '%s' for writing",
			 conf->path);
		return 1;
	}
	tst_sys_conf_save_str(conf->path, line);
	if (fputs(conf->val, fp) < 0)
		sr_error(__LINE__, ignore, "Failed to write into '%s'", conf->path);
	if (fclose(fp))
		sr_error(__LINE__, ignore, "Failed to close '%s'", conf->path);
	return 0;
}

/* Take the entries once, newest first, so nothing is restored twice */
static int take_entries(void)
{
	return __atomic_exchange_n(&nsaved, 0, __ATOMIC_ACQ_REL);
}

void tst_sys_conf_restore(int verbose)
{
	int i = take_entries();

	while (i--) {
		if (verbose)
			tst_lib_res(TINFO, "Restoring conf.: %s -> %s",
				    saved[i]->path, saved[i]->value);
		FILE_PRINTF(saved[i]->path, "%s", saved[i]->value);
		free(saved[i]);
		saved[i] = NULL;
	}
}

void tst_sys_conf_restore_unsafe_exit(void)
{
	int i = take_entries();

	while (i--) {
		int fd = open(saved[i]->path, O_WRONLY | O_TRUNC);

		if (fd < 0)
			continue;
		tst_write_all(fd, saved[i]->value, saved[i]->len);
		close(fd);
	}
}

void tst_sys_conf_dump(void)
{
	int i, n = __atomic_load_n(&nsaved, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		tst_lib_res(TINFO, "%s = %s", saved[i]->path, saved[i]->value);
}

int tst_read_bool_sys_param(const char *filename)
{
	char buf[256];
	int fd, i, ret;
	long val;

	fd = open(filename, O_RDONLY);
	if (fd < 0)
		return -1;
	ret = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (ret < 1)
		return -1;
	buf[ret] = 0;
	for (i = 0; buf[i] && !isspace((unsigned char)buf[i]); i++)
		;
	buf[i] = 0;

	if (isdigit((unsigned char)buf[0]))
		return tst_parse_long(buf, &val, INT_MIN, INT_MAX) ? 1 : (int)val;
	if (!strcasecmp(buf, "N"))
		return 0;
	return 1;
}
