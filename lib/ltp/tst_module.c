// SPDX-License-Identifier: MIT
/* Kernel modules: needs_drivers and tst_module_*() */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"
#include "tst_module.h"

/* Module names treat '-' and '_' alike */
static void normalize(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '-' ? '_' : src[i];
	dst[i] = 0;
}

/* Does a modules.{builtin,dep} line name the module?  ".../name.ko[.xz]:" */
static int list_has(const char *list, const char *name)
{
	char path[PATH_MAX], line[PATH_MAX], base[256];
	struct utsname uts;
	int found = 0;
	FILE *f;

	if (uname(&uts))
		return 0;
	snprintf(path, sizeof(path), "/lib/modules/%s/%s", uts.release, list);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *end = strstr(line, ".ko");
		char *start;

		if (!end)
			continue;
		*end = 0;
		start = strrchr(line, '/');
		normalize(base, start ? start + 1 : line, sizeof(base));
		found = !strcmp(base, name);
	}
	fclose(f);
	return found;
}

int tst_check_driver(const char *driver)
{
	char name[256], path[PATH_MAX];

	normalize(name, driver, sizeof(name));
	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (!access(path, F_OK))
		return 0;
	if (list_has("modules.builtin", name) || list_has("modules.dep", name))
		return 0;
	return 1;
}

static int is_ko_file(const char *mod_name)
{
	size_t len = strlen(mod_name);

	return len > 3 && !strcmp(mod_name + len - 3, ".ko");
}

void tst_module_exists_(void (cleanup_fn)(void), const char *mod_name,
			char **mod_path)
{
	char path[2 * PATH_MAX], exe[PATH_MAX];
	ssize_t len;

	(void)cleanup_fn;
	if (!is_ko_file(mod_name)) {
		if (tst_check_driver(mod_name))
			tst_lib_brk(TCONF, "Module '%s' not found", mod_name);
		if (mod_path)
			*mod_path = strdup(mod_name);
		return;
	}
	snprintf(path, sizeof(path), "%s", mod_name);
	if (access(path, F_OK)) {
		/* next to the test binary */
		len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (len > 0) {
			exe[len] = 0;
			if (strrchr(exe, '/'))
				*strrchr(exe, '/') = 0;
			snprintf(path, sizeof(path), "%s/%s", exe, mod_name);
		}
	}
	if (access(path, F_OK)) {
		tst_lib_brk(TCONF, "Module file '%s' not found", mod_name);
		return;
	}
	if (mod_path)
		*mod_path = strdup(path);
}

static void run_with_args(const char *cmd, const char *target,
			  char *const argv[])
{
	const char *args[64] = { cmd, target };
	size_t n = 2;

	while (argv && *argv && n < ARRAY_SIZE(args) - 1)
		args[n++] = *argv++;
	args[n] = NULL;
	tst_cmd(args, NULL, NULL, 0);
}

void tst_module_load_(void (cleanup_fn)(void), const char *mod_name,
		      char *const argv[])
{
	char *path = NULL;

	tst_module_exists_(cleanup_fn, mod_name, &path);
	if (is_ko_file(mod_name))
		run_with_args("insmod", path, argv);
	else
		run_with_args("modprobe", mod_name, argv);
	free(path);
}

void tst_module_unload_(void (cleanup_fn)(void), const char *mod_name)
{
	const char *const argv[] = { "rmmod", mod_name, NULL };
	int i, ret = 1;

	(void)cleanup_fn;
	/* Modules stay busy a moment after their last user is gone */
	for (i = 0; i < 50 && ret; i++) {
		ret = tst_cmd(argv, "/dev/null", "/dev/null",
			      TST_CMD_PASS_RETVAL);
		if (ret)
			usleep(20000);
	}
	if (ret)
		tst_lib_brk(TBROK, "Could not remove module %s", mod_name);
}

void tst_modprobe(const char *mod_name, char *const argv[])
{
	run_with_args("modprobe", mod_name, argv);
}

void tst_module_reload(const char *mod_name, char *const argv[])
{
	tst_lib_res(TINFO, "Reloading kernel module %s", mod_name);
	tst_module_unload(mod_name);
	tst_modprobe(mod_name, argv);
}

bool tst_module_signature_enforced_(void)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	if (strstr(buf, "module.sig_enforce=1"))
		return true;
	return tst_read_bool_sys_param("/sys/module/module/parameters/sig_enforce") > 0;
}

void tst_requires_module_signature_disabled_(void)
{
	if (tst_module_signature_enforced_())
		tst_lib_brk(TCONF, "module signature is enforced, skip test");
}
