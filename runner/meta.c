/* SPDX-License-Identifier: MIT */
/*
 * What a test says about itself: `test --meta`, one line of JSON (see
 * lib/ltp/tst_meta.c).  Only binaries that carry the format marker are
 * asked, because anything else (a shell script, a unit test) would not
 * describe itself but run.  A test that cannot answer is listed without
 * description or tags, never dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

#define META_MARKER	"kvmkit-meta-1"
#define META_MAX	(64 * 1024)	/* one line of JSON, generously */
#define META_TIMEOUT_MS	5000

static int has_marker(const char *path)
{
	struct stat st;
	void *map;
	int fd, found;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	found = memmem(map, st.st_size, META_MARKER, strlen(META_MARKER)) != NULL;
	munmap(map, st.st_size);
	return found;
}

/* Its stdout until EOF, the size limit or the deadline; -errno on error */
static ssize_t read_bounded(int fd, char *buf, size_t max)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec start, now;
	size_t len = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int left, n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = META_TIMEOUT_MS - (int)(ts_diff(&now, &start) * 1000);
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ETIMEDOUT;
		n = read(fd, buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return len;
		len += n;
		if (len == max)
			return -EMSGSIZE;
	}
}

/*
 * path ARG's stdout (and stderr when both), bounded in size and time;
 * *status is its wait status.  0, or -errno when it could not tell.
 */
int test_ask(const char *path, const char *arg, int both, char *buf,
	     size_t max, size_t *len, int *status)
{
	char *argv[] = { (char *)path, (char *)arg, NULL };
	int fd[2], ret;
	ssize_t n;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC))
		return -errno;
	ret = spawn_process(path, argv, fd[1], both ? fd[1] : -1, NULL, &pid);
	close(fd[1]);
	if (ret) {
		close(fd[0]);
		return ret;
	}
	n = read_bounded(fd[0], buf, max);
	close(fd[0]);
	kill(-pid, SIGKILL);	/* whatever it left behind, or itself when late */
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (n < 0)
		return n;
	*len = n;
	return 0;
}

static int ask(const char *path, char *buf, size_t max, size_t *len)
{
	int status, ret = test_ask(path, "--meta", 0, buf, max, len, &status);

	if (ret)
		return ret;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EPROTO;
}

static void meta_clear(struct meta *m)
{
	size_t i;

	for (i = 0; i < m->ntags; i++) {
		free(m->tags[i].name);
		free(m->tags[i].value);
	}
	free(m->tags);
	for (i = 0; i < m->needs.ncpu_features; i++)
		free(m->needs.cpu_features[i]);
	free(m->needs.cpu_features);
	for (i = 0; i < m->needs.nkvm_caps; i++)
		free(m->needs.kvm_caps[i]);
	free(m->needs.kvm_caps);
	free(m->tconf);
	free(m->name);
	free(m->desc);
	free(m->json);
	memset(m, 0, sizeof(*m));
}

void meta_free(struct meta *m)
{
	if (!m)
		return;
	meta_clear(m);
	free(m);
}

/* t->meta is set in any case (known = 0 when the test could not tell) */
int meta_fetch(struct test *t)
{
	struct meta *m = calloc(1, sizeof(*m));
	size_t len = 0;
	char *buf;

	if (!m)
		return -ENOMEM;
	t->meta = m;
	if (!has_marker(t->path))
		return 0;
	buf = malloc(META_MAX + 1);
	if (!buf)
		return -ENOMEM;
	if (ask(t->path, buf, META_MAX, &len)) {
		free(buf);
		return 0;
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = 0;
	/* one line: what --list --json prints back as it came */
	if (memchr(buf, '\n', len) || json_parse_meta(buf, len, m)) {
		meta_clear(m);
		free(buf);
		return 0;
	}
	m->json = buf;
	m->known = 1;
	return 0;
}
