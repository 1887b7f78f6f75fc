/* SPDX-License-Identifier: MIT */
/* Where this kvmkit-run really is: its companions are found from there. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

char *self_dir(void)
{
	char *path = realpath("/proc/self/exe", NULL);
	char *slash;

	if (!path)
		return NULL;
	slash = strrchr(path, '/');
	if (slash == path)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	return path;
}
