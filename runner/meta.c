/* SPDX-License-Identifier: MIT */
/*
 * What a test says about itself: `test --meta`, one line of JSON (see
 * lib/ltp/tst_meta.c).  Only binaries that carry the format marker are
 * asked, because anything else (a shell script, a unit test) would not
 * describe itself but run.  A test that cannot answer is listed without
 * description or tags, never dropped.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

#define META_MARKER	"kvmkit-meta-1"
#define META_MAX	(64 * 1024)	/* one line of JSON, generously */
#define META_TIMEOUT_MS	5000

#define SCRIPT_MAX	(256 * 1024)	/* a non-ELF test scanned whole */
#define NOTE_MAX	(64 * 1024)

/* The note lib/ltp/tst_meta.c puts in every test: owner "kvmkit", type 1 */
static int note_has_marker(const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name, desc, next;

		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		name = off + 12;
		desc = name + ((namesz + 3) & ~3u);
		next = desc + ((descsz + 3) & ~3u);
		if (desc > len || next > len || next <= off)
			return 0;
		if (type == 1 && namesz == 7 && !memcmp(p + name, "kvmkit", 7) &&
		    descsz >= strlen(META_MARKER) &&
		    !memcmp(p + desc, META_MARKER, strlen(META_MARKER)))
			return 1;
		off = next;
	}
	return 0;
}

/* An ELF binary: the marker in one of its PT_NOTE segments */
static int elf_has_marker(int fd, const Elf64_Ehdr *eh)
{
	unsigned char *buf;
	int i, found = 0;

	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr))
		return 0;
	buf = malloc(NOTE_MAX);
	if (!buf)
		return 0;
	for (i = 0; i < eh->e_phnum && !found; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), eh->e_phoff + (off_t)i * sizeof(ph)) != sizeof(ph))
			break;
		if (ph.p_type != PT_NOTE || !ph.p_filesz || ph.p_filesz > NOTE_MAX)
			continue;
		if (pread(fd, buf, ph.p_filesz, ph.p_offset) != (ssize_t)ph.p_filesz)
			continue;
		found = note_has_marker(buf, ph.p_filesz);
	}
	free(buf);
	return found;
}

/*
 * Does path describe itself?  An ELF test carries the marker as a note
 * (read from its program headers, not the whole file); a script, the
 * marker anywhere in its first SCRIPT_MAX bytes.
 */
static int has_marker(const char *path)
{
	union { Elf64_Ehdr eh; char bytes[SCRIPT_MAX]; } *u;
	struct stat st;
	ssize_t n;
	int fd, found = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	u = malloc(sizeof(*u));
	if (!u || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		free(u);
		close(fd);
		return 0;
	}
	n = pread(fd, u, sizeof(u->eh), 0);
	if (n == sizeof(u->eh) && !memcmp(u->eh.e_ident, ELFMAG, SELFMAG)) {
		found = elf_has_marker(fd, &u->eh);
	} else if (st.st_size <= SCRIPT_MAX) {
		n = pread(fd, u->bytes, st.st_size, 0);
		found = n > 0 && memmem(u->bytes, n, META_MARKER, strlen(META_MARKER));
	}
	free(u);
	close(fd);
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

/* Starts path ARG, its stdout (and stderr when both) into a pipe */
int ask_start(struct ask *a, const char *path, const char *arg, int both)
{
	char *argv[] = { (char *)path, (char *)arg, NULL };
	int fd[2];

	a->fd = -1;
	if (pipe2(fd, O_CLOEXEC))
		return a->err = -errno;
	a->err = spawn_process(path, argv, fd[1], both ? fd[1] : -1, NULL, &a->pid);
	close(fd[1]);
	if (a->err)
		close(fd[0]);
	else
		a->fd = fd[0];
	return a->err;
}

/*
 * Its output, bounded in size and time (from now: started in a batch, it
 * may have run a while, which only helps); *status is its wait status.
 * 0, or -errno when it could not tell.
 */
int ask_finish(struct ask *a, char *buf, size_t max, size_t *len, int *status)
{
	ssize_t n;

	if (a->err)
		return a->err;
	n = read_bounded(a->fd, buf, max);
	close(a->fd);
	a->fd = -1;
	kill(-a->pid, SIGKILL);	/* whatever it left behind, or itself when late */
	while (waitpid(a->pid, status, 0) < 0 && errno == EINTR)
		;
	if (n < 0)
		return n;
	*len = n;
	return 0;
}

int test_ask(const char *path, const char *arg, int both, char *buf,
	     size_t max, size_t *len, int *status)
{
	struct ask a;

	ask_start(&a, path, arg, both);
	return ask_finish(&a, buf, max, len, status);
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

/* Asks t (when it carries the marker); t->meta is set in any case */
static int fetch_start(struct test *t, struct ask *a)
{
	t->meta = calloc(1, sizeof(*t->meta));
	if (!t->meta)
		return -ENOMEM;
	a->err = -ENOENT;
	if (has_marker(t->path))
		ask_start(a, t->path, "--meta", 0);
	return 0;
}

/* known = 0 when the test could not tell */
static int fetch_finish(struct test *t, struct ask *a)
{
	struct meta *m = t->meta;
	size_t len = 0;
	int status;
	char *buf;

	if (a->err)
		return 0;
	buf = malloc(META_MAX + 1);
	if (!buf) {
		ask_finish(a, NULL, 0, &len, &status);
		return -ENOMEM;
	}
	if (ask_finish(a, buf, META_MAX, &len, &status) ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
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

int meta_fetch(struct test *t)
{
	return meta_fetch_many(&t, 1, 1);
}

/* jobs tests asked at a time: each --meta is mostly an exec's I/O */
int meta_fetch_many(struct test **v, size_t n, size_t jobs)
{
	struct ask *a = calloc(jobs ? jobs : 1, sizeof(*a));
	size_t i, j, k;
	int ret = 0, r;

	if (!a)
		return -ENOMEM;
	for (i = 0; i < n; i += k) {
		k = n - i < jobs ? n - i : jobs;
		for (j = 0; j < k; j++) {
			r = fetch_start(v[i + j], &a[j]);
			if (r) {
				a[j].err = r;
				ret = r;
			}
		}
		for (j = 0; j < k; j++) {
			r = fetch_finish(v[i + j], &a[j]);
			ret = ret ? ret : r;
		}
	}
	free(a);
	return ret;
}
