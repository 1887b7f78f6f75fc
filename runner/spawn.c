/* SPDX-License-Identifier: MIT */
/*
 * Start one test (or one --meta query): its own process group (so a
 * timeout or ^C kills everything it forked), stdin from /dev/null, stdout
 * and stderr into one pipe, default signal dispositions and an empty
 * signal mask whatever the runner itself blocks or ignores.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

extern char **environ;

static int spawn_attrs(posix_spawnattr_t *attr)
{
	sigset_t none, all;
	int ret;

	sigemptyset(&none);
	sigfillset(&all);
	ret = posix_spawnattr_init(attr);
	if (ret)
		return ret;
	ret = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP |
				       POSIX_SPAWN_SETSIGMASK |
				       POSIX_SPAWN_SETSIGDEF);
	if (!ret)
		ret = posix_spawnattr_setpgroup(attr, 0);
	if (!ret)
		ret = posix_spawnattr_setsigmask(attr, &none);
	if (!ret)
		ret = posix_spawnattr_setsigdefault(attr, &all);
	if (ret)
		posix_spawnattr_destroy(attr);
	return ret;
}

/* stdout to out, stderr to err (-1: /dev/null), stdin from /dev/null */
static int spawn_actions(posix_spawn_file_actions_t *fa, int out, int err)
{
	int ret = posix_spawn_file_actions_init(fa);

	if (ret)
		return ret;
	ret = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(fa, out, 1);
	if (!ret && err >= 0)
		ret = posix_spawn_file_actions_adddup2(fa, err, 2);
	if (!ret && err < 0)
		ret = posix_spawn_file_actions_addopen(fa, 2, "/dev/null", O_WRONLY, 0);
	if (ret)
		posix_spawn_file_actions_destroy(fa);
	return ret;
}

int spawn_process(const char *path, char *const argv[], int out, int err,
		  char *const env[], pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct stat st;
	int ret;

	/* exec reports a directory as EACCES, which sends people to chmod */
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return -EISDIR;
	ret = spawn_attrs(&attr);
	if (ret)
		return -ret;
	ret = spawn_actions(&fa, out, err);
	if (!ret) {
		ret = posix_spawn(pid, path, &fa, &attr, argv, env ? env : environ);
		posix_spawn_file_actions_destroy(&fa);
	}
	posix_spawnattr_destroy(&attr);
	return -ret;
}

/*
 * On success the test is running and t->out_fd is the non-blocking read
 * end of its output; returns -errno otherwise (glibc's posix_spawn reports
 * exec failures such as ENOENT or EACCES synchronously).
 */
int test_spawn(struct test *t, const struct options *opt)
{
	char *argv[] = { (char *)t->path, NULL };
	char **env = NULL;
	int pipefd[2], ret;
	pid_t pid;

	if (opt->trace_dir) {
		env = trace_env(t, opt);
		if (!env)
			return errno ? -errno : -ENOMEM;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		ret = -errno;
		trace_env_free(env);
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &t->start);
	ret = spawn_process(t->path, argv, pipefd[1], pipefd[1], env, &pid);
	trace_env_free(env);
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		return ret;
	}
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	t->pid = pid;
	t->out_fd = pipefd[0];
	t->running = 1;
	return 0;
}
