/* SPDX-License-Identifier: MIT */
/*
 * --vm: the same run inside a throwaway VM, booted once.  kvmkit-run
 * re-executes itself as `kvmkit-vm [--kernel FILE] -- kvmkit-run ARGS`
 * (ARGS: its own, minus --vm and --kernel), so the results stream from
 * the VM as they come and kvmkit-vm's exit status is the run's.
 * kvmkit-vm is found next to the real kvmkit-run: PREFIX/bin/ when
 * installed, the tree's bin/ from BUILD/bin/.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runner.h"

/* Options whose argument is the next word (as parse_args() takes them) */
static int takes_arg(const char *a, const struct options *opt)
{
	static const char *const with_arg[] = {
		"-j", "--jobs", "-t", "--timeout", "-d", "--dir", "--junit",
		"--tag", "--exclude", "--repeat", "--kernel", "--trace",
		"--rerun-failed", NULL,
	};
	const char *const *w;

	if (!strcmp(a, "--json"))
		return !opt->list;
	for (w = with_arg; *w; w++)
		if (!strcmp(a, *w))
			return 1;
	return 0;
}

/* The companion that runs a command in a VM, or NULL */
static char *find_vm(void)
{
	static const char *const where[] = { "kvmkit-vm", "../../bin/kvmkit-vm" };
	char *self = self_dir(), *path;
	size_t i;

	for (i = 0; self && i < sizeof(where) / sizeof(where[0]); i++) {
		if (asprintf(&path, "%s/%s", self, where[i]) < 0)
			break;
		if (!access(path, X_OK)) {
			free(self);
			return path;
		}
		free(path);
	}
	free(self);
	return NULL;
}

int vm_reexec(int argc, char **argv, const struct options *opt)
{
	char *vm = find_vm(), *self = realpath("/proc/self/exe", NULL);
	char **args;
	int i, n = 0, rest = 0;

	if (!vm || !self) {
		fprintf(stderr, "kvmkit-run: --vm: %s\n", vm ?
			"cannot tell where kvmkit-run is" :
			"kvmkit-vm not found next to kvmkit-run (bin/kvmkit-vm in the tree, PREFIX/bin/kvmkit-vm installed)");
		free(vm);
		free(self);
		return RUN_USAGE;
	}
	args = calloc(argc + 7, sizeof(*args));
	if (!args)
		return RUN_FAILED;
	args[n++] = vm;
	if (opt->vm_kernel) {
		args[n++] = "--kernel";
		args[n++] = (char *)opt->vm_kernel;
	}
	args[n++] = "--";
	/*
	 * In the VM, stdout is a serial line whatever ours is: a tty that may
	 * end in a CI log.  Only we know whether the progress line is wanted.
	 */
	if (progress_wanted(opt)) {
		args[n++] = "env";
		args[n++] = "KVMKIT_RUN_PROGRESS=1";
	}
	args[n++] = self;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!rest && !strcmp(a, "--")) {
			rest = 1;
		} else if (!rest && (!strcmp(a, "--vm") || !strncmp(a, "--kernel=", 9))) {
			continue;
		} else if (!rest && !strcmp(a, "--kernel")) {
			i++;
			continue;
		} else if (!rest && takes_arg(a, opt) && i + 1 < argc) {
			args[n++] = argv[i++];
		}
		args[n++] = argv[i];
	}
	fflush(NULL);
	execv(vm, args);
	fprintf(stderr, "kvmkit-run: --vm: %s: %s\n", vm, strerror(errno));
	free(args);
	free(vm);
	free(self);
	return RUN_FAILED;
}
