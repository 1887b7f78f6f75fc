/* SPDX-License-Identifier: MIT */
/*
 * Start one test: its own process group (so a timeout or ^C kills
 * everything it forked), stdin from /dev/null, stdout and stderr into one
 * pipe, default signal dispositions and an empty signal mask whatever the
 * runner itself blocks or ignores.
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

static int spawn_actions(posix_spawn_file_actions_t *fa, int out)
{
	int ret = posix_spawn_file_actions_init(fa);

	if (ret)
		return ret;
	ret = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(fa, out, 1);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(fa, out, 2);
	if (ret)
		posix_spawn_file_actions_destroy(fa);
	return ret;
}

/*
 * On success the test is running and t->out_fd is the non-blocking read
 * end of its output; returns -errno otherwise (glibc's posix_spawn reports
 * exec failures such as ENOENT or EACCES synchronously).
 */
int test_spawn(struct test *t)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[] = { (char *)t->path, NULL };
	int pipefd[2], ret;
	struct stat st;
	pid_t pid;

	/* exec reports a directory as EACCES, which sends people to chmod */
	if (!stat(t->path, &st) && S_ISDIR(st.st_mode))
		return -EISDIR;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	ret = spawn_attrs(&attr);
	if (ret)
		goto out_pipe;
	ret = spawn_actions(&fa, pipefd[1]);
	if (ret)
		goto out_attr;

	clock_gettime(CLOCK_MONOTONIC, &t->start);
	ret = posix_spawn(&pid, t->path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
out_attr:
	posix_spawnattr_destroy(&attr);
out_pipe:
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		return -ret;
	}
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	t->pid = pid;
	t->out_fd = pipefd[0];
	t->running = 1;
	return 0;
}
