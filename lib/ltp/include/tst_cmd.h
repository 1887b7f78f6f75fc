/* SPDX-License-Identifier: MIT */
/* Run a program and wait for it */
#ifndef TST_CMD_H__
#define TST_CMD_H__

enum tst_cmd_flags {
	/* return the exit status instead of TBROK when it is not 0 */
	TST_CMD_PASS_RETVAL = 1,
	/* TCONF when the program is not in PATH */
	TST_CMD_TCONF_ON_MISSING = 2,
};

/* fork + execvp argv (NULL-terminated); fds of -1 / NULL paths: inherit */
int tst_cmd_fds_(void (cleanup_fn)(void), const char *const argv[],
		 int stdout_fd, int stderr_fd, enum tst_cmd_flags flags);
int tst_cmd_(void (cleanup_fn)(void), const char *const argv[],
	     const char *stdout_path, const char *stderr_path,
	     enum tst_cmd_flags flags);

static inline int tst_cmd_fds(const char *const argv[], int stdout_fd,
			      int stderr_fd, enum tst_cmd_flags flags)
{
	return tst_cmd_fds_(NULL, argv, stdout_fd, stderr_fd, flags);
}

static inline int tst_cmd(const char *const argv[], const char *stdout_path,
			  const char *stderr_path, enum tst_cmd_flags flags)
{
	return tst_cmd_(NULL, argv, stdout_path, stderr_path, flags);
}

/* system(3) with SIGCHLD at its default */
int tst_system(const char *command);

/* 0 when the command is in PATH; TCONF instead when brk_nosupp */
int tst_check_cmd(const char *cmd, const int brk_nosupp);

#endif /* TST_CMD_H__ */
