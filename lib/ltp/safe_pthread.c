// SPDX-License-Identifier: MIT
/* SAFE_PTHREAD_*(): pthread calls return the error, they do not set errno */
#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"
#include "tst_safe_pthread.h"

#define CHECKED(call, allowed, fmt, ...) ({				\
	int ret_ = (call);						\
	if (ret_ && ret_ != (allowed))					\
		tst_brk_(file, lineno, TBROK, fmt " failed: %s",	\
			 ##__VA_ARGS__, tst_strerrno(ret_));		\
	ret_;								\
})

int safe_pthread_create(const char *file, const int lineno,
			pthread_t *thread_id, const pthread_attr_t *attr,
			void *(*thread_fn)(void *), void *arg)
{
	return CHECKED(pthread_create(thread_id, attr, thread_fn, arg), 0,
		       "pthread_create(%p,%p,%p,%p)", (void *)thread_id,
		       (void *)attr, (void *)thread_fn, arg);
}

int safe_pthread_join(const char *file, const int lineno,
		      pthread_t thread_id, void **retval)
{
	return CHECKED(pthread_join(thread_id, retval), 0,
		       "pthread_join(..., %p)", (void *)retval);
}

int safe_pthread_kill(const char *file, const int lineno, pthread_t thread,
		      int sig)
{
	return CHECKED(pthread_kill(thread, sig), 0, "pthread_kill(..., %s)",
		       tst_strsig(sig));
}

int safe_pthread_cancel(const char *file, const int lineno, pthread_t thread)
{
	return CHECKED(pthread_cancel(thread), 0, "pthread_cancel()");
}

int safe_pthread_mutexattr_init(const char *file, const int lineno,
				pthread_mutexattr_t *attr)
{
	return CHECKED(pthread_mutexattr_init(attr), 0,
		       "pthread_mutexattr_init(%p)", (void *)attr);
}

int safe_pthread_mutexattr_destroy(const char *file, const int lineno,
				   pthread_mutexattr_t *attr)
{
	return CHECKED(pthread_mutexattr_destroy(attr), 0,
		       "pthread_mutexattr_destroy(%p)", (void *)attr);
}

int safe_pthread_mutexattr_settype(const char *file, const int lineno,
				   pthread_mutexattr_t *attr, int type)
{
	return CHECKED(pthread_mutexattr_settype(attr, type), 0,
		       "pthread_mutexattr_settype(%p, %d)", (void *)attr, type);
}

int safe_pthread_mutex_init(const char *file, const int lineno,
			    pthread_mutex_t *mutex,
			    const pthread_mutexattr_t *attr)
{
	return CHECKED(pthread_mutex_init(mutex, attr), 0,
		       "pthread_mutex_init(%p, %p)", (void *)mutex,
		       (void *)attr);
}

int safe_pthread_mutex_destroy(const char *file, const int lineno,
			       pthread_mutex_t *mutex)
{
	return CHECKED(pthread_mutex_destroy(mutex), 0,
		       "pthread_mutex_destroy(%p)", (void *)mutex);
}

int safe_pthread_mutex_lock(const char *file, const int lineno,
			    pthread_mutex_t *mutex)
{
	return CHECKED(pthread_mutex_lock(mutex), 0, "pthread_mutex_lock(%p)",
		       (void *)mutex);
}

int safe_pthread_mutex_trylock(const char *file, const int lineno,
			       pthread_mutex_t *mutex)
{
	return CHECKED(pthread_mutex_trylock(mutex), EBUSY,
		       "pthread_mutex_trylock(%p)", (void *)mutex);
}

int safe_pthread_mutex_timedlock(const char *file, const int lineno,
				 pthread_mutex_t *mutex,
				 const struct timespec *abstime)
{
	return CHECKED(pthread_mutex_timedlock(mutex, abstime), ETIMEDOUT,
		       "pthread_mutex_timedlock(%p, {%lld, %ld})",
		       (void *)mutex, (long long)abstime->tv_sec,
		       abstime->tv_nsec);
}

int safe_pthread_mutex_unlock(const char *file, const int lineno,
			      pthread_mutex_t *mutex)
{
	return CHECKED(pthread_mutex_unlock(mutex), 0,
		       "pthread_mutex_unlock(%p)", (void *)mutex);
}

int safe_pthread_barrier_init(const char *file, const int lineno,
			      pthread_barrier_t *barrier,
			      const pthread_barrierattr_t *attr,
			      unsigned int count)
{
	return CHECKED(pthread_barrier_init(barrier, attr, count), 0,
		       "pthread_barrier_init(%p, %p, %u)", (void *)barrier,
		       (void *)attr, count);
}

int safe_pthread_barrier_wait(const char *file, const int lineno,
			      pthread_barrier_t *barrier)
{
	return CHECKED(pthread_barrier_wait(barrier),
		       PTHREAD_BARRIER_SERIAL_THREAD,
		       "pthread_barrier_wait(%p)", (void *)barrier);
}

int safe_pthread_barrier_destroy(const char *file, const int lineno,
				 pthread_barrier_t *barrier)
{
	return CHECKED(pthread_barrier_destroy(barrier), 0,
		       "pthread_barrier_destroy(%p)", (void *)barrier);
}
