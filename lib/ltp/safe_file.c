// SPDX-License-Identifier: MIT
/* SAFE_*() for files and descriptors */
#include <stdio.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

int safe_open(const char *file, const int lineno, const char *pathname,
	      int oflags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	if (oflags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, oflags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	fd = open(pathname, oflags, mode);
	if (fd < 0)
		tst_brk_(file, lineno, TBROK | TERRNO,
			 "open(%s,%d,%04o) failed", pathname, oflags, mode);
	return fd;
}

int safe_close(const char *file, const int lineno, int fd)
{
	int ret = close(fd);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "close(%d) failed", fd);
	return ret;
}

ssize_t safe_read(const char *file, const int lineno, char len_strict,
		  int fildes, void *buf, size_t nbyte)
{
	ssize_t ret = read(fildes, buf, nbyte);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "read(%d,%p,%zu) failed",
			 fildes, buf, nbyte);
	else if (len_strict && (size_t)ret != nbyte)
		tst_brk_(file, lineno, TBROK,
			 "short read(%d,%p,%zu): %zi bytes", fildes, buf,
			 nbyte, ret);
	return ret;
}

ssize_t safe_write(const char *file, const int lineno,
		   enum safe_write_opts opts, int fildes, const void *buf,
		   size_t nbyte)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t ret;

	do {
		ret = write(fildes, p + done, nbyte - done);
		if (ret < 0) {
			tst_brk_(file, lineno, TBROK | TERRNO,
				 "write(%d,%p,%zu) failed", fildes, buf, nbyte);
			return ret;
		}
		done += ret;
	} while (opts == SAFE_WRITE_RETRY && done < nbyte && ret > 0);

	if (opts != SAFE_WRITE_ANY && done != nbyte)
		tst_brk_(file, lineno, TBROK, "short write(%d,%p,%zu): %zu bytes",
			 fildes, buf, nbyte, done);
	return done;
}

off_t safe_lseek(const char *file, const int lineno, int fd, off_t offset,
		 int whence)
{
	off_t ret = lseek(fd, offset, whence);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "lseek(%d,%lld,%d) failed",
			 fd, (long long)offset, whence);
	return ret;
}

#define SIMPLE_PATH_CALL(name, call)				\
	int safe_##name(const char *file, const int lineno,		\
			const char *pathname)				\
	{								\
		int ret = call;						\
		if (ret)						\
			tst_brk_(file, lineno, TBROK | TERRNO,		\
				 #name "(%s) failed", pathname);	\
		return ret;						\
	}

SIMPLE_PATH_CALL(unlink, unlink(pathname))
SIMPLE_PATH_CALL(rmdir, rmdir(pathname))

int safe_chdir(const char *file, const int lineno, const char *path)
{
	int ret = chdir(path);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "chdir(%s) failed", path);
	return ret;
}

int safe_mkdir(const char *file, const int lineno, const char *pathname,
	       mode_t mode)
{
	int ret = mkdir(pathname, mode);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "mkdir(%s, %04o) failed",
			 pathname, mode);
	return ret;
}

int safe_access(const char *file, const int lineno, const char *pathname,
		int mode)
{
	int ret = access(pathname, mode);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "access(%s, %d) failed",
			 pathname, mode);
	return ret;
}

int safe_stat(const char *file, const int lineno, const char *path,
	      struct stat *buf)
{
	int ret = stat(path, buf);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "stat(%s) failed", path);
	return ret;
}

int safe_fstat(const char *file, const int lineno, int fd, struct stat *buf)
{
	int ret = fstat(fd, buf);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "fstat(%d) failed", fd);
	return ret;
}

int safe_pipe(const char *file, const int lineno, int fildes[2])
{
	int ret = pipe(fildes);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "pipe() failed");
	return ret;
}

int safe_dup(const char *file, const int lineno, int oldfd)
{
	int ret = dup(oldfd);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "dup(%d) failed", oldfd);
	return ret;
}

int safe_dup2(const char *file, const int lineno, int oldfd, int newfd)
{
	int ret = dup2(oldfd, newfd);

	if (ret < 0)
		tst_brk_(file, lineno, TBROK | TERRNO, "dup2(%d, %d) failed",
			 oldfd, newfd);
	return ret;
}

int safe_ftruncate(const char *file, const int lineno, int fd, off_t length)
{
	int ret = ftruncate(fd, length);

	if (ret)
		tst_brk_(file, lineno, TBROK | TERRNO, "ftruncate(%d, %lld) failed",
			 fd, (long long)length);
	return ret;
}
