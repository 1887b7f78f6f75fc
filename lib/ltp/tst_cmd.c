// SPDX-License-Identifier: MIT
/* Running helper programs (modprobe, rmmod ...) for tests */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define EXEC_FAILED	255	/* the child's status when execvp() failed */

int tst_cmd_fds_(void (cleanup_fn)(void), const char *const argv[],
		 int stdout_fd, int stderr_fd, enum tst_cmd_flags flags)
{
	int status, ret;
	pid_t pid;

	(void)cleanup_fn;
	if (!argv || !argv[0]) {
		tst_lib_brk(TBROK, "tst_cmd(): invalid argv");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		tst_lib_brk(TBROK | TERRNO, "fork() failed");
		return -1;
	}
	if (!pid) {
		if (stdout_fd >= 0 && dup2(stdout_fd, STDOUT_FILENO) < 0)
			_exit(EXEC_FAILED - 1);
		if (stderr_fd >= 0 && dup2(stderr_fd, STDERR_FILENO) < 0)
			_exit(EXEC_FAILED - 1);
		execvp(argv[0], (char *const *)argv);
		_exit(EXEC_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			tst_lib_brk(TBROK | TERRNO, "waitpid() failed");
			return -1;
		}
	}
	if (!WIFEXITED(status)) {
		tst_lib_brk(TBROK, "'%s' %s", argv[0], tst_strstatus(status));
		return -1;
	}
	ret = WEXITSTATUS(status);
	if (ret == EXEC_FAILED) {
		if (flags & TST_CMD_TCONF_ON_MISSING)
			tst_lib_brk(TCONF, "Couldn't find '%s' in $PATH", argv[0]);
		else if (!(flags & TST_CMD_PASS_RETVAL))
			tst_lib_brk(TBROK, "Failed to execute '%s'", argv[0]);
		return ret;
	}
	if (ret && !(flags & TST_CMD_PASS_RETVAL))
		tst_lib_brk(TBROK, "'%s' exited with a non-zero code %d",
			    argv[0], ret);
	return ret;
}

static int open_out(const char *path)
{
	int fd;

	if (!path)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		tst_lib_brk(TBROK | TERRNO, "open(%s) failed", path);
	return fd;
}

int tst_cmd_(void (cleanup_fn)(void), const char *const argv[],
	     const char *stdout_path, const char *stderr_path,
	     enum tst_cmd_flags flags)
{
	int out = open_out(stdout_path), err = open_out(stderr_path), ret;

	ret = tst_cmd_fds_(cleanup_fn, argv, out, err, flags);
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return ret;
}

int tst_system(const char *command)
{
	struct sigaction sa = { .sa_handler = SIG_DFL }, old;
	int ret;

	sigaction(SIGCHLD, &sa, &old);
	ret = system(command);
	sigaction(SIGCHLD, &old, NULL);
	return ret;
}

int tst_check_cmd(const char *cmd, const int brk_nosupp)
{
	char name[256], path[PATH_MAX];
	const char *env = getenv("PATH"), *dir;
	size_t len = strcspn(cmd, " \t");

	snprintf(name, sizeof(name), "%.*s", (int)len, cmd);
	if (strchr(name, '/')) {
		if (!access(name, X_OK))
			return 0;
	} else {
		for (dir = env ? env : "/usr/bin:/bin"; dir; ) {
			const char *end = strchr(dir, ':');
			size_t dlen = end ? (size_t)(end - dir) : strlen(dir);

			snprintf(path, sizeof(path), "%.*s/%s", (int)dlen, dir, name);
			if (!access(path, X_OK))
				return 0;
			dir = end ? end + 1 : NULL;
		}
	}
	if (brk_nosupp)
		tst_lib_brk(TCONF, "Couldn't find '%s' in $PATH", name);
	else
		tst_lib_res(TCONF, "Couldn't find '%s' in $PATH", name);
	return 1;
}
