// SPDX-License-Identifier: MIT
/* needs_tmpdir: a fresh directory under $TMPDIR as the working directory */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

static char tmpdir[PATH_MAX];
static char startwd[PATH_MAX];

const char *tst_get_tmpdir_root(void)
{
	const char *env = getenv("TMPDIR");

	return env && env[0] == '/' ? env : "/tmp";
}

char *tst_get_tmpdir(void)
{
	if (!tmpdir[0]) {
		tst_lib_brk(TBROK, "No temporary directory (needs_tmpdir is not set)");
		return NULL;
	}
	return strdup(tmpdir);
}

void tst_tmpdir_create(void)
{
	if (!getcwd(startwd, sizeof(startwd)))
		startwd[0] = 0;
	snprintf(tmpdir, sizeof(tmpdir), "%s/LTP_kvmkitXXXXXX",
		 tst_get_tmpdir_root());
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = 0;
		tst_lib_brk(TBROK | TERRNO, "mkdtemp(%s/LTP_kvmkitXXXXXX) failed",
			    tst_get_tmpdir_root());
		return;
	}
	if (chmod(tmpdir, 0777) || chdir(tmpdir))
		tst_lib_brk(TBROK | TERRNO, "Cannot use %s", tmpdir);
}

static int remove_one(const char *path, const struct stat *sb, int type,
		      struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

void tst_tmpdir_remove(void)
{
	if (!tmpdir[0])
		return;
	if (startwd[0] && chdir(startwd))
		tst_lib_res(TWARN | TERRNO, "chdir(%s) failed", startwd);
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = 0;
}
