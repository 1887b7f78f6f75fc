/* SPDX-License-Identifier: MIT */
/*
 * SAFE_*(): the call, or a TBROK naming it and the caller's file:line.
 * When tst_brk() returns (in cleanup) they return the failed call's value.
 */
#ifndef TST_SAFE_MACROS_H__
#define TST_SAFE_MACROS_H__

#include <stdarg.h>
#include <stdlib.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "tst_res_flags.h"

/* ---- files ---------------------------------------------------------- */

int safe_open(const char *file, const int lineno, const char *pathname,
	      int oflags, ...);
#define SAFE_OPEN(pathname, oflags, ...) \
	safe_open(__FILE__, __LINE__, (pathname), (oflags), ##__VA_ARGS__)

int safe_close(const char *file, const int lineno, int fd);
#define SAFE_CLOSE(fd) do {					\
	safe_close(__FILE__, __LINE__, (fd));			\
	fd = -1;						\
} while (0)

/* len_strict: anything short of count bytes is an error too */
ssize_t safe_read(const char *file, const int lineno, char len_strict,
		  int fildes, void *buf, size_t nbyte);
#define SAFE_READ(len_strict, fildes, buf, nbyte) \
	safe_read(__FILE__, __LINE__, (len_strict), (fildes), (buf), (nbyte))

enum safe_write_opts {
	SAFE_WRITE_ANY = 0,	/* any number of bytes */
	SAFE_WRITE_ALL = 1,	/* all in one write() */
	SAFE_WRITE_RETRY = 2,	/* all, in as many write()s as needed */
};
ssize_t safe_write(const char *file, const int lineno, enum safe_write_opts opts,
		   int fildes, const void *buf, size_t nbyte);
#define SAFE_WRITE(opts, fildes, buf, nbyte) \
	safe_write(__FILE__, __LINE__, (opts), (fildes), (buf), (nbyte))

off_t safe_lseek(const char *file, const int lineno, int fd, off_t offset,
		 int whence);
#define SAFE_LSEEK(fd, offset, whence) \
	safe_lseek(__FILE__, __LINE__, (fd), (offset), (whence))

int safe_unlink(const char *file, const int lineno, const char *pathname);
#define SAFE_UNLINK(pathname) safe_unlink(__FILE__, __LINE__, (pathname))

int safe_mkdir(const char *file, const int lineno, const char *pathname,
	       mode_t mode);
#define SAFE_MKDIR(pathname, mode) \
	safe_mkdir(__FILE__, __LINE__, (pathname), (mode))

int safe_rmdir(const char *file, const int lineno, const char *pathname);
#define SAFE_RMDIR(pathname) safe_rmdir(__FILE__, __LINE__, (pathname))

int safe_chdir(const char *file, const int lineno, const char *path);
#define SAFE_CHDIR(path) safe_chdir(__FILE__, __LINE__, (path))

int safe_access(const char *file, const int lineno, const char *pathname,
		int mode);
#define SAFE_ACCESS(pathname, mode) \
	safe_access(__FILE__, __LINE__, (pathname), (mode))

int safe_stat(const char *file, const int lineno, const char *path,
	      struct stat *buf);
#define SAFE_STAT(path, buf) safe_stat(__FILE__, __LINE__, (path), (buf))

int safe_fstat(const char *file, const int lineno, int fd, struct stat *buf);
#define SAFE_FSTAT(fd, buf) safe_fstat(__FILE__, __LINE__, (fd), (buf))

int safe_pipe(const char *file, const int lineno, int fildes[2]);
#define SAFE_PIPE(fildes) safe_pipe(__FILE__, __LINE__, (fildes))

int safe_dup(const char *file, const int lineno, int oldfd);
#define SAFE_DUP(oldfd) safe_dup(__FILE__, __LINE__, (oldfd))

int safe_dup2(const char *file, const int lineno, int oldfd, int newfd);
#define SAFE_DUP2(oldfd, newfd) safe_dup2(__FILE__, __LINE__, (oldfd), (newfd))

int safe_ftruncate(const char *file, const int lineno, int fd, off_t length);
#define SAFE_FTRUNCATE(fd, length) \
	safe_ftruncate(__FILE__, __LINE__, (fd), (length))

/* ioctl's value; TBROK when it is negative */
#define SAFE_IOCTL(fd, request, ...) ({					\
	int tst_ret_ = ioctl((fd), (request), ##__VA_ARGS__);		\
	if (tst_ret_ < 0)						\
		tst_brk_(__FILE__, __LINE__, TBROK | TERRNO,		\
			 "ioctl(%i,%s,...) failed", (int)(fd), #request); \
	tst_ret_;							\
})

/* ---- memory --------------------------------------------------------- */

void *safe_malloc(const char *file, const int lineno, size_t size);
#define SAFE_MALLOC(size) safe_malloc(__FILE__, __LINE__, (size))

void *safe_calloc(const char *file, const int lineno, size_t nmemb,
		  size_t size);
#define SAFE_CALLOC(nmemb, size) \
	safe_calloc(__FILE__, __LINE__, (nmemb), (size))

void *safe_realloc(const char *file, const int lineno, void *ptr,
		   size_t size);
#define SAFE_REALLOC(ptr, size) safe_realloc(__FILE__, __LINE__, (ptr), (size))

void *safe_mmap(const char *file, const int lineno, void *addr, size_t length,
		int prot, int flags, int fd, off_t offset);
#define SAFE_MMAP(addr, length, prot, flags, fd, offset)		\
	safe_mmap(__FILE__, __LINE__, (addr), (length), (prot),		\
		  (flags), (fd), (offset))

int safe_munmap(const char *file, const int lineno, void *addr,
		size_t length);
#define SAFE_MUNMAP(addr, length) \
	safe_munmap(__FILE__, __LINE__, (addr), (length))

int safe_mprotect(const char *file, const int lineno, void *addr,
		  size_t len, int prot);
#define SAFE_MPROTECT(addr, len, prot) \
	safe_mprotect(__FILE__, __LINE__, (addr), (len), (prot))

long safe_sysconf(const char *file, const int lineno, int name);
#define SAFE_SYSCONF(name) safe_sysconf(__FILE__, __LINE__, (name))

int safe_asprintf(const char *file, const int lineno, char **strp,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define SAFE_ASPRINTF(strp, fmt, ...) \
	safe_asprintf(__FILE__, __LINE__, (strp), (fmt), ##__VA_ARGS__)

/* ---- numbers and environment --------------------------------------- */

long safe_strtol(const char *file, const int lineno, char *str, long min,
		 long max);
#define SAFE_STRTOL(str, min, max) \
	safe_strtol(__FILE__, __LINE__, (str), (min), (max))

unsigned long safe_strtoul(const char *file, const int lineno, char *str,
			   unsigned long min, unsigned long max);
#define SAFE_STRTOUL(str, min, max) \
	safe_strtoul(__FILE__, __LINE__, (str), (min), (max))

float safe_strtof(const char *file, const int lineno, char *str, float min,
		  float max);
#define SAFE_STRTOF(str, min, max) \
	safe_strtof(__FILE__, __LINE__, (str), (min), (max))

int safe_setenv(const char *file, const int lineno, const char *name,
		const char *value, int overwrite);
#define SAFE_SETENV(name, value, overwrite) \
	safe_setenv(__FILE__, __LINE__, (name), (value), (overwrite))

/* ---- processes and signals ----------------------------------------- */

int safe_kill(const char *file, const int lineno, pid_t pid, int sig);
#define SAFE_KILL(pid, sig) safe_kill(__FILE__, __LINE__, (pid), (sig))

pid_t safe_waitpid(const char *file, const int lineno, pid_t pid,
		   int *status, int opts);
#define SAFE_WAITPID(pid, status, opts) \
	safe_waitpid(__FILE__, __LINE__, (pid), (status), (opts))

pid_t safe_wait(const char *file, const int lineno, int *status);
#define SAFE_WAIT(status) safe_wait(__FILE__, __LINE__, (status))

int safe_sigaction(const char *file, const int lineno, int signum,
		   const struct sigaction *act, struct sigaction *oldact);
#define SAFE_SIGACTION(signum, act, oldact) \
	safe_sigaction(__FILE__, __LINE__, (signum), (act), (oldact))

typedef void (*tst_sighandler_t)(int);
tst_sighandler_t safe_signal(const char *file, const int lineno, int signum,
			     tst_sighandler_t handler);
#define SAFE_SIGNAL(signum, handler) \
	safe_signal(__FILE__, __LINE__, (signum), (handler))

int safe_sigprocmask(const char *file, const int lineno, int how,
		     const sigset_t *set, sigset_t *oldset);
#define SAFE_SIGPROCMASK(how, set, oldset) \
	safe_sigprocmask(__FILE__, __LINE__, (how), (set), (oldset))

int safe_sigemptyset(const char *file, const int lineno, sigset_t *sigs);
#define SAFE_SIGEMPTYSET(sigs) safe_sigemptyset(__FILE__, __LINE__, (sigs))
int safe_sigfillset(const char *file, const int lineno, sigset_t *sigs);
#define SAFE_SIGFILLSET(sigs) safe_sigfillset(__FILE__, __LINE__, (sigs))
int safe_sigaddset(const char *file, const int lineno, sigset_t *sigs,
		   int signo);
#define SAFE_SIGADDSET(sigs, signo) \
	safe_sigaddset(__FILE__, __LINE__, (sigs), (signo))
int safe_sigdelset(const char *file, const int lineno, sigset_t *sigs,
		   int signo);
#define SAFE_SIGDELSET(sigs, signo) \
	safe_sigdelset(__FILE__, __LINE__, (sigs), (signo))

#endif /* TST_SAFE_MACROS_H__ */
